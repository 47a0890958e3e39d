/*
 * lad_verdict.h - per-block verdicts of one model, and their outputs:
 *   DIR/anomalies.csv   BlockId,Label,Score,TopEvents - every block, in block order, written by rank 0
 *   DIR/verdicts.h5     /sessions and, per model, /<model>/{score,anomaly,top_events} - written by all
 *                       ranks in parallel, one hyperslab each
 * Rank 0 receives the rows with MPI_Gatherv in rounds of a bounded number of global rows, in block
 * order (rank r's rows follow rank r-1's), so its memory does not grow with the number of blocks.
 */
#ifndef LAD_VERDICT_H
#define LAD_VERDICT_H

#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_features;
struct lad_events;

#define LAD_TOP_EVENTS_MAX 16

struct lad_verdicts {
    const char *model_name;  /* "pca" or "logreg" */
    double threshold;        /* score above which a block is anomalous */
    int n_top;               /* top contributing events kept per block */
    int64_t n_local;
    double *score;           /* n_local */
    uint8_t *anomaly;        /* n_local: 1 anomalous, 0 normal */
    int32_t *top;            /* n_local x n_top model event indices, -1 where none */
    const struct lad_events *events; /* the model's events, which top indexes */
};

/* Local. Allocates the arrays for n_local rows; LAD_ERR_NOMEM on failure. */
enum lad_status lad_verdicts_alloc(struct lad_ctx *ctx, struct lad_verdicts *v, int64_t n_local, int n_top);
void lad_verdicts_free(struct lad_verdicts *v);

/* Collective. Global number of anomalous blocks. */
int64_t lad_verdicts_count_anomalies(struct lad_ctx *ctx, const struct lad_verdicts *v);

/*
 * Collective. Writes path (anomalies.csv) atomically: header BlockId,Label,Score,TopEvents, then one
 * row per block in block order; TopEvents (space-separated event ids) is filled for anomalous blocks.
 * rows_per_round bounds rank 0's buffer (0: 1,000,000).
 */
enum lad_status lad_verdict_write_csv(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                                      const char *path, int64_t rows_per_round);

/* Collective. Writes path (verdicts.h5) atomically with the verdicts of n models. */
enum lad_status lad_verdict_write_h5(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                                     int n, const char *path);

#endif
