/*
 * parse_internal.h - byte scanning shared by the header matcher and the block-id finder.
 *
 * Headers and block-id searches cover a few dozen bytes, where a call to memchr costs more than the
 * scan, so these look at eight bytes at a time inline. In a word, the bytes below 0x21 (whitespace and
 * control bytes) or equal to c are flagged with the usual borrow trick; the lowest flag is exact, later
 * ones may be false, so only the first is used. Little-endian only; elsewhere byte loops do the same.
 */
#ifndef LAD_PARSE_INTERNAL_H
#define LAD_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LAD__SWAR 1
#else
#define LAD__SWAR 0
#endif
#define LAD__ONES 0x0101010101010101ULL
#define LAD__HIGHS 0x8080808080808080ULL

/* Local. regex \s: space, \t \n \v \f \r. */
static inline bool lad__is_space(char c)
{
    return c == ' ' || (unsigned char)(c - '\t') <= '\r' - '\t';
}

/* Local. The first whitespace byte in s[from, stop), or stop. */
static inline size_t lad__find_space(const char *s, size_t from, size_t stop)
{
#if LAD__SWAR
    while (stop - from >= 8) {
        uint64_t x;
        memcpy(&x, s + from, 8);
        uint64_t low = (x - 0x21 * LAD__ONES) & ~x & LAD__HIGHS;
        if (low == 0) {
            from += 8;
            continue;
        }
        from += (size_t)__builtin_ctzll(low) / 8;
        if (lad__is_space(s[from]))
            return from;
        from++;
    }
#endif
    while (from < stop && !lad__is_space(s[from]))
        from++;
    return from;
}

/* Local. The first byte c in s[from, stop), or stop. Eight words inline, then memchr's wide loads. */
static inline size_t lad__find_byte(const char *s, size_t from, size_t stop, char c)
{
#if LAD__SWAR
    for (int words = 0; stop - from >= 8 && words < 8; words++) {
        uint64_t x;
        memcpy(&x, s + from, 8);
        x ^= (unsigned char)c * LAD__ONES;
        uint64_t zero = (x - LAD__ONES) & ~x & LAD__HIGHS;
        if (zero != 0)
            return from + (size_t)__builtin_ctzll(zero) / 8;
        from += 8;
    }
#endif
    const char *hit = from < stop ? memchr(s + from, c, stop - from) : NULL;
    return hit ? (size_t)(hit - s) : stop;
}

#endif
