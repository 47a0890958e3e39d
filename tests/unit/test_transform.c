/*
 * test_transform.c - spec parsing, and the fitted idf/mean of a small matrix whose document
 * frequencies and column sums are counted by hand. Runs at any rank count (rows are spread in the
 * row-block layout), though ctest runs it on one.
 */
#include <math.h>
#include <string.h>

#include "lad_features.h"
#include "lad_transform.h"
#include "lad_test.h"

#define ROWS 4
#define COLS 3
/* df = {3, 1, 3}; column sums {6, 1, 6}. */
static const int64_t matrix[ROWS][COLS] = {{1, 0, 2}, {0, 0, 3}, {4, 0, 0}, {1, 1, 1}};

static void make_features(struct lad_features *f)
{
    memset(f, 0, sizeof *f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, f, ROWS, COLS), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(&lad_test_ctx, f, matrix[f->row_begin]), LAD_OK);
}

static void test_parse_and_format(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    unsigned flags = 99;
    char buf[64];
    CU_ASSERT_EQUAL(lad_transform_parse(ctx, "tfidf,center", &flags), LAD_OK);
    CU_ASSERT_EQUAL(flags, LAD_TF_TFIDF | LAD_TF_CENTER);
    CU_ASSERT_EQUAL(lad_transform_parse(ctx, "log,center,tfidf", &flags), LAD_OK);
    CU_ASSERT_EQUAL(flags, LAD_TF_TFIDF | LAD_TF_CENTER | LAD_TF_LOG);
    CU_ASSERT_EQUAL(lad_transform_parse(ctx, "none", &flags), LAD_OK);
    CU_ASSERT_EQUAL(flags, 0);
    lad_transform_format(LAD_TF_CENTER | LAD_TF_TFIDF, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "tfidf,center");
    lad_transform_format(0, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "none");
    lad_transform_format(LAD_TF_LOG, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "log");
    /* Bad specs are usage errors naming the bad item. */
    CU_ASSERT_EQUAL(lad_transform_parse(ctx, "tfidf,bogus", &flags), LAD_ERR_USAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(ctx->err_msg, "bogus"));
    lad_ctx_clear_error(ctx);
    CU_ASSERT_EQUAL(lad_transform_parse(ctx, "", &flags), LAD_ERR_USAGE);
    CU_ASSERT_EQUAL(lad_transform_parse(ctx, "tfidf,", &flags), LAD_ERR_USAGE);
    lad_ctx_clear_error(ctx);
}

static void test_fit_tfidf_center(void)
{
    struct lad_features f;
    struct lad_transform t = {0};
    make_features(&f);
    CU_ASSERT_EQUAL_FATAL(lad_transform_fit(&lad_test_ctx, &f, NULL, LAD_TF_TFIDF | LAD_TF_CENTER, &t), LAD_OK);
    CU_ASSERT_EQUAL(t.n, COLS);
    CU_ASSERT_EQUAL(t.n_train, ROWS);
    CU_ASSERT_EQUAL(t.df[0], 3);
    CU_ASSERT_EQUAL(t.df[1], 1);
    CU_ASSERT_EQUAL(t.df[2], 3);
    /* smoothed idf ln((1 + 4) / (1 + df)) + 1 */
    CU_ASSERT_DOUBLE_EQUAL(t.weight[0], log(5.0 / 4.0) + 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(t.weight[1], log(5.0 / 2.0) + 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(t.weight[2], log(5.0 / 4.0) + 1.0, 1e-15);
    CU_ASSERT_EQUAL(t.mean[0], 1.5);
    CU_ASSERT_EQUAL(t.mean[1], 0.25);
    CU_ASSERT_EQUAL(t.mean[2], 1.5);
    /* y = (x - mean) .* weight for row {1, 1, 1} */
    double y[COLS];
    lad_transform_apply(&t, matrix[3], y);
    CU_ASSERT_DOUBLE_EQUAL(y[0], -0.5 * (log(1.25) + 1.0), 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(y[1], 0.75 * (log(2.5) + 1.0), 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(y[2], -0.5 * (log(1.25) + 1.0), 1e-15);
    lad_transform_free(&t);
    lad_features_free(&f);
}

static void test_fit_selected_rows_and_log(void)
{
    struct lad_features f;
    struct lad_transform t = {0};
    make_features(&f);
    /* Rows 0, 1 and 3 only: df = {2, 1, 3}, N = 3. */
    uint8_t use_all[ROWS] = {1, 1, 0, 1};
    CU_ASSERT_EQUAL_FATAL(lad_transform_fit(&lad_test_ctx, &f, use_all + f.row_begin, LAD_TF_TFIDF, &t), LAD_OK);
    CU_ASSERT_EQUAL(t.n_train, 3);
    CU_ASSERT_EQUAL(t.df[0], 2);
    CU_ASSERT_DOUBLE_EQUAL(t.weight[0], log(4.0 / 3.0) + 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(t.weight[1], log(4.0 / 2.0) + 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(t.weight[2], 1.0, 1e-15); /* in every row: ln(4/4) + 1 */
    CU_ASSERT_EQUAL(t.mean[0], 0.0);                 /* not centered */
    lad_transform_free(&t);

    /* log1p, centered, all rows: mean_0 = (ln 2 + 0 + ln 5 + ln 2) / 4, mean_2 = (ln 3 + ln 4 + 0 + ln 2) / 4. */
    CU_ASSERT_EQUAL_FATAL(lad_transform_fit(&lad_test_ctx, &f, NULL, LAD_TF_LOG | LAD_TF_CENTER, &t), LAD_OK);
    CU_ASSERT_DOUBLE_EQUAL(t.mean[0], (2.0 * log(2.0) + log(5.0)) / 4.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(t.mean[1], log(2.0) / 4.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(t.mean[2], (log(3.0) + log(4.0) + log(2.0)) / 4.0, 1e-15);
    CU_ASSERT_EQUAL(t.weight[1], 1.0);
    double y[COLS];
    lad_transform_apply(&t, matrix[2], y); /* {4, 0, 0} */
    CU_ASSERT_DOUBLE_EQUAL(y[0], log(5.0) - t.mean[0], 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(y[1], -t.mean[1], 1e-15);
    lad_transform_free(&t);
    lad_features_free(&f);
}

static void test_fit_no_rows(void)
{
    struct lad_features f;
    struct lad_transform t = {0};
    make_features(&f);
    uint8_t none[ROWS] = {0, 0, 0, 0};
    CU_ASSERT_EQUAL(lad_transform_fit(&lad_test_ctx, &f, none + f.row_begin, LAD_TF_TFIDF, &t), LAD_ERR_INPUT);
    CU_ASSERT_PTR_NULL(t.weight);
    lad_ctx_clear_error(&lad_test_ctx);
    lad_transform_free(&t);
    lad_features_free(&f);
}

static CU_TestInfo tests[] = {
    {"parse and format specs", test_parse_and_format},
    {"tfidf + center: df, idf, mean, apply", test_fit_tfidf_center},
    {"selected rows; log1p mean", test_fit_selected_rows_and_log},
    {"no selected rows is an input error", test_fit_no_rows},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"transform", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
