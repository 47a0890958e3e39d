/* features.c - the row-block layout of the feature matrix. */
#include "lad_features.h"

#include <stdio.h>
#include <stdlib.h>

#include "lad_assign.h"
#include "lad_ctx.h"
#include "lad_mem.h"

int64_t lad_features_block_rows(int64_t n_global, int size)
{
    int64_t mb = (n_global + size - 1) / size;
    return mb > 0 ? mb : 1;
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
    lad_free(&f->counts);
    f->keys = lad_calloc_array((size_t)f->n_local, sizeof *f->keys);
    f->counts = lad_calloc_array((size_t)f->n_local * (size_t)(n_events > 0 ? n_events : 1), sizeof *f->counts);
    if (f->keys == NULL || f->counts == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld feature rows", (long long)f->n_local);
    return LAD_OK;
}

void lad_features_free(struct lad_features *f)
{
    if (f == NULL)
        return;
    lad_free(&f->keys);
    lad_free(&f->counts);
    lad_free(&f->window_spec);
    lad_free(&f->event_source);
    lad_events_free(&f->events);
    lad_assign_free(&f->assigner);
    lad_free(&f->line_label);
}

int lad_features_format_key(enum lad_session_kind kind, int64_t key, char *buf, size_t cap)
{
    return snprintf(buf, cap, kind == LAD_SESSION_BLOCK ? "blk_%lld" : "win_%lld", (long long)key);
}
