/* stages_internal.h - what the stage files share and nothing else includes. */
#ifndef LAD_STAGES_INTERNAL_H
#define LAD_STAGES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lad_model_file.h"
#include "lad_options.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_events;
struct lad_options;
struct lad_features;
struct lad_template_set;

/* ---- shared by train, detect and run ---- */
struct lad_model;
struct lad_assigner;
struct lad_label_stats;

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

/* Local. The model types that kinds selects (--model), in lad_model_choices' order: into types, how
 * many. */
int lad__model_types(enum lad_model_kind kinds, enum lad_model_type types[LAD_N_MODEL_CHOICES]);

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

#endif
