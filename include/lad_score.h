/*
 * lad_score.h - applying a trained model to a feature matrix: column mapping by template text, then
 * transform and score every local row. Purely local: each rank scores its own rows.
 */
#ifndef LAD_SCORE_H
#define LAD_SCORE_H

#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_events;
struct lad_features;
struct lad_model;
struct lad_verdicts;

/* What the column mapping found. */
struct lad_column_map {
    int *model_to_feature;   /* per model event: the feature column with the same template, or -1 */
    int missing_events;      /* model events absent from the new log's table */
    int unseen_events;       /* events of the new log that the model does not know */
    int64_t unseen_lines;    /* lines of those events (they do not count in any score) */
};

/* Local. Maps model events onto the columns of f by template text. */
enum lad_status lad_score_map_columns(struct lad_ctx *ctx, const struct lad_events *model,
                                      const struct lad_events *features, struct lad_column_map *map);
void lad_score_map_free(struct lad_column_map *map);

/*
 * Local. Scores this rank's rows of f with m into v (allocated here with n_top contributors per row),
 * through m's detector (lad_detector.h). PCA: score = SPE, anomalous when above the Q threshold;
 * logreg: score = P(anomaly), anomalous when above the model's probability threshold. The events named
 * per row are those that raise the score most, and only those that raise it (lad_top_positive): PCA's
 * largest squared residuals r_j^2, with the expected count (the row's projection onto the normal
 * subspace, mapped back through the transform); logreg's largest w_j y_j, with no expected count (NaN).
 * Each with the row's count.
 */
enum lad_status lad_score_rows(struct lad_ctx *ctx, const struct lad_model *m, const struct lad_features *f,
                               const struct lad_column_map *map, int n_top, struct lad_verdicts *v);

#endif
