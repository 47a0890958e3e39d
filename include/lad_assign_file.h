/*
 * lad_assign_file.h - the event assigner (lad_assign.h) inside a model or features file.
 *
 * Layout (h5dump reads it): the ASSIGNER part of the file schema (lad_schema.h), under /assigner:
 * the settings as attributes, then lists of strings, each as uint8 bytes back to back and an int64
 * length per entry: masks/ (the patterns); for a mined assigner also keys/ with events int32 [K]
 * (every key seen in training, sorted by its bytes; keys may hold any byte, so they are counted, not
 * terminated) and groups/{templates,flags}/ with events int32 [G] (the groups after the split, in log
 * order).
 * A file is untrusted input: the reader checks every count and length against the others and
 * against fixed bounds, every event index, the flags against their templates, and that the format,
 * window and patterns compile, before anything is used. Any failure is one LAD_ERR_MODEL line.
 */
#ifndef LAD_ASSIGN_FILE_H
#define LAD_ASSIGN_FILE_H

#include <stdbool.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_h5;
struct lad_events;
struct lad_assigner;

/* Most keys, groups and bytes of keys a file may declare; past them it is damaged, not read. */
#define LAD_ASSIGN_FILE_MAX_ITEMS ((int64_t)2000000000)
#define LAD_ASSIGN_FILE_MAX_BYTES ((int64_t)1 << 36)

/* Collective. Writes a under /assigner of h (every rank holds the same assigner; rank 0 writes). */
enum lad_status lad_assign_write(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_assigner *a);

/* Local. Whether h holds an assigner. */
bool lad_assign_in_file(struct lad_h5 *h);

/*
 * Collective. Reads and checks /assigner of h into *out (one reference). events is the file's event
 * table: a mined assigner's columns are those events, then UNKNOWN; with_unknown says that events
 * already ends with it (a model) rather than not (features.h5, whose columns are the training's).
 */
enum lad_status lad_assign_read(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_events *events,
                                bool with_unknown, struct lad_assigner **out);

#endif
