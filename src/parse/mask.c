/*
 * mask.c - the mining key of a message: variable text replaced by <*>, tokens joined by one space.
 *
 * Two passes, in the order the logparser benchmark applies them to Drain's input:
 *   1. PCRE2 patterns on the raw message, each replacing every match by <*> (Python's re.sub, except
 *      that empty matches are ignored): first the built-in ones that span tokens or that the
 *      caller's patterns could cut up (date-times for LAD_MASK_TIME, UUIDs for LAD_MASK_HEX), then
 *      the preset's and the user's, in order. JIT-compiled; one match data per pattern in each
 *      thread's work area. Non-UTF mode with UCP, so bytes >= 0x80 are Latin-1 characters, as
 *      logparser sees them after reading the log as ISO-8859-1.
 *   2. the built-in scanner over each whitespace-separated token (masktoken.c says what it masks).
 *      A size unit written as a word after a number is part of it ("18.4 KB" is one variable).
 * Before both, a work area whose masker has no patterns but the built-in ones looks for a recent key
 * that the message provably reads as (maskcache.c); a key the passes give is offered to it.
 *
 * Punctuation outside a variable stays ("size <*>, free <*>)"), as in loghub's templates; tokens that
 * are variables as a whole ("<*>,", "(<*>)") are told apart from constants by
 * lad_mask_token_is_variable, which Drain uses too. With LAD_MASK_RUNS consecutive variable tokens
 * become one, so a list of any length ("delete blk_1 blk_2 ...") gives one key length.
 */
#include "lad_mask.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_keytab.h"
#include "lad_mem.h"
#include "mask_internal.h"

#define WILD "<*>"

/* A cheap test that a built-in pattern cannot match s[0, n), so the regex need not run on most lines. */
typedef bool (*may_match_fn)(const char *s, size_t n);

struct lad_masker {
    unsigned builtin;
    int n_patterns;     /* built-in date-time patterns first, then the caller's */
    int n_builtin_patterns;
    pcre2_code **codes;
    may_match_fn prefilter[2]; /* for the built-in patterns, which come first */
};

/* Date-times that span tokens, for LAD_MASK_TIME: ctime ("Sun Jul 10 03:55:15 2005"), syslog
 * ("Jul 10 03:55:15") and ISO 8601 ("2017-05-16 00:00:00.008", "2017-05-16T00:00:00Z"). */
#define MONTHS "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
static const char time_pattern[] =
    "\\b(?:(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s+)?" MONTHS
    "\\s+\\d{1,2}\\s+\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:\\s+\\d{4})?"
    "|\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?)\\b";

/* UUIDs, for LAD_MASK_HEX: matched before the caller's patterns, which may cut them up (OpenStack's
 * benchmark pattern \d+ would leave "bf<*>c<*>d-f<*>..."). */
static const char uuid_pattern[] =
    "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b";

/* Every time_pattern match holds a clock "d:dd:dd" (two ':' three bytes apart, with digits between). */
bool lad__mask_may_match_time(const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; (p = memchr(p, ':', (size_t)(end - p))) != NULL && end - p > 3; p++)
        if (p[3] == ':' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9')
            return true;
    return false;
}

/* A UUID is 36 bytes with four '-'. */
bool lad__mask_may_match_uuid(const char *s, size_t n)
{
    int dashes = 0;
    for (const char *p = s, *end = s + n; n >= 36 && (p = memchr(p, '-', (size_t)(end - p))) != NULL; p++)
        if (++dashes == 4)
            return true;
    return false;
}

struct lad_mask_work {
    int n;
    pcre2_match_data **md;
    char *buf[2]; /* ping-pong buffers for the pattern pass */
    size_t cap;
    struct lad__mask_cache *cache; /* keys proven again for later messages (maskcache.c); NULL: none */
};

enum lad_status lad_masker_create(struct lad_ctx *ctx, unsigned builtin, const char *const *patterns,
                                  int n_patterns, struct lad_masker **out)
{
    *out = NULL;
    struct lad_masker *m = calloc(1, sizeof *m);
    const char *early[2];
    int n_early = 0;
    may_match_fn filters[2];
    if (builtin & LAD_MASK_TIME) {
        filters[n_early] = lad__mask_may_match_time;
        early[n_early++] = time_pattern;
    }
    if (builtin & LAD_MASK_HEX) {
        filters[n_early] = lad__mask_may_match_uuid;
        early[n_early++] = uuid_pattern;
    }
    int n_all = n_early + (n_patterns > 0 ? n_patterns : 0);
    if (m == NULL || (n_all > 0 && (m->codes = lad_calloc_array((size_t)n_all, sizeof *m->codes)) == NULL)) {
        lad_masker_free(&m);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the masker");
    }
    m->builtin = builtin & LAD_MASK_ALL;
    m->n_builtin_patterns = n_early;
    for (int i = 0; i < n_early; i++)
        m->prefilter[i] = filters[i];
    enum lad_status st = LAD_OK;
    for (int i = 0; i < n_all && st == LAD_OK; i++) {
        int err;
        PCRE2_SIZE at;
        const char *src = i < n_early ? early[i] : patterns[i - n_early];
        m->codes[i] = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UCP, &err, &at, NULL);
        m->n_patterns = i + 1;
        if (m->codes[i] == NULL) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            st = lad_fail(ctx, LAD_ERR_USAGE, "mask pattern '%s' does not compile: %s at offset %zu", src,
                          (const char *)msg, (size_t)at);
        } else {
            /* JIT is a speed-up only: where it is unavailable the interpreter gives the same matches. */
            (void)pcre2_jit_compile(m->codes[i], PCRE2_JIT_COMPLETE);
        }
    }
    if (st != LAD_OK)
        lad_masker_free(&m);
    *out = m;
    return st;
}

void lad_masker_free(struct lad_masker **mp)
{
    struct lad_masker *m = *mp;
    if (m == NULL)
        return;
    for (int i = 0; i < m->n_patterns; i++)
        pcre2_code_free(m->codes[i]);
    free(m->codes);
    free(m);
    *mp = NULL;
}

struct lad_mask_work *lad_mask_work_create(const struct lad_masker *m)
{
    struct lad_mask_work *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->n = m ? m->n_patterns : 0;
    w->md = lad_calloc_array((size_t)w->n, sizeof *w->md);
    bool ok = w->md != NULL;
    for (int i = 0; ok && i < w->n; i++)
        ok = (w->md[i] = pcre2_match_data_create_from_pattern(m->codes[i], NULL)) != NULL;
    /* The cache proves keys with pass 2's shapes, so it serves maskers whose only patterns are the
     * built-in ones (the caller's run first and could change any token) and that mask something. */
    if (ok && m != NULL && m->n_patterns == m->n_builtin_patterns && (m->builtin & ~(unsigned)LAD_MASK_RUNS) != 0)
        ok = (w->cache = lad__mask_cache_create(m->builtin, m->n_patterns > 0)) != NULL;
    if (!ok)
        lad_mask_work_free(&w);
    return w;
}

void lad_mask_work_free(struct lad_mask_work **wp)
{
    struct lad_mask_work *w = *wp;
    if (w == NULL)
        return;
    for (int i = 0; w->md && i < w->n; i++)
        pcre2_match_data_free(w->md[i]);
    free(w->md);
    free(w->buf[0]);
    free(w->buf[1]);
    lad__mask_cache_free(&w->cache);
    free(w);
    *wp = NULL;
}

/* ---- pass 1: patterns ---- */

/* Replaces every non-empty match of code in s[0, n) by <*> into out (room for 3n bytes: a match is
 * at least one byte). */
static size_t substitute(const pcre2_code *code, pcre2_match_data *md, const char *s, size_t n, char *out)
{
    size_t w = 0, pos = 0, copied = 0;
    while (pos <= n) {
        int rc = pcre2_match(code, (PCRE2_SPTR)s, n, pos, 0, md, NULL);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT) /* a user pattern deeper than JIT's stack: interpret it */
            rc = pcre2_match(code, (PCRE2_SPTR)s, n, pos, PCRE2_NO_JIT, md, NULL);
        if (rc < 0) /* no match, or a match or depth limit hit: the rest is left as it is */
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t b = ov[0], e = ov[1];
        if (e <= b) { /* an empty match replaces nothing: look again one byte further */
            pos = b + 1;
            continue;
        }
        memcpy(out + w, s + copied, b - copied);
        w += b - copied;
        memcpy(out + w, WILD, 3);
        w += 3;
        copied = pos = e;
    }
    memcpy(out + w, s + copied, n - copied);
    return w + n - copied;
}

/* Room for 3n + 16 bytes in both pattern buffers; false on allocation failure. */
static bool reserve(struct lad_mask_work *w, size_t n)
{
    size_t need = 3 * n + 16;
    if (need <= w->cap)
        return true;
    char *a = realloc(w->buf[0], need);
    if (a == NULL)
        return false;
    w->buf[0] = a;
    char *b = realloc(w->buf[1], need);
    if (b == NULL)
        return false;
    w->buf[1] = b;
    w->cap = need;
    return true;
}

long lad_mask_work_cache_hits(const struct lad_mask_work *w)
{
    return w ? lad__mask_cache_hits(w->cache) : 0;
}

/* The key by the two passes, without the cache. */
static size_t mask_passes(const struct lad_masker *m, struct lad_mask_work *w, const char *s, size_t n, char *out,
                          size_t cap)
{
    /* The built-in patterns match inside one token (a clock "d:dd:dd", a 36-byte UUID): when they are
     * the only ones, pass 2 runs on the raw message first and checks with their prefilters the tokens
     * it cannot vouch for. Only where one may match does the message go through both passes. */
    if (m->n_patterns == m->n_builtin_patterns) {
        bool unsure = false;
        size_t len = lad__mask_tokens(m->builtin, m->n_patterns > 0, s, n, out, cap, &unsure);
        if (!unsure)
            return len;
    }
    /* Pass 1 on the raw message: a pattern may span or swallow whitespace, as in re.sub. */
    if (m->n_patterns > 0) {
        int cur = -1; /* the buffer holding the text so far; -1: still the caller's s */
        for (int p = 0; p < m->n_patterns; p++) {
            if (p < 2 && m->prefilter[p] && !m->prefilter[p](cur < 0 ? s : w->buf[cur], n))
                continue;
            if (!reserve(w, n)) /* may move both buffers: address them only after this */
                return SIZE_MAX;
            int next = cur == 0 ? 1 : 0;
            n = substitute(m->codes[p], w->md[p], cur < 0 ? s : w->buf[cur], n, w->buf[next]);
            cur = next;
        }
        if (cur >= 0) /* else every pattern was skipped: the text is still the caller's */
            s = w->buf[cur];
    }
    /* Pass 2 token by token (maskpass.c). */
    return lad__mask_tokens(m->builtin, false, s, n, out, cap, NULL);
}

size_t lad_mask_apply_hashed(const struct lad_masker *m, struct lad_mask_work *w, const char *s, size_t n, char *out,
                             size_t cap, uint64_t *hash)
{
    uint64_t h;
    size_t len = w->cache != NULL ? lad__mask_cache_find(w->cache, s, n, out, cap, &h) : SIZE_MAX;
    if (len == SIZE_MAX) {
        len = mask_passes(m, w, s, n, out, cap);
        if (len == SIZE_MAX)
            return len;
        bool cache = w->cache != NULL && len < cap;
        if (hash != NULL || cache)
            h = lad_hash_bytes(out, len, LAD_KEYTAB_SEED);
        if (cache)
            lad__mask_cache_add(w->cache, s, n, out, len, h);
    }
    if (hash != NULL)
        *hash = h;
    return len;
}

size_t lad_mask_apply(const struct lad_masker *m, struct lad_mask_work *w, const char *s, size_t n, char *out,
                      size_t cap)
{
    return lad_mask_apply_hashed(m, w, s, n, out, cap, NULL);
}
