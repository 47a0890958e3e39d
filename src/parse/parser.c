/* parser.c - one line: header, message key, session keys, counts. The hot loop of preprocess. */
#include "lad_parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_blockid.h"
#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_linereader.h"
#include "lad_logformat.h"
#include "lad_mask.h"
#include "lad_mem.h"
#include "lad_template.h"
#include "lad_window.h"

/* Direct-mode keys name the event: a prefix byte no log message starts with, then the index. */
#define DIRECT_KEY_PREFIX '\x1e'

void lad_parser_init(struct lad_parser *p, const struct lad_logformat *format,
                     const struct lad_template_set *templates, const struct lad_masker *masker,
                     const struct lad_window *window, size_t max_line)
{
    memset(p, 0, sizeof *p);
    p->max_line = max_line;
    p->format = format;
    p->templates = templates;
    p->masker = masker;
    p->window = window;
    if (templates == NULL)
        p->mode = LAD_KEY_MINED;
    else
        p->mode = templates->digit_free ? LAD_KEY_TEMPLATE_CACHED : LAD_KEY_TEMPLATE_DIRECT;
}

enum lad_status lad_parse_local_init(struct lad_ctx *ctx, const struct lad_parser *p, struct lad_parse_local *loc)
{
    memset(loc, 0, sizeof *loc);
    loc->sessions_cap = LAD_WINDOW_MAX_PER_LINE;
    loc->sessions = lad_malloc_array((size_t)loc->sessions_cap, sizeof *loc->sessions);
    bool ok = loc->sessions && lad_keytab_init(&loc->keys) && lad_counts_init(&loc->counts, 1 << 14);
    if (ok && p->mode == LAD_KEY_MINED)
        ok = (loc->mask_work = lad_mask_work_create(p->masker)) != NULL;
    if (ok && p->window && p->window->line_labels)
        ok = lad_counts_init(&loc->alerts, 64);
    if (!ok) {
        lad_parse_local_free(loc);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for parser state");
    }
    return LAD_OK;
}

void lad_parse_local_free(struct lad_parse_local *loc)
{
    if (loc == NULL)
        return;
    lad_keytab_free(&loc->keys);
    lad_counts_free(&loc->counts);
    lad_counts_free(&loc->alerts);
    lad_mask_work_free(&loc->mask_work);
    lad_free(&loc->scratch);
    loc->scratch_cap = 0;
    lad_free(&loc->sessions);
    loc->sessions_cap = 0;
}

void lad_parse_stats_add(struct lad_parse_stats *a, const struct lad_parse_stats *b)
{
    a->lines += b->lines;
    a->bytes += b->bytes;
    a->malformed += b->malformed;
    a->no_session += b->no_session;
    a->blockid_overflow += b->blockid_overflow;
    a->empty_content += b->empty_content;
    a->oversize += b->oversize;
}

bool lad_parse_line_key(const struct lad_parser *p, struct lad_parse_local *loc, const char *line, size_t len,
                        struct lad_header *hdr, struct lad_line_info *info)
{
    if (len > 0 && line[len - 1] == '\r')
        len--;
    info->header_ok = lad_logformat_match(p->format, line, len, hdr);
    if (info->header_ok) {
        int c = lad_logformat_content_index(p->format);
        info->message = hdr->start[c];
        info->message_len = hdr->len[c];
    } else {
        /* Nothing is dropped: a line that does not fit the format is still counted, as a whole. */
        info->message = line;
        info->message_len = len;
    }
    size_t need = 3 * info->message_len + 32;
    if (need > loc->scratch_cap) {
        void *s = loc->scratch;
        if (!lad_grow(&s, &loc->scratch_cap, need, 1))
            return false;
        loc->scratch = s;
    }
    switch (p->mode) {
    case LAD_KEY_TEMPLATE_CACHED:
        info->key_len = lad_template_key(info->message, info->message_len, loc->scratch, loc->scratch_cap);
        break;
    case LAD_KEY_TEMPLATE_DIRECT: {
        int ev = lad_template_match(p->templates, info->message, info->message_len);
        loc->scratch[0] = DIRECT_KEY_PREFIX;
        info->key_len = 1 + (size_t)snprintf(loc->scratch + 1, loc->scratch_cap - 1, "%d", ev);
        break;
    }
    case LAD_KEY_MINED:
        info->key_len = lad_mask_apply_hashed(p->masker, loc->mask_work, info->message, info->message_len,
                                              loc->scratch, loc->scratch_cap, &info->key_hash);
        info->key = loc->scratch;
        return info->key_len != SIZE_MAX; /* the masker gave the hash */
    }
    info->key = loc->scratch;
    info->key_hash = lad_hash_bytes(info->key, info->key_len, LAD_KEYTAB_SEED);
    return true;
}

/* Session keys of a line into loc->sessions: its block ids, or the time windows it falls in.
 * Returns how many, or -1 on allocation failure. */
static int line_sessions(const struct lad_parser *p, struct lad_parse_local *loc, const char *line, size_t len,
                         const struct lad_header *hdr, bool header_ok)
{
    if (p->window == NULL) {
        for (;;) {
            int overflow = 0, dropped = 0;
            int n = lad_blockid_extract(line, len, loc->sessions, loc->sessions_cap, &overflow, &dropped);
            if (dropped == 0) {
                loc->stats.blockid_overflow += overflow;
                return n;
            }
            /* More blocks on this line than room: grow and extract again. */
            void *a = loc->sessions;
            size_t cap = (size_t)loc->sessions_cap;
            if (!lad_grow(&a, &cap, (size_t)n + (size_t)dropped, sizeof *loc->sessions) || cap > INT32_MAX)
                return -1;
            loc->sessions = a;
            loc->sessions_cap = (int)cap;
        }
    }
    int64_t t;
    if (!header_ok || !lad_window_time(p->window, hdr, &t))
        return 0;
    return lad_window_keys(p->window, t, loc->sessions, loc->sessions_cap);
}

enum lad_status lad_parse_lines(const struct lad_parser *p, struct lad_parse_local *loc, const char *data,
                                size_t len, int64_t global_offset, int64_t *n_lines, int64_t *first_malformed)
{
    struct lad_header hdr;
    struct lad_line_info info;
    int64_t count = 0;
    *first_malformed = -1;
    const char *pos = data, *end = data + len;
    while (pos < end) {
        const char *nl = memchr(pos, '\n', (size_t)(end - pos));
        size_t line_len = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
        int64_t line_pos = global_offset + (pos - data);
        if (lad_line_too_long(pos, line_len, p->max_line)) {
            loc->stats.oversize++;
            count++;
            pos = nl ? nl + 1 : end;
            continue;
        }
        if (!lad_parse_line_key(p, loc, pos, line_len, &hdr, &info))
            return LAD_ERR_NOMEM;
        if (!info.header_ok) {
            loc->stats.malformed++;
            if (*first_malformed < 0)
                *first_malformed = count;
        }
        if (info.message_len == 0)
            loc->stats.empty_content++;
        int32_t key = lad_keytab_add(&loc->keys, info.key, info.key_len, info.key_hash, line_pos);
        if (key < 0)
            return LAD_ERR_NOMEM;
        int n = line_sessions(p, loc, pos, line_len, &hdr, info.header_ok);
        if (n < 0)
            return LAD_ERR_NOMEM;
        if (n == 0)
            loc->stats.no_session++;
        for (int i = 0; i < n; i++)
            if (!lad_counts_add(&loc->counts, loc->sessions[i], key, 1))
                return LAD_ERR_NOMEM;
        if (!lad_window_note_label(p->window, &hdr, info.header_ok, loc->sessions, n, &loc->alerts))
            return LAD_ERR_NOMEM;
        loc->stats.lines++;
        loc->stats.bytes += (int64_t)(nl ? line_len + 1 : line_len);
        count++;
        pos = nl ? nl + 1 : end;
    }
    *n_lines = count;
    return LAD_OK;
}

enum lad_status lad_parse_local_merge_keys(struct lad_ctx *ctx, struct lad_parse_local *dst,
                                           const struct lad_parse_local *src, int32_t **map_out)
{
    const struct lad_keytab *sk = &src->keys;
    int32_t *map = lad_malloc_array((size_t)sk->n, sizeof *map);
    *map_out = NULL;
    if (map == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging parser state");
    for (int32_t i = 0; i < sk->n; i++) {
        map[i] = lad_keytab_add_many(&dst->keys, lad_keytab_text(sk, i), sk->text_len[i], sk->hash[i],
                                     sk->first_pos[i], sk->lines[i]);
        if (map[i] < 0) {
            free(map);
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging parser state");
        }
    }
    lad_parse_stats_add(&dst->stats, &src->stats);
    *map_out = map;
    return LAD_OK;
}
