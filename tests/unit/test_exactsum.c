/*
 * test_exactsum.c - order-independent sums: any order and grouping gives the same bits, cancellation
 * that a double sum loses is kept, accuracy against an exactly known sum, and the error cases.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lad_exactsum.h"
#include "lad_test.h"

static double sum_in_order(const double *terms, const int *order, int n, double bound)
{
    struct lad_exactsum s;
    double out = NAN;
    CU_ASSERT_EQUAL_FATAL(lad_exactsum_init(&lad_test_ctx, &s, 1), LAD_OK);
    lad_exactsum_reset(&s, &bound);
    for (int i = 0; i < n; i++)
        lad_exactsum_add(&s, &terms[order ? order[i] : i]);
    CU_ASSERT_EQUAL(lad_exactsum_reduce(&lad_test_ctx, &s, &out), LAD_OK);
    lad_exactsum_free(&s);
    return out;
}

/* 1e16 + 1 - 1e16: a double sum gives 0 (1 is below half an ulp of 1e16), the digits keep it. */
static void test_exactsum_keeps_cancellation(void)
{
    const double terms[] = {1e16, 1.0, -1e16};
    CU_ASSERT_EQUAL(terms[0] + terms[1] + terms[2], 0.0);
    CU_ASSERT_EQUAL(sum_in_order(terms, NULL, 3, 1e16), 1.0);
}

/* Terms spread over many magnitudes, summed in shuffled orders: the same bits every time, and the
 * sum to far better than double round-off. */
static void test_exactsum_order_independent(void)
{
    enum { N = 500 };
    double terms[N];
    int order[N];
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        terms[i] = ldexp((double)(seed >> 8) / 16777216.0, (int)(seed % 40) - 20) * ((seed >> 3) & 1 ? 1 : -1);
        order[i] = i;
    }
    const double first = sum_in_order(terms, NULL, N, 1e7);
    for (int round = 0; round < 20; round++) {
        for (int i = N - 1; i > 0; i--) {
            seed = seed * 1103515245u + 12345u;
            int j = (int)(seed % (unsigned)(i + 1)), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        CU_ASSERT_EQUAL(sum_in_order(terms, order, N, 1e7), first);
    }
    /* Against a long-double sum (64-bit mantissa): equal to far better than double round-off. */
    long double ref = 0.0L;
    for (int i = 0; i < N; i++)
        ref += terms[i];
    CU_ASSERT_DOUBLE_EQUAL(first, (double)ref, 1e-12 * fabs((double)ref) + 1e-15);
}

/* Several entries at once, each with its own bound; an entry with bound 0 and zero terms stays 0. */
static void test_exactsum_entries(void)
{
    struct lad_exactsum s;
    CU_ASSERT_EQUAL_FATAL(lad_exactsum_init(&lad_test_ctx, &s, 3), LAD_OK);
    const double bound[3] = {1.0, 1e-30, 0.0};
    lad_exactsum_reset(&s, bound);
    for (int i = 0; i < 1000; i++) {
        const double v[3] = {0.001, 3e-33, 0.0};
        lad_exactsum_add(&s, v);
    }
    double out[3];
    CU_ASSERT_EQUAL(lad_exactsum_reduce(&lad_test_ctx, &s, out), LAD_OK);
    CU_ASSERT_DOUBLE_EQUAL(out[0], 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(out[1], 3e-30, 1e-44);
    CU_ASSERT_EQUAL(out[2], 0.0);
    lad_exactsum_free(&s);
}

/* A term far over its bound, or not finite, fails the reduction instead of wrapping around. */
static void test_exactsum_errors(void)
{
    struct lad_exactsum s;
    double out;
    CU_ASSERT_EQUAL_FATAL(lad_exactsum_init(&lad_test_ctx, &s, 1), LAD_OK);
    const double bound = 1.0, big = 1e20, nan = NAN;
    lad_exactsum_reset(&s, &bound);
    lad_exactsum_add(&s, &big);
    CU_ASSERT_EQUAL(lad_exactsum_reduce(&lad_test_ctx, &s, &out), LAD_ERR_NUMERIC);
    lad_exactsum_reset(&s, &bound);
    lad_exactsum_add(&s, &nan);
    CU_ASSERT_EQUAL(lad_exactsum_reduce(&lad_test_ctx, &s, &out), LAD_ERR_NUMERIC);
    /* The reset clears the failure. */
    lad_exactsum_reset(&s, &bound);
    lad_exactsum_add(&s, &bound);
    CU_ASSERT_EQUAL(lad_exactsum_reduce(&lad_test_ctx, &s, &out), LAD_OK);
    CU_ASSERT_EQUAL(out, 1.0);
    lad_exactsum_free(&s);
}

static CU_TestInfo tests[] = {
    {"keeps what a double sum cancels", test_exactsum_keeps_cancellation},
    {"same bits in any order, accurate", test_exactsum_order_independent},
    {"several entries with their own bounds", test_exactsum_entries},
    {"terms over their bound and NaN fail", test_exactsum_errors},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"exactsum", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
