/*
 * gram.c - the exact Gram matrix of the count matrix from local rows (lad_gram.h).
 *
 * Why integers: floating-point sums depend on their order, and the order depends on how rows are split
 * between ranks. Counts below 2^32 have products below 2^64, so 128-bit sums cannot overflow for any
 * realistic row count; small counts (the usual case: a block names an event a few times) are first
 * summed in 64 bits, flushed to 128 before they could overflow. Log-counts are made integers by
 * rounding each product to the grid 2^-52 (products stay below 44^2 < 2^11, so a product is below
 * 2^63 there); that rounding is per product, so it does not depend on where the row lives either.
 */
#include "lad_gram.h"

#include <math.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_mem.h"

typedef unsigned __int128 u128;

#define LIMB_BITS 43 /* 3 x 43 >= 128; a limb summed over fewer than 2^20 ranks stays below 2^63 */
#define LIMB_MASK ((((uint64_t)1) << LIMB_BITS) - 1)
#define FIX_SCALE 4503599627370496.0 /* 2^52 */

static void flush(u128 *acc, uint64_t *acc64, size_t nn)
{
    for (size_t k = 0; k < nn; k++) {
        acc[k] += acc64[k];
        acc64[k] = 0;
    }
}

/* Adds the selected rows' outer products (upper triangle: cols ascend in a row) to acc (n x n). */
static void add_integer_rows(const struct lad_features *f, const uint8_t *use, int64_t max_count, u128 *acc,
                             uint64_t *acc64)
{
    const int n = f->n_events;
    /* Rows that 64-bit sums can take before a flush: each adds at most max_count^2 per entry. */
    const uint64_t max_product = (uint64_t)max_count * (uint64_t)max_count;
    const int64_t batch = max_product == 0 ? INT64_MAX : (int64_t)(UINT64_MAX / max_product < INT64_MAX
                                                                    ? UINT64_MAX / max_product : INT64_MAX);
    int64_t in_batch = 0;
    for (int64_t i = 0; i < f->n_local; i++) {
        if (use && !use[i])
            continue;
        const struct lad_row x = lad_features_row(f, i);
        for (int a = 0; a < x.n; a++) {
            uint64_t *row = acc64 + (size_t)x.cols[a] * (size_t)n;
            const uint64_t va = (uint64_t)x.vals[a];
            for (int b = a; b < x.n; b++)
                row[x.cols[b]] += va * (uint64_t)x.vals[b];
        }
        if (++in_batch == batch) {
            flush(acc, acc64, (size_t)n * (size_t)n);
            in_batch = 0;
        }
    }
    flush(acc, acc64, (size_t)n * (size_t)n);
}

static void add_log_rows(const struct lad_features *f, const uint8_t *use, u128 *acc)
{
    const int n = f->n_events;
    double phi[LAD_GRAM_LOCAL_MAX_EVENTS];
    for (int64_t i = 0; i < f->n_local; i++) {
        if (use && !use[i])
            continue;
        const struct lad_row x = lad_features_row(f, i);
        for (int a = 0; a < x.n; a++)
            phi[a] = log1p((double)x.vals[a]);
        for (int a = 0; a < x.n; a++) {
            u128 *row = acc + (size_t)x.cols[a] * (size_t)n;
            for (int b = a; b < x.n; b++)
                row[x.cols[b]] += (uint64_t)llround(phi[a] * phi[b] * FIX_SCALE);
        }
    }
}

enum lad_status lad_gram_exact(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use, bool log_counts,
                               double *g, bool *fits)
{
    const int n = f->n_events;
    *fits = false;
    if (n >= LAD_GRAM_LOCAL_MAX_EVENTS)
        return LAD_OK;
    int64_t max_count = 0;
    for (int64_t i = 0; i < f->n_local; i++)
        if (use == NULL || use[i]) {
            const struct lad_row x = lad_features_row(f, i);
            for (int q = 0; q < x.n; q++)
                max_count = x.vals[q] > max_count ? x.vals[q] : max_count;
        }
    lad_comm_check(ctx, MPI_Allreduce(MPI_IN_PLACE, &max_count, 1, MPI_INT64_T, MPI_MAX, ctx->comm),
                   "the largest count");
    if (!log_counts && max_count >= ((int64_t)1 << 32))
        return LAD_OK;

    const size_t nn = (size_t)n * (size_t)n, n_upper = (size_t)n * (size_t)(n + 1) / 2;
    u128 *acc = lad_calloc_big(nn, sizeof *acc);
    uint64_t *acc64 = log_counts ? NULL : lad_calloc_big(nn, sizeof *acc64);
    uint64_t *limbs = lad_malloc_big(3 * n_upper, sizeof *limbs);
    enum lad_status st = (acc && limbs && (log_counts || acc64)) ? LAD_OK
                         : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for a %d x %d Gram matrix", n, n);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        if (log_counts)
            add_log_rows(f, use, acc);
        else
            add_integer_rows(f, use, max_count, acc, acc64);
        /* The upper triangle as three limbs per entry, summed over the ranks as int64. */
        for (int i = 0, k = 0; i < n; i++)
            for (int j = i; j < n; j++, k++) {
                const u128 v = acc[(size_t)i * n + j];
                limbs[k] = (uint64_t)v & LIMB_MASK;
                limbs[n_upper + k] = (uint64_t)(v >> LIMB_BITS) & LIMB_MASK;
                limbs[2 * n_upper + k] = (uint64_t)(v >> (2 * LIMB_BITS));
            }
        lad_comm_check(ctx, MPI_Allreduce(MPI_IN_PLACE, limbs, (int)(3 * n_upper), MPI_UINT64_T, MPI_SUM, ctx->comm),
                       "summing the Gram matrix");
        for (int i = 0, k = 0; i < n; i++)
            for (int j = i; j < n; j++, k++) {
                const u128 v = (u128)limbs[k] + ((u128)limbs[n_upper + k] << LIMB_BITS) +
                               ((u128)limbs[2 * n_upper + k] << (2 * LIMB_BITS));
                const double d = log_counts ? ldexp((double)v, -52) : (double)v;
                g[(size_t)i * n + j] = g[(size_t)j * n + i] = d;
            }
        *fits = true;
    }
    free(acc);
    free(acc64);
    free(limbs);
    return st;
}
