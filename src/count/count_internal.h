/*
 * count_internal.h - what shuffle.c and order.c share: the form in which rows travel between ranks.
 *
 * A row is a run of 64-bit words: the session key, the number of pair words after it, then one word
 * per (column, count) pair: the column in the low 32 bits, the count in the high 32. Counts are below
 * 2^32 almost always (a block's lines of one event); a larger count adds a second word whose column
 * is stored complemented (~column, negative) and whose 32 bits are the count's high half. Sixteen
 * bytes a row plus eight a pair, where (session, column, count) triplets took 24 a pair.
 */
#ifndef LAD_COUNT_INTERNAL_H
#define LAD_COUNT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_counts.h"

#define LAD__ROW_HEADER_WORDS 2

/* Words one pair of count `count` takes. */
static inline size_t lad__pair_words(int64_t count)
{
    return ((uint64_t)count >> 32) ? 2 : 1;
}

/* Writes one pair at w; returns the words written. count >= 0. */
static inline size_t lad__put_pair(uint64_t *w, int32_t column, int64_t count)
{
    uint64_t c = (uint64_t)count;
    w[0] = (uint64_t)(uint32_t)column | (c & 0xffffffffu) << 32;
    if ((c >> 32) == 0)
        return 1;
    w[1] = (uint64_t)(uint32_t)~column | (c >> 32) << 32;
    return 2;
}

/* The pair a word holds; a complemented column's count is its high half, shifted into place. */
static inline struct lad_count_pair lad__get_pair(uint64_t w)
{
    int32_t col = (int32_t)(uint32_t)(w & 0xffffffffu);
    uint64_t v = w >> 32;
    if (col < 0)
        return (struct lad_count_pair){~col, 0, (int64_t)(v << 32)};
    return (struct lad_count_pair){col, 0, (int64_t)v};
}

/*
 * Appends the pairs of the row at w (which must hold one) to *out (growing it); returns the words the
 * row takes, or 0 on allocation failure.
 */
size_t lad__decode_row(const uint64_t *w, struct lad_count_pair **out, size_t *n, size_t *cap);

/* A merged row's pairs go into the rowset arrays; false if a column is outside [0, n_events). */
bool lad__columns_valid(const struct lad_count_pair *p, size_t n, int n_events);

#endif
