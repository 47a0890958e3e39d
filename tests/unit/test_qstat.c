/*
 * test_qstat.c - the normal quantile against published values, and the Q-statistic against values
 * worked out by hand from the Jackson-Mudholkar formula (theta sums written out below).
 */
#include <math.h>

#include "lad_qstat.h"
#include "lad_test.h"

/* |got - want| <= tol * |want| (tol relative; want != 0). */
#define ASSERT_REL(got, want, tol) CU_ASSERT_DOUBLE_EQUAL((got), (want), (tol) * fabs(want))

static void test_normal_quantile_known_points(void)
{
    /* Published quantiles (e.g. Abramowitz & Stegun; Wichura AS241 to 16 digits). */
    ASSERT_REL(lad_normal_quantile(0.975), 1.959963984540054, 2e-15);
    ASSERT_REL(lad_normal_quantile(0.999), 3.090232306167813, 2e-15);
    ASSERT_REL(lad_normal_quantile(0.95), 1.6448536269514722, 2e-15);
    ASSERT_REL(lad_normal_quantile(0.99), 2.3263478740408408, 2e-15);
    ASSERT_REL(lad_normal_quantile(0.3), -0.5244005127080407, 2e-15);
    ASSERT_REL(lad_normal_quantile(1e-10), -6.361340902404056, 2e-15);
    /* Either side of Acklam's region boundary p = 0.02425, where the rational approximations switch. */
    ASSERT_REL(lad_normal_quantile(0.02425), -1.9729610513118845, 2e-15);
    CU_ASSERT_DOUBLE_EQUAL(lad_normal_quantile(0.5), 0.0, 1e-300);
}

static void test_normal_quantile_symmetry_and_limits(void)
{
    /* Phi^-1(p) = -Phi^-1(1 - p) exactly: for p in [0.5, 1), 1 - p is computed without rounding. */
    const double ps[] = {0.5, 0.75, 0.9, 0.97575, 0.99, 1.0 - 1e-5, 1.0 - 1e-12};
    for (unsigned i = 0; i < sizeof ps / sizeof ps[0]; i++)
        CU_ASSERT_EQUAL(lad_normal_quantile(ps[i]), -lad_normal_quantile(1.0 - ps[i]));
    /* Phi(x) = 0.5 erfc(-x / sqrt 2) inverts the quantile to round-off over the whole range. In the
     * tail d(ln p) = -x dx, so an x good to a few ulps gives p good to about (1 + x^2) ulps. */
    for (double p = 1e-300; p < 0.5; p *= 7.3) {
        double x = lad_normal_quantile(p);
        CU_ASSERT_DOUBLE_EQUAL(0.5 * erfc(-x / sqrt(2.0)), p, 4e-15 * (1.0 + x * x) * p);
    }
    CU_ASSERT_TRUE(isinf(lad_normal_quantile(0.0)) && lad_normal_quantile(0.0) < 0);
    CU_ASSERT_TRUE(isinf(lad_normal_quantile(1.0)) && lad_normal_quantile(1.0) > 0);
    CU_ASSERT_TRUE(isnan(lad_normal_quantile(NAN)));
}

static void test_q_three_eigenvalues(void)
{
    /* lambda = {2, 1, 0.5}: theta1 = 3.5, theta2 = 4 + 1 + 0.25 = 5.25, theta3 = 8 + 1 + 0.125 = 9.125,
     * h0 = 1 - 2 * 3.5 * 9.125 / (3 * 5.25^2) = 1 - 63.875 / 82.6875 = 0.2275132275...;
     * alpha = 0.05, c = 1.6448536269514722:
     * Q = 3.5 * [c h0 sqrt(10.5) / 3.5 + 1 + 5.25 h0 (h0 - 1) / 12.25]^(1 / h0) = 10.047093330653123. */
    const double l[] = {2.0, 1.0, 0.5};
    ASSERT_REL(lad_qstat_threshold(l, 3, 0.05), 10.047093330653123, 1e-13);
    /* Negative eigenvalues are round-off of zero and must not change anything. */
    const double lneg[] = {2.0, 1.0, 0.5, -1e-17};
    CU_ASSERT_EQUAL(lad_qstat_threshold(lneg, 4, 0.05), lad_qstat_threshold(l, 3, 0.05));
    /* A smaller alpha (stricter) gives a larger threshold. */
    CU_ASSERT_TRUE(lad_qstat_threshold(l, 3, 0.001) > lad_qstat_threshold(l, 3, 0.05));
}

static void test_q_equal_eigenvalues_is_wilson_hilferty(void)
{
    /* m equal eigenvalues 1: theta_i = m, h0 = 1/3, and Q reduces to Wilson-Hilferty's chi-square quantile
     * m [1 - 2/(9m) + c sqrt(2/(9m))]^3. m = 1, alpha 0.05: (7/9 + c sqrt(2)/3)^3 = 3.746763842783966
     * (the exact chi2_1 quantile is 3.8415); m = 10, alpha 0.01: 23.239351217867927 (chi2_10: 23.209). */
    const double one[] = {1.0};
    ASSERT_REL(lad_qstat_threshold(one, 1, 0.05), 3.746763842783966, 1e-13);
    double ten[10];
    for (int i = 0; i < 10; i++)
        ten[i] = 1.0;
    ASSERT_REL(lad_qstat_threshold(ten, 10, 0.01), 23.239351217867927, 1e-13);
    ASSERT_REL(lad_qstat_threshold(ten, 10, 0.01), 23.209, 0.01);
    /* Scaling every eigenvalue by s scales Q by s. */
    for (int i = 0; i < 10; i++)
        ten[i] = 0.25;
    ASSERT_REL(lad_qstat_threshold(ten, 10, 0.01), 0.25 * 23.239351217867927, 1e-13);
}

static void test_q_negative_h0_uses_lognormal_limit(void)
{
    /* lambda = {1, 10 x 0.1}: theta1 = 2, theta2 = 1.1, theta3 = 1.01, h0 = 1 - 4.04 / 3.63 < 0. The
     * limit h0 -> 0: 2 exp(c sqrt(2.2) / 2 - 1.1 / 4) with c = 2.3263478740408408 is 8.528495248374364,
     * above the mean SPE theta1 = 2 (the textbook |h0| form would give 0.44, below the mean). */
    double l[11] = {1.0};
    for (int i = 1; i < 11; i++)
        l[i] = 0.1;
    double q = lad_qstat_threshold(l, 11, 0.01);
    ASSERT_REL(q, 8.528495248374364, 1e-13);
    CU_ASSERT_TRUE(q > 2.0);
}

static void test_q_zero_residual(void)
{
    const double zero[] = {0.0, -1e-18};
    CU_ASSERT_EQUAL(lad_qstat_threshold(zero, 2, 0.001), 0.0);
    CU_ASSERT_EQUAL(lad_qstat_threshold(zero, 0, 0.001), 0.0);
}

static CU_TestInfo tests[] = {
    {"normal quantile at published points", test_normal_quantile_known_points},
    {"normal quantile: symmetry, inverse of Phi, limits", test_normal_quantile_symmetry_and_limits},
    {"Q-statistic of {2, 1, 0.5} by hand", test_q_three_eigenvalues},
    {"Q-statistic of equal eigenvalues = Wilson-Hilferty", test_q_equal_eigenvalues_is_wilson_hilferty},
    {"Q-statistic with h0 < 0: log-normal limit", test_q_negative_h0_uses_lognormal_limit},
    {"Q-statistic without residual variance", test_q_zero_residual},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"qstat", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
