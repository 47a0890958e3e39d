/*
 * test_top.c - ranking of score contributions: order, ties to the lower index, round-off tolerance,
 * fewer features than asked for, and the PCA and logistic-regression scores that use it.
 */
#include <math.h>
#include <string.h>

#include "lad_logreg.h"
#include "lad_pca.h"
#include "lad_test.h"
#include "lad_top.h"

static void test_top_orders_largest_first(void)
{
    const double key[] = {0.5, 3.0, -7.0, 2.0, 9.0, 0.0};
    int top[3];
    lad_top_indices(key, NULL, 6, top, 3);
    CU_ASSERT_EQUAL(top[0], 4);
    CU_ASSERT_EQUAL(top[1], 1);
    CU_ASSERT_EQUAL(top[2], 3);
}

static void test_top_exact_ties_go_to_lower_index(void)
{
    const double key[] = {1.0, 4.0, 2.0, 4.0, 4.0};
    int top[3];
    lad_top_indices(key, NULL, 5, top, 3);
    CU_ASSERT_EQUAL(top[0], 1);
    CU_ASSERT_EQUAL(top[1], 3);
    CU_ASSERT_EQUAL(top[2], 4);
}

/* Equal in exact arithmetic but off in the last bits, either way round: the same ranking. */
static void test_top_round_off_is_a_tie(void)
{
    const double up[] = {1.0, 4.0 * (1.0 + 1e-14), 4.0, 2.0};
    const double down[] = {1.0, 4.0, 4.0 * (1.0 + 1e-14), 2.0};
    int a[2], b[2];
    lad_top_indices(up, NULL, 4, a, 2);
    lad_top_indices(down, NULL, 4, b, 2);
    CU_ASSERT_EQUAL(a[0], 1);
    CU_ASSERT_EQUAL(a[1], 2);
    CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
    /* A difference far above round-off still counts. */
    const double clear[] = {1.0, 4.0, 4.0 * (1.0 + 1e-6), 2.0};
    lad_top_indices(clear, NULL, 4, a, 2);
    CU_ASSERT_EQUAL(a[0], 2);
    CU_ASSERT_EQUAL(a[1], 1);
}

static void test_top_fewer_features_than_asked(void)
{
    const double key[] = {-1.0, 5.0};
    int top[4] = {7, 7, 7, 7};
    lad_top_indices(key, NULL, 2, top, 4);
    CU_ASSERT_EQUAL(top[0], 1);
    CU_ASSERT_EQUAL(top[1], 0);
    CU_ASSERT_EQUAL(top[2], -1);
    CU_ASSERT_EQUAL(top[3], -1);
    lad_top_indices(key, NULL, 0, top, 2);
    CU_ASSERT_EQUAL(top[0], -1);
    CU_ASSERT_EQUAL(top[1], -1);
}

/* A PCA model of 4 features whose normal subspace is the one axis in components (4 x 1). */
static struct lad_pca_model one_axis_pca(double *components, double *eigenvalues)
{
    struct lad_pca_model m = {0};
    m.n = 4;
    m.k = 1;
    m.components = components;
    m.eigenvalues = eigenvalues;
    return m;
}

/* PCA with the normal subspace e0: residuals of y = (5, 1, 1 + 1e-15, 3) are y1..y3, so the top two are
 * feature 3 and then the lower of the two equal ones. */
static void test_top_in_pca_score(void)
{
    double components[4] = {1.0, 0.0, 0.0, 0.0}; /* 4 x 1, row-major */
    double eigenvalues[4] = {10.0, 1.0, 1.0, 1.0};
    struct lad_pca_model m = one_axis_pca(components, eigenvalues);
    const double y[] = {5.0, 1.0 + 1e-15, 1.0, 3.0};
    int top[3];
    double spe = lad_pca_score(&m, y, top, 3);
    CU_ASSERT_DOUBLE_EQUAL(spe, 11.0, 1e-12);
    CU_ASSERT_EQUAL(top[0], 3);
    CU_ASSERT_EQUAL(top[1], 1);
    CU_ASSERT_EQUAL(top[2], 2);
}

static void test_top_in_logreg_score(void)
{
    double w[] = {2.0, -1.0, 0.5, 2.0};
    struct lad_logreg_model m = {0};
    m.n = 4;
    m.w = w;
    m.bias = -1.0;
    const double y[] = {1.0, 3.0, 8.0, 1.0};
    int top[2];
    double p = lad_logreg_score(&m, y, top, 2);
    CU_ASSERT_DOUBLE_EQUAL(p, 1.0 / (1.0 + exp(-(-1.0 + 2.0 - 3.0 + 4.0 + 2.0))), 1e-15);
    CU_ASSERT_EQUAL(top[0], 2);
    CU_ASSERT_EQUAL(top[1], 0);
}

/* Only what raises the score: zero, negative and round-off-sized contributions are never named, and
 * the list ends early with -1. The weight -9e-15 of an event absent from training, times a count, is
 * such a contribution. */
static void test_top_positive_only(void)
{
    const double w[] = {2.0, -9e-15, 0.5, -1.0, 1e-12, 0.0};
    const double y[] = {1.0, 4.0, 0.0, 3.0, 1.0, 7.0};
    int top[4];
    lad_top_positive(w, y, 6, top, 4);
    CU_ASSERT_EQUAL(top[0], 0);
    CU_ASSERT_EQUAL(top[1], -1); /* 0.5 * 0 = 0, -9e-15 * 4 < 0, 1e-12 < 1e-9 * 3: none is named */
    CU_ASSERT_EQUAL(top[2], -1);
    CU_ASSERT_EQUAL(top[3], -1);
    const double c[] = {-5.0, 1.0, 3.0, 1.0};
    lad_top_positive(c, NULL, 4, top, 3);
    CU_ASSERT_EQUAL(top[0], 2);
    CU_ASSERT_EQUAL(top[1], 1); /* the tie goes to the lower index, as in lad_top_indices */
    CU_ASSERT_EQUAL(top[2], 3);
    const double none[] = {-1.0, 0.0, -0.0};
    lad_top_positive(none, NULL, 3, top, 2);
    CU_ASSERT_EQUAL(top[0], -1);
    CU_ASSERT_EQUAL(top[1], -1);
}

/* The residual lad_pca_residual returns: y minus its projection, squares summing to the SPE. */
static void test_pca_residual(void)
{
    double components[4] = {0.6, 0.8, 0.0, 0.0}; /* 4 x 1: the axis (0.6, 0.8, 0, 0) */
    double eigenvalues[4] = {10.0, 0.0, 0.0, 0.0};
    struct lad_pca_model m = one_axis_pca(components, eigenvalues);
    const double y[] = {3.0, 4.0, 2.0, -1.0}; /* P^T y = 5: the projection is (3, 4, 0, 0) */
    double r[4];
    double spe = lad_pca_residual(&m, y, r);
    CU_ASSERT_DOUBLE_EQUAL(r[0], 0.0, 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(r[1], 0.0, 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(r[2], 2.0, 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(r[3], -1.0, 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(spe, 5.0, 1e-13);
    CU_ASSERT_EQUAL(spe, lad_pca_score(&m, y, NULL, 0)); /* the score is this SPE, bit for bit */
}

static CU_TestInfo tests[] = {
    {"largest first", test_top_orders_largest_first},
    {"exact ties go to the lower index", test_top_exact_ties_go_to_lower_index},
    {"round-off differences are ties", test_top_round_off_is_a_tie},
    {"fewer features than asked for", test_top_fewer_features_than_asked},
    {"PCA names its largest residuals", test_top_in_pca_score},
    {"logistic regression names its largest w_j y_j", test_top_in_logreg_score},
    {"positive contributions only", test_top_positive_only},
    {"PCA residual and its SPE", test_pca_residual},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"top", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
