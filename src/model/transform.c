/*
 * transform.c - TF-IDF weighting, centering and log scaling of count rows, fitted on training rows.
 *
 * Every statistic is reduced as integers, so a fitted transform is bit-identical for any rank count:
 * document frequencies and raw column sums are int64; with log scaling, each log1p(count) is first
 * rounded to a multiple of 2^-52 (a per-element rounding, independent of where the row lives) and
 * those fixed-point values are summed exactly in two int64 limbs.
 */
#include "lad_transform.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_mem.h"
#include "lad_schema.h"

/* log1p(x) for x < 2^63 is below 44, so x * 2^52 < 2^58 fits int64; split at 2^26 so that the sums of
 * up to 2^31 rows of either limb stay below 2^63. */
#define FIX_SCALE 4503599627370496.0 /* 2^52 */
#define FIX_SPLIT 26
#define MAX_FIXED_ROWS ((int64_t)1 << 31)

static const struct {
    const char *name;
    unsigned flag;
} tf_names[] = {{"tfidf", LAD_TF_TFIDF}, {"center", LAD_TF_CENTER}, {"log", LAD_TF_LOG}};
#define N_TF_NAMES (sizeof tf_names / sizeof tf_names[0])

/* Items are matched whole (no prefixes), so a typo such as "tfid" is an error rather than a silent no-op. */
enum lad_status lad_transform_parse(struct lad_ctx *ctx, const char *spec, unsigned *flags)
{
    *flags = 0;
    if (spec == NULL || strcmp(spec, "none") == 0)
        return LAD_OK;
    const char *p = spec;
    for (;;) {
        size_t len = strcspn(p, ",");
        size_t i = 0;
        while (i < N_TF_NAMES && !(strlen(tf_names[i].name) == len && strncmp(p, tf_names[i].name, len) == 0))
            i++;
        if (i == N_TF_NAMES)
            return lad_fail(ctx, LAD_ERR_USAGE, "--transform: unknown item '%.*s' in '%s' (use tfidf, center, log or none)",
                            (int)len, p, spec);
        *flags |= tf_names[i].flag;
        if (p[len] == '\0')
            return LAD_OK;
        p += len + 1;
    }
}

/* One canonical order (tfidf, center, log), so equal transforms print, and are stored, alike. */
void lad_transform_format(unsigned flags, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < N_TF_NAMES; i++) {
        if (!(flags & tf_names[i].flag))
            continue;
        int w = snprintf(buf + used, cap - used, "%s%s", used ? "," : "", tf_names[i].name);
        if (w < 0 || (size_t)w >= cap - used)
            return;
        used += (size_t)w;
    }
    if (used == 0)
        snprintf(buf, cap, "none");
}

enum lad_status lad_transform_alloc(struct lad_ctx *ctx, struct lad_transform *t, int n)
{
    memset(t, 0, sizeof *t);
    if (n < 0)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "transform of %d columns", n);
    t->n = n;
    t->df = lad_calloc_array((size_t)n, sizeof *t->df);
    t->weight = lad_calloc_array((size_t)n, sizeof *t->weight);
    t->mean = lad_calloc_array((size_t)n, sizeof *t->mean);
    if (!t->df || !t->weight || !t->mean) {
        lad_transform_free(t);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for a transform of %d events", n);
    }
    return LAD_OK;
}

void lad_transform_free(struct lad_transform *t)
{
    if (t == NULL)
        return;
    lad_free(&t->df);
    lad_free(&t->weight);
    lad_free(&t->mean);
    t->n = 0;
    t->n_train = 0;
}

enum lad_status lad_transform_fit(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use,
                                  unsigned flags, struct lad_transform *t)
{
    const int n = f->n_events;
    enum lad_status st = lad_transform_alloc(ctx, t, n);
    /* Per column: df, then the high and low limbs of the column sum (raw sum in the low limb without log). */
    int64_t *acc = lad_calloc_array((size_t)(3 * n + 1), sizeof *acc);
    if (st == LAD_OK && acc == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory fitting the transform");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;
    t->flags = flags;

    int64_t *df = acc, *hi = acc + n, *lo = acc + 2 * n, *rows = acc + 3 * n;
    for (int64_t i = 0; i < f->n_local; i++) {
        if (use && !use[i])
            continue;
        ++*rows;
        const struct lad_row x = lad_features_row(f, i); /* zeros add nothing to any statistic */
        for (int q = 0; q < x.n; q++) {
            const int j = x.cols[q];
            df[j]++;
            if (flags & LAD_TF_LOG) {
                int64_t fx = (int64_t)llround(log1p((double)x.vals[q]) * FIX_SCALE);
                hi[j] += fx >> FIX_SPLIT;
                lo[j] += fx & (((int64_t)1 << FIX_SPLIT) - 1);
            } else {
                lo[j] += x.vals[q];
            }
        }
    }
    if (MPI_Allreduce(MPI_IN_PLACE, acc, 3 * n + 1, MPI_INT64_T, MPI_SUM, ctx->comm) != MPI_SUCCESS) {
        st = lad_fail(ctx, LAD_ERR_MPI, "reducing the transform statistics failed");
        goto out_free;
    }
    t->n_train = *rows;
    if (t->n_train == 0) {
        st = lad_fail(ctx, LAD_ERR_INPUT, "no training rows to fit the feature transform on");
        goto out_free;
    }
    if ((flags & LAD_TF_LOG) && t->n_train > MAX_FIXED_ROWS) {
        st = lad_fail(ctx, LAD_ERR_INPUT, "log transform: %lld training rows exceed the exact-sum limit of 2^31",
                      (long long)t->n_train);
        goto out_free;
    }
    const double N = (double)t->n_train;
    /* Everything below is computed from exact integers in a fixed order: identical on every rank and
     * for every rank count. */
    for (int j = 0; j < n; j++) {
        t->df[j] = df[j];
        t->weight[j] = (flags & LAD_TF_TFIDF) ? log((1.0 + N) / (1.0 + (double)df[j])) + 1.0 : 1.0;
        if (!(flags & LAD_TF_CENTER))
            t->mean[j] = 0.0;
        else if (flags & LAD_TF_LOG)
            t->mean[j] = (ldexp((double)hi[j], FIX_SPLIT) + (double)lo[j]) / FIX_SCALE / N;
        else
            t->mean[j] = (double)lo[j] / N;
    }

out_free:
    lad_free(&acc);
    if (st != LAD_OK)
        lad_transform_free(t);
    return st;
}

/* Training and scoring go through this one function, so a model sees exactly the rows it was fitted on. */
void lad_transform_apply(const struct lad_transform *t, const int64_t *x, double *y)
{
    for (int j = 0; j < t->n; j++) {
        double v = (t->flags & LAD_TF_LOG) ? log1p((double)x[j]) : (double)x[j];
        y[j] = (v - t->mean[j]) * t->weight[j];
    }
}

/* Each entry is computed by the same expression as in lad_transform_apply, so the two give the same
 * bits: zeros here, the row's counts in lad_transform_apply_row_from. */
void lad_transform_zero_row(const struct lad_transform *t, double *y0)
{
    for (int j = 0; j < t->n; j++)
        y0[j] = (0.0 - t->mean[j]) * t->weight[j];
}

void lad_transform_apply_row(const struct lad_transform *t, struct lad_row x, double *y)
{
    lad_transform_zero_row(t, y);
    lad_transform_apply_row_from(t, y, x, y);
}

void lad_transform_apply_row_from(const struct lad_transform *t, const double *y0, struct lad_row x, double *y)
{
    if (y != y0)
        memcpy(y, y0, (size_t)t->n * sizeof *y);
    for (int q = 0; q < x.n; q++) {
        const int j = x.cols[q];
        double v = (t->flags & LAD_TF_LOG) ? log1p((double)x.vals[q]) : (double)x.vals[q];
        y[j] = (v - t->mean[j]) * t->weight[j];
    }
}

enum lad_status lad_transform_write(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_transform *t)
{
    enum lad_status st =
        lad_h5_write_small(ctx, h, lad_schema[LAD_TRANSFORM_H5_WEIGHT].path, H5T_NATIVE_DOUBLE, t->n, 0, t->weight);
    if (st == LAD_OK)
        st = lad_h5_write_small(ctx, h, lad_schema[LAD_TRANSFORM_H5_MEAN].path, H5T_NATIVE_DOUBLE, t->n, 0, t->mean);
    if (st == LAD_OK)
        st = lad_h5_write_small(ctx, h, lad_schema[LAD_TRANSFORM_H5_DF].path, H5T_NATIVE_INT64, t->n, 0, t->df);
    return st;
}
