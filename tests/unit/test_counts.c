/* test_counts.c - the (session, column) count tables: adding, growing, reading sessions back, merging pairs. */
#include <stdlib.h>
#include <string.h>

#include "lad_counts.h"
#include "lad_test.h"

/* The pairs of the session whose first chunk is firsts[k], merged. */
static size_t session_pairs(const struct lad_counts *c, uint32_t ref, const int32_t *map, struct lad_count_pair **p,
                            size_t *cap)
{
    size_t n = 0;
    CU_ASSERT_TRUE_FATAL(lad_counts_pairs(c, ref, map, p, &n, cap));
    return lad_count_pairs_merge(*p, n);
}

static void test_add_and_grow(void)
{
    struct lad_counts c;
    CU_ASSERT_TRUE_FATAL(lad_counts_init(&c, 4));
    for (int64_t s = -5000; s < 5000; s++)
        for (int32_t col = 0; col < 3; col++)
            CU_ASSERT_TRUE_FATAL(lad_counts_add(&c, s * 7919, col, 1 + col));
    CU_ASSERT_TRUE_FATAL(lad_counts_add(&c, 0, 2, 10)); /* an existing pair: summed */
    CU_ASSERT_EQUAL(c.n_used, 30000);
    CU_ASSERT_EQUAL(c.n_sessions, 10000);
    CU_ASSERT_TRUE_FATAL(lad_counts_finish(&c));
    int32_t map[3] = {1, -1, 0}; /* column 1 dropped, 0 and 2 swapped */
    struct lad_count_pair *p = NULL;
    size_t cap = 0;
    for (size_t k = 0; k < c.n_sessions; k++) {
        /* firsts lists the sessions in order of first appearance */
        int64_t s = lad_counts_ref_session(&c, c.firsts[k]);
        CU_ASSERT_EQUAL(s, (-5000 + (int64_t)k) * 7919);
        size_t n = session_pairs(&c, c.firsts[k], map, &p, &cap);
        CU_ASSERT_EQUAL_FATAL(n, 2);
        CU_ASSERT_EQUAL(p[0].column, 0);
        CU_ASSERT_EQUAL(p[1].column, 1);
        CU_ASSERT_EQUAL(p[0].count, s == 0 ? 13 : 3); /* column 2 (3, plus 10 for session 0) */
        CU_ASSERT_EQUAL(p[1].count, 1);
    }
    free(p);
    lad_counts_free(&c);
}

/* Sessions with more keys than one chunk holds, and counts past 32 bits, read back exactly. */
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
    CU_ASSERT_EQUAL_FATAL(c.n_sessions, 50);
    struct lad_count_pair *p = NULL;
    size_t cap = 0;
    for (size_t k = 0; k < c.n_sessions; k++) {
        const int64_t session = lad_counts_ref_session(&c, c.firsts[k]);
        size_t n = 0;
        CU_ASSERT_TRUE_FATAL(lad_counts_pairs(&c, c.firsts[k], NULL, &p, &n, &cap));
        for (size_t e = 0; e < c.n_spill; e++) /* spilled counts are references of their own */
            if (lad_counts_ref_session(&c, LAD_COUNTS_REF_SPILL | (uint32_t)e) == session)
                CU_ASSERT_TRUE_FATAL(lad_counts_pairs(&c, LAD_COUNTS_REF_SPILL | (uint32_t)e, NULL, &p, &n, &cap));
        n = lad_count_pairs_merge(p, n);
        CU_ASSERT_EQUAL_FATAL(n, 40);
        for (size_t q = 0; q < n; q++) {
            int64_t s = session + 25, col = p[q].column;
            int64_t want = 3 * (s + col) + (session == 7 && col == 3 ? (int64_t)UINT32_MAX + 5 + big : 0);
            CU_ASSERT_EQUAL(col, (int64_t)q);
            CU_ASSERT_EQUAL(p[q].count, want);
        }
    }
    free(p);
    lad_counts_free(&c);
}

static int by_column(const void *a, const void *b)
{
    const struct lad_count_pair *x = a, *y = b;
    return (x->column > y->column) - (x->column < y->column);
}

/* Merging pairs equals qsort then summing, for short lists (insertion sort) and long ones. */
static void test_pairs_merge_matches_qsort(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t len = 0; len < 300; len += len < 40 ? 1 : 37) {
        struct lad_count_pair a[300], b[300];
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            a[i] = b[i] = (struct lad_count_pair){(int32_t)((x >> 20) % (len / 2 + 1)), 0, (int64_t)(x >> 40)};
        }
        size_t n = lad_count_pairs_merge(a, len);
        if (len > 0)
            qsort(b, len, sizeof *b, by_column);
        size_t w = 0;
        for (size_t r = 1; r < len; r++) {
            if (b[r].column == b[w].column)
                b[w].count += b[r].count;
            else
                b[++w] = b[r];
        }
        CU_ASSERT_EQUAL_FATAL(n, len ? w + 1 : 0);
        for (size_t i = 0; i < n; i++) {
            CU_ASSERT_EQUAL(a[i].column, b[i].column);
            CU_ASSERT_EQUAL(a[i].count, b[i].count);
        }
    }
}

static CU_TestInfo tests[] = {
    {"add, grow, read sessions back", test_add_and_grow},
    {"long sessions and counts past 32 bits", test_long_sessions_and_big_counts},
    {"pair merge equals qsort and sum", test_pairs_merge_matches_qsort},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"counts", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
