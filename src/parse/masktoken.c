/*
 * masktoken.c - the built-in scanner of lad_mask_apply: masks the variables inside one
 * whitespace-separated token.
 *
 * It looks at maximal runs of ASCII letters and digits ('_' and punctuation separate runs) that start
 * at a boundary, so a digit inside a name ("eth0", "R02") is kept, while "part-00590", "uid=10037,"
 * and "appattempt_1445_0020" keep only their literal parts. The kinds (lad_mask.h):
 *   - number: digits, with a sign at a boundary, ".digits" groups (decimals, versions) and a unit of
 *     letters ("10ms", "5KB"), or a duration of number-unit pairs ("1h30m", "2m30s");
 *   - hex: "0x..."; a run of at least 4 hex digits mixing digits and letters; a MAC address (six or
 *     more 2-digit groups joined by ':' or '-'); an IPv6 address (six or more groups of 1-4 hex digits
 *     joined by ':', or fewer around a "::");
 *   - ip: four dotted groups of 1-3 digits, with an optional :port;
 *   - path: a '/' at a boundary that starts a stretch holding at least two '/';
 *   - block: blk_ with a (signed) number.
 *
 * Then the token is tidied so that a variable reads as one <*> and the punctuation around it stays,
 * as loghub writes templates ("size <*>, free <*>)", "(<*>)", "/<*>"): variables joined only by
 * identifier punctuation ("<*>:<*>", "<*>.<*>", "<*>_<*>_m_<*>", "<*>-<*><*>") are one compound
 * identifier (an address with its port, a dotted version, a job or attempt id whose fields carry a
 * one-letter type tag), so they become one <*>; and a sign before a variable belongs to it ("=-<*>").
 */
#include "mask_internal.h"

#include <stdbool.h>
#include <string.h>

#include "lad_mask.h"

#define WILD "<*>"

/* ASCII classes by table: this scanner runs on every byte of every line, and these are its
 * innermost tests. Bytes >= 0x80 are in no class. */
enum { DIGIT = 1, ALPHA = 2, HEXLETTER = 4, PATH_END = LAD__MASK_PATH_END };
#define A ALPHA
#define H (ALPHA | HEXLETTER)
const unsigned char lad__mask_class[256] = {
    ['\0'] = PATH_END, [')'] = PATH_END, [']'] = PATH_END, ['}'] = PATH_END, [','] = PATH_END, [';'] = PATH_END,
    ['"'] = PATH_END, ['\''] = PATH_END,
    [' '] = LAD__MASK_SPACE, ['\t'] = LAD__MASK_SPACE, ['\n'] = LAD__MASK_SPACE, ['\v'] = LAD__MASK_SPACE,
    ['\f'] = LAD__MASK_SPACE, ['\r'] = LAD__MASK_SPACE,
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
    return (lad__mask_class[(unsigned char)c] & cls) != 0;
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

bool lad_mask_token_is_variable(const char *t, size_t n)
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

size_t lad__mask_token(const char *s, size_t n, unsigned kinds, char *out, bool *variable)
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
bool lad__mask_size_unit(const char *t, size_t n)
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
