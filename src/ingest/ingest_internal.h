/* ingest_internal.h - what the files of the ingest engine (ingest.c, structured.c, line_labels.c)
 * share and nothing else includes. */
#ifndef LAD_INGEST_INTERNAL_H
#define LAD_INGEST_INTERNAL_H

#include <stdint.h>

#include "lad_parser.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_inputs;
struct lad_events;
struct lad_options;
struct lad_features;
struct lad_counts;

/* What ingest knows after counting, which the structured-output pass needs. */
struct lad__parse_result {
    const struct lad_inputs *inputs;
    const struct lad_parser *parser;
    const struct lad_keytab *keys;   /* this rank's keys, resolved to events */
    const struct lad_events *events;
    int64_t lines_local;             /* lines this rank parsed */
};

/*
 * Collective. Re-reads this rank's share of the inputs and writes one loghub-style structured CSV row
 * per line (LineId, the header fields, EventId, EventTemplate) to path, in input order.
 */
enum lad_status lad__write_structured(struct lad_ctx *ctx, const struct lad_options *o,
                                      const struct lad__parse_result *r, const char *path);

/* Collective (rank 0 writes). loghub-style templates CSV: EventId,EventTemplate,Occurrences. */
enum lad_status lad__write_templates(struct lad_ctx *ctx, const struct lad_events *events, const char *path);

/* Collective (line_labels.c). Adds one event column to f->events for every thread's alert counts
 * (lad_window_note_label) and moves those tables into tables[0, n_locals), to be shuffled with the
 * event counts; column[0] is their column. */
enum lad_status lad__alert_tables(struct lad_ctx *ctx, struct lad_parse_local *locals, int n_locals,
                                  struct lad_features *f, struct lad_counts *tables, int32_t column[1]);

/* Collective. Takes the extra column back out of the ordered matrix f into f->line_label. */
enum lad_status lad__take_alert_column(struct lad_ctx *ctx, struct lad_features *f);

#endif
