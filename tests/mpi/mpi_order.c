/*
 * mpi_order.c - the owner shuffle and the sample-sort ordering at any rank count: keys spread
 * unevenly over ranks, duplicated partial counts, ranks with nothing, all give the same sorted matrix.
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

/* Session i has key key_of(i) and count (i + e) % 4 in event e, split into partial counts. */
static int64_t key_of(int64_t i)
{
    return (int64_t)(lad_hash_u64((uint64_t)i) >> 1) * (i % 2 ? -1 : 1);
}

static void test_shuffle_and_order(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    /* Every rank holds partial counts of many sessions; rank 0 holds none (an empty rank). */
    struct lad_triplet *t = NULL;
    size_t n = 0, cap = 0;
    for (int64_t i = 0; i < N_KEYS; i++)
        for (int e = 0; e < N_EVENTS; e++) {
            int64_t c = (i + e) % 4;
            for (int64_t part = 0; part < c; part++) {
                int holder = (int)((i * 7 + e + part) % ctx->size);
                if (ctx->size > 1 && holder == 0)
                    holder = 1;
                if (holder != ctx->rank)
                    continue;
                void *p = t;
                CU_ASSERT_TRUE_FATAL(lad_grow(&p, &cap, n + 1, sizeof *t));
                t = p;
                t[n++] = (struct lad_triplet){key_of(i), e, 1};
            }
        }
    n = lad_triplets_sort_merge(t, n);
    struct lad_triplet *owned = NULL;
    size_t n_owned = 0;
    CU_ASSERT_EQUAL_FATAL(lad_shuffle_to_owners(ctx, t, n, &owned, &n_owned), LAD_OK);
    for (size_t k = 0; k < n_owned; k++)
        CU_ASSERT_EQUAL(lad_hash_owner(owned[k].session, ctx->size), ctx->rank);

    struct lad_features f;
    memset(&f, 0, sizeof f);
    for (int e = 0; e < N_EVENTS; e++)
        lad_events_add(ctx, &f.events, "E", "t");
    CU_ASSERT_EQUAL_FATAL(lad_order_rows(ctx, owned, n_owned, &f), LAD_OK);

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
    for (int64_t r = 0; r < f.n_local; r++) {
        int64_t g = f.row_begin + r;
        CU_ASSERT_EQUAL(f.keys[r], sorted[g]);
        for (int e = 0; e < N_EVENTS; e++)
            CU_ASSERT_EQUAL(f.counts[r * N_EVENTS + e], (index[g] + e) % 4);
    }
    free(sorted);
    free(index);
    free(t);
    free(owned);
    lad_features_free(&f);
}

static void test_no_sessions(void)
{
    struct lad_features f;
    memset(&f, 0, sizeof f);
    lad_events_add(&lad_test_ctx, &f.events, "E", "t");
    CU_ASSERT_EQUAL_FATAL(lad_order_rows(&lad_test_ctx, NULL, 0, &f), LAD_OK);
    CU_ASSERT_EQUAL(f.n_global, 0);
    CU_ASSERT_EQUAL(f.n_local, 0);
    lad_features_free(&f);
}

static CU_TestInfo tests[] = {
    {"shuffle to owners, then sorted row blocks", test_shuffle_and_order},
    {"no sessions at all", test_no_sessions},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"order", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
