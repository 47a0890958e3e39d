/* radix.c - stable LSD radix sort of (key, value) records by signed 64-bit key (lad_radix.h). */
#include "lad_radix.h"

#include <string.h>

#define DIGIT_BITS 11
#define N_DIGITS 6 /* 6 x 11 >= 64 */
#define BUCKETS (1u << DIGIT_BITS)

/* Digit d of key k, with the sign bit flipped so that signed order is unsigned order. */
static inline unsigned digit(int64_t k, int d)
{
    return (unsigned)((((uint64_t)k ^ ((uint64_t)1 << 63)) >> (DIGIT_BITS * d)) & (BUCKETS - 1));
}

void lad_radix_sort(struct lad_keyed *a, size_t n, struct lad_keyed *tmp)
{
    if (n < 2)
        return;
    /* All six histograms in one pass; a digit whose histogram has one full bucket is skipped. */
    size_t count[N_DIGITS][BUCKETS]; /* 96 KiB: fits the stack of any thread */
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < N_DIGITS; d++)
            count[d][digit(a[i].key, d)]++;
    struct lad_keyed *src = a, *dst = tmp;
    for (int d = 0; d < N_DIGITS; d++) {
        if (count[d][digit(src[0].key, d)] == n)
            continue;
        size_t pos = 0;
        for (unsigned b = 0; b < BUCKETS; b++) {
            size_t c = count[d][b];
            count[d][b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[d][digit(src[i].key, d)]++] = src[i];
        struct lad_keyed *x = src;
        src = dst;
        dst = x;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}
