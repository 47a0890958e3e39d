/*
 * lad_ingest.h - logs in, feature matrix out: partition -> parse -> count -> reduce -> order.
 *
 * This is the shared front half of preprocess, train --log, detect --log and run. Intermediate data
 * never touches disk: the matrix it returns is what preprocess writes to features.h5 and what the
 * later stages of run use directly.
 */
#ifndef LAD_INGEST_H
#define LAD_INGEST_H

#include "lad_status.h"

struct lad_ctx;
struct lad_options;
struct lad_features;
struct lad_template_set;

/*
 * Collective. Reads o->logs and fills f (sorted row-block layout, event table, global summary).
 * Events come from `templates` when non-NULL (detect passes the model's event table; `source` then
 * describes it), else from o->templates_path, else they are mined. Writes o->structured_out and
 * o->templates_out when set. Prints the ingest report on rank 0.
 */
enum lad_status lad_ingest_logs(struct lad_ctx *ctx, const struct lad_options *o,
                                const struct lad_template_set *templates, const char *source,
                                struct lad_features *f);

/* Local. Prints what ingest saw (lines, bytes, blocks, events, what was skipped) on rank 0 and adds
 * the counts to the run summary. */
void lad_ingest_report(struct lad_ctx *ctx, const struct lad_features *f);

#endif
