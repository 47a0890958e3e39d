/*
 * lad_labels.h - ground-truth labels (loghub anomaly_label.csv: BlockId,Label) joined to the rows of
 * the feature matrix.
 *
 * The labels file is read like a log: every rank parses its own byte range (the HDFS_v1 file has
 * 575,061 rows). Each label is then sent to the rank whose row block holds that block id: rows are
 * sorted by key, so the rank is found from the key range of every rank (MPI_Allgather) and one
 * MPI_Alltoallv moves the labels. No rank ever holds all labels.
 */
#ifndef LAD_LABELS_H
#define LAD_LABELS_H

#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_features;

#define LAD_LABEL_NORMAL 0
#define LAD_LABEL_ANOMALY 1
#define LAD_LABEL_UNKNOWN (-1)

/* What the join found, summed over all ranks. */
struct lad_label_stats {
    int64_t rows;            /* label rows in the file (header excluded) */
    int64_t anomalies;       /* matched rows labelled Anomaly */
    int64_t normals;         /* matched rows labelled Normal */
    int64_t unseen;          /* labels of blocks that are not in the features */
    int64_t unlabelled;      /* feature rows without a label */
    int64_t duplicates;      /* repeated rows for the same block with the same label */
};

/*
 * Collective. Fills label[0, f->n_local) with LAD_LABEL_* for this rank's rows. Errors (each with the
 * file and line): a missing or empty file, a row that is not `blk_<id>,Anomaly|Normal`, the same block
 * labelled both ways, and a file none of whose labels names a block of the features (LAD_ERR_LABELS:
 * labels from another log).
 */
enum lad_status lad_labels_load(struct lad_ctx *ctx, const char *path, const struct lad_features *f, int8_t *label,
                                struct lad_label_stats *stats);

/* Local. Parses one label field ("Anomaly", "Normal", case-insensitive); -1 if it is neither. */
int lad_labels_parse_value(const char *s);

/* Local. Prints the join report on rank 0 (unseen and unlabelled blocks are never silent). */
void lad_labels_report(const struct lad_ctx *ctx, const char *path, const struct lad_label_stats *s);

#endif
