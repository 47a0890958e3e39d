/*
 * assign_file.c - the event assigner written into, and read back from, model and features files
 * (layout and checks: lad_assign_file.h).
 *
 * Lists of strings are stored as their bytes back to back plus a length each, not as HDF5
 * fixed-length strings: keys may hold any byte (a NUL too), and one long key would otherwise set the
 * width of every entry. Everything is small next to the log and replicated, so rank 0 writes it all
 * and every rank reads all of it (lad_h5_write_small / lad_h5_read_small).
 */
#include "lad_assign_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_ctx.h"
#include "lad_h5.h"
#include "lad_logformat.h"
#include "lad_mask.h"
#include "lad_mem.h"
#include "lad_preset.h"
#include "lad_schema.h"
#include "lad_window.h"

/* A list of strings on disk: its entries back to back, and each entry's length. `what` names it in
 * messages. */
struct stored_list {
    const char *what;
    enum lad_schema_key bytes, lengths;
};
static const struct stored_list masks_list = {"masks", LAD_ASSIGNER_H5_MASKS_BYTES, LAD_ASSIGNER_H5_MASKS_LENGTHS};
static const struct stored_list keys_list = {"keys", LAD_ASSIGNER_H5_KEYS_BYTES, LAD_ASSIGNER_H5_KEYS_LENGTHS};
static const struct stored_list templates_list = {"groups/templates", LAD_ASSIGNER_H5_TEMPLATES_BYTES,
                                                LAD_ASSIGNER_H5_TEMPLATES_LENGTHS};
static const struct stored_list flags_list = {"groups/flags", LAD_ASSIGNER_H5_FLAGS_BYTES,
                                              LAD_ASSIGNER_H5_FLAGS_LENGTHS};

/* A list of n strings: s[i] of len[i] bytes. */
struct strlist {
    int64_t n;
    const char **s;
    int64_t *len;
};

static enum lad_status write_list(struct lad_ctx *ctx, struct lad_h5 *h, const struct stored_list *stored,
                                  const struct strlist *l)
{
    int64_t total = 0;
    for (int64_t i = 0; i < l->n; i++)
        total += l->len[i];
    char *bytes = lad_malloc_array((size_t)(total > 0 ? total : 1), 1);
    enum lad_status st = lad_status_agree(ctx, bytes ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st != LAD_OK)
        return st;
    for (int64_t i = 0, at = 0; i < l->n; at += l->len[i], i++)
        memcpy(bytes + at, l->s[i], (size_t)l->len[i]);
    st = lad_h5_write_small(ctx, h, lad_schema[stored->bytes].path, H5T_NATIVE_UINT8, total, 0, bytes);
    if (st == LAD_OK)
        st = lad_h5_write_small(ctx, h, lad_schema[stored->lengths].path, H5T_NATIVE_INT64, l->n, 0, l->len);
    free(bytes);
    return st;
}

/* Collective. A list of C strings (no NUL inside). */
static enum lad_status write_cstrings(struct lad_ctx *ctx, struct lad_h5 *h, const struct stored_list *stored,
                                      int64_t n, char *const *s)
{
    struct strlist l = {n, (const char **)s, lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof(int64_t))};
    enum lad_status st = lad_status_agree(ctx, l.len ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    for (int64_t i = 0; st == LAD_OK && i < n; i++)
        l.len[i] = (int64_t)strlen(s[i]);
    if (st == LAD_OK)
        st = write_list(ctx, h, stored, &l);
    free(l.len);
    return st;
}

static enum lad_status write_keys(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_assigner *a)
{
    const struct lad_keytab *k = &a->keys;
    size_t n1 = k->n > 0 ? (size_t)k->n : 1;
    struct strlist l = {k->n, lad_malloc_array(n1, sizeof(char *)), lad_malloc_array(n1, sizeof(int64_t))};
    enum lad_status st = l.s && l.len ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    st = lad_status_agree(ctx, st);
    for (int32_t i = 0; st == LAD_OK && i < k->n; i++) {
        l.s[i] = lad_keytab_text(k, i);
        l.len[i] = k->text_len[i];
    }
    if (st == LAD_OK)
        st = write_list(ctx, h, &keys_list, &l);
    if (st == LAD_OK)
        st = lad_h5_write_small(ctx, h, lad_schema[LAD_ASSIGNER_H5_KEYS_EVENTS].path, H5T_NATIVE_INT32, k->n, 0,
                                k->event);
    free(l.s);
    free(l.len);
    return st;
}

enum lad_status lad_assign_write(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_assigner *a)
{
    enum lad_status st = lad_h5_group(ctx, h, lad_schema[LAD_ASSIGNER_H5_GROUP].path);
    bool mined = a->kind == LAD_ASSIGN_MINED;
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_ASSIGNER_H5_KIND, mined ? "mined" : "templates");
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_ASSIGNER_H5_PRESET, a->preset);
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_ASSIGNER_H5_LOG_FORMAT, a->log_format);
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_ASSIGNER_H5_WINDOW, a->window ? a->window : "");
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_ASSIGNER_H5_BUILTIN_MASKS, a->builtin_masks);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_ASSIGNER_H5_DRAIN_DEPTH, a->drain.depth);
    if (st == LAD_OK) st = lad_schema_put_f64(ctx, h, LAD_ASSIGNER_H5_DRAIN_SIMILARITY, a->drain.similarity);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_ASSIGNER_H5_DRAIN_MAX_CHILDREN, a->drain.max_children);
    if (st == LAD_OK)
        st = write_cstrings(ctx, h, &masks_list, a->n_masks, a->masks);
    if (st != LAD_OK || !mined)
        return st;
    st = write_keys(ctx, h, a);
    if (st == LAD_OK)
        st = write_cstrings(ctx, h, &templates_list, a->n_groups, a->group_template);
    if (st == LAD_OK)
        st = write_cstrings(ctx, h, &flags_list, a->n_groups, a->group_flags);
    if (st == LAD_OK)
        st = lad_h5_write_small(ctx, h, lad_schema[LAD_ASSIGNER_H5_GROUPS_EVENTS].path, H5T_NATIVE_INT32, a->n_groups,
                                0, a->group_event);
    return st;
}

bool lad_assign_in_file(struct lad_h5 *h)
{
    return lad_h5_exists(h, lad_schema[LAD_ASSIGNER_H5_GROUP].path);
}

/* ---- reading: every size checked before it is trusted ---- */

/* A list as read: the bytes (NUL-terminated as a whole), each entry's start and length. */
struct readlist {
    int64_t n;
    char *bytes;
    int64_t *len, *off;
};

static void readlist_free(struct readlist *l)
{
    lad_free(&l->bytes);
    lad_free(&l->len);
    lad_free(&l->off);
}

/* Collective. Reads a list; at most max_n entries; c_strings: no entry may hold a NUL. */
static enum lad_status read_list(struct lad_ctx *ctx, struct lad_h5 *h, const struct stored_list *stored,
                                 int64_t max_n, bool c_strings, struct readlist *l)
{
    const char *base = stored->what;
    int64_t n_bytes = 0, cols = 0, n = 0, lcols = 0;
    memset(l, 0, sizeof *l);
    enum lad_status st = lad_status_agree(ctx, lad_schema_dims(ctx, h, stored->bytes, &n_bytes, &cols));
    if (st == LAD_OK)
        st = lad_status_agree(ctx, lad_schema_dims(ctx, h, stored->lengths, &n, &lcols));
    if (st == LAD_OK && (cols != 0 || lcols != 0 || n > max_n || n_bytes > LAD_ASSIGN_FILE_MAX_BYTES))
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s: '%s' holds %lld entries in %lld bytes (at most %lld and %lld)", h->name,
                      base, (long long)n, (long long)n_bytes, (long long)max_n, (long long)LAD_ASSIGN_FILE_MAX_BYTES);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;
    l->n = n;
    l->bytes = lad_malloc_array((size_t)n_bytes + 1, 1);
    l->len = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *l->len);
    l->off = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *l->off);
    st = lad_status_agree(ctx, l->bytes && l->len && l->off ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, lad_schema[stored->bytes].path, H5T_NATIVE_UINT8, n_bytes, 0, l->bytes);
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, lad_schema[stored->lengths].path, H5T_NATIVE_INT64, n, 0, l->len);
    if (st != LAD_OK)
        return st;
    l->bytes[n_bytes] = '\0';
    int64_t at = 0;
    for (int64_t i = 0; i < n && st == LAD_OK; i++) {
        if (l->len[i] < 0 || l->len[i] > UINT32_MAX || l->len[i] > n_bytes - at)
            st = lad_fail(ctx, LAD_ERR_MODEL, "%s: entry %lld of '%s' has length %lld, past its %lld bytes", h->name,
                          (long long)i, base, (long long)l->len[i], (long long)n_bytes);
        else if (c_strings && memchr(l->bytes + at, '\0', (size_t)l->len[i]) != NULL)
            st = lad_fail(ctx, LAD_ERR_MODEL, "%s: entry %lld of '%s' holds a NUL byte", h->name, (long long)i, base);
        l->off[i] = at;
        at += st == LAD_OK ? l->len[i] : 0;
    }
    if (st == LAD_OK && at != n_bytes)
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s: the lengths of '%s' add up to %lld of its %lld bytes", h->name, base,
                      (long long)at, (long long)n_bytes);
    return lad_status_agree(ctx, st);
}

/* Entry i of a C-string list, NUL-terminated in place (the byte after it is the next entry's first). */
static char *cstring(struct readlist *l, int64_t i, char *saved)
{
    *saved = l->bytes[l->off[i] + l->len[i]];
    l->bytes[l->off[i] + l->len[i]] = '\0';
    return l->bytes + l->off[i];
}

static void restore(struct readlist *l, int64_t i, char saved)
{
    l->bytes[l->off[i] + l->len[i]] = saved;
}

/* Collective. An int32 dataset of exactly n entries. */
static enum lad_status read_events(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t n,
                                   int32_t **out)
{
    const char *name = lad_schema[key].path;
    int64_t rows = 0, cols = 0;
    enum lad_status st = lad_status_agree(ctx, lad_schema_dims(ctx, h, key, &rows, &cols));
    if (st == LAD_OK && (rows != n || cols != 0))
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s: '%s' has %lld entries for %lld items", h->name, name, (long long)rows,
                      (long long)n);
    st = lad_status_agree(ctx, st);
    *out = st == LAD_OK ? lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof **out) : NULL;
    if (st == LAD_OK)
        st = lad_status_agree(ctx, *out ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, name, H5T_NATIVE_INT32, n, 0, *out);
    return st;
}

/* Local. A setting that does not compile is a damaged file: say so, keeping the compiler's reason. */
static enum lad_status bad_setting(struct lad_ctx *ctx, struct lad_h5 *h, const char *what)
{
    char msg[LAD_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", ctx->err_msg);
    lad_ctx_clear_error(ctx);
    return lad_fail(ctx, LAD_ERR_MODEL, "%s: the event assigner's %s is unusable: %s", h->name, what, msg);
}

/* Local. The attributes, checked: kind, preset, format, window, masks kinds, Drain settings. */
static enum lad_status read_settings(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_assigner *a)
{
    char *kind = NULL, *window = NULL;
    int64_t builtin = 0, depth = 0, children = 0;
    enum lad_status st = lad_schema_get_str(ctx, h, LAD_ASSIGNER_H5_KIND, &kind);
    if (st == LAD_OK) st = lad_schema_get_str(ctx, h, LAD_ASSIGNER_H5_PRESET, &a->preset);
    if (st == LAD_OK) st = lad_schema_get_str(ctx, h, LAD_ASSIGNER_H5_LOG_FORMAT, &a->log_format);
    if (st == LAD_OK) st = lad_schema_get_str(ctx, h, LAD_ASSIGNER_H5_WINDOW, &window);
    if (st == LAD_OK) st = lad_schema_get_i64(ctx, h, LAD_ASSIGNER_H5_BUILTIN_MASKS, &builtin);
    if (st == LAD_OK) st = lad_schema_get_i64(ctx, h, LAD_ASSIGNER_H5_DRAIN_DEPTH, &depth);
    if (st == LAD_OK) st = lad_schema_get_f64(ctx, h, LAD_ASSIGNER_H5_DRAIN_SIMILARITY, &a->drain.similarity);
    if (st == LAD_OK) st = lad_schema_get_i64(ctx, h, LAD_ASSIGNER_H5_DRAIN_MAX_CHILDREN, &children);
    if (st == LAD_OK) {
        a->kind = strcmp(kind, "mined") == 0 ? LAD_ASSIGN_MINED : strcmp(kind, "templates") == 0 ? LAD_ASSIGN_TEMPLATES : 0;
        if (a->kind == 0 || lad_preset_find(a->preset) == NULL || (builtin & ~(int64_t)LAD_MASK_ALL) != 0 ||
            depth < 3 || depth > 32 || !(a->drain.similarity > 0 && a->drain.similarity <= 1) || children < 1 ||
            children > INT32_MAX)
            st = lad_fail(ctx, LAD_ERR_MODEL, "%s: the event assigner's settings are damaged (kind, preset, masks or "
                                              "Drain settings out of range)", h->name);
    }
    if (st == LAD_OK) {
        a->builtin_masks = (unsigned)builtin;
        a->drain.depth = (int)depth;
        a->drain.max_children = (int)children;
        if (window[0] != '\0')
            a->window = lad_strdup(window);
    }
    struct lad_logformat *fmt = NULL;
    if (st == LAD_OK && lad_logformat_compile(ctx, a->log_format, &fmt) != LAD_OK)
        st = bad_setting(ctx, h, "log format");
    struct lad_window w;
    if (st == LAD_OK && a->window && lad_window_parse(ctx, a->window, fmt, &w) != LAD_OK)
        st = bad_setting(ctx, h, "window");
    lad_logformat_free(&fmt);
    free(kind);
    free(window);
    return st;
}

/* Collective. The mask patterns: at most LAD_ASSIGN_MAX_MASKS, each compiling. */
static enum lad_status read_masks(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_assigner *a)
{
    struct readlist l;
    enum lad_status st = read_list(ctx, h, &masks_list, LAD_ASSIGN_MAX_MASKS, true, &l);
    if (st == LAD_OK && (a->masks = lad_calloc_array((size_t)(l.n > 0 ? l.n : 1), sizeof *a->masks)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    for (int64_t i = 0; st == LAD_OK && i < l.n; i++) {
        char saved, *s = cstring(&l, i, &saved);
        if ((a->masks[a->n_masks++] = lad_strdup(s)) == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
        restore(&l, i, saved);
    }
    struct lad_masker *m = NULL;
    if (st == LAD_OK &&
        lad_masker_create(ctx, a->builtin_masks, (const char *const *)a->masks, a->n_masks, &m) != LAD_OK)
        st = bad_setting(ctx, h, "mask pattern");
    lad_masker_free(&m);
    readlist_free(&l);
    return lad_status_agree(ctx, st);
}

/* Collective. Keys and groups of a mined assigner. */
static enum lad_status read_mined(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_assigner *a)
{
    struct readlist keys, tpl, flags;
    int32_t *key_ev = NULL, *group_ev = NULL;
    memset(&tpl, 0, sizeof tpl);
    memset(&flags, 0, sizeof flags);
    enum lad_status st = read_list(ctx, h, &keys_list, LAD_ASSIGN_FILE_MAX_ITEMS, false, &keys);
    if (st == LAD_OK) st = read_events(ctx, h, LAD_ASSIGNER_H5_KEYS_EVENTS, keys.n, &key_ev);
    if (st == LAD_OK) st = read_list(ctx, h, &templates_list, LAD_ASSIGN_FILE_MAX_ITEMS, true, &tpl);
    if (st == LAD_OK) st = read_list(ctx, h, &flags_list, tpl.n, true, &flags);
    if (st == LAD_OK && flags.n != tpl.n)
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s: %lld group templates but %lld skeleton flags", h->name,
                      (long long)tpl.n, (long long)flags.n);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) st = read_events(ctx, h, LAD_ASSIGNER_H5_GROUPS_EVENTS, tpl.n, &group_ev);
    for (int64_t i = 0; st == LAD_OK && i < keys.n; i++)
        st = lad_assign_add_key(ctx, a, keys.bytes + keys.off[i], (uint32_t)keys.len[i], key_ev[i]);
    for (int64_t g = 0; st == LAD_OK && g < tpl.n; g++) {
        char s1, s2, *t = cstring(&tpl, g, &s1), *f = cstring(&flags, g, &s2);
        st = lad_assign_add_group(ctx, a, t, f, group_ev[g]);
        restore(&flags, g, s2);
        restore(&tpl, g, s1);
    }
    readlist_free(&keys);
    readlist_free(&tpl);
    readlist_free(&flags);
    free(key_ev);
    free(group_ev);
    return lad_status_agree(ctx, st);
}

enum lad_status lad_assign_read(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_events *events,
                                bool with_unknown, struct lad_assigner **out)
{
    struct lad_assigner *a = NULL;
    enum lad_status st = lad_status_agree(ctx, lad_assign_new(ctx, &a));
    if (st == LAD_OK)
        st = lad_status_agree(ctx, read_settings(ctx, h, a));
    if (st == LAD_OK && a->kind == LAD_ASSIGN_MINED)
        st = read_masks(ctx, h, a);
    if (st == LAD_OK && a->kind == LAD_ASSIGN_MINED)
        st = read_mined(ctx, h, a);
    for (int i = 0; st == LAD_OK && a->kind == LAD_ASSIGN_MINED && i < events->n; i++)
        st = lad_events_add(ctx, &a->events, events->ids[i], events->templates[i]);
    if (st == LAD_OK && a->kind == LAD_ASSIGN_MINED && !with_unknown)
        st = lad_events_add(ctx, &a->events, LAD_EVENT_UNKNOWN_ID, LAD_EVENT_UNKNOWN_TEXT);
    if (st == LAD_OK)
        st = lad_assign_finish(ctx, a, h->name);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        lad_assign_free(&a);
    *out = a;
    return st;
}
