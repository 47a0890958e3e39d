/*
 * verdict.c - per-block verdicts: their arrays, and verdicts.h5 written by all ranks in parallel (one
 * hyperslab each). The CSV files are verdict_csv.c's.
 */
#include "lad_verdict.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_events.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_mem.h"

enum lad_status lad_verdicts_alloc(struct lad_ctx *ctx, struct lad_verdicts *v, int64_t n_local, int n_top,
                                   int n_events)
{
    size_t cells = (size_t)n_local * (size_t)(n_top > 0 ? n_top : 1);
    v->n_local = n_local;
    v->n_top = n_top;
    v->score = lad_calloc_array((size_t)n_local, sizeof *v->score);
    v->anomaly = lad_calloc_array((size_t)n_local, sizeof *v->anomaly);
    v->top = lad_malloc_array(cells, sizeof *v->top);
    v->observed = lad_calloc_array(cells, sizeof *v->observed);
    v->expected = lad_malloc_array(cells, sizeof *v->expected);
    v->contribution = lad_malloc_array(cells, sizeof *v->contribution);
    v->columns = lad_malloc_array((size_t)(n_events > 0 ? n_events : 1), sizeof *v->columns);
    if (!v->score || !v->anomaly || !v->top || !v->observed || !v->expected || !v->contribution || !v->columns)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld verdicts", (long long)n_local);
    for (size_t i = 0; i < (size_t)n_local * (size_t)n_top; i++) {
        v->top[i] = -1;
        v->expected[i] = NAN;
        v->contribution[i] = NAN;
    }
    for (int j = 0; j < n_events; j++)
        v->columns[j] = -1;
    return LAD_OK;
}

void lad_verdicts_free(struct lad_verdicts *v)
{
    if (v == NULL)
        return;
    lad_free(&v->score);
    lad_free(&v->anomaly);
    lad_free(&v->top);
    lad_free(&v->observed);
    lad_free(&v->expected);
    lad_free(&v->contribution);
    lad_free(&v->columns);
    v->n_local = 0;
}

int64_t lad_verdicts_count_anomalies(struct lad_ctx *ctx, const struct lad_verdicts *v)
{
    int64_t local = 0, global = 0;
    for (int64_t i = 0; i < v->n_local; i++)
        local += v->anomaly[i] != 0;
    MPI_Allreduce(&local, &global, 1, MPI_INT64_T, MPI_SUM, ctx->comm);
    return global;
}

/* /<model>/...: the verdicts, the named events with their numbers, and the event table they index. */
static enum lad_status write_model(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_features *f,
                                   const struct lad_verdicts *v)
{
    char group[96], name[160];
    const bool pca = strcmp(v->model_name, "pca") == 0;
    int8_t *flags = lad_malloc_array((size_t)v->n_local, sizeof *flags);
    enum lad_status st = lad_status_agree(ctx, flags ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st != LAD_OK)
        return st;
    for (int64_t i = 0; i < v->n_local; i++)
        flags[i] = (int8_t)v->anomaly[i];
    snprintf(group, sizeof group, "/%s", v->model_name);
    st = lad_h5_group(ctx, h, group);
    if (st == LAD_OK)
        st = lad_h5_attr_f64(ctx, h, group, "threshold", v->threshold);
    if (st == LAD_OK)
        st = lad_h5_attr_i64(ctx, h, group, "n_top", v->n_top);
    if (st == LAD_OK)
        st = lad_h5_attr_str(ctx, h, group, "score", pca ? "squared prediction error (SPE)" : "probability of anomaly");
    if (st == LAD_OK)
        st = lad_h5_attr_str(ctx, h, group, "contribution", pca ? "squared residual r_j^2" : "w_j * y_j");
    const struct {
        const char *name;
        hid_t type;
        int64_t cols;
        const void *data;
    } sets[] = {
        {"score", H5T_NATIVE_DOUBLE, 0, v->score},
        {"anomaly", H5T_NATIVE_INT8, 0, flags},
        {"top_events", H5T_NATIVE_INT32, v->n_top, v->top},
        {"top_observed", H5T_NATIVE_INT64, v->n_top, v->observed},
        {"top_expected", H5T_NATIVE_DOUBLE, v->n_top, v->expected},
        {"top_contribution", H5T_NATIVE_DOUBLE, v->n_top, v->contribution},
    };
    for (size_t k = 0; k < sizeof sets / sizeof sets[0] && st == LAD_OK; k++) {
        if (k >= 2 && v->n_top == 0)
            break; /* --top-events 0: nothing named */
        snprintf(name, sizeof name, "%s/%s", group, sets[k].name);
        st = lad_h5_write_rows(ctx, h, name, sets[k].type, f->n_global, sets[k].cols, f->row_begin, f->n_local,
                               sets[k].data);
    }
    snprintf(name, sizeof name, "%s/event_ids", group);
    if (st == LAD_OK && v->events)
        st = lad_h5_write_strings(ctx, h, name, v->events->n, (const char *const *)v->events->ids);
    snprintf(name, sizeof name, "%s/event_templates", group);
    if (st == LAD_OK && v->events)
        st = lad_h5_write_strings(ctx, h, name, v->events->n, (const char *const *)v->events->templates);
    free(flags);
    return st;
}

/* What verdicts.h5 holds: the sessions and every model's verdicts. */
struct verdict_file {
    const struct lad_features *f;
    const struct lad_verdicts *v;
    int n;
};

static enum lad_status write_verdict_file(struct lad_ctx *ctx, struct lad_h5 *h, const void *arg)
{
    const struct verdict_file *vf = arg;
    const struct lad_features *f = vf->f;
    enum lad_status st = lad_h5_attr_str(ctx, h, "/", "format", "logad-verdicts");
    if (st == LAD_OK)
        st = lad_h5_attr_str(ctx, h, "/", "session_kind", f->session_kind == LAD_SESSION_BLOCK ? "hdfs_block" : "window");
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, "/sessions", H5T_NATIVE_INT64, f->n_global, 0, f->row_begin, f->n_local, f->keys);
    for (int m = 0; m < vf->n && st == LAD_OK; m++)
        st = write_model(ctx, h, f, &vf->v[m]);
    return st;
}

enum lad_status lad_verdict_write_h5(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                                     int n, const char *path)
{
    const struct verdict_file vf = {.f = f, .v = v, .n = n};
    return lad_h5_write_atomic(ctx, path, write_verdict_file, &vf);
}
