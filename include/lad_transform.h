/*
 * lad_transform.h - feature transforms fitted on training data and applied unchanged to new data.
 *
 * A row of counts x becomes y = (phi(x) - mean) .* weight, where
 *   phi(x)  = log(1 + x) elementwise with LAD_TF_LOG, else x;
 *   weight  = smoothed inverse document frequency ln((1 + N) / (1 + df)) + 1 with LAD_TF_TFIDF
 *             (df = training rows where the event occurs; common events keep weight ~1, rare ones
 *             weigh more), else 1;
 *   mean    = column means of phi(x) over the training rows with LAD_TF_CENTER, else 0.
 * Document frequencies and (without LAD_TF_LOG) column sums are integers, reduced exactly, so a
 * fitted transform is bit-identical for any rank count.
 */
#ifndef LAD_TRANSFORM_H
#define LAD_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>

#include "lad_features.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_h5;

enum lad_transform_flag {
    LAD_TF_TFIDF = 1u << 0,
    LAD_TF_CENTER = 1u << 1,
    LAD_TF_LOG = 1u << 2
};

struct lad_transform {
    unsigned flags;
    int n;           /* columns (events) */
    int64_t n_train; /* training rows */
    int64_t *df;     /* training rows where each event occurs */
    double *weight;  /* n */
    double *mean;    /* n (zeros without LAD_TF_CENTER) */
};

/* Local. Parses "tfidf,center,log" (any subset, any order) or "none"; LAD_ERR_USAGE otherwise. */
enum lad_status lad_transform_parse(struct lad_ctx *ctx, const char *spec, unsigned *flags);

/* Local. Writes the canonical spec of flags ("tfidf,center", "none") into buf. */
void lad_transform_format(unsigned flags, char *buf, size_t cap);

/*
 * Collective. Fits the transform on the rows of f selected by use[i] != 0 (use == NULL: all rows).
 * LAD_ERR_INPUT when no row is selected.
 */
enum lad_status lad_transform_fit(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use,
                                  unsigned flags, struct lad_transform *t);

/* Local. y[0, t->n) = transform of the count row x[0, t->n). */
void lad_transform_apply(const struct lad_transform *t, const int64_t *x, double *y);

/* Local. y[0, t->n) = transform of the compressed row x (lad_features_row); the same bits as
 * lad_transform_apply on the dense row. */
void lad_transform_apply_row(const struct lad_transform *t, struct lad_row x, double *y);

/* Local. y0[0, t->n) = the transform of a row of zeros, and the same as lad_transform_apply_row
 * starting from it (y0 as made here; y may be y0): loops over many rows copy y0 instead of
 * transforming every zero again. */
void lad_transform_zero_row(const struct lad_transform *t, double *y0);
void lad_transform_apply_row_from(const struct lad_transform *t, const double *y0, struct lad_row x, double *y);

/* Local. Allocates a transform of n columns (zeroed); for loading from a model file. */
enum lad_status lad_transform_alloc(struct lad_ctx *ctx, struct lad_transform *t, int n);

/* Local. Frees; safe on a zeroed struct. */
void lad_transform_free(struct lad_transform *t);

/* Collective. Writes t's arrays (weight, mean, df: lad_schema.h's TRANSFORM part) into the open file h,
 * as a model file and the features stage's matrix.h5 hold them. */
enum lad_status lad_transform_write(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_transform *t);

#endif
