/*
 * assign.c - the event assigner (lad_assign.h): its settings, how mining fills it, and how detect
 * resolves a new log's keys with it. Matching keys never seen in training is in assign_match.c.
 *
 * After mining, every distinct key lives on exactly one owner rank (mine.c routes keys by token
 * count). lad_assign_collect gathers them on rank 0, sorts them by text and broadcasts them with the
 * groups, so the assigner, and the model file written from it, is the same bytes at any rank count.
 */
#include "lad_assign.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_mem.h"
#include "lad_options.h"
#include "lad_preset.h"
#include "lad_resolve.h"

void lad__assign_match_free(struct lad_assign_match **m); /* assign_match.c */

enum lad_status lad_assign_new(struct lad_ctx *ctx, struct lad_assigner **out)
{
    struct lad_assigner *a = calloc(1, sizeof *a);
    *out = NULL;
    if (a == NULL || !lad_keytab_init(&a->keys)) {
        free(a);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
    }
    a->refs = 1;
    *out = a;
    return LAD_OK;
}

struct lad_assigner *lad_assign_ref(struct lad_assigner *a)
{
    if (a != NULL)
        a->refs++;
    return a;
}

static void free_groups(struct lad_assigner *a)
{
    for (int32_t g = 0; g < a->n_groups; g++) {
        free(a->group_template[g]);
        free(a->group_flags[g]);
    }
    lad_free(&a->group_template);
    lad_free(&a->group_flags);
    lad_free(&a->group_event);
    a->n_groups = 0;
    a->cap_groups = 0;
}

void lad_assign_free(struct lad_assigner **ap)
{
    struct lad_assigner *a = *ap;
    *ap = NULL;
    if (a == NULL || --a->refs > 0)
        return;
    free(a->preset);
    free(a->log_format);
    free(a->window);
    for (int i = 0; i < a->n_masks; i++)
        free(a->masks[i]);
    free(a->masks);
    lad_events_free(&a->events);
    lad_keytab_free(&a->keys);
    free_groups(a);
    lad__assign_match_free(&a->match);
    free(a);
}

/* The preset's patterns, then the user's, as ingest applies them. */
static int option_masks(const struct lad_preset *p, const struct lad_options *o, const char **out)
{
    int n = 0;
    for (const char *const *m = p->masks; m && *m && n < LAD_ASSIGN_MAX_MASKS + 1; m++)
        out[n++] = *m;
    for (int i = 0; i < o->masks.n && n < LAD_ASSIGN_MAX_MASKS + 1; i++)
        out[n++] = o->masks.items[i];
    return n;
}

enum lad_status lad_assign_create(struct lad_ctx *ctx, const struct lad_options *o, enum lad_assign_kind kind,
                                  struct lad_assigner **out)
{
    *out = NULL;
    const char *name = o->preset ? o->preset : "hdfs";
    const struct lad_preset *p = lad_preset_find(name);
    if (p == NULL)
        return lad_fail(ctx, LAD_ERR_USAGE, "unknown preset '%s' (known: hdfs, hadoop, spark, zookeeper, bgl, hpc, "
                                            "thunderbird, windows, linux, android, healthapp, apache, proxifier, "
                                            "openssh, openstack, mac)", name);
    const char *masks[LAD_ASSIGN_MAX_MASKS + 1];
    int n_masks = kind == LAD_ASSIGN_MINED ? option_masks(p, o, masks) : 0;
    if (n_masks > LAD_ASSIGN_MAX_MASKS)
        return lad_fail(ctx, LAD_ERR_USAGE, "too many mask patterns: the preset's and --mask together may be at most %d",
                        LAD_ASSIGN_MAX_MASKS);
    struct lad_assigner *a;
    enum lad_status st = lad_assign_new(ctx, &a);
    if (st != LAD_OK)
        return st;
    a->kind = kind;
    a->preset = lad_strdup(p->name);
    a->log_format = lad_strdup(o->log_format ? o->log_format : p->log_format);
    a->window = o->window ? lad_strdup(o->window) : NULL;
    a->masks = lad_calloc_array((size_t)(n_masks > 0 ? n_masks : 1), sizeof *a->masks);
    bool ok = a->preset && a->log_format && (a->window || !o->window) && a->masks;
    for (int i = 0; ok && i < n_masks; i++)
        ok = (a->masks[a->n_masks++] = lad_strdup(masks[i])) != NULL;
    a->builtin_masks = kind == LAD_ASSIGN_MINED && !o->no_builtin_masks ? p->builtin_masks : 0;
    a->drain.depth = o->drain_depth ? o->drain_depth : p->depth;
    a->drain.similarity = o->drain_similarity > 0 ? o->drain_similarity : p->similarity;
    a->drain.max_children = o->drain_max_children;
    if (!ok) {
        lad_assign_free(&a);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
    }
    *out = a;
    return LAD_OK;
}

/* The mismatch message: what the command says, what the model says, what to do. */
static enum lad_status differs(struct lad_ctx *ctx, const char *option, const char *given, const char *model)
{
    return lad_fail(ctx, LAD_ERR_USAGE, "%s %s differs from the model's %s; detect keys lines and cuts sessions as "
                                        "training did: leave %s out or give the model's value", option, given, model,
                    option);
}

enum lad_status lad_assign_check_options(struct lad_ctx *ctx, const struct lad_assigner *a,
                                         const struct lad_options *o)
{
    if (o->window && (a->window == NULL || strcmp(o->window, a->window) != 0))
        return a->window ? differs(ctx, "--window", o->window, a->window)
                         : lad_fail(ctx, LAD_ERR_USAGE, "--window %s: the model was trained on HDFS block sessions; "
                                                        "leave --window out", o->window);
    if (o->labels_path && a->window)
        return lad_fail(ctx, LAD_ERR_USAGE, "--labels name HDFS blocks, and the model's sessions are --window %s time "
                                            "windows: use --line-labels (labels from the log's <Label> field)",
                        a->window);
    if (o->preset && strcasecmp(o->preset, a->preset) != 0)
        return differs(ctx, "--preset", o->preset, a->preset);
    if (o->log_format && strcmp(o->log_format, a->log_format) != 0)
        return differs(ctx, "--log-format", o->log_format, a->log_format);
    if (a->kind != LAD_ASSIGN_MINED)
        return LAD_OK;
    if (o->masks.n > 0) {
        const struct lad_preset *p = lad_preset_find(a->preset);
        const char *masks[LAD_ASSIGN_MAX_MASKS + 1];
        int n = p ? option_masks(p, o, masks) : 0;
        bool same = p && n == a->n_masks;
        for (int i = 0; same && i < n; i++)
            same = strcmp(masks[i], a->masks[i]) == 0;
        if (!same)
            return lad_fail(ctx, LAD_ERR_USAGE, "--mask: the patterns differ from the %d the model was trained with; "
                                                "detect keys lines as training did: leave --mask out", a->n_masks);
    }
    if (o->no_builtin_masks && a->builtin_masks != 0)
        return lad_fail(ctx, LAD_ERR_USAGE, "--no-builtin-masks: the model was trained with the built-in masks; leave "
                                            "it out");
    char given[32], model[32];
    if (o->drain_depth && o->drain_depth != a->drain.depth) {
        snprintf(given, sizeof given, "%d", o->drain_depth);
        snprintf(model, sizeof model, "%d", a->drain.depth);
        return differs(ctx, "--drain-depth", given, model);
    }
    if (o->drain_similarity > 0 && o->drain_similarity != a->drain.similarity) {
        snprintf(given, sizeof given, "%g", o->drain_similarity);
        snprintf(model, sizeof model, "%g", a->drain.similarity);
        return differs(ctx, "--drain-sim", given, model);
    }
    return LAD_OK;
}

enum lad_status lad_assign_add_group(struct lad_ctx *ctx, struct lad_assigner *a, const char *tpl,
                                     const char *flags, int32_t event)
{
    if (a->n_groups == INT32_MAX - 1)
        return lad_fail(ctx, LAD_ERR_MODEL, "too many template groups for the event assigner");
    if ((size_t)a->n_groups >= a->cap_groups) {
        size_t cap = a->cap_groups ? 2 * a->cap_groups : 64;
        char **t = lad_realloc_array(a->group_template, cap, sizeof *t);
        if (t) a->group_template = t;
        char **f = lad_realloc_array(a->group_flags, cap, sizeof *f);
        if (f) a->group_flags = f;
        int32_t *e = lad_realloc_array(a->group_event, cap, sizeof *e);
        if (e) a->group_event = e;
        if (!t || !f || !e)
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
        a->cap_groups = cap;
    }
    char *t = lad_strdup(tpl), *f = lad_strdup(flags);
    if (!t || !f) {
        free(t);
        free(f);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
    }
    a->group_template[a->n_groups] = t;
    a->group_flags[a->n_groups] = f;
    a->group_event[a->n_groups++] = event;
    return LAD_OK;
}

enum lad_status lad_assign_add_key(struct lad_ctx *ctx, struct lad_assigner *a, const char *text, uint32_t len,
                                   int32_t event)
{
    int32_t before = a->keys.n;
    int32_t id = lad_keytab_add_many(&a->keys, text, len, lad_hash_bytes(text, len, LAD_KEYTAB_SEED), before, 0);
    if (id < 0)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner's keys");
    if (id != before)
        return lad_fail(ctx, LAD_ERR_MODEL, "the event assigner lists key %d twice", (int)id);
    a->keys.event[id] = event;
    return LAD_OK;
}

/* ---- collect: owners' keys -> rank 0 -> sorted -> every rank ---- */

struct key_ref {
    const char *s;
    uint32_t len;
    int32_t event;
};

static int by_text(const void *x, const void *y)
{
    const struct key_ref *a = x, *b = y;
    int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* A record: a 32-bit length, a 32-bit event, the bytes (keys); groups add the flags' length first. */
static bool put(struct lad_buf *b, const void *v, size_t n)
{
    return lad_buf_append(b, v, n);
}

static const char *get_u32(const char *p, uint32_t *v)
{
    memcpy(v, p, sizeof *v);
    return p + sizeof *v;
}

/* Rank 0: the gathered key records sorted by text, then rank 0's groups, as one buffer. */
static bool pack_sorted(const struct lad_assigner *a, const char *recs, int64_t n_bytes, struct lad_buf *out)
{
    int64_t n = 0;
    for (const char *p = recs; p < recs + n_bytes; n++) {
        uint32_t len;
        p = get_u32(p, &len) + sizeof(int32_t) + len;
    }
    struct key_ref *k = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *k);
    if (k == NULL)
        return false;
    const char *p = recs;
    for (int64_t i = 0; i < n; i++) {
        uint32_t ev;
        p = get_u32(p, &k[i].len);
        p = get_u32(p, &ev);
        k[i].event = (int32_t)ev;
        k[i].s = p;
        p += k[i].len;
    }
    qsort(k, (size_t)n, sizeof *k, by_text);
    int64_t n_groups = a->n_groups;
    bool ok = put(out, &n, sizeof n) && put(out, &n_groups, sizeof n_groups);
    for (int64_t i = 0; ok && i < n; i++)
        ok = put(out, &k[i].len, 4) && put(out, &k[i].event, 4) && put(out, k[i].s, k[i].len);
    for (int32_t g = 0; ok && g < a->n_groups; g++) {
        uint32_t tl = (uint32_t)strlen(a->group_template[g]), fl = (uint32_t)strlen(a->group_flags[g]);
        ok = put(out, &tl, 4) && put(out, &fl, 4) && put(out, &a->group_event[g], 4) &&
             put(out, a->group_template[g], tl) && put(out, a->group_flags[g], fl);
    }
    free(k);
    return ok;
}

/* Every rank: the assigner's keys and groups from the broadcast buffer. */
static enum lad_status unpack(struct lad_ctx *ctx, struct lad_assigner *a, const char *p)
{
    int64_t n, n_groups;
    memcpy(&n, p, sizeof n);
    memcpy(&n_groups, p + 8, sizeof n_groups);
    p += 16;
    lad_keytab_free(&a->keys);
    free_groups(a);
    enum lad_status st = lad_keytab_init(&a->keys) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    for (int64_t i = 0; st == LAD_OK && i < n; i++) {
        uint32_t len, ev;
        p = get_u32(get_u32(p, &len), &ev);
        st = lad_assign_add_key(ctx, a, p, len, (int32_t)ev);
        p += len;
    }
    struct lad_buf t = {0}, f = {0};
    for (int64_t g = 0; st == LAD_OK && g < n_groups; g++) {
        uint32_t tl, fl, ev;
        p = get_u32(get_u32(get_u32(p, &tl), &fl), &ev);
        t.len = f.len = 0;
        if (!lad_buf_append(&t, p, tl) || !lad_buf_append(&t, "", 1) || !lad_buf_append(&f, p + tl, fl) ||
            !lad_buf_append(&f, "", 1))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
        else
            st = lad_assign_add_group(ctx, a, t.data, f.data, (int32_t)ev);
        p += tl + fl;
    }
    lad_buf_free(&t);
    lad_buf_free(&f);
    return st;
}

static enum lad_status set_events(struct lad_ctx *ctx, struct lad_assigner *a, const struct lad_events *events)
{
    lad_events_free(&a->events);
    enum lad_status st = LAD_OK;
    for (int i = 0; i < events->n && st == LAD_OK; i++)
        st = lad_events_add(ctx, &a->events, events->ids[i], events->templates[i]);
    if (st == LAD_OK)
        st = lad_events_add(ctx, &a->events, LAD_EVENT_UNKNOWN_ID, LAD_EVENT_UNKNOWN_TEXT);
    return st;
}

enum lad_status lad_assign_collect(struct lad_ctx *ctx, struct lad_assigner *a, const struct lad_keytab *owned,
                                   const int32_t *owned_event, const struct lad_events *events)
{
    struct lad_buf mine = {0}, all = {0};
    enum lad_status st = LAD_OK;
    for (int32_t k = 0; k < owned->n && st == LAD_OK; k++) {
        uint32_t len = owned->text_len[k];
        if (!put(&mine, &len, 4) || !put(&mine, &owned_event[k], 4) || !put(&mine, lad_keytab_text(owned, k), len))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory collecting the mined keys");
    }
    st = lad_status_agree(ctx, st);
    int64_t *counts = lad_calloc_array((size_t)ctx->size, sizeof *counts);
    if (st == LAD_OK && counts == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory collecting the mined keys");
    st = lad_status_agree(ctx, st);
    void *got = NULL;
    int64_t got_bytes = 0;
    if (st == LAD_OK) {
        counts[0] = (int64_t)mine.len; /* everything to rank 0 */
        st = lad_comm_alltoallv_alloc(ctx, mine.data ? mine.data : "", counts, 1, "the gathering of mined keys", &got,
                                      NULL, &got_bytes);
    }
    lad_buf_free(&mine);
    if (st == LAD_OK && ctx->rank == 0 && !pack_sorted(a, got, got_bytes, &all))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory sorting the mined keys");
    free(got);
    st = lad_status_agree(ctx, st);
    long long len = (long long)all.len;
    if (st == LAD_OK) {
        MPI_Bcast(&len, 1, MPI_LONG_LONG, 0, ctx->comm);
        if (ctx->rank != 0 && !lad_buf_reserve(&all, (size_t)len))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the mined keys");
        st = lad_status_agree(ctx, st);
    }
    if (st == LAD_OK) {
        lad_comm_bcast(ctx, all.data, len, MPI_CHAR, 0);
        st = unpack(ctx, a, all.data);
    }
    if (st == LAD_OK)
        st = set_events(ctx, a, events);
    if (st == LAD_OK)
        st = lad_assign_finish(ctx, a, "mining");
    lad_buf_free(&all);
    free(counts);
    return lad_status_agree(ctx, st);
}

/* ---- detect ---- */

enum lad_status lad_assign_resolve(struct lad_ctx *ctx, const struct lad_assigner *a, struct lad_keytab *keys,
                                   struct lad_events *events, struct lad_assign_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    enum lad_status st = LAD_OK;
    for (int i = 0; i < a->events.n && st == LAD_OK; i++)
        st = lad_events_add(ctx, events, a->events.ids[i], a->events.templates[i]);
    int64_t local[4] = {0, 0, 0, 0};
    for (int32_t k = 0; st == LAD_OK && k < keys->n; k++) {
        enum lad_assign_how how;
        keys->event[k] = lad_assign_event(a, lad_keytab_text(keys, k), keys->text_len[k], keys->hash[k], &how);
        if (keys->event[k] < 0)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory assigning events");
        else
            local[how] += keys->lines[k];
    }
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_resolve_count_lines(ctx, keys, events);
    if (st == LAD_OK)
        MPI_Allreduce(local, stats->lines, 4, MPI_INT64_T, MPI_SUM, ctx->comm);
    return st;
}
