/*
 * lad_outfile.h - outputs that appear complete or not at all.
 *
 * Every output is written under a temporary name in the directory of its final name and renamed when
 * complete, so a failed or killed run never leaves a half-written file under the final name. A file
 * that already exists is replaced only at the rename, and rank 0 says so.
 */
#ifndef LAD_OUTFILE_H
#define LAD_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "lad_status.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

struct lad_ctx;

/* A file written by one rank through stdio. */
struct lad_outfile {
    char final_path[PATH_MAX];
    char tmp_path[PATH_MAX];
    FILE *fp;
};

/*
 * Local. Creates the parent directories of path if needed and opens a temporary file beside it.
 * On failure records an error in ctx and returns LAD_ERR_IO; out->fp is NULL then.
 */
enum lad_status lad_outfile_open(struct lad_ctx *ctx, struct lad_outfile *out, const char *path);

/* Local. Flushes, closes and renames the temporary file over the final name. */
enum lad_status lad_outfile_commit(struct lad_ctx *ctx, struct lad_outfile *out);

/* Local. Closes and removes the temporary file; safe to call after commit or on an unopened struct. */
void lad_outfile_abort(struct lad_outfile *out);

/*
 * Collective. For files written by all ranks (MPI-IO, parallel HDF5): rank 0 creates the parent
 * directories and picks a temporary name beside path, which every rank receives in tmp_path
 * (PATH_MAX bytes). Returns an agreed status.
 */
enum lad_status lad_outfile_collective_begin(struct lad_ctx *ctx, const char *path, char *tmp_path);

/*
 * Collective. If local_ok is true on every rank, rank 0 renames tmp_path to path; otherwise rank 0
 * removes tmp_path. Returns an agreed status (the local failure if there was one).
 */
enum lad_status lad_outfile_collective_end(struct lad_ctx *ctx, const char *path, const char *tmp_path,
                                           enum lad_status local);

/* Local. mkdir -p of the directory part of path (nothing if path has no directory part). */
enum lad_status lad_mkdir_parents(struct lad_ctx *ctx, const char *path);

/* Local. mkdir -p of dir itself. */
enum lad_status lad_mkdir_p(struct lad_ctx *ctx, const char *dir);

/* Local. True if path names an existing file or directory. */
bool lad_path_exists(const char *path);

#endif
