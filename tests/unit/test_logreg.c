/*
 * test_logreg.c - logistic regression against optima known in closed form, and optimality conditions
 * (zero gradient, label-flip symmetry) recomputed here, independently of the solver.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_features.h"
#include "lad_logreg.h"
#include "lad_transform.h"
#include "lad_test.h"


static void make_features(struct lad_features *f, int64_t n_rows, int n_cols, const int64_t *table)
{
    memset(f, 0, sizeof *f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, f, n_rows, n_cols), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(&lad_test_ctx, f, table + f->row_begin * n_cols), LAD_OK);
}

/* Transform (raw counts unless flags say otherwise) + fit; labels indexed by global row. */
static enum lad_status fit(int64_t n_rows, int n_cols, const int64_t *table, const int8_t *labels, unsigned flags,
                           const struct lad_logreg_options *opt, struct lad_logreg_model *m)
{
    struct lad_features f;
    struct lad_transform t = {0};
    make_features(&f, n_rows, n_cols, table);
    enum lad_status st = lad_transform_fit(&lad_test_ctx, &f, NULL, flags, &t);
    if (st == LAD_OK)
        st = lad_logreg_fit(&lad_test_ctx, &f, labels + f.row_begin, &t, opt, m);
    lad_transform_free(&t);
    lad_features_free(&f);
    return st;
}

/* One binary feature: x = 0 in rows 0-2 (labels 1, 0, 0), x = 1 in rows 3-6 (labels 1, 1, 1, 0); rows 7
 * and 8 are unlabelled (-1 and 7) with wild counts that must be ignored. */
static const int64_t binary_x[9] = {0, 0, 0, 1, 1, 1, 1, 50, 80};
static const int8_t binary_y[9] = {1, 0, 0, 1, 1, 1, 0, -1, 7};

static void test_closed_form_unregularized(void)
{
    /* With lambda = 0 the fit reproduces each group's rate: sigma(b) = 1/3, sigma(w + b) = 3/4, so
     * b = logit(1/3) = -ln 2 and w = logit(3/4) - logit(1/3) = ln 3 + ln 2 = ln 6. */
    struct lad_logreg_model m = {0};
    struct lad_logreg_options opt = {.lambda = 0.0, .balanced = false, .threshold = 0.5, .max_iter = 50};
    CU_ASSERT_EQUAL_FATAL(fit(9, 1, binary_x, binary_y, 0, &opt, &m), LAD_OK);
    CU_ASSERT_TRUE(m.converged);
    CU_ASSERT_DOUBLE_EQUAL(m.bias, -log(2.0), 1e-10);
    CU_ASSERT_DOUBLE_EQUAL(m.w[0], log(6.0), 1e-10);
    CU_ASSERT_EQUAL(m.threshold, 0.5);
    lad_logreg_free(&m);

    /* Balanced weights c1 = 7/8, c0 = 7/6: weighted rates 3/11 and 9/13, so b = logit(3/11) = ln(3/8)
     * and w = logit(9/13) - ln(3/8) = ln(9/4) - ln(3/8) = ln 6 (class weights only move the bias). */
    opt.balanced = true;
    CU_ASSERT_EQUAL_FATAL(fit(9, 1, binary_x, binary_y, 0, &opt, &m), LAD_OK);
    CU_ASSERT_TRUE(m.balanced);
    CU_ASSERT_DOUBLE_EQUAL(m.bias, log(3.0 / 8.0), 1e-10);
    CU_ASSERT_DOUBLE_EQUAL(m.w[0], log(6.0), 1e-10);
    lad_logreg_free(&m);
}

/* Twelve rows of three events, not separable. */
static const int64_t noisy_x[12][3] = {{0, 1, 2}, {1, 0, 3}, {2, 2, 0}, {0, 3, 1}, {4, 1, 0}, {3, 0, 0},
                                       {1, 1, 1}, {0, 0, 4}, {5, 2, 1}, {2, 3, 3}, {0, 2, 0}, {3, 3, 2}};
static const int8_t noisy_y[12] = {0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1};

/* The gradient of the objective at the fitted model, recomputed from its definition:
 * g_w = (1/N) sum (p_i - y_i) x_i + lambda w, g_b = (1/N) sum (p_i - y_i). Returns max |g|. */
static double gradient_norm(const struct lad_logreg_model *m, int n_rows, int n_cols, const int64_t *x,
                            const int8_t *y, bool flip)
{
    double g[4] = {0, 0, 0, 0};
    for (int i = 0; i < n_rows; i++) {
        double z = m->bias;
        for (int j = 0; j < n_cols; j++)
            z += m->w[j] * (double)x[i * n_cols + j];
        double r = 1.0 / (1.0 + exp(-z)) - (flip ? 1 - y[i] : y[i]);
        for (int j = 0; j < n_cols; j++)
            g[j] += r * (double)x[i * n_cols + j] / n_rows;
        g[n_cols] += r / n_rows;
    }
    double worst = 0.0;
    for (int j = 0; j <= n_cols; j++) {
        double gj = g[j] + (j < n_cols ? m->lambda * m->w[j] : 0.0);
        worst = fmax(worst, fabs(gj));
    }
    return worst;
}

static void test_regularized_optimality_and_symmetry(void)
{
    struct lad_logreg_model m = {0}, mf = {0};
    struct lad_logreg_options opt = {.lambda = 0.1, .balanced = false, .threshold = 0.5, .max_iter = 50};
    CU_ASSERT_EQUAL_FATAL(fit(12, 3, &noisy_x[0][0], noisy_y, 0, &opt, &m), LAD_OK);
    CU_ASSERT_TRUE(m.converged);
    CU_ASSERT_TRUE(m.iterations >= 1 && m.iterations <= 20);
    CU_ASSERT_TRUE(gradient_norm(&m, 12, 3, &noisy_x[0][0], noisy_y, false) < 1e-12);

    /* Flipping every label: the loss satisfies l(z, y) = l(-z, 1 - y) and the penalty is even, so the
     * optimum is exactly (-w, -b). */
    int8_t flipped[12];
    for (int i = 0; i < 12; i++)
        flipped[i] = (int8_t)(1 - noisy_y[i]);
    CU_ASSERT_EQUAL_FATAL(fit(12, 3, &noisy_x[0][0], flipped, 0, &opt, &mf), LAD_OK);
    CU_ASSERT_DOUBLE_EQUAL(mf.bias, -m.bias, 1e-10);
    for (int j = 0; j < 3; j++)
        CU_ASSERT_DOUBLE_EQUAL(mf.w[j], -m.w[j], 1e-10);
    CU_ASSERT_TRUE(gradient_norm(&mf, 12, 3, &noisy_x[0][0], noisy_y, true) < 1e-12);
    lad_logreg_free(&m);
    lad_logreg_free(&mf);
}

static void test_separable(void)
{
    /* Counts 0-2 are normal, 5-7 anomalous: separable. With lambda > 0 the optimum is finite, Newton
     * converges, the gradient vanishes and every row is classified right. */
    static const int64_t x[6] = {0, 1, 2, 5, 6, 7};
    static const int8_t y[6] = {0, 0, 0, 1, 1, 1};
    struct lad_logreg_model m = {0};
    struct lad_logreg_options opt = {.lambda = 1e-2, .balanced = false, .threshold = 0.5, .max_iter = 50};
    CU_ASSERT_EQUAL_FATAL(fit(6, 1, x, y, 0, &opt, &m), LAD_OK);
    CU_ASSERT_TRUE(m.converged);
    CU_ASSERT_TRUE(gradient_norm(&m, 6, 1, x, y, false) < 1e-12);
    for (int i = 0; i < 6; i++) {
        double v = (double)x[i];
        CU_ASSERT_EQUAL(lad_logreg_score(&m, &v, NULL, 0) > 0.5, y[i] == 1);
    }
    /* The decision boundary sits midway by symmetry of the data: w * 3.5 + b = 0. */
    CU_ASSERT_DOUBLE_EQUAL(m.w[0] * 3.5 + m.bias, 0.0, 1e-10);
    lad_logreg_free(&m);

    /* With lambda = 0 there is no optimum (the loss falls by about e per step towards 0): after 30 steps
     * the fit stops, unconverged, without failing, and still separates the rows. */
    opt.lambda = 0.0;
    opt.max_iter = 30;
    lad_test_ctx.log_level = 0;
    CU_ASSERT_EQUAL_FATAL(fit(6, 1, x, y, 0, &opt, &m), LAD_OK);
    lad_test_ctx.log_level = 1;
    CU_ASSERT_FALSE(m.converged);
    CU_ASSERT_EQUAL(m.iterations, 30);
    CU_ASSERT_TRUE(isfinite(m.w[0]) && m.w[0] > 0);
    for (int i = 0; i < 6; i++) {
        double v = (double)x[i];
        CU_ASSERT_EQUAL(lad_logreg_score(&m, &v, NULL, 0) > 0.5, y[i] == 1);
    }
    lad_logreg_free(&m);
}

static void test_one_class_is_label_error(void)
{
    static const int8_t y[9] = {0, 0, 0, 0, 0, 0, 0, -1, -1};
    struct lad_logreg_model m = {0};
    struct lad_logreg_options opt = {.lambda = 1e-2, .threshold = 0.5, .max_iter = 50};
    CU_ASSERT_EQUAL(fit(9, 1, binary_x, y, 0, &opt, &m), LAD_ERR_LABELS);
    CU_ASSERT_PTR_NULL(m.w);
    lad_ctx_clear_error(&lad_test_ctx);
}

static void test_score_and_contributors(void)
{
    double w[3] = {1.0, -2.0, 0.5};
    struct lad_logreg_model m = {.n = 3, .w = w, .bias = 0.1};
    const double y[3] = {1.0, 1.0, 2.0};
    int top[4];
    /* z = 1 - 2 + 1 + 0.1 = 0.1; contributions {1, -2, 1}. */
    CU_ASSERT_DOUBLE_EQUAL(lad_logreg_score(&m, y, top, 4), 1.0 / (1.0 + exp(-0.1)), 1e-15);
    CU_ASSERT_EQUAL(top[0], 0);
    CU_ASSERT_EQUAL(top[1], 2);
    CU_ASSERT_EQUAL(top[2], 1);
    CU_ASSERT_EQUAL(top[3], -1);
    /* Extreme margins stay finite and in [0, 1]. */
    const double big[3] = {1e6, 0, 0}, small[3] = {-1e6, 0, 0};
    CU_ASSERT_EQUAL(lad_logreg_score(&m, big, NULL, 0), 1.0);
    CU_ASSERT_EQUAL(lad_logreg_score(&m, small, NULL, 0), 0.0);
}

/*
 * Rows of event counts from the real HDFS sessions of data/hdfs_v1_sessions (28 event keys): every
 * normal session `rep` times, every `div`-th anomalous one. Returns the rows.
 */
enum { SESSION_ROWS = 40000, SESSION_COLS = 28 };
static int session_rows(int div, int rep, int64_t *table, int8_t *labels)
{
    FILE *fp = fopen(LAD_SOURCE_DIR "/data/hdfs_v1_sessions/sessions_dev.tsv", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    static char line[1 << 16];
    int rows = 0, n_anomalous = 0;
    memset(table, 0, (size_t)SESSION_ROWS * SESSION_COLS * sizeof *table);
    while (rows + rep <= SESSION_ROWS && fgets(line, sizeof line, fp)) {
        char *p = strchr(line, '\t');
        const int8_t label = strncmp(line, "Anomaly", 7) == 0;
        if (p == NULL || (label && n_anomalous++ % div != 0))
            continue;
        for (char *end;; p = end) {
            long k = strtol(p, &end, 10);
            if (end == p)
                break;
            if (k >= 1 && k <= SESSION_COLS)
                table[rows * SESSION_COLS + k - 1]++;
        }
        labels[rows++] = label;
        for (int r = 1; !label && r < rep; r++, rows++) {
            memcpy(table + rows * SESSION_COLS, table + (rows - 1) * SESSION_COLS, SESSION_COLS * sizeof *table);
            labels[rows] = 0;
        }
    }
    fclose(fp);
    return rows;
}

/*
 * The line search's later trials take their loss from stored margins (z + t (z1 - z)) instead of a pass
 * over the rows. On real HDFS sessions at the real anomaly ratio, the fit must take the same iterates,
 * to the bit, as one that evaluates every trial from the rows, and must have saved passes doing so. So
 * must a fit that never converges (lambda 1e-7 on nearly separable rows: the search halves the step
 * down to 1e-12 hundreds of times, where F differences are round-off and only the fallback to the
 * rows keeps the decisions).
 */
static void test_line_search_reuse(void)
{
    static int64_t table[SESSION_ROWS * SESSION_COLS];
    static int8_t labels[SESSION_ROWS];
    const struct {
        int div, rep;
        double lambda;
        bool saves;
    } cases[] = {{50, 4, 1e-5, true}, {10, 1, 1e-7, false}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int rows = session_rows(cases[c].div, cases[c].rep, table, labels);
        struct lad_logreg_options opt = {.lambda = cases[c].lambda, .threshold = 0.5, .max_iter = 50};
        struct lad_logreg_model reuse = {0}, full = {0};
        CU_ASSERT_EQUAL_FATAL(fit(rows, SESSION_COLS, table, labels, LAD_TF_TFIDF, &opt, &reuse), LAD_OK);
        opt.full_line_search = true;
        CU_ASSERT_EQUAL_FATAL(fit(rows, SESSION_COLS, table, labels, LAD_TF_TFIDF, &opt, &full), LAD_OK);
        CU_ASSERT_EQUAL(reuse.converged, cases[c].saves);
        CU_ASSERT_EQUAL(reuse.iterations, full.iterations);
        CU_ASSERT_EQUAL(memcmp(reuse.w, full.w, SESSION_COLS * sizeof *reuse.w), 0);
        CU_ASSERT_EQUAL(memcmp(&reuse.bias, &full.bias, sizeof reuse.bias), 0);
        CU_ASSERT_EQUAL(reuse.trials, full.trials);
        /* full: a pass per derivatives and per trial; reuse: fewer, some trials from stored margins */
        CU_ASSERT_EQUAL(full.row_passes, full.iterations + full.trials);
        if (cases[c].saves)
            CU_ASSERT_TRUE(reuse.row_passes + 10 <= full.row_passes);
        lad_logreg_free(&reuse);
        lad_logreg_free(&full);
    }
}

static CU_TestInfo tests[] = {
    {"line search from stored margins: the same iterates", test_line_search_reuse},
    {"lambda 0: closed-form optimum, plain and balanced", test_closed_form_unregularized},
    {"lambda > 0: zero gradient, label-flip symmetry", test_regularized_optimality_and_symmetry},
    {"separable data converges with lambda > 0", test_separable},
    {"one class only is a label error", test_one_class_is_label_error},
    {"score and contributors", test_score_and_contributors},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"logreg", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
