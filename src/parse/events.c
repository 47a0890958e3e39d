/* events.c - the replicated event table. */
#include "lad_events.h"

#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_mem.h"

enum lad_status lad_events_add(struct lad_ctx *ctx, struct lad_events *ev, const char *id, const char *text)
{
    if (ev->n == ev->cap) {
        int cap = ev->cap ? 2 * ev->cap : 32;
        char **ids = lad_realloc_array(ev->ids, (size_t)cap, sizeof *ids);
        if (ids) ev->ids = ids;
        char **tp = lad_realloc_array(ev->templates, (size_t)cap, sizeof *tp);
        if (tp) ev->templates = tp;
        int64_t *lines = lad_realloc_array(ev->lines, (size_t)cap, sizeof *lines);
        if (lines) ev->lines = lines;
        if (!ids || !tp || !lines)
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event table");
        ev->cap = cap;
    }
    char *i = lad_strdup(id), *t = lad_strdup(text);
    if (!i || !t) {
        free(i);
        free(t);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event table");
    }
    ev->ids[ev->n] = i;
    ev->templates[ev->n] = t;
    ev->lines[ev->n] = 0;
    ev->n++;
    return LAD_OK;
}

int lad_events_find_template(const struct lad_events *ev, const char *text)
{
    for (int i = 0; i < ev->n; i++)
        if (strcmp(ev->templates[i], text) == 0)
            return i;
    return -1;
}

int lad_events_find_id(const struct lad_events *ev, const char *id)
{
    for (int i = 0; i < ev->n; i++)
        if (strcmp(ev->ids[i], id) == 0)
            return i;
    return -1;
}

void lad_events_free(struct lad_events *ev)
{
    if (ev == NULL)
        return;
    for (int i = 0; i < ev->n; i++) {
        free(ev->ids[i]);
        free(ev->templates[i]);
    }
    lad_free(&ev->ids);
    lad_free(&ev->templates);
    lad_free(&ev->lines);
    ev->n = ev->cap = 0;
}

enum lad_status lad_events_bcast(struct lad_ctx *ctx, struct lad_events *ev, int root)
{
    /* Packed as: n, then for each event "id\0template\0", then the line counts. */
    struct lad_buf packed = {0};
    enum lad_status st = LAD_OK;
    long long len = 0;
    int n = ev->n;
    if (ctx->rank == root) {
        for (int i = 0; i < ev->n && st == LAD_OK; i++)
            if (!lad_buf_append(&packed, ev->ids[i], strlen(ev->ids[i]) + 1) ||
                !lad_buf_append(&packed, ev->templates[i], strlen(ev->templates[i]) + 1))
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event table");
        len = (long long)packed.len;
    }
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK) {
        lad_buf_free(&packed);
        return st;
    }
    MPI_Bcast(&n, 1, MPI_INT, root, ctx->comm);
    MPI_Bcast(&len, 1, MPI_LONG_LONG, root, ctx->comm);
    if (ctx->rank != root && !lad_buf_reserve(&packed, (size_t)len))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event table");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK) {
        lad_buf_free(&packed);
        return st;
    }
    lad_comm_bcast(ctx, packed.data, len, MPI_CHAR, root);
    int64_t *lines = lad_calloc_array((size_t)n, sizeof *lines);
    if (ctx->rank == root && lines && n > 0)
        memcpy(lines, ev->lines, (size_t)n * sizeof *lines);
    if (ctx->rank != root) {
        lad_events_free(ev);
        const char *p = packed.data;
        for (int i = 0; i < n && st == LAD_OK; i++) {
            const char *id = p;
            p += strlen(p) + 1;
            st = lad_events_add(ctx, ev, id, p);
            p += strlen(p) + 1;
        }
    }
    if (lines == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event table");
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        MPI_Bcast(lines, n, MPI_INT64_T, root, ctx->comm);
        if (n > 0)
            memcpy(ev->lines, lines, (size_t)n * sizeof *lines);
    }
    free(lines);
    lad_buf_free(&packed);
    return st;
}
