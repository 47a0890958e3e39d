/*
 * lad_report.h - DIR/report.html: what a detect or run found, as one self-contained HTML page with
 * inline SVG plots (no script, no network, no external font; readable without JavaScript).
 *
 * Per model: the score histogram against the threshold (split by label when labels are given), the
 * precision-recall curve and the confusion matrix (with labels), the events named most often among the
 * anomalies' top events with their template text, and the event counts of the highest-scoring
 * anomalous blocks as a heatmap. Last, in a section of its own, how this run was made: ranks,
 * threads, job, paths, and each rank's phase times and peak memory.
 *
 * Everything above the run section is computed from integer reductions and a distributed top-K, so
 * rank 0's memory does not grow with the number of blocks, and it is byte for byte the same at any
 * rank and thread count wherever the scores are (see the README). The run section lies between the
 * comments LAD_REPORT_RUN_BEGIN and LAD_REPORT_RUN_END so that tests can set it aside.
 */
#ifndef LAD_REPORT_H
#define LAD_REPORT_H

#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_options;
struct lad_features;
struct lad_model;
struct lad_verdicts;
struct lad_metrics;
struct lad_label_stats;

#define LAD_REPORT_RUN_BEGIN "<!-- logad:run-section:begin -->"
#define LAD_REPORT_RUN_END "<!-- logad:run-section:end -->"

/* What the report is made of; every pointer is the caller's and must outlive the call. */
struct lad_report_input {
    const struct lad_options *o;
    const struct lad_features *f;           /* the scored rows (counts and keys) */
    const struct lad_model *models;         /* n_models */
    const struct lad_verdicts *verdicts;    /* n_models, rows aligned with f's */
    int n_models;
    const int8_t *label;                    /* f->n_local LAD_LABEL_* values, or NULL without labels */
    const struct lad_metrics *metrics;      /* n_models, or NULL without labels */
    const struct lad_label_stats *label_stats; /* NULL without labels */
};

/*
 * Collective. Writes path atomically (rank 0 writes; the others contribute reductions and their rows
 * of the top blocks). Phase times are those of every rank at the moment of the call; phases after it
 * (writing metrics.json, the summary) are not in the report. Returns an agreed status.
 */
enum lad_status lad_report_write(struct lad_ctx *ctx, const struct lad_report_input *in, const char *path);

#endif
