/*
 * features.c - the features stage: a transform fitted on features.h5 and the transformed matrix
 * stored beside it (data/processed/matrix.h5), for inspection or other tools. train and run fit the
 * same transform in memory; this stage only makes it visible.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lad_ctx.h"
#include "lad_featfile.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_options.h"
#include "lad_outset.h"
#include "lad_schema.h"
#include "lad_stages.h"
#include "lad_transform.h"

#define DEFAULT_FEATURES_IN "data/processed/features.h5"

/* What matrix.h5 holds: the transformed rows and the transform that made them. */
struct matrix_file {
    const struct lad_features *f;
    const struct lad_transform *t;
    const char *spec;
};

static enum lad_status write_matrix(struct lad_ctx *ctx, struct lad_h5 *h, const void *arg)
{
    const struct matrix_file *mf = arg;
    const struct lad_features *f = mf->f;
    const struct lad_transform *t = mf->t;
    const char *spec = mf->spec;
    double *y = lad_malloc_array((size_t)f->n_local * (size_t)f->n_events, sizeof *y);
    enum lad_status st = lad_status_agree(ctx, y ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st != LAD_OK)
        return st;
    for (int64_t r = 0; r < f->n_local; r++)
        lad_transform_apply_row(t, lad_features_row(f, r), y + r * f->n_events);
    st = lad_schema_put_str(ctx, h, LAD_MATRIX_H5_FORMAT, "logad-matrix");
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_MATRIX_H5_TRANSFORM, spec);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_MATRIX_H5_N_TRAIN, t->n_train);
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, lad_schema[LAD_MATRIX_H5_SESSIONS].path, H5T_NATIVE_INT64, f->n_global, 0,
                               f->row_begin, f->n_local, f->keys);
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, lad_schema[LAD_MATRIX_H5_MATRIX].path, H5T_NATIVE_DOUBLE, f->n_global,
                               f->n_events, f->row_begin, f->n_local, y);
    if (st == LAD_OK)
        st = lad_h5_write_events(ctx, h, &f->events);
    if (st == LAD_OK)
        st = lad_transform_write(ctx, h, t);
    free(y);
    return st;
}

enum lad_status lad_stage_features(struct lad_ctx *ctx, const struct lad_options *o)
{
    const char *in = o->features_path ? o->features_path : DEFAULT_FEATURES_IN;
    const char *out = lad_outset_path(o, "--out");
    const char *spec = o->transform ? o->transform : "tfidf,center";
    unsigned flags;
    enum lad_status st = lad_status_agree(ctx, lad_transform_parse(ctx, spec, &flags));
    if (st != LAD_OK)
        return st;
    struct lad_features f;
    lad_timer_start(ctx, LAD_PHASE_LOAD);
    st = lad_featfile_read(ctx, in, &f);
    lad_timer_stop(ctx, LAD_PHASE_LOAD);
    if (st != LAD_OK)
        return st;
    struct lad_transform t = {0};
    lad_timer_start(ctx, LAD_PHASE_TRANSFORM);
    st = lad_transform_fit(ctx, &f, NULL, flags, &t);
    lad_timer_stop(ctx, LAD_PHASE_TRANSFORM);
    char canon[64];
    lad_transform_format(flags, canon, sizeof canon);
    if (st == LAD_OK) {
        const struct matrix_file mf = {.f = &f, .t = &t, .spec = canon};
        lad_timer_start(ctx, LAD_PHASE_WRITE);
        st = lad_h5_write_atomic(ctx, out, write_matrix, &mf);
        lad_timer_stop(ctx, LAD_PHASE_WRITE);
    }
    if (st == LAD_OK)
        lad_log(ctx, LAD_LOG_INFO, "wrote %s (%lld x %d, transform %s)", out, (long long)f.n_global, f.n_events, canon);
    lad_transform_free(&t);
    lad_features_free(&f);
    return st;
}
