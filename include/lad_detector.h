/*
 * lad_detector.h - what each detector (PCA, logistic regression) does differently, as one table of
 * operations with one entry per detector, so that no code outside a detector's own file asks which
 * detector it holds.
 *
 * A model's enum lad_model_type (lad_model_file.h) picks its entry (lad_detector_find), and so does the
 * "kind" attribute of a model file (lad_detector_find_name). Adding a detector means writing its
 * src/model/detector_<name>.c with one const struct lad_detector, listing it in src/model/detector.c,
 * giving struct lad_model its fields (freed by lad_model_free) and struct lad_detector_settings its
 * options, and offering it on the command line: its name and bit in lad_options.h
 * (LAD_MODEL_NAME_*, lad_model_choices in cli.c), which the train and run stages and the output
 * rules (outset.c) follow.
 *
 * Every operation takes the model it works on; the generic parts (events, transform, training
 * metadata, assigner) are handled by the callers (model_file.c, model_unknown.c, score.c, modeling.c),
 * the operations handle only the detector's own fields of struct lad_model.
 */
#ifndef LAD_DETECTOR_H
#define LAD_DETECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_logreg.h"
#include "lad_model_file.h"
#include "lad_pca.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_features;
struct lad_h5;

/* How a detector's scores spread, which fixes the axis the report plots them on. */
enum lad_score_axis {
    LAD_SCORE_AXIS_LOG10, /* non-negative scores spanning decades (PCA's SPE): log10(score) */
    LAD_SCORE_AXIS_LOGIT  /* probabilities crowding at 0 and 1 (logreg): log(p / (1 - p)) */
};

/*
 * What training takes from the command line, for every detector; each reads its own part. The stages
 * fill it from struct lad_options, so that the model layer does not depend on the command line.
 */
struct lad_detector_settings {
    struct lad_pca_options pca;
    int pca_refit;                     /* refits without the training rows the previous fit flags */
    struct lad_logreg_options logreg;
};

struct lad_detector {
    enum lad_model_type type;
    const char *name;              /* "pca": the model file's kind, models/<name>.h5, the results' columns */
    const char *default_transform; /* the transform spec used without --transform (lad_transform.h) */
    bool supervised;               /* needs labels, and trains on the labelled rows only */
    enum lad_score_axis score_axis;
    /* What its numbers mean, as the results say it: the score and an event's contribution to it
     * (verdicts.h5's attributes of /<name>), and the expected count anomalies_explained.csv gives
     * for an event (NULL: the detector predicts none). */
    const char *score_meaning;
    const char *contribution_meaning;
    const char *expected_meaning;

    /*
     * Collective. Fits the transform (flags) and the detector on f into m->transform and m's detector
     * fields, and logs the result at info level. use: the rows to train on (NULL: all); supervised
     * detectors get the labelled rows and read label, unsupervised ones get NULL for use. On failure
     * m may hold partial allocations, freed by lad_model_free.
     */
    enum lad_status (*fit)(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *label,
                           const uint8_t *use, unsigned flags, const struct lad_detector_settings *s,
                           struct lad_model *m);

    /* Local. The settings the detector was trained with, as the options text stored in the model:
     * "transform=<transform_spec> ..." into buf (cap bytes, truncated). */
    void (*describe)(const struct lad_detector_settings *s, const char *transform_spec, char *buf, size_t cap);

    /* Local. LAD_ERR_MODEL when m's detector fields do not fit its m->events.n events (before writing). */
    enum lad_status (*check)(struct lad_ctx *ctx, const struct lad_model *m);

    /* Collective. Writes m's detector fields into the open model file h: arrays as datasets, scalars as
     * attributes of the detector's group (/<name>). */
    enum lad_status (*write)(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_model *m);

    /*
     * Collective. Reads m's detector fields from the untrusted file h, each dataset's size checked
     * against m->events.n before its buffer is sized; LAD_ERR_MODEL naming what is wrong. Allocates
     * m's detector fields (m owns them, lad_model_free frees them, also on failure).
     */
    enum lad_status (*read)(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_model *m);

    /* Local. LAD_ERR_MODEL naming the first of m's detector values (read from the file at path) that is
     * not finite or outside the range training produces. */
    enum lad_status (*check_values)(struct lad_ctx *ctx, const char *path, const struct lad_model *m);

    /*
     * Local. Appends the detector's part of the UNKNOWN column (lad_model_unknown.h) as column
     * m->events.n - 1: the event table and the transform already have it, the detector fields are one
     * column short. LAD_ERR_NOMEM.
     */
    enum lad_status (*add_unknown)(struct lad_ctx *ctx, struct lad_model *m);

    /* Local. The score above which a row is anomalous. */
    double (*threshold)(const struct lad_model *m);

    /*
     * Local. The score of one transformed row y[0, n) (n = m->events.n) and the n_top events that raise
     * it most (lad_top_positive; -1 fills the rest) in top, each with its contribution to the score and
     * its expected count (NaN where the detector predicts none, and for -1). buf: n doubles of scratch.
     */
    double (*score_row)(const struct lad_model *m, const double *y, double *buf, int n_top, int *top,
                        double *contribution, double *expected);
};

/* Local. The entry of a model type; NULL for a type no detector has. */
const struct lad_detector *lad_detector_find(enum lad_model_type type);

/* Local. The entry whose name is name (a model file's kind); NULL when none is. */
const struct lad_detector *lad_detector_find_name(const char *name);

/* Local. Every detector's name, for messages: "pca or logreg", into buf (cap bytes, truncated). */
void lad_detector_format_names(char *buf, size_t cap);

#endif
