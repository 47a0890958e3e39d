/*
 * lad_gram.h - the Gram matrix Z^T Z of the count matrix, formed from each rank's own rows and summed
 * exactly: the PCA covariance without redistributing the matrix.
 *
 * The count matrix is tall and narrow (millions of blocks, tens of events) and mostly zeros. Each
 * rank adds up the outer products of the non-zero entries of its own rows (a block names ~7 events:
 * ~28 products a row), in integers: counts are integers, and log-counts are rounded product by product
 * onto a fixed-point grid first. Integer sums do not depend on order, so one MPI_Allreduce of the
 * partial sums (split into 43-bit limbs, which int64 adds without overflow) gives the same matrix at
 * any rank count. The 2-D block-cyclic path (lad_distmat_gram) remains for wide event spaces.
 */
#ifndef LAD_GRAM_H
#define LAD_GRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_features;

/*
 * Events from which the Gram matrix goes through ScaLAPACK instead: the replicated n x n partial sums
 * (16 bytes an entry) reach 16 MiB per rank there, and from 2 x LAD_EIGH_MIN_ROWS events on the
 * eigensolver's grid grows with the ranks, so the model is no longer bit-identical anyway.
 */
#define LAD_GRAM_LOCAL_MAX_EVENTS 1024

/*
 * Collective. G = Z^T Z over the rows of f selected by use (NULL: all): n x n row-major, both triangles,
 * identical bits on every rank and at any rank count. Z = counts: G is the exact integer, rounded once
 * to double (exact below 2^53). Z = log(1 + counts) with log_counts: each product log(1 + a) log(1 + b)
 * is rounded to a multiple of 2^-52, then summed exactly.
 * *fits is false, and g untouched, when this cannot be exact (n >= LAD_GRAM_LOCAL_MAX_EVENTS, or a
 * selected count of 2^32 or more without log_counts, whose products could pass 128 bits); the answer
 * is the same on every rank. LAD_ERR_NOMEM (agreed) if the partial sums cannot be had.
 */
enum lad_status lad_gram_exact(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use, bool log_counts,
                               double *g, bool *fits);

#endif
