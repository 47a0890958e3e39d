/* stages_internal.h - what the stage files share and nothing else includes. */
#ifndef LAD_STAGES_INTERNAL_H
#define LAD_STAGES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lad_parser.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_inputs;
struct lad_events;
struct lad_options;
struct lad_features;
struct lad_logformat;

/* What ingest knows after counting, which the structured-output pass needs. */
struct lad__parse_result {
    const struct lad_inputs *inputs;
    const struct lad_parser *parser;
    const struct lad_keytab *keys;   /* this rank's keys, resolved to events */
    const struct lad_events *events;
    int64_t lines_local;             /* lines this rank parsed */
};

/*
 * Collective. Re-reads this rank's share of the inputs and writes one loghub-style structured CSV row
 * per line (LineId, the header fields, EventId, EventTemplate) to path, in input order.
 */
enum lad_status lad__write_structured(struct lad_ctx *ctx, const struct lad_options *o,
                                      const struct lad__parse_result *r, const char *path);

/* Collective (rank 0 writes). loghub-style templates CSV: EventId,EventTemplate,Occurrences. */
enum lad_status lad__write_templates(struct lad_ctx *ctx, const struct lad_events *events, const char *path);

/* Collective (line_labels.c). Adds one event column to f->events for every thread's alert counts
 * (lad_window_note_label) and moves those tables into tables[0, n_locals), to be shuffled with the
 * event counts; column[0] is their column. */
struct lad_counts;
enum lad_status lad__alert_tables(struct lad_ctx *ctx, struct lad_parse_local *locals, int n_locals,
                                  struct lad_features *f, struct lad_counts *tables, int32_t column[1]);

/* Collective. Takes the extra column back out of the ordered matrix f into f->line_label. */
enum lad_status lad__take_alert_column(struct lad_ctx *ctx, struct lad_features *f);

#endif

/* ---- shared by train, detect and run ---- */
struct lad_model;
struct lad_assigner;
struct lad_label_stats;
enum lad_model_type;

/*
 * Collective. The feature matrix of a command: read from o->features_path, or ingested from o->logs
 * (with a model's assigner, else events from `templates` when non-NULL, else as ingest decides).
 */
enum lad_status lad__load_features(struct lad_ctx *ctx, const struct lad_options *o,
                                   const struct lad_template_set *templates, const struct lad_assigner *assigner,
                                   const char *source, struct lad_features *f);

/* Collective. Loads and reports labels for f's rows into *label (malloc'd, f->n_local entries). */
enum lad_status lad__load_labels(struct lad_ctx *ctx, const char *path, const struct lad_features *f, int8_t **label,
                                 struct lad_label_stats *stats);

/*
 * Collective. What training reads: the features (as lad__load_features without templates or an
 * assigner) and each row's label from --labels or the log's own alert lines (*label NULL with
 * neither). On failure after the features loaded, f is still the caller's to free.
 */
enum lad_status lad__load_training_input(struct lad_ctx *ctx, const struct lad_options *o, struct lad_features *f,
                                         int8_t **label, struct lad_label_stats *stats);

/* Collective. Fits one model of `type` on f (labels needed for a supervised detector, lad_detector.h) with
 * o's settings. */
enum lad_status lad__train_model(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_features *f,
                                 const int8_t *label, enum lad_model_type type, struct lad_model *m);

/* Collective. lad__train_model, then the model written where o says (--model-out or --models-dir,
 * lad_outset_model_path), timed as the write phase. *m is the caller's to free either way. */
enum lad_status lad__train_and_write(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_features *f,
                                     const int8_t *label, enum lad_model_type type, struct lad_model *m);

/*
 * Collective. Scores f with each model, writes out_dir/anomalies.csv (the last model's verdicts, so
 * logreg when both are given), out_dir/anomalies_<model>.csv when there are several models,
 * out_dir/verdicts.h5, and with labels out_dir/metrics.json.
 */
enum lad_status lad__detect(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_model *models,
                            int n_models, const struct lad_features *f, const int8_t *label,
                            const struct lad_label_stats *label_stats, const char *out_dir);

/* Collective. Option values only the model code can judge (a --transform list), checked before any
 * input is read rather than after hours of parsing. */
enum lad_status lad__check_model_options(struct lad_ctx *ctx, const struct lad_options *o);

/* Local. Copies an event table. */
enum lad_status lad__events_copy(struct lad_ctx *ctx, const struct lad_events *src, struct lad_events *dst);
