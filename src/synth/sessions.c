/* sessions.c - the labelled session file: read and checked on rank 0, broadcast to every rank. */
#include "lad_synth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_mem.h"

void lad_sessions_free(struct lad_sessions *s)
{
    if (s == NULL)
        return;
    lad_free(&s->anomaly);
    lad_free(&s->offset);
    lad_free(&s->keys);
    lad_free(&s->normal_index);
    lad_free(&s->anomaly_index);
    s->n = s->n_normal = s->n_anomaly = 0;
}

/* Appends one parsed line (its keys are already in s->keys); false on allocation failure. */
static bool push_session(struct lad_sessions *s, size_t *cap_labels, size_t *cap_offsets, int64_t n_keys_total,
                         int anomaly)
{
    void *a = s->anomaly, *o = s->offset;
    bool ok = lad_grow(&a, cap_labels, (size_t)s->n + 1, sizeof *s->anomaly);
    s->anomaly = a;
    ok = ok && lad_grow(&o, cap_offsets, (size_t)s->n + 2, sizeof *s->offset);
    s->offset = o;
    if (!ok)
        return false;
    s->anomaly[s->n] = (uint8_t)anomaly;
    s->offset[s->n + 1] = n_keys_total;
    s->n++;
    return true;
}

static enum lad_status read_on_root(struct lad_ctx *ctx, const char *path, struct lad_sessions *s)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return lad_fail(ctx, LAD_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    enum lad_status st = LAD_OK;
    size_t cap_labels = 0, cap_offsets = 1, cap_k = 0, n_keys = 0;
    char *line = NULL;
    size_t line_cap = 0;
    long lineno = 0;
    ssize_t len;
    s->offset = calloc(1, sizeof *s->offset);
    if (s->offset == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
    while (st == LAD_OK && (len = getline(&line, &line_cap, fp)) != -1) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        char *tab = strchr(line, '\t');
        if (tab == NULL) {
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: expected Normal|Anomaly, a tab, then event keys", path, lineno);
            break;
        }
        *tab = '\0';
        int anomaly = strcmp(line, "Anomaly") == 0 ? 1 : strcmp(line, "Normal") == 0 ? 0 : -1;
        if (anomaly < 0) {
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: unknown label '%.40s' (expected Normal or Anomaly)", path, lineno,
                          line);
            break;
        }
        size_t first = n_keys;
        for (char *p = tab + 1; st == LAD_OK;) {
            while (*p == ' ')
                p++;
            if (*p == '\0')
                break;
            char *end;
            errno = 0;
            long k = strtol(p, &end, 10);
            if (end == p || (*end != ' ' && *end != '\0') || errno || k < 1 || k > LAD_SYNTH_MAX_KEY) {
                st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: '%.20s' is not an HDFS event key (1..%d)", path, lineno, p,
                              LAD_SYNTH_MAX_KEY);
                break;
            }
            void *k_arr = s->keys;
            if (!lad_grow(&k_arr, &cap_k, n_keys + 1, 1)) {
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
                break;
            }
            s->keys = k_arr;
            s->keys[n_keys++] = (uint8_t)k;
            p = end;
        }
        if (st == LAD_OK && n_keys == first)
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: a session without events", path, lineno);
        if (st == LAD_OK && !push_session(s, &cap_labels, &cap_offsets, (int64_t)n_keys, anomaly))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
    }
    free(line);
    fclose(fp);
    if (st == LAD_OK && s->n == 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s holds no sessions", path);
    return st;
}

/* Class index lists, derived identically on every rank. */
static enum lad_status index_classes(struct lad_ctx *ctx, struct lad_sessions *s)
{
    s->n_normal = s->n_anomaly = 0;
    for (int64_t i = 0; i < s->n; i++)
        s->n_anomaly += s->anomaly[i];
    s->n_normal = s->n - s->n_anomaly;
    s->normal_index = lad_malloc_array((size_t)s->n_normal, sizeof *s->normal_index);
    s->anomaly_index = lad_malloc_array((size_t)s->n_anomaly, sizeof *s->anomaly_index);
    if (!s->normal_index || !s->anomaly_index)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory indexing sessions");
    int64_t a = 0, n = 0;
    for (int64_t i = 0; i < s->n; i++) {
        if (s->anomaly[i])
            s->anomaly_index[a++] = i;
        else
            s->normal_index[n++] = i;
    }
    return LAD_OK;
}

enum lad_status lad_sessions_load(struct lad_ctx *ctx, const char *path, struct lad_sessions *s)
{
    memset(s, 0, sizeof *s);
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0)
        st = read_on_root(ctx, path, s);
    st = lad_status_agree(ctx, st);
    int64_t sizes[2] = {s->n, s->n ? s->offset[s->n] : 0};
    if (st == LAD_OK)
        MPI_Bcast(sizes, 2, MPI_INT64_T, 0, ctx->comm);
    if (st == LAD_OK && ctx->rank != 0) {
        s->n = sizes[0];
        s->anomaly = lad_malloc_array((size_t)sizes[0], 1);
        s->offset = lad_malloc_array((size_t)sizes[0] + 1, sizeof *s->offset);
        s->keys = lad_malloc_array((size_t)sizes[1], 1);
        if (!s->anomaly || !s->offset || !s->keys)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for sessions");
    }
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK && (sizes[0] > INT32_MAX || sizes[1] > INT32_MAX))
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s is too large (more than 2^31 sessions or keys)", path);
    if (st == LAD_OK) {
        MPI_Bcast(s->anomaly, (int)sizes[0], MPI_UINT8_T, 0, ctx->comm);
        MPI_Bcast(s->offset, (int)sizes[0] + 1, MPI_INT64_T, 0, ctx->comm);
        MPI_Bcast(s->keys, (int)sizes[1], MPI_UINT8_T, 0, ctx->comm);
        st = lad_status_agree(ctx, index_classes(ctx, s));
    }
    if (st != LAD_OK)
        lad_sessions_free(s);
    return st;
}
