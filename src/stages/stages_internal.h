/* stages_internal.h - what the stage files share and nothing else includes. */
#ifndef LAD_STAGES_INTERNAL_H
#define LAD_STAGES_INTERNAL_H

#include <stdint.h>

#include "lad_parser.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_inputs;
struct lad_events;
struct lad_options;
struct lad_features;
struct lad_logformat;

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

#endif
