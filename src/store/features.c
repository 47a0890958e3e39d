/* features.c - the row-block layout of the feature matrix, its rows compressed (CSR), and the names
 * of the session kinds. */
#include "lad_features.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_ctx.h"
#include "lad_mem.h"

int64_t lad_features_block_rows(int64_t n_global, int size)
{
    int64_t mb = (n_global + size - 1) / size;
    return mb > 0 ? mb : 1;
}

const char *lad_session_kind_name(enum lad_session_kind kind)
{
    return kind == LAD_SESSION_WINDOW ? "window" : "hdfs_block";
}

bool lad_session_kind_parse(const char *name, enum lad_session_kind *kind)
{
    if (strcmp(name, "hdfs_block") == 0)
        *kind = LAD_SESSION_BLOCK;
    else if (strcmp(name, "window") == 0)
        *kind = LAD_SESSION_WINDOW;
    else
        return false;
    return true;
}

void lad_features_local_range(int64_t n_global, int64_t block_rows, int rank, int64_t *begin, int64_t *n)
{
    int64_t b = block_rows * rank;
    if (b > n_global)
        b = n_global;
    int64_t e = b + block_rows;
    if (e > n_global)
        e = n_global;
    *begin = b;
    *n = e - b;
}

enum lad_status lad_features_alloc(struct lad_ctx *ctx, struct lad_features *f, int64_t n_global, int n_events)
{
    f->n_global = n_global;
    f->n_events = n_events;
    f->block_rows = lad_features_block_rows(n_global, ctx->size);
    lad_features_local_range(n_global, f->block_rows, ctx->rank, &f->row_begin, &f->n_local);
    lad_free(&f->keys);
    lad_free(&f->row_start);
    lad_free(&f->cols);
    lad_free(&f->vals);
    f->nnz_cap = 0;
    f->keys = lad_calloc_big((size_t)f->n_local, sizeof *f->keys);
    f->row_start = lad_calloc_big((size_t)f->n_local + 1, sizeof *f->row_start);
    if (f->keys == NULL || f->row_start == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld feature rows", (long long)f->n_local);
    return LAD_OK;
}

enum lad_status lad_features_reserve(struct lad_ctx *ctx, struct lad_features *f, int64_t nnz)
{
    if (nnz <= f->nnz_cap && f->cols != NULL && f->vals != NULL)
        return LAD_OK;
    size_t n = (size_t)(nnz > 0 ? nnz : 1);
    int32_t *cols = lad_malloc_big(n, sizeof *cols);
    int64_t *vals = lad_malloc_big(n, sizeof *vals);
    if (cols == NULL || vals == NULL) {
        free(cols);
        free(vals);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld feature counts", (long long)nnz);
    }
    /* Fresh blocks rather than realloc: huge-page advice applies to them from the first touch. */
    int64_t used = f->row_start ? f->row_start[f->n_local] : 0;
    if (used > 0) {
        memcpy(cols, f->cols, (size_t)used * sizeof *cols);
        memcpy(vals, f->vals, (size_t)used * sizeof *vals);
    }
    free(f->cols);
    free(f->vals);
    f->cols = cols;
    f->vals = vals;
    f->nnz_cap = (int64_t)n;
    return LAD_OK;
}

void lad_features_row_dense(const struct lad_features *f, int64_t i, int64_t *x)
{
    memset(x, 0, (size_t)f->n_events * sizeof *x);
    struct lad_row r = lad_features_row(f, i);
    for (int q = 0; q < r.n; q++)
        x[r.cols[q]] = r.vals[q];
}

enum lad_status lad_features_set_dense(struct lad_ctx *ctx, struct lad_features *f, const int64_t *dense)
{
    const int n = f->n_events;
    int64_t nnz = 0;
    for (int64_t k = 0; k < f->n_local * n; k++)
        nnz += dense[k] != 0;
    enum lad_status st = lad_features_reserve(ctx, f, nnz);
    if (st != LAD_OK)
        return st;
    int64_t w = 0;
    for (int64_t i = 0; i < f->n_local; i++) {
        f->row_start[i] = w;
        for (int j = 0; j < n; j++)
            if (dense[i * n + j] != 0) {
                f->cols[w] = j;
                f->vals[w++] = dense[i * n + j];
            }
    }
    f->row_start[f->n_local] = w;
    return LAD_OK;
}

enum lad_status lad_features_get_dense(struct lad_ctx *ctx, const struct lad_features *f, int64_t **dense)
{
    const size_t n = (size_t)(f->n_events > 0 ? f->n_events : 1);
    *dense = lad_malloc_big((size_t)f->n_local * n, sizeof **dense);
    if (*dense == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld dense feature rows", (long long)f->n_local);
    for (int64_t i = 0; i < f->n_local; i++)
        lad_features_row_dense(f, i, *dense + (size_t)i * n);
    return LAD_OK;
}

void lad_features_free(struct lad_features *f)
{
    if (f == NULL)
        return;
    lad_free(&f->keys);
    lad_free(&f->row_start);
    lad_free(&f->cols);
    lad_free(&f->vals);
    f->nnz_cap = 0;
    lad_free(&f->window_spec);
    lad_free(&f->event_source);
    lad_events_free(&f->events);
    lad_assign_free(&f->assigner);
    lad_free(&f->line_label);
    lad_free(&f->group_of);
    lad_free(&f->group_first);
    f->n_groups = 0;
}

int lad_features_format_key(enum lad_session_kind kind, int64_t key, char *buf, size_t cap)
{
    return snprintf(buf, cap, kind == LAD_SESSION_BLOCK ? "blk_%lld" : "win_%lld", (long long)key);
}
