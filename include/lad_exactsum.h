/*
 * lad_exactsum.h - sums of doubles whose result does not depend on how the terms are grouped.
 *
 * Floating-point addition is not associative, so a sum reduced over ranks (or over rows split
 * differently between ranks) changes in its last bits with the rank count. Here every term of entry i
 * is rounded onto a fixed grid tied to an upper bound B_i of its magnitude, identical on every rank: two
 * int64 digits of 40 bits each below 2^K (B_i < 2^(K-1)), so a term is kept to 2^(K-81) and the sum of
 * up to 2^22 terms cannot overflow. Integer sums are exact in any order, so the reduced result is the
 * same bits for any rank count, and at least as accurate as a plain double sum.
 */
#ifndef LAD_EXACTSUM_H
#define LAD_EXACTSUM_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;

/* Terms added to one accumulator at most, over all ranks (keeps the 40-bit digits' sums in int64). */
#define LAD_EXACTSUM_MAX_TERMS (INT64_C(1) << 22)

struct lad_exactsum {
    int n;            /* entries */
    double *unit;     /* n: value of one unit of the high digit, 2^(K-40) */
    double *inv_unit; /* n: 2^(40-K) */
    int64_t *digits;  /* 2n: high digits, then low digits (units of 2^(K-80)) */
    int64_t terms;    /* terms added on this rank */
    bool out_of_bound;
};

/* Local. n accumulators, zeroed, with no bounds yet. */
enum lad_status lad_exactsum_init(struct lad_ctx *ctx, struct lad_exactsum *s, int n);

/* Local. Zeroes the sums and sets each entry's bound (>= |every term|; 0 for an entry that stays 0).
 * The bounds must be the same on every rank. */
void lad_exactsum_reset(struct lad_exactsum *s, const double *bound);

/* Local. Adds the term v[i] to entry i, for every i. */
void lad_exactsum_add(struct lad_exactsum *s, const double *v);

/* Collective. out[i] = the sum of entry i over all terms of all ranks; identical bits on every rank.
 * A term over its bound, a non-finite term or too many terms is LAD_ERR_NUMERIC (agreed). */
enum lad_status lad_exactsum_reduce(struct lad_ctx *ctx, struct lad_exactsum *s, double *out);

/* Local. Frees; safe on a zeroed struct. */
void lad_exactsum_free(struct lad_exactsum *s);

#endif
