/*
 * lad_outfile.h - outputs that appear complete or not at all, and never linger as temporaries.
 *
 * Every output is written under a temporary name in the directory of its final name (".NAME.tmp.PID",
 * PID of the rank that picked the name, rank 0 for collective files). When it is complete it is
 * renamed over the final name: at once, or, while a command's output transaction is open
 * (lad_outfile_defer, driven by lad_outset), later, together with every other output of the command
 * (lad_outfile_rename_pending). A file that already exists is replaced only at the rename, and rank 0
 * says so.
 *
 * Every temporary name, and every lock file (lad_lock), is kept in a fixed registry of this process
 * from before the file is created until it is renamed or removed, so that a signal handler or a fatal
 * error path can remove them all with unlink(2) alone (lad_outfile_remove_registered).
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

/* Temporaries and locks one process can hold at a time (a command writes at most about a dozen). */
#define LAD_OUTFILE_SLOTS 64

struct lad_ctx;

/* A file written by one rank through stdio. */
struct lad_outfile {
    char final_path[PATH_MAX];
    char tmp_path[PATH_MAX];
    FILE *fp;
    int handle; /* registry handle of tmp_path (0: none) */
};

/*
 * Local. Creates the parent directories of path if needed and opens a temporary file beside it.
 * On failure records an error in ctx and returns LAD_ERR_IO; out->fp is NULL then.
 */
enum lad_status lad_outfile_open(struct lad_ctx *ctx, struct lad_outfile *out, const char *path);

/*
 * Local. Flushes, syncs and closes the temporary file, then renames it over the final name, or, while
 * outputs are deferred, leaves the rename to lad_outfile_rename_pending. On failure the temporary is
 * removed.
 */
enum lad_status lad_outfile_commit(struct lad_ctx *ctx, struct lad_outfile *out);

/* Local. Closes and removes the temporary file; safe to call after commit or on an unopened struct. */
void lad_outfile_abort(struct lad_outfile *out);

/*
 * Collective. For files written by all ranks (MPI-IO, parallel HDF5): rank 0 creates the parent
 * directories and picks a temporary name beside path, which every rank receives in tmp_path
 * (PATH_MAX bytes) and registers. Returns an agreed status.
 */
enum lad_status lad_outfile_collective_begin(struct lad_ctx *ctx, const char *path, char *tmp_path);

/*
 * Collective. If local is LAD_OK on every rank, rank 0 renames tmp_path to path (or, while outputs are
 * deferred, leaves it pending); otherwise rank 0 removes tmp_path. Returns an agreed status (the local
 * failure if there was one).
 */
enum lad_status lad_outfile_collective_end(struct lad_ctx *ctx, const char *path, const char *tmp_path,
                                           enum lad_status local);

/* ---- the output transaction's side (used by lad_outset and lad_lock) ---- */

/*
 * Local. While on, completed outputs wait under their temporary names for lad_outfile_rename_pending
 * (or lad_outfile_discard) instead of being renamed one by one.
 */
void lad_outfile_defer(bool on);

/* Local. Number of completed outputs waiting for their rename, and the i-th of them (0-based, in the
 * order they were completed). */
int lad_outfile_pending_count(void);
void lad_outfile_pending(int i, const char **tmp_path, const char **final_path);

/* Local (rank 0). fsync(2)s every pending output, so a rename never publishes data still in flight. */
enum lad_status lad_outfile_sync_pending(struct lad_ctx *ctx);

/*
 * Local (rank 0). Renames every pending output over its final name, in the order they were
 * completed, saying "replacing existing" where one existed. If a rename fails, the outputs renamed
 * before it in this call are removed too (a part of a set is not a result) and so are the remaining
 * temporaries; the error names the file.
 */
enum lad_status lad_outfile_rename_pending(struct lad_ctx *ctx);

/* Local. Removes every registered temporary (written, pending or not) and forgets it; locks stay. */
void lad_outfile_discard(void);

/* Local. Forgets every registered temporary without removing it: for ranks other than 0, whose
 * temporaries are rank 0's collective files, once rank 0 alone decides their fate. */
void lad_outfile_forget(void);

/*
 * Local, async-signal-safe. Registers path (a lock file) so that lad_outfile_remove_registered removes
 * it. Returns a handle > 0, or 0 when the registry is full.
 */
int lad_outfile_track_lock(const char *path);

/*
 * Local, async-signal-safe. Registers path (a scratch file a writer keeps beside its temporary, such
 * as the HDF5 writer's disk reserve) so that a signal or a fatal error removes it too. The writer
 * removes it itself on every ordinary path and then untracks it. Returns a handle > 0, or 0 when the
 * registry is full.
 */
int lad_outfile_track_scratch(const char *path);

/*
 * Local. Registers, as a scratch file, the probe "<file>.locktest.<rank>" that Open MPI's MPI-IO makes
 * beside `file` while it opens it (rank: this process's rank in the communicator of the open) and
 * removes before the open returns, so that a signal in between removes it too. Untrack the handle
 * once the open has returned. Returns a handle > 0, or 0 when the registry is full.
 */
int lad_outfile_track_lock_probe(const char *file, int rank);

/* Local, async-signal-safe. Forgets a handle from lad_outfile_track_lock or _track_scratch (0 is
 * ignored). */
void lad_outfile_untrack(int handle);

/*
 * Local, async-signal-safe (unlink(2) only). Removes every registered temporary and lock file of this
 * process, and the "<temporary>.locktest.<rank>" probe Open MPI's MPI-IO makes while opening a
 * collective temporary. For signal handlers and for fatal paths just before MPI_Abort.
 */
void lad_outfile_remove_registered(void);

/* ---- directories ---- */

/* Local. mkdir -p of the directory part of path (nothing if path has no directory part). */
enum lad_status lad_mkdir_parents(struct lad_ctx *ctx, const char *path);

/* Local. mkdir -p of dir itself. */
enum lad_status lad_mkdir_p(struct lad_ctx *ctx, const char *dir);

/*
 * Local. mkdir -p of dir that also returns, in created (PATH_MAX bytes), the outermost directory it
 * had to create ("" when dir existed), so that a failed command can remove what it made.
 */
enum lad_status lad_mkdir_p_created(struct lad_ctx *ctx, const char *dir, char *created);

/* Local. True if path names an existing file or directory. */
bool lad_path_exists(const char *path);

#endif
