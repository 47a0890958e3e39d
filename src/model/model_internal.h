/*
 * model_internal.h - what the model file (model_file.c), its UNKNOWN column (model_unknown.c) and the
 * detectors' operations (detector_<name>.c, lad_detector.h) share: the checks of an untrusted model
 * file, one array helper, and the detectors' table entries. Nothing outside src/model includes it.
 */
#ifndef LAD_MODEL_INTERNAL_H
#define LAD_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_detector.h"
#include "lad_schema.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_h5;

/* What a rejected model file's message tells the user to do. */
#define LAD__MODEL_REMEDY "retrain the model or restore the file"

/* What adding the UNKNOWN column says when memory runs out. */
#define LAD__UNKNOWN_NOMEM "out of memory adding the unknown-event column"

/* The detectors (detector_pca.c, detector_logreg.c), listed in detector.c. */
extern const struct lad_detector lad__detector_pca;
extern const struct lad_detector lad__detector_logreg;

/* Collective. Dataset key must exist with exactly rows x cols (cols 0: 1-D), else LAD_ERR_MODEL (a missing
 * one LAD_ERR_INPUT). */
enum lad_status lad__model_check_dims(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t rows,
                                      int64_t cols);

/* Local. LAD_ERR_MODEL naming the first non-finite entry of v[0, n) (entry key of the file path), if any. */
enum lad_status lad__model_check_finite(struct lad_ctx *ctx, const char *path, enum lad_schema_key key,
                                        const double *v, int64_t n);

/* Local. A finite scalar (attribute key) in [lo, hi], else LAD_ERR_MODEL naming it. */
enum lad_status lad__model_check_range(struct lad_ctx *ctx, const char *path, enum lad_schema_key key, double v,
                                       double lo, double hi);

/* Local. Grows the double array *a of n entries to n + 1, inserting v at position at; false when out of
 * memory (*a unchanged then). */
bool lad__model_insert_double(double **a, int n, int at, double v);

#endif
