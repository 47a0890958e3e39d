/*
 * exactsum.c - order-independent sums of doubles by two 40-bit fixed-point digits (see lad_exactsum.h).
 */
#include "lad_exactsum.h"

#include <math.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_mem.h"

#define DIGIT_BITS 40
#define MIN_EXPONENT (-900)

enum lad_status lad_exactsum_init(struct lad_ctx *ctx, struct lad_exactsum *s, int n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->unit = lad_calloc_array((size_t)(n > 0 ? n : 1), sizeof *s->unit);
    s->inv_unit = lad_calloc_array((size_t)(n > 0 ? n : 1), sizeof *s->inv_unit);
    s->digits = lad_calloc_array(2 * (size_t)(n > 0 ? n : 1), sizeof *s->digits);
    if (s->unit == NULL || s->inv_unit == NULL || s->digits == NULL) {
        lad_exactsum_free(s);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %d reproducible sums", n);
    }
    return LAD_OK;
}

void lad_exactsum_reset(struct lad_exactsum *s, const double *bound)
{
    memset(s->digits, 0, 2 * (size_t)s->n * sizeof *s->digits);
    s->terms = 0;
    s->out_of_bound = false;
    for (int i = 0; i < s->n; i++) {
        /* 2^K > 2 B: headroom for terms a rounding error above their exact bound. A zero bound gets
         * the grid of 1.0, on which only zero terms are within bound. */
        int k = bound[i] > 0.0 && isfinite(bound[i]) ? ilogb(bound[i]) + 2 : 0;
        k = k < MIN_EXPONENT ? MIN_EXPONENT : k; /* keeps the low digit's unit a normal double */
        s->unit[i] = ldexp(1.0, k - DIGIT_BITS);
        s->inv_unit[i] = ldexp(1.0, DIGIT_BITS - k);
    }
}

/* x rounded to the nearest integer (ties to even) for |x| < 2^51: adding 1.5 * 2^52 pushes the fraction
 * out of the mantissa. Exact, and much cheaper than nearbyint() on this path. */
static inline double round_small(double x)
{
    const double magic = 6755399441055744.0; /* 1.5 * 2^52 */
    volatile double t = x + magic;          /* volatile: the compiler must not fold the two steps */
    return t - magic;
}

void lad_exactsum_add(struct lad_exactsum *s, const double *v)
{
    const double limit = ldexp(1.0, DIGIT_BITS), scale_lo = ldexp(1.0, DIGIT_BITS);
    bool bad = false;
    for (int i = 0; i < s->n; i++) {
        /* q = v / unit is exact (a power of two). hi * unit is a multiple of ulp(v) (unit > ulp of
         * anything below 2^K), so q - hi is exact; the low digit rounds it to unit / 2^40. */
        const double q = v[i] * s->inv_unit[i];
        bad |= !(fabs(q) <= limit); /* also NaN */
        const double hi = bad ? 0.0 : round_small(q);
        const double lo = bad ? 0.0 : round_small((q - hi) * scale_lo);
        s->digits[i] += (int64_t)hi;
        s->digits[s->n + i] += (int64_t)lo;
    }
    s->out_of_bound |= bad;
    s->terms++;
}

enum lad_status lad_exactsum_reduce(struct lad_ctx *ctx, struct lad_exactsum *s, double *out)
{
    int64_t local[2] = {s->out_of_bound, s->terms}, global[2];
    if (MPI_Allreduce(local, global, 2, MPI_INT64_T, MPI_SUM, ctx->comm) != MPI_SUCCESS ||
        MPI_Allreduce(MPI_IN_PLACE, s->digits, 2 * s->n, MPI_INT64_T, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        return lad_fail(ctx, LAD_ERR_MPI, "reducing reproducible sums failed");
    if (global[0] != 0 || global[1] > LAD_EXACTSUM_MAX_TERMS)
        return lad_fail(ctx, LAD_ERR_NUMERIC, "a reproducible sum got %s", global[0] ? "a term over its bound or "
                        "not finite" : "too many terms");
    for (int i = 0; i < s->n; i++)
        out[i] = (double)s->digits[i] * s->unit[i] + ldexp((double)s->digits[s->n + i] * s->unit[i], -DIGIT_BITS);
    return LAD_OK;
}

void lad_exactsum_free(struct lad_exactsum *s)
{
    if (s == NULL)
        return;
    lad_free(&s->unit);
    lad_free(&s->inv_unit);
    lad_free(&s->digits);
    s->n = 0;
}
