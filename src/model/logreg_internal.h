/*
 * logreg_internal.h - what logreg.c (the Newton method) and logreg_rows.c (the rows it reads) share.
 *
 * The labelled rows are cut into chunks of lad__lr_chunk_rows(p) consecutive rows in global order,
 * and every chunk lies on one rank (logreg_rows.c moves the few rows at rank edges). Within a chunk,
 * equal rows (the same transformed values and label) form a group, in order of first appearance, and
 * count once with their multiplicity: HDFS blocks repeat a few hundred count patterns, so a chunk of
 * 4096 rows holds about 80 groups (measured on a synthetic HDFS log of 200,000 blocks). A chunk's
 * groups depend only on its rows, so every partial sum is computed the same way at any rank count.
 */
#ifndef LAD_LOGREG_INTERNAL_H
#define LAD_LOGREG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_exactsum.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_features;
struct lad_transform;

/* This rank's labelled rows, as groups, and the scratch of one chunk. p = n + 1 (the bias's 1). */
struct lad__lr_rows {
    int p;
    int chunk_rows;              /* rows per chunk: lad__lr_chunk_rows(p) */
    const struct lad_features *f;
    const struct lad_transform *t;
    int64_t n_chunks, n_groups;
    int64_t *chunk_start;        /* n_chunks + 1: chunk c's groups are [chunk_start[c], chunk_start[c + 1]) */
    int64_t *src;                /* n_groups: a row of f (>= 0), or ~k for row k of tail */
    double *mult;                /* n_groups: rows the group stands for */
    uint8_t *label;              /* n_groups: 0 or 1 */
    double *tail;                /* rows of later ranks (transformed, p each) that complete the last chunk */
    double *y0;                  /* n: the transform of a row of zeros */
    double *x;                   /* scratch: one chunk's groups, chunk_rows x p row-major */
    double *col_max;             /* p: max |x_ij| over all ranks' rows */
};

/* Local. Rows per chunk: 4096, fewer for wide rows so that a chunk's scratch stays near 8 MiB. */
int lad__lr_chunk_rows(int p);

/*
 * Collective. The labelled rows of f (label 0 or 1), transformed by t, aligned to chunks and grouped;
 * col_max over all ranks. *n_pos gets this rank's positive rows, *n_rows its labelled rows (before
 * alignment; the caller sums them).
 */
enum lad_status lad__lr_rows_collect(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *label,
                                     const struct lad_transform *t, struct lad__lr_rows *r, int64_t *n_rows,
                                     int64_t *n_pos);

/* Local. The groups of chunk c into r->x (row q = group chunk_start[c] + q); returns their number. */
int lad__lr_rows_load(struct lad__lr_rows *r, int64_t c);

/* Local. Frees; safe on a zeroed struct. */
void lad__lr_rows_free(struct lad__lr_rows *r);

#endif
