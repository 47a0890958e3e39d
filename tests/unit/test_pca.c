/*
 * test_pca.c - PCA on matrices built so that their covariance, eigenpairs, k and SPE are known exactly.
 *
 * Six rows c + s around c = (5, 5, 5), with s = +-(3, 3, 0), +-(1, -1, 0), +-(0, 0, 1). The mean is c and
 * the covariance (1/6) sum s s^T has eigenpairs
 *   6   along u1 = (1, 1, 0) / sqrt 2      (2 * 18 / 6)
 *   2/3 along u2 = (1, -1, 0) / sqrt 2     (2 * 2 / 6)
 *   1/3 along e3 = (0, 0, 1)               (2 * 1 / 6)
 * Total variance 7: k = 1 explains 6/7 = 0.857, k = 2 explains 20/21 = 0.952.
 */
#include <math.h>
#include <string.h>

#include "lad_features.h"
#include "lad_pca.h"
#include "lad_transform.h"
#include "lad_test.h"

#define ASSERT_REL(got, want, tol) CU_ASSERT_DOUBLE_EQUAL((got), (want), (tol) * fabs(want))

/* The six rows, then two rows that the `use` mask leaves out (they would wreck every number below). */
static const int64_t rows6[8][3] = {{8, 8, 5}, {2, 2, 5}, {6, 4, 5}, {4, 6, 5}, {5, 5, 6}, {5, 5, 4},
                                    {90, 0, 70}, {0, 60, 0}};
static const uint8_t use6[8] = {1, 1, 1, 1, 1, 1, 0, 0};

static void make_features(struct lad_features *f, int64_t n_rows, int n_cols, const int64_t *table)
{
    memset(f, 0, sizeof *f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, f, n_rows, n_cols), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(&lad_test_ctx, f, table + f->row_begin * n_cols), LAD_OK);
}

/* Fits transform and PCA on the six rows. */
static enum lad_status fit6(unsigned flags, const struct lad_pca_options *opt, struct lad_transform *t,
                            struct lad_pca_model *m)
{
    struct lad_features f;
    make_features(&f, 8, 3, &rows6[0][0]);
    enum lad_status st = lad_transform_fit(&lad_test_ctx, &f, use6 + f.row_begin, flags, t);
    if (st == LAD_OK)
        st = lad_pca_fit(&lad_test_ctx, &f, use6 + f.row_begin, t, opt, m);
    lad_features_free(&f);
    return st;
}

static void test_known_eigenpairs(void)
{
    struct lad_transform t = {0};
    struct lad_pca_model m = {0};
    struct lad_pca_options opt = {.variance = 0.95, .k = 0, .alpha = 0.001};
    CU_ASSERT_EQUAL_FATAL(fit6(LAD_TF_CENTER, &opt, &t, &m), LAD_OK);
    CU_ASSERT_EQUAL(m.n, 3);
    ASSERT_REL(m.eigenvalues[0], 6.0, 1e-13);
    ASSERT_REL(m.eigenvalues[1], 2.0 / 3.0, 1e-13);
    ASSERT_REL(m.eigenvalues[2], 1.0 / 3.0, 1e-13);
    /* 0.95 needs two components (6/7 < 0.95 <= 20/21). */
    CU_ASSERT_EQUAL(m.k, 2);
    ASSERT_REL(m.variance, 20.0 / 21.0, 1e-13);
    /* Axes under the sign rule (largest entry positive, the first on ties): exactly u1 and u2. */
    const double r = 1.0 / sqrt(2.0);
    CU_ASSERT_DOUBLE_EQUAL(m.components[0 * 2 + 0], r, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(m.components[1 * 2 + 0], r, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(m.components[2 * 2 + 0], 0.0, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(m.components[0 * 2 + 1], r, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(m.components[1 * 2 + 1], -r, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(m.components[2 * 2 + 1], 0.0, 1e-13);
    /* Residual spectrum {1/3}: Q = (1/3) (7/9 + c sqrt(2) / 3)^3, c = Phi^-1(0.999) = 3.090232306167813. */
    ASSERT_REL(m.threshold, 3.719081667801219, 1e-12);

    /* SPE with k = 2: only the e3 part of y = x - c is residual. x = c + (2, 0, 3) -> 9. */
    double y[3];
    int top[4];
    const int64_t x[3] = {7, 5, 8};
    lad_transform_apply(&t, x, y);
    CU_ASSERT_DOUBLE_EQUAL(lad_pca_score(&m, y, top, 4), 9.0, 1e-12);
    CU_ASSERT_EQUAL(top[0], 2);
    CU_ASSERT_EQUAL(top[3], -1); /* more contributors asked for than features */
    lad_pca_free(&m);
    lad_transform_free(&t);
}

static void test_k_selection_and_spe(void)
{
    struct lad_transform t = {0};
    struct lad_pca_model m = {0};
    /* 0.85 is reached by the first component alone (6/7 = 0.857). */
    struct lad_pca_options opt = {.variance = 0.85, .k = 0, .alpha = 0.001};
    CU_ASSERT_EQUAL_FATAL(fit6(LAD_TF_CENTER, &opt, &t, &m), LAD_OK);
    CU_ASSERT_EQUAL(m.k, 1);
    ASSERT_REL(m.variance, 6.0 / 7.0, 1e-13);
    /* Residual {2/3, 1/3}: theta = (1, 5/9, 1/3), h0 = 1 - (2/3) / (75/81) = 0.28,
     * Q = [c 0.28 sqrt(10/9) + 1 + (5/9) 0.28 (-0.72)]^(1/0.28) = 8.161074725435586. */
    ASSERT_REL(m.threshold, 8.161074725435586, 1e-12);

    /* x = c + (2, 0, 3): y = (2, 0, 3) = u1 sqrt 2 + residual (1, -1, 3): SPE 11, squares (1, 1, 9). */
    double y[3];
    int top[3];
    const int64_t x1[3] = {7, 5, 8};
    lad_transform_apply(&t, x1, y);
    CU_ASSERT_DOUBLE_EQUAL(lad_pca_score(&m, y, top, 3), 11.0, 1e-12);
    CU_ASSERT_EQUAL(top[0], 2);
    CU_ASSERT_EQUAL(top[1], 0); /* tie between 0 and 1: lower index first */
    CU_ASSERT_EQUAL(top[2], 1);
    /* A point on the normal axis u1 has no residual. */
    const int64_t x2[3] = {7, 7, 5};
    lad_transform_apply(&t, x2, y);
    CU_ASSERT_DOUBLE_EQUAL(lad_pca_score(&m, y, NULL, 0), 0.0, 1e-12);
    lad_pca_free(&m);

    /* An explicit k overrides the variance; k = n leaves no residual variance, so the threshold is only
     * the round-off floor (of order n eps lambda_max), which a point on the normal axes stays below. */
    opt.k = 3;
    lad_transform_free(&t);
    CU_ASSERT_EQUAL_FATAL(fit6(LAD_TF_CENTER, &opt, &t, &m), LAD_OK);
    CU_ASSERT_EQUAL(m.k, 3);
    CU_ASSERT_TRUE(m.threshold > 0.0 && m.threshold < 1e-12);
    lad_transform_apply(&t, x1, y);
    CU_ASSERT_TRUE(lad_pca_score(&m, y, NULL, 0) < m.threshold);
    ASSERT_REL(m.variance, 1.0, 1e-15);
    lad_pca_free(&m);
    lad_transform_free(&t);

    /* k beyond the number of events is a usage error. */
    opt.k = 4;
    CU_ASSERT_EQUAL(fit6(LAD_TF_CENTER, &opt, &t, &m), LAD_ERR_USAGE);
    lad_ctx_clear_error(&lad_test_ctx);
    lad_transform_free(&t);
}

static void test_tfidf_scaling(void)
{
    /* Two events: column 0 is {1, 3, 1, 3} (mean 2, variance 1, df 4 -> idf 1), column 1 is {0, 0, 2, 2}
     * (mean 1, variance 1, df 2 -> idf w = ln(5/3) + 1), uncorrelated. The transformed covariance is
     * diag(1, w^2): eigenvalues w^2 along e2 and 1 along e1. */
    static const int64_t rows[4][2] = {{1, 0}, {3, 0}, {1, 2}, {3, 2}};
    struct lad_features f;
    struct lad_transform t = {0};
    struct lad_pca_model m = {0};
    struct lad_pca_options opt = {.variance = 0.5, .k = 0, .alpha = 0.01};
    make_features(&f, 4, 2, &rows[0][0]);
    CU_ASSERT_EQUAL_FATAL(lad_transform_fit(&lad_test_ctx, &f, NULL, LAD_TF_TFIDF | LAD_TF_CENTER, &t), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_pca_fit(&lad_test_ctx, &f, NULL, &t, &opt, &m), LAD_OK);
    const double w = log(5.0 / 3.0) + 1.0;
    ASSERT_REL(m.eigenvalues[0], w * w, 1e-13);
    ASSERT_REL(m.eigenvalues[1], 1.0, 1e-13);
    CU_ASSERT_EQUAL(m.k, 1); /* w^2 / (w^2 + 1) = 0.695 >= 0.5 */
    CU_ASSERT_DOUBLE_EQUAL(fabs(m.components[1]), 1.0, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(m.components[0], 0.0, 1e-13);
    /* Single residual eigenvalue 1, alpha 0.01: (7/9 + c sqrt(2) / 3)^3, c = 2.3263478740408408. */
    const double c = 2.3263478740408408, base = 7.0 / 9.0 + c * sqrt(2.0) / 3.0;
    ASSERT_REL(m.threshold, base * base * base, 1e-12);
    lad_pca_free(&m);
    lad_transform_free(&t);
    lad_features_free(&f);
}

static void test_uncentered_transform(void)
{
    /* Without centering the model's "covariance" is the second moment (1/N) Y^T Y of the rows as
     * scored: for the two points (1, 0) and (0, 2) that is diag(1/2, 2). */
    static const int64_t rows[2][2] = {{1, 0}, {0, 2}};
    struct lad_features f;
    struct lad_transform t = {0};
    struct lad_pca_model m = {0};
    struct lad_pca_options opt = {.variance = 0.95, .k = 1, .alpha = 0.01};
    make_features(&f, 2, 2, &rows[0][0]);
    CU_ASSERT_EQUAL_FATAL(lad_transform_fit(&lad_test_ctx, &f, NULL, 0, &t), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_pca_fit(&lad_test_ctx, &f, NULL, &t, &opt, &m), LAD_OK);
    ASSERT_REL(m.eigenvalues[0], 2.0, 1e-14);
    ASSERT_REL(m.eigenvalues[1], 0.5, 1e-14);
    double y[2];
    const int64_t x[2] = {3, 4};
    lad_transform_apply(&t, x, y);
    CU_ASSERT_DOUBLE_EQUAL(lad_pca_score(&m, y, NULL, 0), 9.0, 1e-12); /* residual along e1 */
    lad_pca_free(&m);
    lad_transform_free(&t);
    lad_features_free(&f);
}

static CU_TestInfo tests[] = {
    {"known eigenpairs, axes and threshold", test_known_eigenpairs},
    {"k from variance or given; SPE and contributors", test_k_selection_and_spe},
    {"tf-idf scales the covariance", test_tfidf_scaling},
    {"uncentered transform: second moment", test_uncentered_transform},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"pca", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
