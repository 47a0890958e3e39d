/*
 * lad_events.h - the event table: the columns of the feature matrix, identical on every rank.
 */
#ifndef LAD_EVENTS_H
#define LAD_EVENTS_H

#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;

/* The id and template of the event that counts lines matching no given template. */
#define LAD_EVENT_UNMATCHED_ID "UNMATCHED"
#define LAD_EVENT_UNMATCHED_TEXT "<unmatched>"
/* The id and template of the last column of a model trained on mined events: lines of new logs whose
 * event type training never saw (lad_assign.h). */
#define LAD_EVENT_UNKNOWN_ID "UNKNOWN"
#define LAD_EVENT_UNKNOWN_TEXT "<unknown event>"

struct lad_events {
    int n;
    char **ids;         /* "E5", or "M12" for mined events */
    char **templates;   /* template text with <*> */
    int64_t *lines;     /* lines of each event over all ranks (filled by the counting stage) */
    int cap;
};

/* Local. Appends a copy of (id, text); LAD_ERR_NOMEM on failure. */
enum lad_status lad_events_add(struct lad_ctx *ctx, struct lad_events *ev, const char *id, const char *text);

/* Local. Index of the event whose template text is `text`, or -1. */
int lad_events_find_template(const struct lad_events *ev, const char *text);

/* Local. Index of the event with id `id`, or -1. */
int lad_events_find_id(const struct lad_events *ev, const char *id);

/* Collective. Rank root's table replaces every other rank's. */
enum lad_status lad_events_bcast(struct lad_ctx *ctx, struct lad_events *ev, int root);

/* Local. Frees; safe on a zeroed table. */
void lad_events_free(struct lad_events *ev);

#endif
