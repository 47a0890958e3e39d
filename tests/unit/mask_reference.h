/*
 * mask_reference.h - the masker as it was before the fast token pass (src/parse/mask.c and
 * masktoken.c at commit bb74ffe, the mining package's rules), kept verbatim except for names, for
 * test_mask_diff.c: every key the current masker makes must equal this one's. Do not "fix" this copy;
 * if a rule changes on purpose, change it here in the same commit and say why.
 *
 * Names: lad_* -> ref_*, lad__mask_* -> ref_*; everything is static.
 */
#ifndef MASK_REFERENCE_H
#define MASK_REFERENCE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_mask.h"
#include "lad_mem.h"

enum { REF_SPACE = 8, REF_PATH_END = 16 };

/* ---- masktoken.c ---- */
#define WILD "<*>"

/* ASCII classes by table: this scanner runs on every byte of every line, and these are its
 * innermost tests. Bytes >= 0x80 are in no class. */
enum { DIGIT = 1, ALPHA = 2, HEXLETTER = 4, PATH_END = REF_PATH_END };
#define A ALPHA
#define H (ALPHA | HEXLETTER)
static const unsigned char ref_class[256] = {
    ['\0'] = PATH_END, [')'] = PATH_END, [']'] = PATH_END, ['}'] = PATH_END, [','] = PATH_END, [';'] = PATH_END,
    ['"'] = PATH_END, ['\''] = PATH_END,
    [' '] = REF_SPACE, ['\t'] = REF_SPACE, ['\n'] = REF_SPACE, ['\v'] = REF_SPACE,
    ['\f'] = REF_SPACE, ['\r'] = REF_SPACE,
    ['0'] = DIGIT, ['1'] = DIGIT, ['2'] = DIGIT, ['3'] = DIGIT, ['4'] = DIGIT,
    ['5'] = DIGIT, ['6'] = DIGIT, ['7'] = DIGIT, ['8'] = DIGIT, ['9'] = DIGIT,
    ['a'] = H, ['b'] = H, ['c'] = H, ['d'] = H, ['e'] = H, ['f'] = H, ['g'] = A, ['h'] = A, ['i'] = A,
    ['j'] = A, ['k'] = A, ['l'] = A, ['m'] = A, ['n'] = A, ['o'] = A, ['p'] = A, ['q'] = A, ['r'] = A,
    ['s'] = A, ['t'] = A, ['u'] = A, ['v'] = A, ['w'] = A, ['x'] = A, ['y'] = A, ['z'] = A,
    ['A'] = H, ['B'] = H, ['C'] = H, ['D'] = H, ['E'] = H, ['F'] = H, ['G'] = A, ['H'] = A, ['I'] = A,
    ['J'] = A, ['K'] = A, ['L'] = A, ['M'] = A, ['N'] = A, ['O'] = A, ['P'] = A, ['Q'] = A, ['R'] = A,
    ['S'] = A, ['T'] = A, ['U'] = A, ['V'] = A, ['W'] = A, ['X'] = A, ['Y'] = A, ['Z'] = A,
};
#undef A
#undef H

static bool in_class(char c, unsigned cls)
{
    return (ref_class[(unsigned char)c] & cls) != 0;
}

static bool is_digit(char c)
{
    return in_class(c, DIGIT);
}

static bool is_alpha(char c)
{
    return in_class(c, ALPHA);
}

static bool is_alnum(char c)
{
    return in_class(c, DIGIT | ALPHA);
}

static bool is_hex(char c)
{
    return in_class(c, DIGIT | HEXLETTER);
}

static bool is_wild(const char *s, size_t n, size_t i)
{
    return n - i >= 3 && memcmp(s + i, WILD, 3) == 0;
}

static bool ref_token_is_variable(const char *t, size_t n)
{
    bool wild = false;
    for (size_t i = 0; i < n; i++) {
        if (is_wild(t, n, i)) {
            wild = true;
            i += 2;
        } else if (is_alpha(t[i])) {
            return false;
        }
    }
    return wild;
}

/* Length of an IPv4 address (with :port) at s[i], or 0. */
static size_t ip_len(const char *s, size_t n, size_t i)
{
    size_t j = i;
    for (int g = 0; g < 4; g++) {
        size_t d = 0;
        while (j < n && is_digit(s[j]) && d < 4)
            j++, d++;
        if (d == 0 || d > 3)
            return 0;
        if (g < 3) {
            if (j >= n || s[j] != '.')
                return 0;
            j++;
        }
    }
    if (j < n && (is_alnum(s[j]) || (s[j] == '.' && j + 1 < n && is_digit(s[j + 1]))))
        return 0;
    if (j + 1 < n && s[j] == ':' && is_digit(s[j + 1])) {
        size_t k = j + 1;
        while (k < n && is_digit(s[k]))
            k++;
        if (k == n || !is_alnum(s[k]))
            j = k;
    }
    return j - i;
}

/*
 * Length of a MAC or IPv6 address at s[i], or 0: groups of hex digits joined by one separator. A MAC
 * is six or more groups of exactly two digits, joined by ':' or '-' (EUI-48 and EUI-64, and the
 * chip ids that print several of them back to back); IPv6 is groups of 1-4 digits joined by ':',
 * six or more of them, or any number around one "::" (which a clock "12:01:02" never has).
 */
static size_t hexgroups_len(const char *s, size_t n, size_t i)
{
    char sep = 0;
    int groups = 0;
    bool all_two = true, gap = false;
    size_t j = i, end = i;
    while (j < n) {
        size_t d = 0;
        while (j + d < n && is_hex(s[j + d]) && d < 5)
            d++;
        if (d > 4)
            return 0;
        if (d > 0) {
            groups++;
            all_two = all_two && d == 2;
            end = j + d;
        } else if (sep == ':' && !gap && s[j] == ':') {
            gap = true; /* the second ':' of a "::" */
        } else {
            break;
        }
        j += d;
        if (j >= n || (s[j] != ':' && s[j] != '-') || (sep && s[j] != sep))
            break;
        sep = s[j++];
    }
    if (end < n && is_alnum(s[end]))
        return 0;
    bool mac = all_two && groups >= 6 && !gap;
    bool ipv6 = sep == ':' && (groups >= 6 || (gap && groups >= 2));
    return mac || ipv6 ? end - i : 0;
}

/* Whether s[i] starts 1-4 hex digits followed by ':' or '-': the cheap first test of hexgroups_len. */
static bool joined_group(const char *s, size_t n, size_t i)
{
    size_t d = i + 1;
    while (d < n && d - i < 5 && is_hex(s[d]))
        d++;
    return d < n && d - i < 5 && (s[d] == ':' || s[d] == '-');
}

/* Characters that end a path: closing brackets, separators and quotes (and NUL). */
static bool ends_path(char c)
{
    return in_class(c, PATH_END);
}

/* Length of a path starting with the '/' at s[i], or 0 when the stretch has fewer than two '/'. */
static size_t path_len(const char *s, size_t n, size_t i)
{
    size_t j = i, slashes = 0;
    while (j < n && !ends_path(s[j]))
        slashes += s[j++] == '/';
    while (j > i && (s[j - 1] == '.' || s[j - 1] == ':'))
        j--;
    return slashes >= 2 && j - i > 2 ? j - i : 0;
}

/* Letters that name a time unit in a compound duration ("1h30m", "2m30s", "1d2h", "5ms"). */
static bool duration_unit(const char *s, size_t n)
{
    static const char *const units[] = {"d", "h", "m", "s", "ms", "us", "ns"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        if (strlen(units[u]) == n && memcmp(s, units[u], n) == 0)
            return true;
    return false;
}

/* End of a compound duration at s[i] (digits then a time unit, at least twice), or i. */
static size_t duration_end(const char *s, size_t n, size_t i)
{
    size_t j = i;
    int pairs = 0;
    while (j < n && is_digit(s[j])) {
        size_t u = j;
        while (u < n && is_digit(s[u]))
            u++;
        size_t e = u;
        while (e < n && is_alpha(s[e]))
            e++;
        if (!duration_unit(s + u, e - u))
            break;
        j = e;
        pairs++;
    }
    return pairs >= 2 && (j == n || !is_alnum(s[j])) ? j : i;
}

/* Length of the variable (number, hex, block id) starting at the boundary s[i], or 0. */
static size_t run_len(const char *s, size_t n, size_t i, unsigned kinds)
{
    size_t j = i;
    if ((kinds & LAD_MASK_HEX) && j + 2 < n && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X') &&
        is_hex(s[j + 2])) {
        j += 2;
        while (j < n && is_hex(s[j]))
            j++;
        return j - i;
    }
    if ((kinds & LAD_MASK_BLOCK) && n - j > 4 && memcmp(s + j, "blk_", 4) == 0) {
        size_t k = j + 4 + (s[j + 4] == '-');
        size_t d = k;
        while (d < n && is_digit(s[d]))
            d++;
        if (d > k && (d == n || !is_alnum(s[d])))
            return d - i;
    }
    /* the whole alphanumeric run, classified */
    size_t end = j, digits = 0, hexletters = 0, others = 0, lead = 0;
    bool letters_seen = false, digit_after_letter = false;
    if (end < n && (s[end] == '-' || s[end] == '+') && end + 1 < n && is_digit(s[end + 1]))
        end++; /* a sign at a boundary belongs to the number */
    size_t run_start = end;
    while (end < n && is_alnum(s[end])) {
        if (is_digit(s[end])) {
            digits++;
            if (letters_seen)
                digit_after_letter = true;
            else
                lead++;
        } else {
            letters_seen = true;
            if (is_hex(s[end]))
                hexletters++;
            else
                others++;
        }
        end++;
    }
    if (end == run_start)
        return 0;
    if ((kinds & LAD_MASK_NUMBER) && lead > 0 && !letters_seen) {
        /* digits, with ".digits" groups (decimals, versions) and a letters-only unit at the end */
        while (end + 1 < n && s[end] == '.' && is_digit(s[end + 1])) {
            size_t k = end + 1;
            while (k < n && is_digit(s[k]))
                k++;
            if (k < n && is_alpha(s[k])) {
                size_t u = k;
                while (u < n && is_alpha(s[u]))
                    u++;
                if (u < n && is_digit(s[u]))
                    break;
                k = u;
            }
            end = k;
        }
        return end - i;
    }
    if ((kinds & LAD_MASK_NUMBER) && lead > 0 && !digit_after_letter)
        return end - i; /* number with a unit: 10ms, 5KB */
    if ((kinds & LAD_MASK_NUMBER) && lead > 0 && duration_end(s, n, run_start) == end)
        return end - i; /* 1h30m */
    if ((kinds & LAD_MASK_HEX) && others == 0 && digits > 0 && hexletters > 0 && end - run_start >= 4 &&
        run_start == j)
        return end - i;
    return 0;
}

/* Punctuation that joins the fields of one compound identifier. */
static bool joins_fields(char c)
{
    switch (c) {
    case '-': case '_': case '.': case ':': case '/': case '@': case '#': case ',': case '+':
        return true;
    default:
        return false;
    }
}

/* End of the <*> that continues a variable ending at t[i]: after joining punctuation, optionally one
 * letter and more joining punctuation (a field's type tag, "_m_"); i when none follows. */
static size_t next_field(const char *t, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && joins_fields(t[j]))
        j++;
    if (j > i && j + 1 < n && is_alpha(t[j]) && joins_fields(t[j + 1])) {
        size_t k = j + 1;
        while (k < n && joins_fields(t[k]))
            k++;
        if (is_wild(t, n, k))
            return k + 3;
    }
    return is_wild(t, n, j) ? j + 3 : i;
}

/* Rewrites the masked token t[0, n) in place so that each compound variable is one <*> and a sign
 * before a variable is part of it; returns the new length (never longer) and whether a letter is left
 * outside the <*>. */
static size_t tidy(char *t, size_t n, bool *letters)
{
    size_t w = 0;
    bool alpha = false;
    for (size_t r = 0; r < n;) {
        if (is_wild(t, n, r)) {
            r += 3;
            for (size_t next; (next = next_field(t, n, r)) != r;)
                r = next;
            memcpy(t + w, WILD, 3);
            w += 3;
        } else if ((t[r] == '-' || t[r] == '+') && is_wild(t, n, r + 1) && (w == 0 || !is_alnum(t[w - 1]))) {
            r++; /* the sign of the number that follows */
        } else {
            alpha = alpha || is_alpha(t[r]);
            t[w++] = t[r++];
        }
    }
    *letters = alpha;
    return w;
}

static size_t ref_mask_token(const char *s, size_t n, unsigned kinds, char *out, bool *variable)
{
    size_t w = 0, i = 0;
    bool masked = false;
    while (i < n) {
        bool boundary = i == 0 || !is_alnum(s[i - 1]);
        size_t len = 0;
        if (s[i] == '<' && is_wild(s, n, i)) {
            memcpy(out + w, WILD, 3);
            w += 3;
            i += 3;
            masked = true;
            continue;
        }
        if (boundary && s[i] == '/' && (kinds & LAD_MASK_PATH) && (i == 0 || s[i - 1] != '.'))
            len = path_len(s, n, i);
        if (len == 0 && boundary && (kinds & LAD_MASK_HEX) && is_hex(s[i]) && (i == 0 || s[i - 1] != ':') &&
            joined_group(s, n, i))
            len = hexgroups_len(s, n, i);
        if (len == 0 && boundary && (kinds & LAD_MASK_IP) && is_digit(s[i]) && (i == 0 || s[i - 1] != '.'))
            len = ip_len(s, n, i);
        if (len == 0 && boundary && (is_alnum(s[i]) || s[i] == '-' || s[i] == '+'))
            len = run_len(s, n, i, kinds);
        if (len > 0) {
            memcpy(out + w, WILD, 3);
            w += 3;
            i += len;
            masked = true;
        } else if (is_alnum(s[i])) {
            /* a literal run: copied whole, so no later position inside it counts as a boundary */
            while (i < n && is_alnum(s[i]))
                out[w++] = s[i++];
        } else {
            out[w++] = s[i++];
        }
    }
    bool letters = true;
    if (masked)
        w = tidy(out, w, &letters);
    *variable = !letters;
    return w;
}

/* Size units that follow a number as a word of their own ("18.4 KB"): bytes and their multiples. */
static bool ref_size_unit(const char *t, size_t n)
{
    /* every unit starts with one of these and has at most 3 letters: most tokens stop here */
    switch (n > 0 ? t[0] : '\0') {
    case 'B': case 'K': case 'M': case 'G': case 'T': case 'P': case 'k':
        break;
    default:
        return false;
    }
    while (n > 0 && !is_alnum(t[n - 1])) /* "KB)", "MB," */
        n--;
    if (n == 1)
        return t[0] == 'B';
    if (n == 2)
        return t[1] == 'B' && t[0] != 'B';
    return n == 3 && t[1] == 'i' && t[2] == 'B' && strchr("KMGT", t[0]);
}

/* ---- mask.c ---- */

struct ref_masker;
struct ref_mask_work;
static void ref_masker_free(struct ref_masker **mp);
static void ref_mask_work_free(struct ref_mask_work **wp);

/* A cheap test that a built-in pattern cannot match s[0, n), so the regex need not run on most lines. */
typedef bool (*may_match_fn)(const char *s, size_t n);

struct ref_masker {
    unsigned builtin;
    int n_patterns;     /* built-in date-time patterns first, then the caller's */
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
static bool may_match_time(const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; (p = memchr(p, ':', (size_t)(end - p))) != NULL && end - p > 3; p++)
        if (p[3] == ':' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9')
            return true;
    return false;
}

/* A UUID is 36 bytes with four '-'. */
static bool may_match_uuid(const char *s, size_t n)
{
    int dashes = 0;
    for (const char *p = s, *end = s + n; n >= 36 && (p = memchr(p, '-', (size_t)(end - p))) != NULL; p++)
        if (++dashes == 4)
            return true;
    return false;
}

struct ref_mask_work {
    int n;
    pcre2_match_data **md;
    char *buf[2]; /* ping-pong buffers for the pattern pass */
    size_t cap;
};

static enum lad_status ref_masker_create(struct lad_ctx *ctx, unsigned builtin, const char *const *patterns,
                                  int n_patterns, struct ref_masker **out)
{
    *out = NULL;
    struct ref_masker *m = calloc(1, sizeof *m);
    const char *early[2];
    int n_early = 0;
    may_match_fn filters[2];
    if (builtin & LAD_MASK_TIME) {
        filters[n_early] = may_match_time;
        early[n_early++] = time_pattern;
    }
    if (builtin & LAD_MASK_HEX) {
        filters[n_early] = may_match_uuid;
        early[n_early++] = uuid_pattern;
    }
    int n_all = n_early + (n_patterns > 0 ? n_patterns : 0);
    if (m == NULL || (n_all > 0 && (m->codes = lad_calloc_array((size_t)n_all, sizeof *m->codes)) == NULL)) {
        ref_masker_free(&m);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the masker");
    }
    m->builtin = builtin & LAD_MASK_ALL;
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
        ref_masker_free(&m);
    *out = m;
    return st;
}

static void ref_masker_free(struct ref_masker **mp)
{
    struct ref_masker *m = *mp;
    if (m == NULL)
        return;
    for (int i = 0; i < m->n_patterns; i++)
        pcre2_code_free(m->codes[i]);
    free(m->codes);
    free(m);
    *mp = NULL;
}

static struct ref_mask_work *ref_mask_work_create(const struct ref_masker *m)
{
    struct ref_mask_work *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->n = m ? m->n_patterns : 0;
    w->md = lad_calloc_array((size_t)w->n, sizeof *w->md);
    bool ok = w->md != NULL;
    for (int i = 0; ok && i < w->n; i++)
        ok = (w->md[i] = pcre2_match_data_create_from_pattern(m->codes[i], NULL)) != NULL;
    if (!ok)
        ref_mask_work_free(&w);
    return w;
}

static void ref_mask_work_free(struct ref_mask_work **wp)
{
    struct ref_mask_work *w = *wp;
    if (w == NULL)
        return;
    for (int i = 0; w->md && i < w->n; i++)
        pcre2_match_data_free(w->md[i]);
    free(w->md);
    free(w->buf[0]);
    free(w->buf[1]);
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
static bool reserve(struct ref_mask_work *w, size_t n)
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

/* ---- pass 2: the built-in scanner (masktoken.c), token by token ---- */

static bool is_space(char c)
{
    return (ref_class[(unsigned char)c] & REF_SPACE) != 0;
}

/* Offset of the first <*> in t[0, n) (n if none), and the end of the last one (0 if none). */
static size_t first_wild(const char *t, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(t + i, WILD, 3) == 0)
            return i;
    return n;
}

static size_t last_wild_end(const char *t, size_t n)
{
    for (size_t i = n; i >= 3; i--)
        if (memcmp(t + i - 3, WILD, 3) == 0)
            return i;
    return 0;
}

/* Whether the punctuation t[0, end) after a variable separates items of a list: none, ',' or ';'. */
static bool lists(const char *t, const char *end)
{
    return t == end || (end - t == 1 && (*t == ',' || *t == ';'));
}

static size_t ref_mask_apply(const struct ref_masker *m, struct ref_mask_work *w, const char *s, size_t n, char *out,
                      size_t cap)
{
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
    /* Pass 2 token by token; the key is the tokens joined by one space. A token that could outgrow
     * cap is masked into the scratch buffer first (only patterns that re-match earlier <*> can make
     * the key longer than 3n). */
    bool scan = (m->builtin & ~(unsigned)LAD_MASK_RUNS) != 0;
    size_t len = 0, prev = 0; /* prev: where the last token of the key starts */
    bool prev_variable = false;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i]))
            i++;
        if (i == n)
            break;
        size_t b = i;
        while (i < n && !is_space(s[i]))
            i++;
        /* A size unit after a number is part of it ("18.4 KB)" -> "<*>)"): only its punctuation stays. */
        if ((m->builtin & LAD_MASK_NUMBER) && i - b <= 5 && len - prev >= 3 && ref_size_unit(s + b, i - b) &&
            memcmp(out + len - 3, WILD, 3) == 0) {
            size_t unit = i - b;
            while (unit > 0 && !is_space(s[b]) && ((s[b] >= 'A' && s[b] <= 'Z') || (s[b] >= 'a' && s[b] <= 'z')))
                b++, unit--;
            size_t room = cap - len;
            memcpy(out + len, s + b, unit < room ? unit : room);
            len += unit < room ? unit : room;
            continue;
        }
        size_t start = len;
        if (len > 0) {
            if (len == cap)
                break;
            out[len++] = ' ';
        }
        size_t tok = len;
        bool variable = false;
        if (scan && len + 3 * (i - b) > cap) {
            char *tmp = malloc(3 * (i - b));
            if (tmp == NULL)
                return SIZE_MAX;
            size_t t = ref_mask_token(s + b, i - b, m->builtin, tmp, &variable);
            t = t < cap - len ? t : cap - len;
            memcpy(out + len, tmp, t);
            free(tmp);
            len += t;
            variable = ref_token_is_variable(out + tok, len - tok); /* it may have been cut */
        } else if (scan) {
            len += ref_mask_token(s + b, i - b, m->builtin, out + len, &variable);
        } else {
            size_t t = len + (i - b) > cap ? cap - len : i - b;
            memcpy(out + len, s + b, t);
            len += t;
            variable = ref_token_is_variable(out + tok, t);
        }
        /* A variable token right after another, with at most a list separator between them, is the
         * same variable (a list of any length): the two become one <*>, with the punctuation before the
         * first and after the last ("(<*>)", "[<*>]"). Other punctuation between them stays
         * ("(TID <*>). <*> bytes"). */
        if ((m->builtin & LAD_MASK_RUNS) && start > 0 && variable && prev_variable &&
            first_wild(out + tok, len - tok) == 0 &&
            lists(out + prev + last_wild_end(out + prev, start - prev), out + start)) {
            size_t keep = prev + first_wild(out + prev, start - prev) + 3;
            size_t tail = tok + last_wild_end(out + tok, len - tok);
            memmove(out + keep, out + tail, len - tail);
            len = keep + (len - tail);
        } else {
            prev = tok;
            prev_variable = variable;
        }
    }
    return len;
}

#endif
