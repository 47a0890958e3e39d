/* test_counts.c - the (session, column) count tables: adding, growing, triplets, parallel merge. */
#include <stdlib.h>
#include <string.h>

#include "lad_counts.h"
#include "lad_test.h"

static void test_add_and_grow(void)
{
    struct lad_counts c;
    CU_ASSERT_TRUE_FATAL(lad_counts_init(&c, 4));
    for (int64_t s = -5000; s < 5000; s++)
        for (int32_t col = 0; col < 3; col++)
            CU_ASSERT_TRUE_FATAL(lad_counts_add(&c, s * 7919, col, 1 + col));
    CU_ASSERT_TRUE_FATAL(lad_counts_add(&c, 0, 2, 10)); /* an existing pair: summed */
    CU_ASSERT_EQUAL(c.n_used, 30000);
    struct lad_triplet *t = NULL;
    size_t n = 0, cap = 0;
    int32_t map[3] = {1, -1, 0}; /* column 1 dropped, 0 and 2 swapped */
    CU_ASSERT_TRUE_FATAL(lad_counts_to_triplets(&c, map, &t, &n, &cap));
    CU_ASSERT_EQUAL(n, 20000);
    n = lad_triplets_sort_merge(t, n);
    CU_ASSERT_EQUAL(n, 20000);
    for (size_t i = 1; i < n; i++)
        CU_ASSERT_TRUE(t[i - 1].session < t[i].session ||
                       (t[i - 1].session == t[i].session && t[i - 1].column < t[i].column));
    for (size_t i = 0; i < n; i++)
        if (t[i].session == 0)
            CU_ASSERT_EQUAL(t[i].count, t[i].column == 0 ? 13 : 1);
    free(t);
    lad_counts_free(&c);
}

/* The merge of several tables equals the counts added to one table, whatever the thread count. */
static void test_parallel_merge(void)
{
    enum { TABLES = 5, KEYS = 4 };
    struct lad_counts tables[TABLES], one;
    int32_t maps[TABLES][KEYS];
    const int32_t *map_ptrs[TABLES];
    CU_ASSERT_TRUE_FATAL(lad_counts_init(&one, 16));
    for (int t = 0; t < TABLES; t++) {
        CU_ASSERT_TRUE_FATAL(lad_counts_init(&tables[t], 16));
        for (int k = 0; k < KEYS; k++) /* table-local key ids, mapped to events differently per table */
            maps[t][k] = (k + t) % 3;
        map_ptrs[t] = maps[t];
        for (int64_t s = 0; s < 3000; s++)
            if ((s + t) % 4 != 0)
                for (int k = 0; k < KEYS; k++) {
                    int64_t c = (s % 5) + k + t;
                    lad_counts_add(&tables[t], s * 104729 - 777, k, c);
                    lad_counts_add(&one, s * 104729 - 777, maps[t][k], c);
                }
    }
    struct lad_triplet *want = NULL;
    size_t n_want = 0, cap = 0;
    lad_counts_to_triplets(&one, NULL, &want, &n_want, &cap);
    n_want = lad_triplets_sort_merge(want, n_want);
    for (int t = 0; t < TABLES; t++)
        CU_ASSERT_TRUE_FATAL(lad_counts_finish(&tables[t]));
    for (int threads = 1; threads <= 7; threads++) {
        struct lad_triplet *got;
        size_t n_got;
        CU_ASSERT_TRUE_FATAL(lad_counts_merge_parallel(tables, map_ptrs, TABLES, threads, &got, &n_got));
        CU_ASSERT_EQUAL(n_got, n_want);
        n_got = lad_triplets_sort_merge(got, n_got); /* sorted only within buckets: sort to compare */
        CU_ASSERT_EQUAL_FATAL(n_got, n_want);
        CU_ASSERT_EQUAL(memcmp(got, want, n_got * sizeof *got), 0);
        free(got);
    }
    free(want);
    for (int t = 0; t < TABLES; t++)
        lad_counts_free(&tables[t]);
    lad_counts_free(&one);
}

/* Sessions with more keys than one chunk holds, and counts past 32 bits, sum exactly. */
static void test_long_sessions_and_big_counts(void)
{
    struct lad_counts c;
    CU_ASSERT_TRUE_FATAL(lad_counts_init(&c, 1));
    for (int rep = 0; rep < 3; rep++)
        for (int64_t s = 0; s < 50; s++)
            for (int32_t col = 0; col < 40; col++) /* 40 keys: three chunks per session */
                CU_ASSERT_TRUE_FATAL(lad_counts_add(&c, s - 25, col, s + col));
    const int64_t big = (int64_t)1 << 33;
    CU_ASSERT_TRUE_FATAL(lad_counts_add(&c, 7, 3, UINT32_MAX - 5)); /* passes 2^32 - 1 with the next add */
    CU_ASSERT_TRUE_FATAL(lad_counts_add(&c, 7, 3, 10));
    CU_ASSERT_TRUE_FATAL(lad_counts_add(&c, 7, 3, big));
    CU_ASSERT_TRUE_FATAL(lad_counts_finish(&c));
    CU_ASSERT_EQUAL(c.n_slots, c.n_used);
    struct lad_triplet *t = NULL;
    size_t n = 0, cap = 0;
    CU_ASSERT_TRUE_FATAL(lad_counts_to_triplets(&c, NULL, &t, &n, &cap));
    n = lad_triplets_sort_merge(t, n);
    CU_ASSERT_EQUAL_FATAL(n, 50 * 40);
    for (size_t i = 0; i < n; i++) {
        int64_t s = t[i].session + 25, col = t[i].column;
        int64_t want = 3 * (s + col) + (t[i].session == 7 && col == 3 ? (int64_t)UINT32_MAX + 5 + big : 0);
        CU_ASSERT_EQUAL(t[i].count, want);
    }
    int64_t total = 0; /* the finished entries hold the same sums */
    for (size_t i = 0; i < c.n_slots; i++)
        if (c.slots[i].session == 7 && c.slots[i].column == 3)
            total += c.slots[i].count;
    CU_ASSERT_EQUAL(total, 3 * (32 + 3) + (int64_t)UINT32_MAX + 5 + big);
    free(t);
    lad_counts_free(&c);
}

static int by_session_column(const void *a, const void *b)
{
    const struct lad_triplet *x = a, *y = b;
    if (x->session != y->session)
        return x->session < y->session ? -1 : 1;
    return (x->column > y->column) - (x->column < y->column);
}

/* Sort-merge (radix inside) equals qsort then summing, on sessions of every sign and size, short and
 * long runs, and repeated pairs. */
static void test_sort_merge_matches_qsort(void)
{
    enum { N = 60000 };
    struct lad_triplet *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t session = i % 7 == 0 ? (int64_t)x : i % 7 == 1 ? 42 : (int64_t)(x % 5000) - 2500;
        a[i] = (struct lad_triplet){session, (int64_t)((x >> 20) % 300), (int64_t)(x >> 50)};
    }
    memcpy(b, a, N * sizeof *a);
    size_t n = lad_triplets_sort_merge(a, N);
    qsort(b, N, sizeof *b, by_session_column);
    size_t w = 0;
    for (size_t r = 1; r < N; r++) {
        if (b[r].session == b[w].session && b[r].column == b[w].column)
            b[w].count += b[r].count;
        else
            b[++w] = b[r];
    }
    CU_ASSERT_EQUAL_FATAL(n, w + 1);
    CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof *a), 0);
    free(a);
    free(b);
}

static CU_TestInfo tests[] = {
    {"add, grow, triplets", test_add_and_grow},
    {"parallel merge equals one table", test_parallel_merge},
    {"long sessions and counts past 32 bits", test_long_sessions_and_big_counts},
    {"sort-merge equals qsort and summing", test_sort_merge_matches_qsort},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"counts", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
