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

#if LAD__SWAR
/* Bytes of x in (lo, hi), flagged by their high bit; exact per byte for lo, hi <= 0x80, as no lane
 * carries into the next (the "hasbetween" of the Bit Twiddling Hacks). */
static inline uint64_t bytes_between(uint64_t x, unsigned lo, unsigned hi)
{
    const uint64_t low7 = 0x7f * LAD__ONES;
    return ((hi + 0x7f) * LAD__ONES - (x & low7)) & ~x & ((x & low7) + (0x7f - lo) * LAD__ONES) & LAD__HIGHS;
}
#endif

/*
 * End of the token that starts at s[i] (its first whitespace byte, or n). *plain tells whether none
 * of its bytes is in '-'..'<' (- . / 0-9 : ; <): such a token has no digit, no path, no <*> and no
 * hex address, so no rule changes it (see word_unchanged) - most words of a log. Eight bytes at a
 * time: whitespace candidates (bytes below 0x21) and bytes in the range are flagged in one word each;
 * the first candidate is exact, and a control byte that is not whitespace sends the rest of the token
 * to the byte loop.
 */
static inline size_t token_end(const char *s, size_t i, size_t n, bool *plain)
{
    bool mid = false;
#if LAD__SWAR
    while (n - i >= 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t low = (x - 0x21 * LAD__ONES) & ~x & LAD__HIGHS;
        uint64_t range = bytes_between(x, '-' - 1, '<' + 1);
        if (low != 0) {
            unsigned k = (unsigned)__builtin_ctzll(low) / 8;
            if (!is_space(s[i + k]))
                break;
            *plain = !mid && (range & ((1ULL << (8 * k)) - 1)) == 0;
            return i + k;
        }
        mid = mid || range != 0;
        i += 8;
    }
#endif
    for (; i < n && !is_space(s[i]); i++)
        mid = mid || (s[i] >= '-' && s[i] <= '<');
    *plain = !mid;
    return i;
}

/* End of the run of ASCII digits at s[i], eight bytes at a time. */
static inline size_t digits_end(const char *s, size_t i, size_t n)
{
#if LAD__SWAR
    while (n - i >= 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t other = ~bytes_between(x, '0' - 1, '9' + 1) & LAD__HIGHS;
        if (other != 0)
            return i + (unsigned)__builtin_ctzll(other) / 8;
        i += 8;
    }
#endif
    while (i < n && is_digit(s[i]))
        i++;
    return i;
}

/* Whether s[i] ends a token. */
static inline bool at_end(const char *s, size_t i, size_t n)
{
    return i == n || is_space(s[i]);
}

/* End of an IPv4 address at s[i] (four groups of 1-3 digits, a ":port" of digits if one follows), or
 * 0. */
static size_t ipv4_end(const char *s, size_t i, size_t n)
{
    for (int g = 0; g < 4; g++) {
        size_t d = i;
        while (i < n && i - d < 4 && is_digit(s[i]))
            i++;
        if (i == d || i - d > 3)
            return 0;
        if (g < 3 && (i == n || s[i++] != '.'))
            return 0;
    }
    if (i + 1 < n && s[i] == ':' && is_digit(s[i + 1]))
        i = digits_end(s, i + 1, n);
    return i;
}

/*
 * Whether a token with no digit, '/' or '<' is a word that no rule changes. The only variables
 * without digits are MAC and IPv6 addresses of hex letters ("dead:beef:...", "ab::cd"): two or more
 * groups of hex digits joined by ':' or '-'. So a ':' or '-' followed by a hex letter, ':' or '-'
 * sends the token to the full scanner; one at the end or before anything else ("src:", "Non-DFS")
 * joins no two groups.
 */
static bool word_unchanged(const char *s, size_t n)
{
    unsigned classes = 0;
    for (size_t i = 0; i < n; i++)
        classes |= token_class[(unsigned char)s[i]];
    if (classes & (T_DIGIT | T_SLASH | T_WILD))
        return false;
    for (size_t i = 0; (classes & T_SEP) && i + 1 < n; i++)
        if ((s[i] == ':' || s[i] == '-') && (is_hex_letter(s[i + 1]) || s[i + 1] == ':' || s[i + 1] == '-'))
            return false;
    return true;
}

/* What token_shape found: the token s[b, end) is copied (PLAIN), is s[b, b + wild_at) <*> s[tail, end)
 * (WILD), or needs lad__mask_token (FULL). */
struct shape {
    enum { PLAIN, WILD_SHAPE, FULL } kind;
    size_t end, wild_at, tail;
};

/*
 * The shape of the token at s[b] (b < n, not whitespace), read once from its first byte. Every WILD
 * shape below is a variable as a whole: '/', '.' and ':' around the <*> are no letters.
 */
static struct shape token_shape(const char *s, size_t b, size_t n, unsigned kinds)
{
    struct shape sh = {FULL, b, 0, 0};
    size_t i = b;    /* how far the shape was read */
    size_t tail = 0; /* for a WILD shape: where the bytes after the <*> start */
    if (is_digit(s[b])) {
        i = digits_end(s, b, n);
        if (at_end(s, i, n) && (kinds & LAD_MASK_NUMBER)) {
            /* Digits only: no hex group (no ':' or '-' follows), no IPv4 address (no '.'), so
             * run_len takes the whole run as a number. */
            sh.kind = WILD_SHAPE;
            tail = i;
        } else if (i - b <= 3 && s[i] == '.' && (kinds & LAD_MASK_IP)) {
            /* 10.251.30.6:50010: the first group ends at '.', so it is no hex group; ip_len takes it
             * all, the port too, as nothing follows it. */
            size_t e = ipv4_end(s, b, n);
            if (e > 0 && at_end(s, e, n)) {
                sh.kind = WILD_SHAPE;
                i = tail = e;
            }
        }
    } else if (s[b] == '/') {
        /* A path is tried first at a '/' that starts a token. */
        size_t e = b + 1 < n && is_digit(s[b + 1]) && (kinds & LAD_MASK_IP) ? ipv4_end(s, b + 1, n) : 0;
        if (e > 0 && at_end(s, e, n)) {
            /* /10.251.30.6:50010: one '/' is no path, so the '/' stays and the address is masked. */
            sh.kind = WILD_SHAPE;
            sh.wild_at = 1;
            i = tail = e;
        } else if (kinds & LAD_MASK_PATH) {
            /* A path filling the token (no byte that ends a path, no '<'), with two '/' and more than
             * two bytes: the path is masked, the '.' and ':' after it stay, and tidy joins nothing
             * to the <*> as no field follows that punctuation. */
            int slashes = 0;
            for (i = b; i < n && !(token_class[(unsigned char)s[i]] & (T_SPACE | T_PATH_END | T_WILD)); i++)
                slashes += s[i] == '/';
            for (tail = i; tail > b && (s[tail - 1] == '.' || s[tail - 1] == ':'); tail--)
                ;
            if (at_end(s, i, n) && slashes >= 2 && tail - b > 2)
                sh.kind = WILD_SHAPE;
        }
    } else if (s[b] == 'b' && (kinds & LAD_MASK_BLOCK) && n - b > 4 && memcmp(s + b, "blk_", 4) == 0) {
        /* 'b' starts no hex group ("bl" is no hex), so run_len sees "blk_" and the digits. */
        size_t d = b + 4 + (s[b + 4] == '-');
        i = digits_end(s, d, n);
        if (i > d && at_end(s, i, n)) {
            sh.kind = WILD_SHAPE;
            tail = i;
        }
    }
    if (sh.kind == WILD_SHAPE) {
        sh.end = i;
        sh.tail = tail;
        return sh;
    }
    /* Not one of those: find the end from where the shape stopped (no whitespace before it). */
    bool plain = false, read_part;
    if (i == b)
        i = token_end(s, b, n, &plain); /* plain: about the whole token */
    else if (!at_end(s, i, n))
        i = token_end(s, i, n, &read_part);
    sh.end = i;
    if (plain || word_unchanged(s + b, i - b))
        sh.kind = PLAIN; /* a word: no kind starts without a digit, '/' or '<' but the hex-letter addresses */
    return sh;
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

size_t lad__mask_tokens(unsigned kinds, const char *s, size_t n, char *out, size_t cap)
{
    /* A token that could outgrow cap is masked into a scratch buffer first (only patterns that
     * re-match earlier <*> can make the key longer than 3n). */
    bool scan = (kinds & ~(unsigned)LAD_MASK_RUNS) != 0;
    size_t len = 0, prev = 0; /* prev: where the last token of the key starts */
    bool prev_variable = false;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i]))
            i++;
        if (i == n)
            break;
        size_t b = i;
        bool plain;
        struct shape sh = {FULL, 0, 0, 0};
        if (scan)
            sh = token_shape(s, b, n, kinds);
        else
            sh.end = token_end(s, b, n, &plain);
        i = sh.end;
        /* A size unit after a number is part of it ("18.4 KB)" -> "<*>)"): only its punctuation stays. */
        if ((kinds & LAD_MASK_NUMBER) && i - b <= 5 && len - prev >= 3 && memcmp(out + len - 3, WILD, 3) == 0 &&
            lad__mask_size_unit(s + b, i - b)) {
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
            size_t t = lad__mask_token(s + b, i - b, kinds, tmp, &variable);
            t = t < cap - len ? t : cap - len;
            memcpy(out + len, tmp, t);
            free(tmp);
            len += t;
            variable = lad_mask_token_is_variable(out + tok, len - tok); /* it may have been cut */
        } else if (sh.kind == PLAIN) {
            memcpy(out + len, s + b, i - b);
            len += i - b;
        } else if (sh.kind == WILD_SHAPE) {
            memcpy(out + len, s + b, sh.wild_at);
            memcpy(out + len + sh.wild_at, WILD, 3);
            memcpy(out + len + sh.wild_at + 3, s + sh.tail, i - sh.tail);
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
