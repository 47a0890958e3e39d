/*
 * test_gram.c - the exact Gram matrix from local rows against a naive one computed here: integer counts
 * (small, and large enough to pass 64 bits in a sum), log-counts on the fixed-point grid, a row mask,
 * and the cases it leaves to ScaLAPACK.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lad_features.h"
#include "lad_gram.h"
#include "lad_test.h"

typedef unsigned __int128 u128;

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* rows x cols counts below `limit`, zero with probability zero_pct %; row i selected when use[i]. */
static void make(struct lad_features *f, int64_t rows, int cols, int64_t limit, int zero_pct, uint64_t seed,
                 int64_t **dense)
{
    uint64_t x = seed;
    *dense = malloc((size_t)rows * (size_t)cols * sizeof **dense);
    for (int64_t k = 0; k < rows * cols; k++) {
        uint64_t r = next(&x);
        (*dense)[k] = (int)(r % 100) < zero_pct ? 0 : (int64_t)((r >> 8) % (uint64_t)limit);
    }
    memset(f, 0, sizeof *f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, f, rows, cols), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(&lad_test_ctx, f, *dense + f->row_begin * cols), LAD_OK);
}

/* The naive sums over every selected row of the whole matrix: exact integers, converted once. */
static void naive(const int64_t *dense, int64_t rows, int cols, const uint8_t *use, bool log_counts, double *g)
{
    for (int a = 0; a < cols; a++)
        for (int b = 0; b < cols; b++) {
            u128 s = 0;
            for (int64_t i = 0; i < rows; i++) {
                if (use && !use[i])
                    continue;
                int64_t va = dense[i * cols + a], vb = dense[i * cols + b];
                if (log_counts)
                    s += (uint64_t)llround(log1p((double)va) * log1p((double)vb) * 4503599627370496.0);
                else
                    s += (u128)(uint64_t)va * (uint64_t)vb;
            }
            g[a * cols + b] = log_counts ? ldexp((double)s, -52) : (double)s;
        }
}

static void check(int64_t rows, int cols, int64_t limit, int zero_pct, bool masked, bool log_counts, uint64_t seed)
{
    struct lad_features f;
    int64_t *dense;
    make(&f, rows, cols, limit, zero_pct, seed, &dense);
    uint8_t *use = malloc((size_t)rows);
    for (int64_t i = 0; i < rows; i++)
        use[i] = !masked || i % 3 != 1;
    double *got = malloc((size_t)cols * cols * sizeof *got), *want = malloc((size_t)cols * cols * sizeof *want);
    bool fits = false;
    CU_ASSERT_EQUAL_FATAL(lad_gram_exact(&lad_test_ctx, &f, masked ? use + f.row_begin : NULL, log_counts, got, &fits),
                          LAD_OK);
    CU_ASSERT_TRUE_FATAL(fits);
    naive(dense, rows, cols, masked ? use : NULL, log_counts, want);
    CU_ASSERT_EQUAL(memcmp(got, want, (size_t)cols * cols * sizeof *got), 0);
    free(got);
    free(want);
    free(use);
    free(dense);
    lad_features_free(&f);
}

static void test_integer_counts(void)
{
    check(500, 37, 20, 80, false, false, 0x1111);       /* HDFS-like: small counts, mostly zeros */
    check(300, 5, 1000, 10, true, false, 0x2222);       /* dense, a row mask */
    check(64, 3, (int64_t)1 << 31, 0, false, false, 0x3333); /* sums past 2^64: the 128-bit path */
    check(1, 1, 5, 0, false, false, 0x4444);
}

static void test_log_counts(void)
{
    check(400, 37, 50, 80, false, true, 0x5555);
    check(200, 9, (int64_t)1 << 40, 30, true, true, 0x6666); /* log-counts of any size */
}

/* Counts from 2^32 up (without logs) and wide event spaces are left to ScaLAPACK: fits is false. */
static void test_left_to_scalapack(void)
{
    struct lad_features f;
    int64_t *dense;
    double g[4] = {-1, -1, -1, -1};
    bool fits = true;
    make(&f, 10, 2, 5, 0, 0x7777, &dense);
    if (f.n_local > 0)
        f.vals[0] = (int64_t)1 << 32;
    int64_t big = f.n_local > 0, any = 0;
    MPI_Allreduce(&big, &any, 1, MPI_INT64_T, MPI_MAX, lad_test_ctx.comm);
    CU_ASSERT_EQUAL_FATAL(lad_gram_exact(&lad_test_ctx, &f, NULL, false, g, &fits), LAD_OK);
    CU_ASSERT_EQUAL(fits, !any);
    CU_ASSERT_EQUAL_FATAL(lad_gram_exact(&lad_test_ctx, &f, NULL, true, g, &fits), LAD_OK);
    CU_ASSERT_TRUE(fits); /* with logs, any count is fine */
    free(dense);
    lad_features_free(&f);

    struct lad_features w;
    memset(&w, 0, sizeof w);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, &w, 2, LAD_GRAM_LOCAL_MAX_EVENTS), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_gram_exact(&lad_test_ctx, &w, NULL, false, g, &fits), LAD_OK);
    CU_ASSERT_FALSE(fits);
    lad_features_free(&w);
}

static CU_TestInfo tests[] = {
    {"integer counts: the exact sums", test_integer_counts},
    {"log-counts: the fixed-point sums", test_log_counts},
    {"large counts and wide event spaces left to ScaLAPACK", test_left_to_scalapack},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"gram", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
