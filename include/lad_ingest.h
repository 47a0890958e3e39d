/*
 * lad_ingest.h - logs in, feature matrix out: partition -> parse -> count -> reduce -> order.
 *
 * This is the shared front half of preprocess, train --log, detect --log and run. Intermediate data
 * never touches disk: the matrix it returns is what preprocess writes to features.h5 and what the
 * later stages of run use directly.
 */
#ifndef LAD_INGEST_H
#define LAD_INGEST_H

#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_options;
struct lad_features;
struct lad_template_set;
struct lad_assigner;
struct lad_label_stats;

/*
 * Collective. Reads o->logs and fills f (sorted row-block layout, event table, global summary).
 * detect passes its model's `assigner` (lad_assign.h) when the model has one: lines are then split,
 * keyed and cut into sessions with the model's settings, and with a mined model every key gets the
 * event training gave it (keys never seen: the rule of lad_assign.h, else the UNKNOWN column), so
 * f's columns are the model's. Else events come from `templates` when non-NULL (the model's event
 * table; `source` describes where from), else from o->templates_path, else they are mined, and
 * f->assigner records how, for the models trained on f. With --line-labels, f->line_label holds each
 * window's label. Writes o->structured_out and o->templates_out when set.
 */
enum lad_status lad_ingest_logs(struct lad_ctx *ctx, const struct lad_options *o,
                                const struct lad_template_set *templates, const struct lad_assigner *assigner,
                                const char *source, struct lad_features *f);

/*
 * Collective. Hands over f->line_label (--line-labels; f keeps NULL) as *label, one LAD_LABEL_* per
 * local row, with their counts in *stats (rows, anomalies, normals; nothing unseen or unlabelled).
 */
enum lad_status lad_ingest_line_labels(struct lad_ctx *ctx, struct lad_features *f, int8_t **label,
                                       struct lad_label_stats *stats);

/* Local. Prints what ingest saw (lines, bytes, blocks, events, what was skipped) on rank 0 and adds
 * the counts to the run summary. */
void lad_ingest_report(struct lad_ctx *ctx, const struct lad_features *f);

#endif
