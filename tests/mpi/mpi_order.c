/*
 * mpi_order.c - the shuffle and the row-block ordering at any rank count: keys spread unevenly over
 * ranks and thread tables, partial counts of a session on many ranks, counts past 32 bits, a column map
 * that drops and merges columns, ranks with nothing; all give the same sorted matrix.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_counts.h"
#include "lad_features.h"
#include "lad_hash.h"
#include "lad_order.h"
#include "lad_shuffle.h"
#include "lad_test.h"

#define N_KEYS 997
#define N_EVENTS 5
#define N_TABLES 3 /* thread tables per rank */
#define BIG ((int64_t)5 << 32)

/* Session i has key key_of(i) and count want(i, e) in event e (BIG extra for session 10, event 2). */
static int64_t key_of(int64_t i)
{
    return (int64_t)(lad_hash_u64((uint64_t)i) >> 1) * (i % 2 ? -1 : 1);
}

static int64_t want(int64_t i, int e)
{
    return (i + e) % 4 + (i == 10 && e == 2 ? BIG : 0);
}

/* Table columns: 2 * e and 2 * e + 1 both map to event e (two message keys of one event); column 10
 * maps to -1 (dropped). */
static const int32_t col_map[11] = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1};

static void test_shuffle_and_order(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_counts tables[N_TABLES];
    const int32_t *maps[N_TABLES];
    for (int t = 0; t < N_TABLES; t++) {
        CU_ASSERT_TRUE_FATAL(lad_counts_init(&tables[t], 4));
        maps[t] = col_map;
    }
    /* Every rank holds partial counts of many sessions, in its tables; rank 0 holds none. */
    for (int64_t i = 0; i < N_KEYS; i++)
        for (int e = 0; e < N_EVENTS; e++) {
            int64_t c = (i + e) % 4;
            for (int64_t part = 0; part < c; part++) {
                int holder = (int)((i * 7 + e + part) % ctx->size);
                if (ctx->size > 1 && holder == 0)
                    holder = 1;
                if (holder != ctx->rank)
                    continue;
                int t = (int)((i + part) % N_TABLES);
                CU_ASSERT_TRUE_FATAL(lad_counts_add(&tables[t], key_of(i), 2 * e + (int32_t)(part % 2), 1));
                CU_ASSERT_TRUE_FATAL(lad_counts_add(&tables[t], key_of(i), 10, 7)); /* dropped by the map */
            }
        }
    if (ctx->rank == ctx->size - 1) /* a count past 32 bits, as a spilled entry plus a pair elsewhere */
        CU_ASSERT_TRUE_FATAL(lad_counts_add(&tables[0], key_of(10), 4, BIG - 1));
    if (ctx->rank == (ctx->size > 1 ? 1 : 0))
        CU_ASSERT_TRUE_FATAL(lad_counts_add(&tables[1], key_of(10), 5, 1));

    struct lad_rowset rows;
    CU_ASSERT_EQUAL_FATAL(lad_shuffle_rows(ctx, tables, maps, N_TABLES, N_EVENTS, &rows), LAD_OK);
    /* Key ranges: ascending within the rank, and below every key of higher ranks. */
    for (int64_t r = 1; r < rows.n; r++)
        CU_ASSERT_TRUE(rows.keys[r - 1] < rows.keys[r]);
    int64_t edge[2] = {rows.n ? rows.keys[0] : INT64_MAX, rows.n ? rows.keys[rows.n - 1] : INT64_MIN};
    int64_t *edges = malloc(2 * (size_t)ctx->size * sizeof *edges);
    MPI_Allgather(edge, 2, MPI_INT64_T, edges, 2, MPI_INT64_T, ctx->comm);
    for (int r = ctx->rank + 1; r < ctx->size; r++)
        CU_ASSERT_TRUE(edge[1] < edges[2 * r]);
    free(edges);

    struct lad_features f;
    memset(&f, 0, sizeof f);
    for (int e = 0; e < N_EVENTS; e++)
        lad_events_add(ctx, &f.events, "E", "t");
    CU_ASSERT_EQUAL_FATAL(lad_order_rows(ctx, &rows, &f), LAD_OK);

    /* Sessions with all-zero counts ((i + e) % 4 == 0 for every e) cannot exist: each has some count. */
    CU_ASSERT_EQUAL(f.n_global, N_KEYS);
    CU_ASSERT_EQUAL(f.block_rows, lad_features_block_rows(N_KEYS, ctx->size));
    int64_t *sorted = malloc(N_KEYS * sizeof *sorted), *index = malloc(N_KEYS * sizeof *index);
    for (int64_t i = 0; i < N_KEYS; i++)
        sorted[i] = key_of(i);
    /* reference order: sort keys, remember the session behind each */
    for (int64_t i = 0; i < N_KEYS; i++)
        index[i] = i;
    for (int64_t a = 1; a < N_KEYS; a++)
        for (int64_t b = a; b > 0 && sorted[b - 1] > sorted[b]; b--) {
            int64_t x = sorted[b];
            sorted[b] = sorted[b - 1];
            sorted[b - 1] = x;
            x = index[b];
            index[b] = index[b - 1];
            index[b - 1] = x;
        }
    int64_t x[N_EVENTS];
    for (int64_t r = 0; r < f.n_local; r++) {
        int64_t g = f.row_begin + r;
        CU_ASSERT_EQUAL(f.keys[r], sorted[g]);
        lad_features_row_dense(&f, r, x);
        for (int e = 0; e < N_EVENTS; e++)
            CU_ASSERT_EQUAL(x[e], want(index[g], e));
        const struct lad_row row = lad_features_row(&f, r); /* compressed: no zeros, columns ascending */
        for (int q = 0; q < row.n; q++)
            CU_ASSERT_TRUE(row.vals[q] > 0 && (q == 0 || row.cols[q - 1] < row.cols[q]));
    }
    free(sorted);
    free(index);
    lad_features_free(&f);
    for (int t = 0; t < N_TABLES; t++)
        lad_counts_free(&tables[t]);
}

static void test_no_sessions(void)
{
    struct lad_counts table;
    CU_ASSERT_TRUE_FATAL(lad_counts_init(&table, 1));
    struct lad_rowset rows;
    CU_ASSERT_EQUAL_FATAL(lad_shuffle_rows(&lad_test_ctx, &table, NULL, 1, 1, &rows), LAD_OK);
    CU_ASSERT_EQUAL(rows.n, 0);
    struct lad_features f;
    memset(&f, 0, sizeof f);
    lad_events_add(&lad_test_ctx, &f.events, "E", "t");
    CU_ASSERT_EQUAL_FATAL(lad_order_rows(&lad_test_ctx, &rows, &f), LAD_OK);
    CU_ASSERT_EQUAL(f.n_global, 0);
    CU_ASSERT_EQUAL(f.n_local, 0);
    lad_features_free(&f);
    struct lad_rowset empty = {0}; /* a rowset that never had arrays */
    CU_ASSERT_EQUAL_FATAL(lad_order_rows(&lad_test_ctx, &empty, &f), LAD_OK);
    CU_ASSERT_EQUAL(f.n_global, 0);
    lad_features_free(&f);
    lad_counts_free(&table);
}

/* One session per rank, all on rank 0's key range or beyond: rows must move over several ranks. */
static void test_skewed_ranges(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_counts table;
    CU_ASSERT_TRUE_FATAL(lad_counts_init(&table, 1));
    /* Rank r adds sessions 1000 r .. 1000 r + 99 when r is even, none when odd: uneven input. */
    if (ctx->rank % 2 == 0)
        for (int64_t s = 0; s < 100; s++)
            CU_ASSERT_TRUE_FATAL(lad_counts_add(&table, 1000 * ctx->rank + s, 0, s + 1));
    struct lad_rowset rows;
    CU_ASSERT_EQUAL_FATAL(lad_shuffle_rows(ctx, &table, NULL, 1, 1, &rows), LAD_OK);
    struct lad_features f;
    memset(&f, 0, sizeof f);
    lad_events_add(ctx, &f.events, "E", "t");
    CU_ASSERT_EQUAL_FATAL(lad_order_rows(ctx, &rows, &f), LAD_OK);
    CU_ASSERT_EQUAL(f.n_global, 100 * ((ctx->size + 1) / 2));
    for (int64_t r = 0; r < f.n_local; r++) {
        int64_t g = f.row_begin + r, key = 2000 * (g / 100) + g % 100;
        CU_ASSERT_EQUAL(f.keys[r], key);
        CU_ASSERT_EQUAL(lad_features_row(&f, r).n, 1);
        CU_ASSERT_EQUAL(lad_features_row(&f, r).vals[0], g % 100 + 1);
    }
    lad_features_free(&f);
    lad_counts_free(&table);
}

static CU_TestInfo tests[] = {
    {"shuffle to key ranges, then sorted row blocks", test_shuffle_and_order},
    {"no sessions at all", test_no_sessions},
    {"skewed key ranges", test_skewed_ranges},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"order", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
