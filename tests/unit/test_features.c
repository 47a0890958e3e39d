/*
 * test_features.c - the compressed feature rows: dense in, dense out, the row view, and the transform of
 * a compressed row against the dense transform, bit for bit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lad_features.h"
#include "lad_transform.h"
#include "lad_test.h"

#define ROWS 300
#define COLS 37

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* About 80% zeros, small counts, a few large ones (past 32 bits), one all-zero row. */
static void random_dense(int64_t *d, uint64_t seed)
{
    uint64_t x = seed;
    for (int64_t k = 0; k < (int64_t)ROWS * COLS; k++) {
        uint64_t r = next(&x);
        d[k] = r % 5 ? 0 : r % 97 == 0 ? (int64_t)(r >> 20) : (int64_t)(r >> 58) + 1;
    }
    memset(d + 17 * COLS, 0, COLS * sizeof *d);
}

static void test_dense_round_trip(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    int64_t *dense = malloc((size_t)ROWS * COLS * sizeof *dense), *back = NULL, x[COLS];
    random_dense(dense, 0x1234567);
    struct lad_features f;
    memset(&f, 0, sizeof f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(ctx, &f, ROWS, COLS), LAD_OK);
    const int64_t *mine = dense + f.row_begin * COLS;
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(ctx, &f, mine), LAD_OK);
    int64_t nnz = 0;
    for (int64_t k = 0; k < f.n_local * COLS; k++)
        nnz += mine[k] != 0;
    CU_ASSERT_EQUAL(f.row_start[f.n_local], nnz); /* zeros take no room */
    for (int64_t i = 0; i < f.n_local; i++) {
        const struct lad_row r = lad_features_row(&f, i);
        for (int q = 0; q < r.n; q++) {
            CU_ASSERT_TRUE(r.vals[q] != 0);
            CU_ASSERT_TRUE(q == 0 || r.cols[q - 1] < r.cols[q]);
            CU_ASSERT_EQUAL(r.vals[q], mine[i * COLS + r.cols[q]]);
        }
        lad_features_row_dense(&f, i, x);
        CU_ASSERT_EQUAL(memcmp(x, mine + i * COLS, sizeof x), 0);
    }
    CU_ASSERT_EQUAL_FATAL(lad_features_get_dense(ctx, &f, &back), LAD_OK);
    CU_ASSERT_EQUAL(memcmp(back, mine, (size_t)f.n_local * COLS * sizeof *back), 0);
    /* Setting again replaces the counts (a reserve that has to grow keeps nothing stale). */
    int64_t *other = malloc((size_t)ROWS * COLS * sizeof *other);
    random_dense(other, 0x7654321);
    for (int64_t k = 0; k < (int64_t)ROWS * COLS; k++)
        other[k] = other[k] ? other[k] : 1;
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(ctx, &f, other + f.row_begin * COLS), LAD_OK);
    for (int64_t i = 0; i < f.n_local; i++) {
        lad_features_row_dense(&f, i, x);
        CU_ASSERT_EQUAL(memcmp(x, other + (f.row_begin + i) * COLS, sizeof x), 0);
    }
    free(other);
    free(back);
    free(dense);
    lad_features_free(&f);
}

/* lad_transform_apply_row(_from) on the compressed row gives the bits of lad_transform_apply on the
 * dense row, for every combination of tfidf, center and log. */
static void test_transform_of_a_row(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    int64_t *dense = malloc((size_t)ROWS * COLS * sizeof *dense);
    random_dense(dense, 0xabcdef);
    struct lad_features f;
    memset(&f, 0, sizeof f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(ctx, &f, ROWS, COLS), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(ctx, &f, dense + f.row_begin * COLS), LAD_OK);
    for (unsigned flags = 0; flags < 8; flags++) {
        struct lad_transform t = {0};
        CU_ASSERT_EQUAL_FATAL(lad_transform_fit(ctx, &f, NULL, flags, &t), LAD_OK);
        double a[COLS], b[COLS], c[COLS], y0[COLS];
        lad_transform_zero_row(&t, y0);
        for (int64_t i = 0; i < f.n_local; i++) {
            lad_transform_apply(&t, dense + (f.row_begin + i) * COLS, a);
            lad_transform_apply_row(&t, lad_features_row(&f, i), b);
            lad_transform_apply_row_from(&t, y0, lad_features_row(&f, i), c);
            CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
            CU_ASSERT_EQUAL(memcmp(a, c, sizeof a), 0);
        }
        lad_transform_free(&t);
    }
    free(dense);
    lad_features_free(&f);
}

static CU_TestInfo tests[] = {
    {"dense in, rows and dense out", test_dense_round_trip},
    {"transform of a compressed row: the dense bits", test_transform_of_a_row},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"features", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
