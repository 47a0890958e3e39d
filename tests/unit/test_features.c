/*
 * test_features.c - the compressed feature rows: dense in, dense out, the row view, the transform of
 * a compressed row against the dense transform, bit for bit, the groups of equal rows, and features.h5
 * storing counts in the narrowest integer type and reading them back.
 */
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_featfile.h"
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

/* Rows drawn from a few distinct patterns: every group holds equal rows, and rows of different groups
 * differ (checked against every pair). */
static void test_row_groups(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    int64_t *dense = calloc((size_t)ROWS * COLS, sizeof *dense), *a = malloc(COLS * sizeof *a),
            *b = malloc(COLS * sizeof *b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dense);
    uint64_t x = 99;
    for (int64_t i = 0; i < ROWS; i++) {
        int pattern = (int)(next(&x) % 9); /* 0: the empty row */
        for (int j = 0; j < COLS && pattern; j++)
            dense[i * COLS + j] = (j * 7 + pattern) % 5 == 0 ? pattern * (j + 1) : 0;
    }
    struct lad_features f;
    memset(&f, 0, sizeof f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(ctx, &f, ROWS, COLS), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(ctx, &f, dense), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_group_rows(ctx, &f), LAD_OK);
    CU_ASSERT_TRUE(f.n_groups >= 2 && f.n_groups <= 9);
    for (int64_t i = 0; i < f.n_local; i++) {
        CU_ASSERT_TRUE_FATAL(f.group_of[i] >= 0 && f.group_of[i] < f.n_groups);
        CU_ASSERT_TRUE(f.group_first[f.group_of[i]] <= i);
        for (int64_t k = 0; k < i; k++) {
            lad_features_row_dense(&f, i, a);
            lad_features_row_dense(&f, k, b);
            bool same = memcmp(a, b, COLS * sizeof *a) == 0;
            CU_ASSERT_EQUAL(same, f.group_of[i] == f.group_of[k]);
        }
    }
    for (int64_t g = 0; g < f.n_groups; g++) /* numbered in the order their first rows come */
        CU_ASSERT_TRUE(g == 0 || f.group_first[g] > f.group_first[g - 1]);
    uint8_t use[ROWS];
    for (int i = 0; i < ROWS; i++)
        use[i] = i % 3 != 0;
    int64_t mult[ROWS], want[ROWS] = {0}, total = 0;
    lad_features_group_counts(&f, use, mult);
    for (int64_t i = 0; i < f.n_local; i++)
        want[f.group_of[i]] += use[i];
    for (int64_t g = 0; g < f.n_groups; g++) {
        CU_ASSERT_EQUAL(mult[g], want[g]);
        total += mult[g];
    }
    CU_ASSERT_EQUAL(total, 200);
    lad_features_free(&f);
    CU_ASSERT_PTR_NULL(f.group_of);
    free(dense);
    free(a);
    free(b);
}

#define NARROW_PATH "test_features_narrow.h5"

/* The stored element size of /counts in path (serial HDF5). */
static size_t stored_width(const char *path)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = file >= 0 ? H5Dopen2(file, "/counts", H5P_DEFAULT) : H5I_INVALID_HID;
    hid_t type = dset >= 0 ? H5Dget_type(dset) : H5I_INVALID_HID;
    size_t w = type >= 0 ? H5Tget_size(type) : 0;
    if (type >= 0)
        H5Tclose(type);
    if (dset >= 0)
        H5Dclose(dset);
    if (file >= 0)
        H5Fclose(file);
    return w;
}

/* The largest count decides the type: 127 fits int8, 128 needs int16, 40000 int32, 2^40 int64; what
 * is read back is the counts written, each time. */
static void test_narrow_counts_round_trip(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    const int64_t largest[] = {127, 128, 40000, (int64_t)1 << 40};
    const size_t width[] = {1, 2, 4, 8};
    int64_t *dense = malloc((size_t)ROWS * COLS * sizeof *dense), *back = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(dense);
    for (int t = 0; t < 4; t++) {
        uint64_t x = 7 + (uint64_t)t;
        for (int64_t k = 0; k < (int64_t)ROWS * COLS; k++)
            dense[k] = next(&x) % 3 ? 0 : (int64_t)(next(&x) % 100);
        dense[5 * COLS + 3] = largest[t];
        struct lad_features f, r;
        memset(&f, 0, sizeof f);
        CU_ASSERT_EQUAL_FATAL(lad_features_alloc(ctx, &f, ROWS, COLS), LAD_OK);
        lad_test_add_events(ctx, &f.events, COLS, "E", "template <*>");
        f.event_source = lad_strdup("mined");
        for (int64_t i = 0; i < f.n_local; i++)
            f.keys[i] = 10 * i - 1000;
        CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(ctx, &f, dense), LAD_OK);
        CU_ASSERT_EQUAL_FATAL(lad_featfile_write(ctx, NARROW_PATH, &f), LAD_OK);
        CU_ASSERT_EQUAL(stored_width(NARROW_PATH), width[t]);
        CU_ASSERT_EQUAL_FATAL(lad_featfile_read(ctx, NARROW_PATH, &r), LAD_OK);
        CU_ASSERT_EQUAL_FATAL(r.n_local, f.n_local);
        CU_ASSERT_EQUAL_FATAL(lad_features_get_dense(ctx, &r, &back), LAD_OK);
        CU_ASSERT_EQUAL(memcmp(back, dense, (size_t)ROWS * COLS * sizeof *dense), 0);
        CU_ASSERT_EQUAL(memcmp(r.keys, f.keys, (size_t)ROWS * sizeof *f.keys), 0);
        free(back);
        lad_features_free(&r);
        lad_features_free(&f);
        unlink(NARROW_PATH);
    }
    free(dense);
}

static CU_TestInfo tests[] = {
    {"dense in, rows and dense out", test_dense_round_trip},
    {"transform of a compressed row: the dense bits", test_transform_of_a_row},
    {"groups of equal rows", test_row_groups},
    {"features.h5 stores counts narrow and reads them back", test_narrow_counts_round_trip},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"features", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
