/*
 * schema.c - the one table of what logad's HDF5 files hold (lad_schema.h), and the attribute helpers
 * that take its keys. N is the number of sessions (rows), E of events (columns).
 */
#include "lad_schema.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_h5.h"

#define FEATURES LAD_SCHEMA_PART_FEATURES
#define EVENTS LAD_SCHEMA_PART_EVENTS
#define MODEL LAD_SCHEMA_PART_MODEL
#define TRANSFORM LAD_SCHEMA_PART_TRANSFORM
#define PCA LAD_SCHEMA_PART_PCA
#define LOGREG LAD_SCHEMA_PART_LOGREG
#define ASSIGNER LAD_SCHEMA_PART_ASSIGNER
#define VERDICTS LAD_SCHEMA_PART_VERDICTS
#define VERDICT_MODEL LAD_SCHEMA_PART_VERDICT_MODEL
#define MATRIX LAD_SCHEMA_PART_MATRIX
#define GROUP LAD_SCHEMA_GROUP
#define INT LAD_SCHEMA_INT
#define FLOAT LAD_SCHEMA_FLOAT
#define STRING LAD_SCHEMA_STRING

const struct lad_schema_entry lad_schema[LAD_SCHEMA_N] = {
    [LAD_FEATURES_H5_FORMAT] = {FEATURES, "/", "format", STRING, "the file's kind, \"logad-features\""},
    [LAD_FEATURES_H5_FORMAT_VERSION] = {FEATURES, "/", "format_version", INT, "the features format version"},
    [LAD_FEATURES_H5_CREATED_BY] = {FEATURES, "/", "created_by", STRING, "the logad version that wrote it"},
    [LAD_FEATURES_H5_SESSION_KIND] = {FEATURES, "/", "session_kind", STRING, "what a row is: hdfs_block or window"},
    [LAD_FEATURES_H5_WINDOW] = {FEATURES, "/", "window", STRING, "the --window spec (window sessions only)"},
    [LAD_FEATURES_H5_EVENT_SOURCE] = {FEATURES, "/", "event_source", STRING, "\"mined\" or \"templates:<file>\""},
    [LAD_FEATURES_H5_FILES] = {FEATURES, "/", "files", INT, "log files read"},
    [LAD_FEATURES_H5_BYTES] = {FEATURES, "/", "bytes", INT, "bytes read"},
    [LAD_FEATURES_H5_LINES] = {FEATURES, "/", "lines", INT, "lines read"},
    [LAD_FEATURES_H5_MALFORMED_LINES] = {FEATURES, "/", "malformed_lines", INT,
        "lines whose header did not fit the log format"},
    [LAD_FEATURES_H5_FIRST_MALFORMED_LINE] = {FEATURES, "/", "first_malformed_line", INT,
        "the first such line (1-based), or 0"},
    [LAD_FEATURES_H5_NO_SESSION_LINES] = {FEATURES, "/", "no_session_lines", INT, "lines naming no session key"},
    [LAD_FEATURES_H5_UNMATCHED_LINES] = {FEATURES, "/", "unmatched_lines", INT, "lines that matched no given template"},
    [LAD_FEATURES_H5_OVERSIZE_LINES] = {FEATURES, "/", "oversize_lines", INT, "lines longer than --max-line, skipped"},
    [LAD_FEATURES_H5_BLOCKID_OVERFLOW] = {FEATURES, "/", "blockid_overflow", INT, "block ids too long for 64 bits"},
    [LAD_FEATURES_H5_EMPTY_MESSAGES] = {FEATURES, "/", "empty_messages", INT, "lines with an empty message"},
    [LAD_FEATURES_H5_SESSIONS] = {FEATURES, "/sessions", NULL, INT, "[N] session keys (block ids), ascending"},
    [LAD_FEATURES_H5_COUNTS] = {FEATURES, "/counts", NULL, INT, "[N, E] lines of each event in each session"},
    [LAD_FEATURES_H5_EVENT_LINES] = {FEATURES, "/events/lines", NULL, INT, "[E] lines of each event in the input"},

    [LAD_EVENTS_H5_IDS] = {EVENTS, "/events/ids", NULL, STRING, "[E] the event ids, one per column"},
    [LAD_EVENTS_H5_TEMPLATES] = {EVENTS, "/events/templates", NULL, STRING, "[E] the events' templates"},

    [LAD_MODEL_H5_FORMAT] = {MODEL, "/", "format", STRING, "the file's kind, \"logad-model\""},
    [LAD_MODEL_H5_FORMAT_VERSION] = {MODEL, "/", "format_version", INT, "the model format version"},
    [LAD_MODEL_H5_KIND] = {MODEL, "/", "kind", STRING, "the detector: pca or logreg"},
    [LAD_MODEL_H5_CREATED_BY] = {MODEL, "/", "created_by", STRING, "the logad version that wrote it"},
    [LAD_MODEL_H5_SESSION_KIND] = {MODEL, "/", "session_kind", STRING, "what a row is: hdfs_block or window"},
    [LAD_MODEL_H5_EVENT_SOURCE] = {MODEL, "/", "event_source", STRING, "\"mined\" or \"templates:<file>\""},
    [LAD_MODEL_H5_TRANSFORM] = {MODEL, "/", "transform", STRING, "the transform spec (\"tfidf,center\")"},
    [LAD_MODEL_H5_N_TRAIN] = {MODEL, "/", "n_train", INT, "training rows"},
    [LAD_MODEL_H5_FINGERPRINT] = {MODEL, "/", "fingerprint", STRING, "hex hash of the training matrix"},
    [LAD_MODEL_H5_OPTIONS] = {MODEL, "/", "options", STRING, "the options it was trained with (text)"},

    [LAD_TRANSFORM_H5_WEIGHT] = {TRANSFORM, "/transform/weight", NULL, FLOAT, "[E] IDF weights (1 without tfidf)"},
    [LAD_TRANSFORM_H5_MEAN] = {TRANSFORM, "/transform/mean", NULL, FLOAT, "[E] column means (0 without center)"},
    [LAD_TRANSFORM_H5_DF] = {TRANSFORM, "/transform/df", NULL, INT, "[E] training rows holding each event"},

    [LAD_PCA_H5_EIGENVALUES] = {PCA, "/pca/eigenvalues", NULL, FLOAT, "[E] eigenvalues, descending"},
    [LAD_PCA_H5_COMPONENTS] = {PCA, "/pca/components", NULL, FLOAT, "[E, k] the normal subspace's basis"},
    [LAD_PCA_H5_K] = {PCA, "/pca", "k", INT, "principal components kept"},
    [LAD_PCA_H5_ALPHA] = {PCA, "/pca", "alpha", FLOAT, "the Q-statistic's significance level"},
    [LAD_PCA_H5_VARIANCE] = {PCA, "/pca", "variance", FLOAT, "the share of the variance the k components hold"},
    [LAD_PCA_H5_THRESHOLD] = {PCA, "/pca", "threshold", FLOAT, "the Q threshold on the SPE"},

    [LAD_LOGREG_H5_WEIGHTS] = {LOGREG, "/logreg/weights", NULL, FLOAT, "[E] weights"},
    [LAD_LOGREG_H5_BIAS] = {LOGREG, "/logreg", "bias", FLOAT, "the bias"},
    [LAD_LOGREG_H5_LAMBDA] = {LOGREG, "/logreg", "lambda", FLOAT, "the L2 penalty"},
    [LAD_LOGREG_H5_THRESHOLD] = {LOGREG, "/logreg", "threshold", FLOAT,
        "the probability above which a block is anomalous"},
    [LAD_LOGREG_H5_BALANCED] = {LOGREG, "/logreg", "balanced", INT, "1: classes weighted to balance"},
    [LAD_LOGREG_H5_ITERATIONS] = {LOGREG, "/logreg", "iterations", INT, "Newton steps taken"},
    [LAD_LOGREG_H5_CONVERGED] = {LOGREG, "/logreg", "converged", INT, "1: the fit converged"},

    [LAD_ASSIGNER_H5_GROUP] = {ASSIGNER, "/assigner", NULL, GROUP, "how new lines get the events training gave"},
    [LAD_ASSIGNER_H5_KIND] = {ASSIGNER, "/assigner", "kind", STRING, "\"mined\" or \"templates\""},
    [LAD_ASSIGNER_H5_PRESET] = {ASSIGNER, "/assigner", "preset", STRING, "the --preset"},
    [LAD_ASSIGNER_H5_LOG_FORMAT] = {ASSIGNER, "/assigner", "log_format", STRING, "the log format"},
    [LAD_ASSIGNER_H5_WINDOW] = {ASSIGNER, "/assigner", "window", STRING, "the --window spec (\"\" for HDFS blocks)"},
    [LAD_ASSIGNER_H5_BUILTIN_MASKS] = {ASSIGNER, "/assigner", "builtin_masks", INT, "the built-in masks (bits)"},
    [LAD_ASSIGNER_H5_DRAIN_DEPTH] = {ASSIGNER, "/assigner", "drain_depth", INT, "Drain's tree depth"},
    [LAD_ASSIGNER_H5_DRAIN_SIMILARITY] = {ASSIGNER, "/assigner", "drain_similarity", FLOAT, "Drain's similarity"},
    [LAD_ASSIGNER_H5_DRAIN_MAX_CHILDREN] = {ASSIGNER, "/assigner", "drain_max_children", INT,
        "Drain's children per node"},
    [LAD_ASSIGNER_H5_MASKS_BYTES] = {ASSIGNER, "/assigner/masks/bytes", NULL, INT, "the mask patterns, back to back"},
    [LAD_ASSIGNER_H5_MASKS_LENGTHS] = {ASSIGNER, "/assigner/masks/lengths", NULL, INT, "each pattern's length"},
    [LAD_ASSIGNER_H5_KEYS_BYTES] = {ASSIGNER, "/assigner/keys/bytes", NULL, INT,
        "mined only: keys seen in training, sorted"},
    [LAD_ASSIGNER_H5_KEYS_LENGTHS] = {ASSIGNER, "/assigner/keys/lengths", NULL, INT, "mined only: each key's length"},
    [LAD_ASSIGNER_H5_KEYS_EVENTS] = {ASSIGNER, "/assigner/keys/events", NULL, INT, "mined only: each key's event"},
    [LAD_ASSIGNER_H5_TEMPLATES_BYTES] = {ASSIGNER, "/assigner/groups/templates/bytes", NULL, INT,
        "mined only: the groups' templates"},
    [LAD_ASSIGNER_H5_TEMPLATES_LENGTHS] = {ASSIGNER, "/assigner/groups/templates/lengths", NULL, INT,
        "mined only: each template's length"},
    [LAD_ASSIGNER_H5_FLAGS_BYTES] = {ASSIGNER, "/assigner/groups/flags/bytes", NULL, INT,
        "mined only: the groups' skeleton flags"},
    [LAD_ASSIGNER_H5_FLAGS_LENGTHS] = {ASSIGNER, "/assigner/groups/flags/lengths", NULL, INT,
        "mined only: each flags' length"},
    [LAD_ASSIGNER_H5_GROUPS_EVENTS] = {ASSIGNER, "/assigner/groups/events", NULL, INT,
        "mined only: each group's event"},

    [LAD_VERDICTS_H5_FORMAT] = {VERDICTS, "/", "format", STRING, "the file's kind, \"logad-verdicts\""},
    [LAD_VERDICTS_H5_SESSION_KIND] = {VERDICTS, "/", "session_kind", STRING, "what a row is: hdfs_block or window"},
    [LAD_VERDICTS_H5_SESSIONS] = {VERDICTS, "/sessions", NULL, INT, "[N] session keys, ascending"},

    [LAD_VERDICTS_H5_THRESHOLD] = {VERDICT_MODEL, "", "threshold", FLOAT, "the score above which a block is anomalous"},
    [LAD_VERDICTS_H5_N_TOP] = {VERDICT_MODEL, "", "n_top", INT, "K, the events named per block"},
    [LAD_VERDICTS_H5_SCORE_MEANING] = {VERDICT_MODEL, "", "score", STRING, "what the score is"},
    [LAD_VERDICTS_H5_CONTRIBUTION_MEANING] = {VERDICT_MODEL, "", "contribution", STRING, "what a contribution is"},
    [LAD_VERDICTS_H5_SCORE] = {VERDICT_MODEL, "score", NULL, FLOAT, "[N] every block's score"},
    [LAD_VERDICTS_H5_ANOMALY] = {VERDICT_MODEL, "anomaly", NULL, INT, "[N] 1 anomalous, 0 normal"},
    [LAD_VERDICTS_H5_TOP_EVENTS] = {VERDICT_MODEL, "top_events", NULL, INT, "[N, K] events named (K > 0 only)"},
    [LAD_VERDICTS_H5_ANOMALIES] = {VERDICT_MODEL, "anomalies", NULL, GROUP, "the anomalous blocks, explained"},
    [LAD_VERDICTS_H5_ANOMALY_ROWS] = {VERDICT_MODEL, "anomalies/row", NULL, INT, "[A] their rows, ascending"},
    [LAD_VERDICTS_H5_ANOMALY_EVENTS] = {VERDICT_MODEL, "anomalies/events", NULL, INT, "[A, K] the events named"},
    [LAD_VERDICTS_H5_ANOMALY_OBSERVED] = {VERDICT_MODEL, "anomalies/observed", NULL, INT,
        "[A, K] each named event's count"},
    [LAD_VERDICTS_H5_ANOMALY_EXPECTED] = {VERDICT_MODEL, "anomalies/expected", NULL, FLOAT,
        "[A, K] PCA's expected count; NaN for logreg"},
    [LAD_VERDICTS_H5_ANOMALY_CONTRIBUTION] = {VERDICT_MODEL, "anomalies/contribution", NULL, FLOAT,
        "[A, K] shares of the score"},
    [LAD_VERDICTS_H5_EVENT_IDS] = {VERDICT_MODEL, "event_ids", NULL, STRING, "[E] the model's event ids"},
    [LAD_VERDICTS_H5_EVENT_TEMPLATES] = {VERDICT_MODEL, "event_templates", NULL, STRING, "[E] their templates"},

    [LAD_MATRIX_H5_FORMAT] = {MATRIX, "/", "format", STRING, "the file's kind, \"logad-matrix\""},
    [LAD_MATRIX_H5_TRANSFORM] = {MATRIX, "/", "transform", STRING, "the transform spec"},
    [LAD_MATRIX_H5_N_TRAIN] = {MATRIX, "/", "n_train", INT, "rows the transform was fitted on"},
    [LAD_MATRIX_H5_SESSIONS] = {MATRIX, "/sessions", NULL, INT, "[N] session keys, ascending"},
    [LAD_MATRIX_H5_MATRIX] = {MATRIX, "/matrix", NULL, FLOAT, "[N, E] the transformed counts"},
};

const char *lad_schema_label(enum lad_schema_key key, char *buf, size_t cap)
{
    const struct lad_schema_entry *e = &lad_schema[key];
    if (e->attr == NULL)
        snprintf(buf, cap, "%s", e->path);
    else if (strcmp(e->path, "/") == 0)
        snprintf(buf, cap, "%s", e->attr);
    else
        snprintf(buf, cap, "%s %s", e->path, e->attr);
    return buf;
}

enum lad_status lad_schema_put_i64(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t v)
{
    return lad_h5_attr_i64(ctx, h, lad_schema[key].path, lad_schema[key].attr, v);
}

enum lad_status lad_schema_put_f64(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, double v)
{
    return lad_h5_attr_f64(ctx, h, lad_schema[key].path, lad_schema[key].attr, v);
}

enum lad_status lad_schema_put_str(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, const char *v)
{
    return lad_h5_attr_str(ctx, h, lad_schema[key].path, lad_schema[key].attr, v);
}

/* Local. LAD_OK when attribute key is there; else LAD_ERR_INPUT saying what is missing. The lad_h5
 * readers would also refuse it, but could not say what it holds. */
static enum lad_status attr_present(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key)
{
    const struct lad_schema_entry *e = &lad_schema[key];
    if (lad_h5_exists(h, e->path) && H5Aexists_by_name(h->file, e->path, e->attr, H5P_DEFAULT) > 0)
        return LAD_OK;
    return lad_fail(ctx, LAD_ERR_INPUT, "%s: attribute '%s' of '%s' (%s) is missing", h->path, e->attr, e->path,
                    e->meaning);
}

enum lad_status lad_schema_get_i64(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t *v)
{
    enum lad_status st = attr_present(ctx, h, key);
    return st == LAD_OK ? lad_h5_get_i64(ctx, h, lad_schema[key].path, lad_schema[key].attr, v) : st;
}

enum lad_status lad_schema_get_f64(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, double *v)
{
    enum lad_status st = attr_present(ctx, h, key);
    return st == LAD_OK ? lad_h5_get_f64(ctx, h, lad_schema[key].path, lad_schema[key].attr, v) : st;
}

enum lad_status lad_schema_get_str(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, char **v)
{
    *v = NULL;
    enum lad_status st = attr_present(ctx, h, key);
    return st == LAD_OK ? lad_h5_get_str(ctx, h, lad_schema[key].path, lad_schema[key].attr, v) : st;
}

enum lad_status lad_schema_dims(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t *rows,
                                int64_t *cols)
{
    const struct lad_schema_entry *e = &lad_schema[key];
    *rows = *cols = 0;
    if (!lad_h5_exists(h, e->path))
        return lad_fail(ctx, LAD_ERR_INPUT, "%s has no dataset '%s' (%s)", h->path, e->path, e->meaning);
    return lad_h5_dims(ctx, h, e->path, rows, cols);
}
