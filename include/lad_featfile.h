/*
 * lad_featfile.h - features.h5: the count matrix, its session keys and its event table on disk.
 *
 * Layout (readable with h5dump): the FEATURES and EVENTS parts of the file schema (lad_schema.h:
 * /sessions, /counts, /events/{ids,templates,lines}, and attributes on / with format
 * "logad-features", the format version, the session kind and the ingest counters), and /assigner
 * when the features carry one. Each rank writes its own row block with one collective write per
 * dataset.
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
