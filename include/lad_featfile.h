/*
 * lad_featfile.h - features.h5: the count matrix, its session keys and its event table on disk.
 *
 * Layout (readable with h5dump):
 *   /sessions           int64 [N]       session keys (block ids), ascending
 *   /counts             int64 [N, E]    lines of event e in session n
 *   /events/ids         string [E]
 *   /events/templates   string [E]
 *   /events/lines       int64 [E]       lines of each event over the whole input
 *   attributes on /     format "logad-features", format_version, session_kind, event_source,
 *                       window (if any), and the ingest counters (lines, bytes, malformed_lines, ...)
 * Each rank writes its own row block with one collective write per dataset.
 */
#ifndef LAD_FEATFILE_H
#define LAD_FEATFILE_H

#include "lad_status.h"

struct lad_ctx;
struct lad_features;

#define LAD_FEATFILE_FORMAT "logad-features"

/* Collective. Writes f to path under a temporary name, renamed when complete. */
enum lad_status lad_featfile_write(struct lad_ctx *ctx, const char *path, const struct lad_features *f);

/*
 * Collective. Reads path into f, laid out for ctx->size ranks. A file that is not a logad features
 * file, or of another format version, is a clear error (LAD_ERR_INPUT).
 */
enum lad_status lad_featfile_read(struct lad_ctx *ctx, const char *path, struct lad_features *f);

#endif
