/*
 * lad_schema.h - the names and HDF5 types of everything logad's HDF5 files hold, in one table
 * (src/store/schema.c): one entry per attribute, dataset or named group, with its meaning. Writers
 * and readers both name an entry by its key, so a name cannot differ between the two, and a reader's
 * message about a missing entry says what it holds. h5dump shows the same names.
 *
 * A file is made of parts (enum lad_schema_part):
 *   features.h5   FEATURES, EVENTS, and ASSIGNER when the features carry one
 *   <model>.h5    MODEL, EVENTS, TRANSFORM, the kind's PCA or LOGREG, and ASSIGNER (older models: none)
 *   verdicts.h5   VERDICTS, and VERDICT_MODEL under /<model> for each model that ran
 *   matrix.h5     MATRIX, EVENTS, TRANSFORM
 * The names and types are the file formats: changing one makes files already written unreadable.
 */
#ifndef LAD_SCHEMA_H
#define LAD_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_h5;

enum lad_schema_part {
    LAD_SCHEMA_PART_FEATURES,
    LAD_SCHEMA_PART_EVENTS,
    LAD_SCHEMA_PART_MODEL,
    LAD_SCHEMA_PART_TRANSFORM,
    LAD_SCHEMA_PART_PCA,
    LAD_SCHEMA_PART_LOGREG,
    LAD_SCHEMA_PART_ASSIGNER,
    LAD_SCHEMA_PART_VERDICTS,
    LAD_SCHEMA_PART_VERDICT_MODEL, /* paths relative to /<model> ("": the group itself) */
    LAD_SCHEMA_PART_MATRIX,
    LAD_SCHEMA_N_PARTS
};

/* The HDF5 type class stored. Integers may be stored narrower than int64 (counts, bytes, flags). */
enum lad_schema_class { LAD_SCHEMA_GROUP, LAD_SCHEMA_INT, LAD_SCHEMA_FLOAT, LAD_SCHEMA_STRING };

/* The keys, part by part, in the order the table lists them. */
enum lad_schema_key {
    /* features.h5 */
    LAD_FEATURES_H5_FORMAT,
    LAD_FEATURES_H5_FORMAT_VERSION,
    LAD_FEATURES_H5_CREATED_BY,
    LAD_FEATURES_H5_SESSION_KIND,
    LAD_FEATURES_H5_WINDOW,
    LAD_FEATURES_H5_EVENT_SOURCE,
    LAD_FEATURES_H5_FILES, /* the ingest counters, in struct lad_ingest_summary's order */
    LAD_FEATURES_H5_BYTES,
    LAD_FEATURES_H5_LINES,
    LAD_FEATURES_H5_MALFORMED_LINES,
    LAD_FEATURES_H5_FIRST_MALFORMED_LINE,
    LAD_FEATURES_H5_NO_SESSION_LINES,
    LAD_FEATURES_H5_UNMATCHED_LINES,
    LAD_FEATURES_H5_OVERSIZE_LINES,
    LAD_FEATURES_H5_BLOCKID_OVERFLOW,
    LAD_FEATURES_H5_EMPTY_MESSAGES,
    LAD_FEATURES_H5_SESSIONS,
    LAD_FEATURES_H5_COUNTS,
    LAD_FEATURES_H5_EVENT_LINES,
    /* the event table of features, model and matrix files */
    LAD_EVENTS_H5_IDS,
    LAD_EVENTS_H5_TEMPLATES,
    /* a model file */
    LAD_MODEL_H5_FORMAT,
    LAD_MODEL_H5_FORMAT_VERSION,
    LAD_MODEL_H5_KIND,
    LAD_MODEL_H5_CREATED_BY,
    LAD_MODEL_H5_SESSION_KIND,
    LAD_MODEL_H5_EVENT_SOURCE,
    LAD_MODEL_H5_TRANSFORM,
    LAD_MODEL_H5_N_TRAIN,
    LAD_MODEL_H5_FINGERPRINT,
    LAD_MODEL_H5_OPTIONS,
    /* the fitted transform of model and matrix files */
    LAD_TRANSFORM_H5_WEIGHT,
    LAD_TRANSFORM_H5_MEAN,
    LAD_TRANSFORM_H5_DF,
    /* a PCA model's part */
    LAD_PCA_H5_EIGENVALUES,
    LAD_PCA_H5_COMPONENTS,
    LAD_PCA_H5_K,
    LAD_PCA_H5_ALPHA,
    LAD_PCA_H5_VARIANCE,
    LAD_PCA_H5_THRESHOLD,
    /* a logistic-regression model's part */
    LAD_LOGREG_H5_WEIGHTS,
    LAD_LOGREG_H5_BIAS,
    LAD_LOGREG_H5_LAMBDA,
    LAD_LOGREG_H5_THRESHOLD,
    LAD_LOGREG_H5_BALANCED,
    LAD_LOGREG_H5_ITERATIONS,
    LAD_LOGREG_H5_CONVERGED,
    /* the event assigner of model and features files (lad_assign_file.h) */
    LAD_ASSIGNER_H5_GROUP,
    LAD_ASSIGNER_H5_KIND,
    LAD_ASSIGNER_H5_PRESET,
    LAD_ASSIGNER_H5_LOG_FORMAT,
    LAD_ASSIGNER_H5_WINDOW,
    LAD_ASSIGNER_H5_BUILTIN_MASKS,
    LAD_ASSIGNER_H5_DRAIN_DEPTH,
    LAD_ASSIGNER_H5_DRAIN_SIMILARITY,
    LAD_ASSIGNER_H5_DRAIN_MAX_CHILDREN,
    LAD_ASSIGNER_H5_MASKS_BYTES,
    LAD_ASSIGNER_H5_MASKS_LENGTHS,
    LAD_ASSIGNER_H5_KEYS_BYTES,
    LAD_ASSIGNER_H5_KEYS_LENGTHS,
    LAD_ASSIGNER_H5_KEYS_EVENTS,
    LAD_ASSIGNER_H5_TEMPLATES_BYTES,
    LAD_ASSIGNER_H5_TEMPLATES_LENGTHS,
    LAD_ASSIGNER_H5_FLAGS_BYTES,
    LAD_ASSIGNER_H5_FLAGS_LENGTHS,
    LAD_ASSIGNER_H5_GROUPS_EVENTS,
    /* verdicts.h5 */
    LAD_VERDICTS_H5_FORMAT,
    LAD_VERDICTS_H5_SESSION_KIND,
    LAD_VERDICTS_H5_SESSIONS,
    /* each /<model> of verdicts.h5 */
    LAD_VERDICTS_H5_THRESHOLD,
    LAD_VERDICTS_H5_N_TOP,
    LAD_VERDICTS_H5_SCORE_MEANING,
    LAD_VERDICTS_H5_CONTRIBUTION_MEANING,
    LAD_VERDICTS_H5_SCORE,
    LAD_VERDICTS_H5_ANOMALY,
    LAD_VERDICTS_H5_TOP_EVENTS,
    LAD_VERDICTS_H5_ANOMALIES,
    LAD_VERDICTS_H5_ANOMALY_ROWS,
    LAD_VERDICTS_H5_ANOMALY_EVENTS,
    LAD_VERDICTS_H5_ANOMALY_OBSERVED,
    LAD_VERDICTS_H5_ANOMALY_EXPECTED,
    LAD_VERDICTS_H5_ANOMALY_CONTRIBUTION,
    LAD_VERDICTS_H5_EVENT_IDS,
    LAD_VERDICTS_H5_EVENT_TEMPLATES,
    /* matrix.h5 (the features stage) */
    LAD_MATRIX_H5_FORMAT,
    LAD_MATRIX_H5_TRANSFORM,
    LAD_MATRIX_H5_N_TRAIN,
    LAD_MATRIX_H5_SESSIONS,
    LAD_MATRIX_H5_MATRIX,
    LAD_SCHEMA_N
};

struct lad_schema_entry {
    enum lad_schema_part part;
    const char *path;    /* a dataset's or group's path; for an attribute, the object it is on */
    const char *attr;    /* the attribute's name; NULL for a dataset or group */
    enum lad_schema_class cls;
    const char *meaning; /* one line: what it holds (and when it is absent) */
};

/* The table, indexed by key. */
extern const struct lad_schema_entry lad_schema[LAD_SCHEMA_N];

/* Local. How messages name an entry: a dataset's path, "<object> <attribute>", or an attribute of "/"
 * by its name alone. Returns buf. */
const char *lad_schema_label(enum lad_schema_key key, char *buf, size_t cap);

/* Collective. Writes attribute key (lad_h5_attr_*). */
enum lad_status lad_schema_put_i64(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t v);
enum lad_status lad_schema_put_f64(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, double v);
enum lad_status lad_schema_put_str(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, const char *v);

/* Collective. Reads attribute key with lad_h5_get_*'s checks (*v of get_str is malloc'd). A missing one
 * is LAD_ERR_INPUT naming it and its meaning. */
enum lad_status lad_schema_get_i64(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t *v);
enum lad_status lad_schema_get_f64(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, double *v);
enum lad_status lad_schema_get_str(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, char **v);

/* Collective. lad_h5_dims of dataset key; a missing one is LAD_ERR_INPUT naming it and its meaning. */
enum lad_status lad_schema_dims(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t *rows,
                                int64_t *cols);

#endif
