/*
 * maskpass.c - pass 2 of the masker: the message token by token, each token's variables replaced by
 * <*> (the rules are masktoken.c's), the tokens joined by one space.
 *
 * lad__mask_token tries every variable kind at every boundary of a token and then tidies the result,
 * which costs ~40 instructions a byte. Most tokens of a real log have one of a few shapes whose key
 * the rules give directly: a word with no digit ("Receiving", "src:"), a number, an IPv4 address with
 * its port, the same after a '/', a path, an HDFS block id. token_shape reads the token once, from
 * its first byte, and either recognises such a shape or finds the token's end and leaves it to
 * lad__mask_token. It never guesses: each shape says why the full scanner gives the same bytes, and
 * test_mask_diff.c compares both on every loghub sample line, mutations and random messages. A change
 * to a rule in masktoken.c must be checked against the shapes here.
 *
 * Around the tokens: a size unit after a number joins it ("18.4 KB" is one variable), and with
 * LAD_MASK_RUNS consecutive variable tokens become one (lists of any length give one key).
 */
#include "mask_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_mask.h"
#include "parse_internal.h"

#define WILD "<*>"

/* Byte classes, as a constant expression so that the compiler builds the table. */
enum {
    T_SPACE = 1,    /* ASCII whitespace: ends a token (Python's str.split()) */
    T_DIGIT = 2,
    T_LETTER = 4,   /* ASCII letters */
    T_SEP = 8,      /* ':' and '-', which join the groups of MAC and IPv6 addresses */
    T_SLASH = 16,   /* starts a path */
    T_WILD = 32,    /* '<', which may start the <*> of a pattern */
    T_PATH_END = 64 /* bytes that end a path: ) ] } , ; " ' and NUL */
};
#define T_OF(c)                                                                                                 \
    ((c) == ' ' || ((c) >= '\t' && (c) <= '\r')                   ? T_SPACE                                     \
     : (c) >= '0' && (c) <= '9'                                   ? T_DIGIT                                     \
     : ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z')   ? T_LETTER                                    \
     : (c) == ':' || (c) == '-'                                   ? T_SEP                                       \
     : (c) == '/'                                                 ? T_SLASH                                     \
     : (c) == '<'                                                 ? T_WILD                                      \
     : (c) == ')' || (c) == ']' || (c) == '}' || (c) == ',' || (c) == ';' || (c) == '"' || (c) == '\'' ||      \
               (c) == 0                                           ? T_PATH_END                                  \
                                                                  : 0)
#define T4(c) T_OF(c), T_OF((c) + 1), T_OF((c) + 2), T_OF((c) + 3)
#define T16(c) T4(c), T4((c) + 4), T4((c) + 8), T4((c) + 12)
#define T64(c) T16(c), T16((c) + 16), T16((c) + 32), T16((c) + 48)
static const unsigned char token_class[256] = {T64(0), T64(64), T64(128), T64(192)};

static inline bool is_space(char c)
{
    return (token_class[(unsigned char)c] & T_SPACE) != 0;
}

static inline bool is_digit(char c)
{
    return (unsigned char)(c - '0') <= 9;
}

/* Hex digit letters a-f, A-F. */
static inline bool is_hex_letter(char c)
{
    return (unsigned char)((c | 0x20) - 'a') <= 'f' - 'a';
}

/*
 * Whether the byte s[i] of a token, one in '-'..'<' (- . / 0-9 : ; <), leaves the token a word that
 * no rule changes. Without a digit, '/' or '<' no kind starts but the MAC and IPv6 addresses of hex
 * letters ("dead:beef:...", "ab::cd"): two or more groups of hex digits joined by ':' or '-'. So a
 * ':' or '-' followed by a hex letter, ':' or '-' makes the token one for the full scanner; one at
 * the end or before anything else ("src:", "Non-DFS") joins no two groups. '.' and ';' join nothing.
 */
static inline bool word_byte_ok(const char *s, size_t i, size_t n)
{
    char c = s[i];
    if (c == '.' || c == ';')
        return true;
    if (c == ':' || c == '-')
        return i + 1 == n || !(is_hex_letter(s[i + 1]) || s[i + 1] == ':' || s[i + 1] == '-');
    return false; /* a digit, '/' or '<' */
}

/*
 * End of the token that starts at s[i] (its first whitespace byte, or n), and in *unchanged whether
 * it is a word no rule changes (word_byte_ok on each of its bytes in '-'..'<'). Eight bytes at a
 * time: whitespace candidates (bytes below 0x21) and bytes in the range are flagged in one word each;
 * the first candidate is exact, and a control byte that is not whitespace sends the token to the
 * byte loop from that word on. Most words have no byte in the range at all.
 */
static inline size_t word_end(const char *s, size_t i, size_t n, bool *unchanged)
{
    bool ok = true;
#if LAD__SWAR
    while (n - i >= 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t low = (x - 0x21 * LAD__ONES) & ~x & LAD__HIGHS;
        uint64_t range = lad__bytes_between(x, '-' - 1, '<' + 1);
        unsigned k = 8;
        if (low != 0) {
            k = (unsigned)__builtin_ctzll(low) / 8;
            if (!is_space(s[i + k]))
                break;
            range &= (1ULL << (8 * k)) - 1; /* bytes after the token's end do not count */
        }
        for (; ok && range != 0; range &= range - 1)
            ok = word_byte_ok(s, i + (unsigned)__builtin_ctzll(range) / 8, n);
        if (k < 8) {
            *unchanged = ok;
            return i + k;
        }
        i += 8;
    }
#endif
    for (; i < n && !is_space(s[i]); i++)
        if (ok && s[i] >= '-' && s[i] <= '<')
            ok = word_byte_ok(s, i, n);
    *unchanged = ok;
    return i;
}

/* Whether s[i] ends a token. */
static inline bool at_end(const char *s, size_t i, size_t n)
{
    return i == n || is_space(s[i]);
}

#if LAD__SWAR
/* The number of flags in x, or 2 if more. */
static inline size_t up_to_two(uint64_t x)
{
    return (x != 0) + ((x & (x - 1)) != 0);
}
#endif

/*
 * End of the stretch at s[i] that a path can fill: up to whitespace, a byte that ends a path
 * () ] } , ; " ' NUL) or '<'; *slashes gets its number of '/' (each word's counted up to two: a path
 * needs two, and x86-64's baseline has no popcount instruction). Paths are the longest tokens of many
 * logs, so eight bytes at a time: the bytes that may stop it (below 0x21, 0x22-0x2c, ';', '<', ']',
 * '}') are flagged together and the first is checked, the '/' before it counted.
 */
static inline size_t path_end(const char *s, size_t i, size_t n, size_t *slashes)
{
    size_t count = 0;
#if LAD__SWAR
    while (n - i >= 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t stop = ((x - 0x21 * LAD__ONES) & ~x & LAD__HIGHS) | lad__bytes_between(x, 0x21, 0x2d) |
                        lad__bytes_between(x, ':', '=') | lad__bytes_between(x, '\\', '^') | lad__bytes_between(x, '|', '~');
        uint64_t slash = lad__bytes_between(x, '.', '0');
        if (stop != 0) {
            unsigned k = (unsigned)__builtin_ctzll(stop) / 8;
            count += up_to_two(slash & ((1ULL << (8 * k)) - 1));
            i += k;
            if (token_class[(unsigned char)s[i]] & (T_SPACE | T_PATH_END | T_WILD))
                break;
            count += s[i++] == '/'; /* a byte that only looked like a stop ('#', '(', a control byte) */
            continue;
        }
        count += up_to_two(slash);
        i += 8;
    }
#endif
    for (; i < n && !(token_class[(unsigned char)s[i]] & (T_SPACE | T_PATH_END | T_WILD)); i++)
        count += s[i] == '/';
    *slashes = count;
    return i;
}

/* End of a group of 1-3 digits at s[i], or 0 (a longer run is no IPv4 group, as in ip_len). Unrolled:
 * the groups of an address are read a few million times a second. */
static inline size_t group_end(const char *s, size_t i, size_t n)
{
    if (i >= n || !is_digit(s[i]))
        return 0;
    if (i + 1 == n || !is_digit(s[i + 1]))
        return i + 1;
    if (i + 2 == n || !is_digit(s[i + 2]))
        return i + 2;
    return i + 3 < n && is_digit(s[i + 3]) ? 0 : i + 3;
}

/* End of an IPv4 address at s[i] (four groups of 1-3 digits, a ":port" of digits if one follows), or
 * 0. */
static size_t ipv4_end(const char *s, size_t i, size_t n)
{
    for (int g = 0; g < 4; g++) {
        if ((i = group_end(s, i, n)) == 0)
            return 0;
        if (g < 3 && (i == n || s[i++] != '.'))
            return 0;
    }
    if (i + 1 < n && s[i] == ':' && is_digit(s[i + 1]))
        i = lad__digits_end(s, i + 1, n);
    return i;
}

/* Copies the n bytes of a token: most are short, and a call to memcpy costs more than the copy. */
static inline void copy_token(char *dst, const char *src, size_t n)
{
    if (n >= 8 && n <= 16) { /* two 8-byte moves that overlap in the middle */
        uint64_t a, b;
        memcpy(&a, src, 8);
        memcpy(&b, src + n - 8, 8);
        memcpy(dst, &a, 8);
        memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) { /* the same with 4 bytes */
        uint32_t a, b;
        memcpy(&a, src, 4);
        memcpy(&b, src + n - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + n - 4, &b, 4);
    } else if (n > 16) {
        memcpy(dst, src, n);
    } else {
        for (size_t i = 0; i < n; i++)
            dst[i] = src[i];
    }
}

/* What token_shape found in the token s[b, end): a word copied as it is (PLAIN); a variable whose
 * key is s[b, b + wild_at) <*> s[tail, end) (NUMBER, IPV4 with or without the '/' before it, PATH,
 * BLOCK); or a token for lad__mask_token (FULL). */
enum shape_kind { PLAIN, NUMBER, IPV4, PATH, BLOCK, FULL };
struct shape {
    enum shape_kind kind;
    size_t end, wild_at, tail;
};

/*
 * The shape of the token at s[b] (b < n, not whitespace), read once from its first byte.
 */
static struct shape token_shape(const char *s, size_t b, size_t n, unsigned kinds)
{
    struct shape sh = {FULL, b, 0, 0};
    size_t i = b;    /* how far the shape was read */
    size_t tail = 0; /* for a WILD shape: where the bytes after the <*> start */
    if (is_digit(s[b])) {
        i = lad__digits_end(s, b, n);
        if (at_end(s, i, n) && (kinds & LAD_MASK_NUMBER)) {
            /* Digits only: no hex group (no ':' or '-' follows), no IPv4 address (no '.'), so
             * run_len takes the whole run as a number. */
            sh.kind = NUMBER;
            tail = i;
        } else if (i - b <= 3 && s[i] == '.' && (kinds & LAD_MASK_IP)) {
            /* 10.251.30.6:50010: the first group ends at '.', so it is no hex group; ip_len takes it
             * all, the port too, as nothing follows it. */
            size_t e = ipv4_end(s, b, n);
            if (e > 0 && at_end(s, e, n)) {
                sh.kind = IPV4;
                i = tail = e;
            }
        }
    } else if (s[b] == '/') {
        /* A path is tried first at a '/' that starts a token. */
        size_t e = b + 1 < n && is_digit(s[b + 1]) && (kinds & LAD_MASK_IP) ? ipv4_end(s, b + 1, n) : 0;
        if (e > 0 && at_end(s, e, n)) {
            /* /10.251.30.6:50010: one '/' is no path, so the '/' stays and the address is masked. */
            sh.kind = IPV4;
            sh.wild_at = 1;
            i = tail = e;
        } else if (kinds & LAD_MASK_PATH) {
            /* A path filling the token (no byte that ends a path, no '<'), with two '/' and more than
             * two bytes: the path is masked, the '.' and ':' after it stay, and tidy joins nothing
             * to the <*> as no field follows that punctuation. */
            size_t slashes = 0;
            i = path_end(s, b, n, &slashes);
            for (tail = i; tail > b && (s[tail - 1] == '.' || s[tail - 1] == ':'); tail--)
                ;
            if (at_end(s, i, n) && slashes >= 2 && tail - b > 2)
                sh.kind = PATH;
        }
    } else if (s[b] == 'b' && (kinds & LAD_MASK_BLOCK) && n - b > 4 && memcmp(s + b, "blk_", 4) == 0) {
        /* 'b' starts no hex group ("bl" is no hex), so run_len sees "blk_" and the digits. */
        size_t d = b + 4 + (s[b + 4] == '-');
        i = lad__digits_end(s, d, n);
        if (i > d && at_end(s, i, n)) {
            sh.kind = BLOCK;
            tail = i;
        }
    }
    if (sh.kind != FULL) {
        sh.end = i;
        sh.tail = tail;
        return sh;
    }
    /* Not one of those: find the end from where the shape stopped (no whitespace before it). A
     * token that starts with a digit or '/' is no unchanged word. */
    bool unchanged = false;
    size_t from = i;
    if (from == b || !at_end(s, from, n)) {
        i = word_end(s, from, n, &unchanged);
        unchanged = unchanged && from == b; /* else bytes before `from` were not looked at */
    }
    sh.end = i;
    sh.kind = unchanged ? PLAIN : FULL;
    return sh;
}

struct lad__mask_shape lad__mask_token_shape(const char *s, size_t b, size_t n, unsigned kinds)
{
    struct shape sh = token_shape(s, b, n, kinds);
    enum lad__mask_shape_kind kind = sh.kind == PLAIN ? LAD__MASK_SHAPE_PLAIN
                                     : sh.kind == FULL ? LAD__MASK_SHAPE_FULL
                                     : sh.kind == PATH ? LAD__MASK_SHAPE_PATH
                                                       : LAD__MASK_SHAPE_WILD;
    return (struct lad__mask_shape){kind, sh.end, sh.wild_at, sh.tail};
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

/*
 * Whether the built-in patterns may match in token t[0, n) of shape sh. A clock "d:dd:dd" has digits
 * and two ':', a UUID 36 bytes with four '-' and hex letters after them: neither fits a number, an
 * IPv4 address (one ':' at most), a block id (one '-') or an unchanged word (no digit, and no '-'
 * before a hex letter). Paths and the tokens left to the full scanner are asked.
 */
static bool patterns_may_match(unsigned kinds, const char *t, size_t n, const struct shape *sh)
{
    if (sh->kind != PATH && sh->kind != FULL)
        return false;
    return ((kinds & LAD_MASK_TIME) && lad__mask_may_match_time(t, n)) ||
           ((kinds & LAD_MASK_HEX) && lad__mask_may_match_uuid(t, n));
}

size_t lad__mask_tokens(unsigned kinds, bool guard, const char *s, size_t n, char *out, size_t cap, bool *unsure)
{
    /* A token that could outgrow cap is masked into a scratch buffer first (only patterns that
     * re-match earlier <*> can make the key longer than 3n). */
    bool scan = (kinds & ~(unsigned)LAD_MASK_RUNS) != 0;
    bool roomy = cap / 3 >= n; /* the key so far and a token masked byte by byte always fit */
    size_t len = 0, prev = 0; /* prev: where the last token of the key starts */
    bool prev_variable = false;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i]))
            i++;
        if (i == n)
            break;
        size_t b = i;
        struct shape sh = {FULL, 0, 0, 0};
        if (scan) {
            sh = token_shape(s, b, n, kinds);
        } else {
            for (sh.end = b; sh.end < n && !is_space(s[sh.end]);)
                sh.end++;
        }
        i = sh.end;
        if (guard && patterns_may_match(kinds, s + b, i - b, &sh)) {
            *unsure = true;
            return 0;
        }
        /* A size unit after a number is part of it ("18.4 KB)" -> "<*>)"): only its punctuation stays.
         * (Units start with a capital or 'k', which most short words do not: tested first.) */
        if (i - b <= 5 && (kinds & LAD_MASK_NUMBER) && ((s[b] >= 'A' && s[b] <= 'Z') || s[b] == 'k') &&
            len - prev >= 3 && memcmp(out + len - 3, WILD, 3) == 0 && lad__mask_size_unit(s + b, i - b)) {
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
            if (len == cap && guard) { /* the rest goes unread: let the caller go the sure way */
                *unsure = true;
                return 0;
            }
            if (len == cap)
                break;
            out[len++] = ' ';
        }
        size_t tok = len;
        bool variable = false;
        if (scan && !roomy && len + 3 * (i - b) > cap) {
            char *tmp = malloc(3 * (i - b));
            if (tmp == NULL)
                return SIZE_MAX;
            size_t t = lad__mask_token(s + b, i - b, kinds, tmp, &variable);
            t = t < cap - len ? t : cap - len;
            memcpy(out + len, tmp, t);
            free(tmp);
            len += t;
            variable = lad_mask_token_is_variable(out + tok, len - tok); /* it may have been cut */
        } else if (sh.kind == PLAIN) {
            copy_token(out + len, s + b, i - b);
            len += i - b;
        } else if (sh.kind != FULL) { /* a variable as a whole: '/', '.' and ':' are no letters */
            copy_token(out + len, s + b, sh.wild_at);
            memcpy(out + len + sh.wild_at, WILD, 3);
            copy_token(out + len + sh.wild_at + 3, s + sh.tail, i - sh.tail);
            len += sh.wild_at + 3 + i - sh.tail;
            variable = true;
        } else if (scan) {
            len += lad__mask_token(s + b, i - b, kinds, out + len, &variable);
        } else {
            size_t t = len + (i - b) > cap ? cap - len : i - b;
            memcpy(out + len, s + b, t);
            len += t;
            variable = lad_mask_token_is_variable(out + tok, t);
        }
        /* A variable token right after another, with at most a list separator between them, is the
         * same variable (a list of any length): the two become one <*>, with the punctuation before the
         * first and after the last ("(<*>)", "[<*>]"). Other punctuation between them stays
         * ("(TID <*>). <*> bytes"). */
        if ((kinds & LAD_MASK_RUNS) && start > 0 && variable && prev_variable &&
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
