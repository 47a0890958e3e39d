/*
 * lad_resolve.h - from message keys to events, when templates are given (mined events: lad_mine.h).
 */
#ifndef LAD_RESOLVE_H
#define LAD_RESOLVE_H

#include "lad_parser.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_events;
struct lad_template_set;

/*
 * Collective. Fills the event table with the templates (file order) plus one last UNMATCHED event,
 * identically on every rank, and sets keys->event[id] for every key of this rank's table. Matching is
 * local (once per distinct key); the global line count of every event is reduced over all ranks.
 */
enum lad_status lad_resolve_template_events(struct lad_ctx *ctx, const struct lad_parser *p,
                                            struct lad_keytab *keys, struct lad_events *events);

/*
 * Collective. Fills events->lines (global lines per event) from the resolved keys of every rank.
 */
enum lad_status lad_resolve_count_lines(struct lad_ctx *ctx, const struct lad_keytab *keys, struct lad_events *events);

#endif
