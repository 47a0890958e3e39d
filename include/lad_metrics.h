/*
 * lad_metrics.h - precision, recall and F1 of verdicts against labels, and DIR/metrics.json.
 */
#ifndef LAD_METRICS_H
#define LAD_METRICS_H

#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_verdicts;
struct lad_label_stats;

struct lad_metrics {
    const char *model_name;
    int64_t tp, fp, fn, tn;
    int64_t unlabelled; /* blocks without a label, left out */
    double precision, recall, f1;
};

/* Collective. Counts are integers summed over ranks, so the metrics do not depend on the rank count. */
enum lad_status lad_metrics_compute(struct lad_ctx *ctx, const struct lad_verdicts *v, const int8_t *label,
                                    struct lad_metrics *m);

/* Local. precision/recall/F1 from the four counts (0 where undefined). */
void lad_metrics_finish(struct lad_metrics *m);

/* Local. Prints the table of n models on rank 0. */
void lad_metrics_print(const struct lad_ctx *ctx, const struct lad_metrics *m, int n);

/* Collective (rank 0 writes). metrics.json with every model's counts and scores and the label join. */
enum lad_status lad_metrics_write_json(struct lad_ctx *ctx, const struct lad_metrics *m, int n,
                                       const struct lad_label_stats *labels, const char *labels_path,
                                       const char *path);

#endif
