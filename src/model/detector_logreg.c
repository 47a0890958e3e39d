/*
 * detector_logreg.c - the logistic-regression detector's operations (lad_detector.h): training on the
 * labelled rows, its part of a model file (/logreg), its part of the UNKNOWN column, and scoring one
 * row with its explanation.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_options.h"
#include "lad_h5.h"
#include "lad_log.h"
#include "lad_logreg.h"
#include "lad_model_file.h"
#include "lad_schema.h"
#include "lad_top.h"
#include "lad_transform.h"
#include "model_internal.h"

/* The transform is fitted on the labelled rows the weights learn from, not on every row. */
static enum lad_status fit(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *label,
                         const uint8_t *use, unsigned flags, const struct lad_detector_settings *s,
                         struct lad_model *m)
{
    enum lad_status st = lad_transform_fit(ctx, f, use, flags, &m->transform);
    if (st == LAD_OK)
        st = lad_logreg_fit(ctx, f, label, &m->transform, &s->logreg, &m->logreg);
    if (st == LAD_OK)
        lad_log(ctx, LAD_LOG_INFO, "logreg: %d Newton steps%s, lambda %g, threshold %g", m->logreg.iterations,
                m->logreg.converged ? "" : " (did not converge)", m->logreg.lambda, m->logreg.threshold);
    return st;
}

/* The class weight as the command line spells it (--lr-class-weight none|balanced). */
static void describe(const struct lad_detector_settings *s, const char *transform_spec, char *buf, size_t cap)
{
    snprintf(buf, cap, "transform=%s lr_lambda=%g lr_class_weight=%s lr_threshold=%g lr_max_iter=%d", transform_spec,
             s->logreg.lambda, s->logreg.balanced ? "balanced" : "none", s->logreg.threshold, s->logreg.max_iter);
}

static enum lad_status check(struct lad_ctx *ctx, const struct lad_model *m)
{
    const int e = m->events.n;
    if (m->logreg.n != e)
        return lad_fail(ctx, LAD_ERR_MODEL, "logistic model of %d features for %d events", m->logreg.n, e);
    return LAD_OK;
}

static enum lad_status write_part(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_model *m)
{
    const struct lad_logreg_model *l = &m->logreg;
    enum lad_status st =
        lad_h5_write_small(ctx, h, lad_schema[LAD_LOGREG_H5_WEIGHTS].path, H5T_NATIVE_DOUBLE, m->events.n, 0, l->w);
    if (st == LAD_OK) st = lad_schema_put_f64(ctx, h, LAD_LOGREG_H5_BIAS, l->bias);
    if (st == LAD_OK) st = lad_schema_put_f64(ctx, h, LAD_LOGREG_H5_LAMBDA, l->lambda);
    if (st == LAD_OK) st = lad_schema_put_f64(ctx, h, LAD_LOGREG_H5_THRESHOLD, l->threshold);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_LOGREG_H5_BALANCED, l->balanced);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_LOGREG_H5_ITERATIONS, l->iterations);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_LOGREG_H5_CONVERGED, l->converged);
    return st;
}

/* The flags are stored as integers: anything but 0 or 1 (or iterations past an int) is damage. */
static enum lad_status read_part(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_model *m)
{
    const int64_t e = m->events.n;
    int64_t balanced = 0, iterations = 0, converged = 0;
    enum lad_status st = lad__model_check_dims(ctx, h, LAD_LOGREG_H5_WEIGHTS, e, 0);
    if (st == LAD_OK) st = lad_status_agree(ctx, lad_logreg_alloc(ctx, &m->logreg, (int)e));
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, lad_schema[LAD_LOGREG_H5_WEIGHTS].path, H5T_NATIVE_DOUBLE, e, 0, m->logreg.w);
    if (st == LAD_OK) st = lad_schema_get_f64(ctx, h, LAD_LOGREG_H5_BIAS, &m->logreg.bias);
    if (st == LAD_OK) st = lad_schema_get_f64(ctx, h, LAD_LOGREG_H5_LAMBDA, &m->logreg.lambda);
    if (st == LAD_OK) st = lad_schema_get_f64(ctx, h, LAD_LOGREG_H5_THRESHOLD, &m->logreg.threshold);
    if (st == LAD_OK) st = lad_schema_get_i64(ctx, h, LAD_LOGREG_H5_BALANCED, &balanced);
    if (st == LAD_OK) st = lad_schema_get_i64(ctx, h, LAD_LOGREG_H5_ITERATIONS, &iterations);
    if (st == LAD_OK) st = lad_schema_get_i64(ctx, h, LAD_LOGREG_H5_CONVERGED, &converged);
    if (st == LAD_OK && (balanced < 0 || balanced > 1 || converged < 0 || converged > 1 || iterations < 0 ||
                         iterations > INT32_MAX))
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s: logreg flags out of range (balanced %lld, converged %lld, iterations "
                      "%lld; damaged model file: %s)", h->path, (long long)balanced, (long long)converged,
                      (long long)iterations, LAD__MODEL_REMEDY);
    m->logreg.balanced = balanced != 0;
    m->logreg.iterations = st == LAD_OK ? (int)iterations : 0;
    m->logreg.converged = converged != 0;
    return st;
}

static enum lad_status check_values(struct lad_ctx *ctx, const char *path, const struct lad_model *m)
{
    const struct lad_logreg_model *l = &m->logreg;
    enum lad_status st = lad__model_check_finite(ctx, path, LAD_LOGREG_H5_WEIGHTS, l->w, m->events.n);
    if (st == LAD_OK) st = lad__model_check_finite(ctx, path, LAD_LOGREG_H5_BIAS, &l->bias, 1);
    if (st == LAD_OK) st = lad__model_check_range(ctx, path, LAD_LOGREG_H5_LAMBDA, l->lambda, 0.0, HUGE_VAL);
    if (st == LAD_OK)
        st = lad__model_check_range(ctx, path, LAD_LOGREG_H5_THRESHOLD, l->threshold, 1e-300, 1.0 - 1e-16);
    if (st == LAD_OK) st = lad__model_check_range(ctx, path, LAD_LOGREG_H5_ITERATIONS, l->iterations, 0.0, 1e9);
    return st;
}

/* The largest positive weight of the trained events, 0 if none (why: lad_model_unknown.h). */
static enum lad_status add_unknown(struct lad_ctx *ctx, struct lad_model *m)
{
    struct lad_logreg_model *l = &m->logreg;
    const int n = m->events.n - 1;
    double w = 0.0;
    for (int j = 0; j < n; j++)
        w = fmax(w, l->w[j]);
    if (!lad__model_insert_double(&l->w, n, n, w))
        return lad_fail(ctx, LAD_ERR_NOMEM, LAD__UNKNOWN_NOMEM);
    l->n = n + 1;
    return LAD_OK;
}

static double probability_threshold(const struct lad_model *m)
{
    return m->logreg.threshold;
}

/* P(anomaly); the events with the largest w_j y_j, which predict no count (expected NaN). */
static double score_row(const struct lad_model *m, const double *y, double *buf, int n_top, int *top,
                        double *contribution, double *expected)
{
    (void)buf;
    const int n = m->events.n;
    double s = lad_logreg_score(&m->logreg, y, NULL, 0);
    lad_top_positive(m->logreg.w, y, n, top, n_top);
    for (int t = 0; t < n_top; t++) {
        int j = top[t];
        contribution[t] = j >= 0 ? m->logreg.w[j] * y[j] : NAN;
        expected[t] = NAN;
    }
    return s;
}

const struct lad_detector lad__detector_logreg = {
    .type = LAD_MODEL_TYPE_LOGREG,
    .name = LAD_MODEL_NAME_LOGREG,
    .default_transform = LAD_LOGREG_DEFAULT_TRANSFORM,
    .supervised = true,
    .score_axis = LAD_SCORE_AXIS_LOGIT,
    .score_meaning = "probability of anomaly",
    .contribution_meaning = "w_j * y_j",
    .expected_meaning = NULL,
    .fit = fit,
    .describe = describe,
    .check = check,
    .write = write_part,
    .read = read_part,
    .check_values = check_values,
    .add_unknown = add_unknown,
    .threshold = probability_threshold,
    .score_row = score_row,
};
