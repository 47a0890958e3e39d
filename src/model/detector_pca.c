/*
 * detector_pca.c - the PCA detector's operations (lad_detector.h): training with refits, its part of a
 * model file (/pca), its part of the UNKNOWN column, and scoring one row with its explanation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_options.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_model_file.h"
#include "lad_pca.h"
#include "lad_schema.h"
#include "lad_top.h"
#include "lad_transform.h"
#include "model_internal.h"

/*
 * PCA is unsupervised, so the training blocks include anomalies; they add variance to the residual
 * subspace and raise the Q threshold. Each refit drops the training blocks the previous fit flagged and
 * fits transform and subspace again on the rest, as Phase I of statistical process control recomputes
 * its control limits without the out-of-control samples. Unsupervised: label and use are not read.
 */
static enum lad_status fit(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *label,
                         const uint8_t *use, unsigned flags, const struct lad_detector_settings *s,
                         struct lad_model *m)
{
    (void)label;
    (void)use;
    const struct lad_pca_options *po = &s->pca;
    enum lad_status st = lad_transform_fit(ctx, f, NULL, flags, &m->transform);
    if (st == LAD_OK)
        st = lad_pca_fit(ctx, f, NULL, &m->transform, po, &m->pca);
    uint8_t *kept_rows = NULL; /* the rows the previous fit does not flag */
    double *y = NULL;
    if (st == LAD_OK && s->pca_refit > 0) {
        kept_rows = lad_malloc_array((size_t)f->n_local, sizeof *kept_rows);
        y = lad_malloc_array((size_t)f->n_events, sizeof *y);
        st = lad_status_agree(ctx, kept_rows && y ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    }
    for (int pass = 0; st == LAD_OK && pass < s->pca_refit; pass++) {
        double limit = lad_pca_decision_threshold(&m->pca);
        int64_t kept[2] = {0, f->n_local}, total[2];
        for (int64_t g = 0; g < f->n_groups; g++) { /* a group's first row decides for the group */
            const int64_t r = f->group_first[g];
            lad_transform_apply_row(&m->transform, lad_features_row(f, r), y);
            kept_rows[r] = lad_pca_score(&m->pca, y, NULL, 0) <= limit;
        }
        for (int64_t r = 0; r < f->n_local; r++) {
            kept_rows[r] = kept_rows[f->group_first[f->group_of[r]]];
            kept[0] += kept_rows[r];
        }
        MPI_Allreduce(kept, total, 2, MPI_INT64_T, MPI_SUM, ctx->comm);
        if (total[0] == total[1] || total[0] == 0)
            break; /* nothing to drop, or nothing left */
        lad_log(ctx, LAD_LOG_INFO, "pca: refit %d without the %lld training blocks the last fit flags", pass + 1,
                (long long)(total[1] - total[0]));
        lad_transform_free(&m->transform);
        lad_pca_free(&m->pca);
        st = lad_transform_fit(ctx, f, kept_rows, flags, &m->transform);
        if (st == LAD_OK)
            st = lad_pca_fit(ctx, f, kept_rows, &m->transform, po, &m->pca);
    }
    free(kept_rows);
    free(y);
    if (st == LAD_OK)
        lad_log(ctx, LAD_LOG_INFO, "pca: k = %d of %d components (%.4f of the variance), Q threshold %.6g (alpha %g)",
                m->pca.k, m->pca.n, m->pca.variance, m->pca.threshold, m->pca.alpha);
    return st;
}

static void describe(const struct lad_detector_settings *s, const char *transform_spec, char *buf, size_t cap)
{
    snprintf(buf, cap, "transform=%s pca_variance=%g pca_k=%d pca_alpha=%g pca_refit=%d", transform_spec,
             s->pca.variance, s->pca.k, s->pca.alpha, s->pca_refit);
}

static enum lad_status check(struct lad_ctx *ctx, const struct lad_model *m)
{
    const int e = m->events.n;
    if (m->pca.n != e || m->pca.k < 1 || m->pca.k > e)
        return lad_fail(ctx, LAD_ERR_MODEL, "PCA model of %d features, k = %d, for %d events", m->pca.n, m->pca.k, e);
    return LAD_OK;
}

static enum lad_status write_part(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_model *m)
{
    const struct lad_pca_model *p = &m->pca;
    const int e = m->events.n;
    enum lad_status st =
        lad_h5_write_small(ctx, h, lad_schema[LAD_PCA_H5_EIGENVALUES].path, H5T_NATIVE_DOUBLE, e, 0, p->eigenvalues);
    if (st == LAD_OK)
        st = lad_h5_write_small(ctx, h, lad_schema[LAD_PCA_H5_COMPONENTS].path, H5T_NATIVE_DOUBLE, e, p->k,
                                p->components);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_PCA_H5_K, p->k);
    if (st == LAD_OK) st = lad_schema_put_f64(ctx, h, LAD_PCA_H5_ALPHA, p->alpha);
    if (st == LAD_OK) st = lad_schema_put_f64(ctx, h, LAD_PCA_H5_VARIANCE, p->variance);
    if (st == LAD_OK) st = lad_schema_put_f64(ctx, h, LAD_PCA_H5_THRESHOLD, p->threshold);
    return st;
}

/* k is read first: it fixes the size of the components, checked before they are allocated. */
static enum lad_status read_part(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_model *m)
{
    const int64_t e = m->events.n;
    int64_t k = 0;
    enum lad_status st = lad_schema_get_i64(ctx, h, LAD_PCA_H5_K, &k);
    if (st == LAD_OK && (k < 1 || k > e))
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s: PCA k = %lld is outside 1..%lld", h->path, (long long)k, (long long)e);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) st = lad__model_check_dims(ctx, h, LAD_PCA_H5_EIGENVALUES, e, 0);
    if (st == LAD_OK) st = lad__model_check_dims(ctx, h, LAD_PCA_H5_COMPONENTS, e, k);
    if (st == LAD_OK) st = lad_status_agree(ctx, lad_pca_alloc(ctx, &m->pca, (int)e, (int)k));
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, lad_schema[LAD_PCA_H5_EIGENVALUES].path, H5T_NATIVE_DOUBLE, e, 0,
                               m->pca.eigenvalues);
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, lad_schema[LAD_PCA_H5_COMPONENTS].path, H5T_NATIVE_DOUBLE, e, k,
                               m->pca.components);
    if (st == LAD_OK) st = lad_schema_get_f64(ctx, h, LAD_PCA_H5_ALPHA, &m->pca.alpha);
    if (st == LAD_OK) st = lad_schema_get_f64(ctx, h, LAD_PCA_H5_VARIANCE, &m->pca.variance);
    if (st == LAD_OK) st = lad_schema_get_f64(ctx, h, LAD_PCA_H5_THRESHOLD, &m->pca.threshold);
    return st;
}

static enum lad_status check_values(struct lad_ctx *ctx, const char *path, const struct lad_model *m)
{
    const struct lad_pca_model *p = &m->pca;
    const int64_t e = m->events.n;
    enum lad_status st = lad__model_check_finite(ctx, path, LAD_PCA_H5_EIGENVALUES, p->eigenvalues, e);
    if (st == LAD_OK) st = lad__model_check_finite(ctx, path, LAD_PCA_H5_COMPONENTS, p->components, e * p->k);
    if (st == LAD_OK) st = lad__model_check_range(ctx, path, LAD_PCA_H5_ALPHA, p->alpha, 1e-300, 0.5);
    if (st == LAD_OK) st = lad__model_check_range(ctx, path, LAD_PCA_H5_VARIANCE, p->variance, 0.0, 1.0 + 1e-9);
    if (st == LAD_OK) st = lad__model_check_range(ctx, path, LAD_PCA_H5_THRESHOLD, p->threshold, 0.0, HUGE_VAL);
    return st;
}

/* Eigenvalue 0 and a zero row of the components (why: lad_model_unknown.h). */
static enum lad_status add_unknown(struct lad_ctx *ctx, struct lad_model *m)
{
    struct lad_pca_model *p = &m->pca;
    const int n = m->events.n - 1;
    /* eigenvalue 0 where it belongs in the descending list, never among the k kept */
    int at = p->k;
    while (at < n && p->eigenvalues[at] >= 0.0)
        at++;
    bool ok = lad__model_insert_double(&p->eigenvalues, n, at, 0.0);
    double *c = ok ? lad_realloc_array(p->components, (size_t)(n + 1) * (size_t)p->k, sizeof *c) : NULL;
    if (c == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, LAD__UNKNOWN_NOMEM);
    memset(c + (size_t)n * (size_t)p->k, 0, (size_t)p->k * sizeof *c); /* row n: the unknown event */
    p->components = c;
    p->n = n + 1;
    return LAD_OK;
}

static double decision_threshold(const struct lad_model *m)
{
    return lad_pca_decision_threshold(&m->pca);
}

/*
 * A count that the normal subspace predicts for event j: the transformed value yhat_j mapped back
 * through the transform (undo the IDF weight, then the centering, then the log).
 */
static double expected_count(const struct lad_transform *t, int j, double yhat)
{
    if (!(t->weight[j] != 0.0))
        return NAN;
    double phi = yhat / t->weight[j] + t->mean[j];
    return (t->flags & LAD_TF_LOG) ? expm1(phi) : phi;
}

/* The SPE; the events with the largest squared residuals r_j^2, each with the count of the row's
 * projection onto the normal subspace (y_j - r_j mapped back through the transform). */
static double score_row(const struct lad_model *m, const double *y, double *buf, int n_top, int *top,
                        double *contribution, double *expected)
{
    const int n = m->events.n;
    double s = lad_pca_residual(&m->pca, y, buf);
    if (isnan(s))
        for (int j = 0; j < n; j++)
            buf[j] = 0.0; /* out of memory for k > 512: no score, nothing named */
    lad_top_positive(buf, buf, n, top, n_top);
    for (int t = 0; t < n_top; t++) {
        int j = top[t];
        contribution[t] = j >= 0 ? buf[j] * buf[j] : NAN;
        expected[t] = j >= 0 ? expected_count(&m->transform, j, y[j] - buf[j]) : NAN;
    }
    return s;
}

const struct lad_detector lad__detector_pca = {
    .type = LAD_MODEL_TYPE_PCA,
    .name = LAD_MODEL_NAME_PCA,
    .default_transform = LAD_PCA_DEFAULT_TRANSFORM,
    .supervised = false,
    .score_axis = LAD_SCORE_AXIS_LOG10,
    .score_meaning = "squared prediction error (SPE)",
    .contribution_meaning = "squared residual r_j^2",
    .expected_meaning = "expected count",
    .fit = fit,
    .describe = describe,
    .check = check,
    .write = write_part,
    .read = read_part,
    .check_values = check_values,
    .add_unknown = add_unknown,
    .threshold = decision_threshold,
    .score_row = score_row,
};
