/*
 * verdict.c - per-block verdicts to rank 0 (anomalies.csv) and to parallel HDF5 (verdicts.h5).
 *
 * anomalies.csv must be in block order and written by one process. Rows are gathered in rounds: round
 * k covers global rows [k*R, (k+1)*R); each rank contributes the part of its row block inside that
 * window (possibly nothing) to one MPI_Gatherv, which lays the pieces out in rank order, i.e. in
 * block order. Rank 0 formats and writes the round before the next one, so it never holds more than
 * R rows, whatever the number of blocks.
 */
#include "lad_verdict.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_events.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_mem.h"
#include "lad_outfile.h"

/* One row as it travels to rank 0 (all ranks run the same binary, so MPI_BYTE is safe). */
struct verdict_row {
    int64_t key;
    double score;
    int32_t top[LAD_TOP_EVENTS_MAX];
    int32_t anomaly;
};

enum lad_status lad_verdicts_alloc(struct lad_ctx *ctx, struct lad_verdicts *v, int64_t n_local, int n_top)
{
    v->n_local = n_local;
    v->n_top = n_top;
    v->score = lad_calloc_array((size_t)n_local, sizeof *v->score);
    v->anomaly = lad_calloc_array((size_t)n_local, sizeof *v->anomaly);
    v->top = lad_malloc_array((size_t)n_local * (size_t)(n_top > 0 ? n_top : 1), sizeof *v->top);
    if (!v->score || !v->anomaly || !v->top)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld verdicts", (long long)n_local);
    for (int64_t i = 0; i < n_local * n_top; i++)
        v->top[i] = -1;
    return LAD_OK;
}

void lad_verdicts_free(struct lad_verdicts *v)
{
    if (v == NULL)
        return;
    lad_free(&v->score);
    lad_free(&v->anomaly);
    lad_free(&v->top);
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

static void write_row(FILE *out, const struct lad_features *f, const struct lad_verdicts *v, const struct verdict_row *r)
{
    char key[48];
    lad_features_format_key(f->session_kind, r->key, key, sizeof key);
    fprintf(out, "%s,%s,%.12g,", key, r->anomaly ? "Anomaly" : "Normal", r->score);
    if (r->anomaly)
        for (int t = 0, first = 1; t < v->n_top; t++)
            if (r->top[t] >= 0 && v->events && r->top[t] < v->events->n) {
                fprintf(out, "%s%s", first ? "" : " ", v->events->ids[r->top[t]]);
                first = 0;
            }
    fputc('\n', out);
}

enum lad_status lad_verdict_write_csv(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                                      const char *path, int64_t rows_per_round)
{
    int64_t R = rows_per_round > 0 ? rows_per_round : 1000000;
    if (R > 2147483647 / (int64_t)sizeof(struct verdict_row))
        R = 2147483647 / (int64_t)sizeof(struct verdict_row);
    struct lad_outfile out;
    memset(&out, 0, sizeof out);
    enum lad_status st = LAD_OK;
    struct verdict_row *mine = lad_malloc_array((size_t)(R < v->n_local ? R : v->n_local), sizeof *mine);
    struct verdict_row *all = NULL;
    int *counts = NULL, *displs = NULL;
    if (mine == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory gathering verdicts");
    if (ctx->rank == 0 && st == LAD_OK) {
        all = lad_malloc_array((size_t)(R < f->n_global ? R : f->n_global), sizeof *all);
        counts = lad_calloc_array((size_t)ctx->size, sizeof *counts);
        displs = lad_calloc_array((size_t)ctx->size, sizeof *displs);
        if (!all || !counts || !displs)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory gathering verdicts");
        if (st == LAD_OK)
            st = lad_outfile_open(ctx, &out, path);
        if (st == LAD_OK)
            fputs("BlockId,Label,Score,TopEvents\n", out.fp);
    }
    st = lad_status_agree(ctx, st);
    for (int64_t g0 = 0; st == LAD_OK && g0 < f->n_global; g0 += R) {
        /* This rank's rows inside the window [g0, g0 + R). */
        int64_t lo = f->row_begin > g0 ? f->row_begin : g0;
        int64_t hi = f->row_begin + f->n_local < g0 + R ? f->row_begin + f->n_local : g0 + R;
        int n = hi > lo ? (int)(hi - lo) : 0;
        for (int i = 0; i < n; i++) {
            int64_t r = lo - f->row_begin + i;
            struct verdict_row *row = &mine[i];
            memset(row, 0, sizeof *row);
            row->key = f->keys[r];
            row->score = v->score[r];
            row->anomaly = v->anomaly[r];
            for (int t = 0; t < LAD_TOP_EVENTS_MAX; t++)
                row->top[t] = t < v->n_top ? v->top[r * v->n_top + t] : -1;
        }
        int bytes = n * (int)sizeof(struct verdict_row);
        MPI_Gather(&bytes, 1, MPI_INT, counts, 1, MPI_INT, 0, ctx->comm);
        int total = 0;
        if (ctx->rank == 0)
            for (int p = 0; p < ctx->size; p++) {
                displs[p] = total;
                total += counts[p];
            }
        MPI_Gatherv(mine, bytes, MPI_BYTE, all, counts, displs, MPI_BYTE, 0, ctx->comm);
        if (ctx->rank == 0) {
            for (int i = 0; i < total / (int)sizeof(struct verdict_row); i++)
                write_row(out.fp, f, v, &all[i]);
            if (ferror(out.fp))
                st = lad_fail(ctx, LAD_ERR_IO, "writing %s failed: %s", path, strerror(errno));
        }
        st = lad_status_agree(ctx, st);
    }
    if (ctx->rank == 0) {
        if (st == LAD_OK)
            st = lad_outfile_commit(ctx, &out);
        if (st != LAD_OK)
            lad_outfile_abort(&out);
    }
    free(mine);
    free(all);
    free(counts);
    free(displs);
    return lad_status_agree(ctx, st);
}

static enum lad_status write_model(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_features *f,
                                   const struct lad_verdicts *v)
{
    char name[128];
    int8_t *flags = lad_malloc_array((size_t)v->n_local, sizeof *flags);
    enum lad_status st = lad_status_agree(ctx, flags ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st != LAD_OK)
        return st;
    for (int64_t i = 0; i < v->n_local; i++)
        flags[i] = (int8_t)v->anomaly[i];
    snprintf(name, sizeof name, "/%s", v->model_name);
    st = lad_h5_group(ctx, h, name);
    if (st == LAD_OK)
        st = lad_h5_attr_f64(ctx, h, name, "threshold", v->threshold);
    snprintf(name, sizeof name, "/%s/score", v->model_name);
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, name, H5T_NATIVE_DOUBLE, f->n_global, 0, f->row_begin, f->n_local, v->score);
    snprintf(name, sizeof name, "/%s/anomaly", v->model_name);
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, name, H5T_NATIVE_INT8, f->n_global, 0, f->row_begin, f->n_local, flags);
    snprintf(name, sizeof name, "/%s/top_events", v->model_name);
    if (st == LAD_OK && v->n_top > 0)
        st = lad_h5_write_rows(ctx, h, name, H5T_NATIVE_INT32, f->n_global, v->n_top, f->row_begin, f->n_local, v->top);
    snprintf(name, sizeof name, "/%s/event_ids", v->model_name);
    if (st == LAD_OK && v->events)
        st = lad_h5_write_strings(ctx, h, name, v->events->n, (const char *const *)v->events->ids);
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
