/*
 * sessions.c - the labelled session file (`Normal|Anomaly<TAB>keys`): read and checked on rank 0,
 * broadcast to every rank, because every rank replays sessions of its own choosing.
 */
#include "lad_synth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_escape.h"
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
    s->n = s->n_normal = s->n_anomaly = s->n_keys = s->keys_normal = s->max_len = 0;
}

/* Growable arrays of the reader (capacities in elements). */
struct reader {
    struct lad_sessions *s;
    size_t cap_anomaly, cap_offset, cap_keys;
};

static bool push_key(struct reader *r, uint8_t key)
{
    void *k = r->s->keys;
    bool ok = lad_grow(&k, &r->cap_keys, (size_t)r->s->n_keys + 1, 1);
    r->s->keys = k;
    if (ok)
        r->s->keys[r->s->n_keys++] = key;
    return ok;
}

/* Closes the session whose keys were just pushed. */
static bool push_session(struct reader *r, int anomaly)
{
    struct lad_sessions *s = r->s;
    void *a = s->anomaly, *o = s->offset;
    bool ok = lad_grow(&a, &r->cap_anomaly, (size_t)s->n + 1, sizeof *s->anomaly);
    s->anomaly = a;
    ok = ok && lad_grow(&o, &r->cap_offset, (size_t)s->n + 2, sizeof *s->offset);
    s->offset = o;
    if (!ok)
        return false;
    if (s->n == 0)
        s->offset[0] = 0;
    s->anomaly[s->n] = (uint8_t)anomaly;
    s->offset[s->n + 1] = s->n_keys;
    s->n++;
    return true;
}

/*
 * One line without its line end. The message names the file and line and says what was expected,
 * since a hand-edited or foreign TSV is the usual cause.
 */
static enum lad_status parse_line(struct lad_ctx *ctx, struct reader *r, char *line, const char *path, long lineno)
{
    char *tab = strchr(line, '\t');
    if (tab == NULL)
        return lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: expected Normal|Anomaly, a tab, then event keys", path, lineno);
    *tab = '\0';
    int anomaly = strcmp(line, "Anomaly") == 0 ? 1 : strcmp(line, "Normal") == 0 ? 0 : -1;
    char shown[48];
    if (anomaly < 0)
        return lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: unknown label '%s' (expected Normal or Anomaly)", path, lineno,
                        lad_escape_str(shown, sizeof shown, line));
    int64_t first = r->s->n_keys;
    for (char *p = tab + 1;;) {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        char *end;
        errno = 0;
        long k = strtol(p, &end, 10);
        if (end == p || (*end != ' ' && *end != '\0') || errno || k < 1 || k > LAD_SYNTH_MAX_KEY) {
            size_t w = strcspn(p, " ");
            return lad_fail(ctx, LAD_ERR_INPUT,
                            "%s:%ld: '%.*s' is not an HDFS event key (1..%d; see data/hdfs_v1_sessions/README.md)",
                            path, lineno, (int)(w < 20 ? w : 20), p, LAD_SYNTH_MAX_KEY);
        }
        if (r->s->n_keys - first >= LAD_SYNTH_MAX_SESSION)
            return lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: a session of more than %d events", path, lineno,
                            LAD_SYNTH_MAX_SESSION);
        if (!push_key(r, (uint8_t)k))
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
        p = end;
    }
    if (r->s->n_keys == first)
        return lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: a session without events", path, lineno);
    if (!push_session(r, anomaly))
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
    return LAD_OK;
}

static enum lad_status read_on_root(struct lad_ctx *ctx, const char *path, struct lad_sessions *s)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return lad_fail(ctx, LAD_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    struct reader r = {s, 0, 0, 0};
    enum lad_status st = LAD_OK;
    char *line = NULL;
    size_t line_cap = 0;
    long lineno = 0;
    ssize_t len;
    while (st == LAD_OK && (len = getline(&line, &line_cap, fp)) != -1) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len > 0)
            st = parse_line(ctx, &r, line, path, lineno);
    }
    if (st == LAD_OK && ferror(fp))
        st = lad_fail(ctx, LAD_ERR_IO, "reading %s failed: %s", path, strerror(errno));
    free(line);
    fclose(fp);
    if (st == LAD_OK && s->n == 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s holds no sessions (expected Normal|Anomaly<TAB>event keys per line)",
                      path);
    return st;
}

/* Class lists and statistics, derived identically on every rank from the broadcast arrays. */
static enum lad_status index_classes(struct lad_ctx *ctx, struct lad_sessions *s)
{
    s->n_anomaly = s->keys_normal = s->max_len = 0;
    for (int64_t i = 0; i < s->n; i++) {
        int64_t len = s->offset[i + 1] - s->offset[i];
        s->n_anomaly += s->anomaly[i];
        s->keys_normal += s->anomaly[i] ? 0 : len;
        s->max_len = len > s->max_len ? len : s->max_len;
    }
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

static enum lad_status bcast(struct lad_ctx *ctx, void *buf, int64_t count, MPI_Datatype type)
{
    lad_comm_bcast(ctx, buf, count, type, 0);
    return LAD_OK;
}

enum lad_status lad_sessions_load(struct lad_ctx *ctx, const char *path, struct lad_sessions *s)
{
    memset(s, 0, sizeof *s);
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0)
        st = read_on_root(ctx, path, s);
    /* Counts travel as int, so the file must stay below 2^31 sessions and keys (it is ~1e5). */
    if (st == LAD_OK && (s->n >= INT32_MAX || s->n_keys > INT32_MAX))
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s is too large (2^31 sessions or event keys)", path);
    st = lad_status_agree(ctx, st);
    int64_t sizes[2] = {s->n, s->n_keys};
    if (st == LAD_OK)
        st = bcast(ctx, sizes, 2, MPI_INT64_T);
    if (st == LAD_OK && ctx->rank != 0) {
        s->n = sizes[0];
        s->n_keys = sizes[1];
        s->anomaly = lad_malloc_array((size_t)s->n, 1);
        s->offset = lad_malloc_array((size_t)s->n + 1, sizeof *s->offset);
        s->keys = lad_malloc_array((size_t)s->n_keys, 1);
        if (!s->anomaly || !s->offset || !s->keys)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld sessions", (long long)s->n);
    }
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = bcast(ctx, s->anomaly, s->n, MPI_UINT8_T);
    if (st == LAD_OK)
        st = bcast(ctx, s->offset, s->n + 1, MPI_INT64_T);
    if (st == LAD_OK)
        st = bcast(ctx, s->keys, s->n_keys, MPI_UINT8_T);
    if (st == LAD_OK)
        st = index_classes(ctx, s);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        lad_sessions_free(s);
    return st;
}
