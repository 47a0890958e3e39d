/*
 * report_internal.h - what the report's files share: the statistics computed collectively (stats.c)
 * and the SVG plots drawn from them on rank 0 (svg.c). Nothing outside src/report includes it.
 */
#ifndef LAD_REPORT_INTERNAL_H
#define LAD_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lad_detector.h"
#include "lad_status.h"
#include "lad_timer.h"

struct lad_ctx;
struct lad_features;
struct lad_verdicts;
struct lad_events;
struct lad_metrics;

#define LAD__FINE_BINS 1024  /* score bins of the PR curve */
#define LAD__SHOW_BINS 64    /* bars of the histogram: LAD__FINE_BINS / 16 */
#define LAD__TOP_BLOCKS 20   /* rows of the heatmap */
#define LAD__TOP_EVENTS 15   /* rows of the top-events table */
#define LAD__HEAT_COLUMNS 40 /* events shown at most in the heatmap */

/* Score classes by label. */
enum { LAD__NORMAL = 0, LAD__ANOMALY = 1, LAD__UNLABELLED = 2, LAD__CLASSES = 3 };

/* Scores of one model binned on a common axis; identical on every rank after the reduction. */
struct lad__hist {
    enum lad_score_axis axis; /* how scores are placed on the histogram's axis (the detector's) */
    double lo, hi;       /* axis range over all scores and the threshold */
    double threshold;    /* the model's threshold on the axis */
    int64_t count[LAD__CLASSES][LAD__FINE_BINS];
    int64_t total[LAD__CLASSES];
    int64_t not_finite;  /* scores that are NaN (left out) */
};

/* The highest-scoring anomalous blocks of one model, with their event counts (rank 0). */
struct lad__top_blocks {
    int n;                          /* blocks found, at most LAD__TOP_BLOCKS */
    int n_events;                   /* columns of counts */
    int64_t key[LAD__TOP_BLOCKS];
    double score[LAD__TOP_BLOCKS];
    int label[LAD__TOP_BLOCKS];     /* LAD_LABEL_* */
    int64_t *counts;                /* n x n_events, rank 0 only */
};

/* Each rank's phase times and memory at the time of the report (rank 0). */
struct lad__rank_table {
    int size;
    double *phase;                  /* size x LAD_PHASE_COUNT seconds */
    double *rss_mib;                /* size */
    char *where;                    /* size x LAD__WHERE_MAX: "host, CPUs 0-3" */
};
#define LAD__WHERE_MAX 96

/* Local. A score's place on the axis (-inf for PCA's zero scores). */
double lad__axis_value(enum lad_score_axis axis, double score);

/* Collective. Bins v's scores by label (label may be NULL). */
enum lad_status lad__hist_compute(struct lad_ctx *ctx, const struct lad_verdicts *v, const int8_t *label,
                                  enum lad_score_axis axis, struct lad__hist *h);

/* Collective. hits[j]: anomalous blocks that name model event j among their top events; hits[n_events]:
 * anomalous blocks that name none (n_events + 1 entries). */
enum lad_status lad__event_hits(struct lad_ctx *ctx, const struct lad_verdicts *v, int n_events, int64_t *hits);

/* Collective. The top anomalous blocks by (score desc, block id asc), their counts gathered to rank 0. */
enum lad_status lad__top_blocks_compute(struct lad_ctx *ctx, const struct lad_features *f,
                                        const struct lad_verdicts *v, const int8_t *label,
                                        struct lad__top_blocks *t);
void lad__top_blocks_free(struct lad__top_blocks *t);

/* Collective. Gathers every rank's phase times (so far), peak RSS and host/CPUs to rank 0. */
enum lad_status lad__rank_table_gather(struct lad_ctx *ctx, struct lad__rank_table *t);
void lad__rank_table_free(struct lad__rank_table *t);

/* ---- drawing (local, rank 0) ---- */

/* Local. Writes s with &, <, >, " and ' escaped. */
void lad__html_text(FILE *out, const char *s);

void lad__svg_histogram(FILE *out, const struct lad__hist *h, bool labelled);
void lad__svg_pr_curve(FILE *out, const struct lad__hist *h, const struct lad_metrics *m);
void lad__svg_confusion(FILE *out, const struct lad_metrics *m);
void lad__svg_bar(FILE *out, double fraction);
/* Local. The events the heatmap shows (cols, at most LAD__HEAT_COLUMNS, ascending): those counted most
 * in the top blocks, ties to the lower index. Returns how many. */
int lad__heat_columns(const struct lad__top_blocks *t, int *cols);
void lad__svg_heatmap(FILE *out, const struct lad__top_blocks *t, const int *cols, int n_cols,
                      const struct lad_events *events, int session_kind);
void lad__svg_rank_bars(FILE *out, const struct lad__rank_table *t);

#endif
