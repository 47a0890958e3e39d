/*
 * lad_radix.h - sorting (key, value) records by a signed 64-bit key without comparisons.
 *
 * Shuffle and order sort one record per session of a rank (a million and more on a big log), where a
 * comparison sort's calls cost several times a radix sort's few sequential passes. Local.
 */
#ifndef LAD_RADIX_H
#define LAD_RADIX_H

#include <stddef.h>
#include <stdint.h>

struct lad_keyed {
    int64_t key;
    uint64_t val;
};

/*
 * Local. Sorts a[0, n) by key, ascending in signed order, stably (records with equal keys keep their
 * order), with tmp[0, n) as scratch. An LSD radix sort with 11-bit digits: at most six passes over
 * the records, and a digit that every key shares (the high bits of small window numbers, say) costs
 * none.
 */
void lad_radix_sort(struct lad_keyed *a, size_t n, struct lad_keyed *tmp);

#endif
