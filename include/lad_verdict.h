/*
 * lad_verdict.h - per-block verdicts of one model, and their outputs:
 *   DIR/anomalies.csv            BlockId,Label,Score,TopEvents - every block, in block order
 *   DIR/anomalies_explained.csv  BlockId,Model,Rank,EventId,Observed,Expected,Contribution,Template -
 *                                one row per event named for an anomalous block, in block order
 *   DIR/verdicts.h5              /sessions and, per model, /<model>/{score,anomaly,top_*,event_*}
 * No rank gathers rows: each rank formats its own rows (OpenMP threads over row ranges), and the
 * ordered collective writer places them after the lower ranks' (lad_comm_file_reserve), so the files
 * are in block order and byte for byte the same at any rank and thread count. verdicts.h5 is written
 * by all ranks in parallel, one hyperslab each. results/README.md documents every column and dataset.
 */
#ifndef LAD_VERDICT_H
#define LAD_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_detector;
struct lad_features;
struct lad_events;

#define LAD_TOP_EVENTS_MAX 16

/*
 * One model's verdicts on this rank's rows (row i is the features' local row i). What a verdict names
 * depends on the block's row of counts alone, so it is kept once per case, a group of equal rows (the
 * features' row groups): row i's named events are at cell lad_verdicts_cell(v, i) of top, observed,
 * expected and contribution.
 */
struct lad_verdicts {
    const struct lad_detector *detector; /* the model's: its name, what its numbers mean */
    double threshold;        /* score above which a block is anomalous */
    int n_top;               /* top contributing events kept per block */
    int64_t n_local;
    double *score;           /* n_local */
    uint8_t *anomaly;        /* n_local: 1 anomalous, 0 normal */
    int64_t n_cases;
    const int64_t *case_of;  /* n_local: row i's case (the features' group_of; not owned) */
    const int64_t *case_first; /* n_cases: each case's first row (the features' group_first; not owned) */
    int32_t *top;            /* n_cases x n_top model event indices, -1 where none */
    int64_t *observed;       /* n_cases x n_top: the block's count of that event (0 where none) */
    double *expected;        /* n_cases x n_top: PCA's expected count (the row's projection onto the
                              * normal subspace, in counts); NaN for logreg and where none */
    double *contribution;    /* n_cases x n_top: PCA r_j^2 (its share of the SPE), logreg w_j y_j (its
                              * share of the log-odds); NaN where none */
    int *columns;            /* per model event: the feature column it was scored from, -1 if absent */
    const struct lad_events *events; /* the model's events, which top indexes */
};

/* Local. Where row i's named events start in top, observed, expected and contribution. */
static inline size_t lad_verdicts_cell(const struct lad_verdicts *v, int64_t i)
{
    return (size_t)v->case_of[i] * (size_t)v->n_top;
}

/* Local. Allocates the arrays for n_local rows in n_cases cases and n_events model events, to be
 * filled by the caller (every entry); LAD_ERR_NOMEM on failure. */
enum lad_status lad_verdicts_alloc(struct lad_ctx *ctx, struct lad_verdicts *v, int64_t n_local, int64_t n_cases,
                                   int n_top, int n_events);
void lad_verdicts_free(struct lad_verdicts *v);

/* Collective. Global number of anomalous blocks. */
int64_t lad_verdicts_count_anomalies(struct lad_ctx *ctx, const struct lad_verdicts *v);

/*
 * Collective. Writes path (anomalies.csv) atomically: header BlockId,Label,Score,TopEvents, then one
 * row per block in block order; Score as printf("%.12g"); TopEvents (the named event ids, separated by
 * spaces, quoted as RFC 4180 asks if an id needs it) for anomalous blocks only. also_path (NULL: none)
 * gets the same bytes, formatted once: a hard link to path's temporary file where the file system
 * allows, else a second write of the same buffers.
 */
enum lad_status lad_verdict_write_csv(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                                      const char *path, const char *also_path);

/*
 * Collective. Writes path (anomalies_explained.csv) atomically: for every anomalous block, in block
 * order, and each of the n models that flags it, in the order given, one row per named event in rank
 * order (1 = largest contribution). Template is the last column, always quoted.
 */
enum lad_status lad_verdict_write_explained(struct lad_ctx *ctx, const struct lad_features *f,
                                            const struct lad_verdicts *v, int n, const char *path);

/* Collective. Writes path (verdicts.h5) atomically with the verdicts of n models. */
enum lad_status lad_verdict_write_h5(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                                     int n, const char *path);

#endif
