/*
 * lad_outset.h - one command's outputs as one transaction.
 *
 * lad_outset_begin runs after the command line is parsed and before any input is read. From one table
 * of what each command writes (outset.c) it declares every output of the command, creates the output
 * directories, checks that no output is a directory, an input, or named twice, and takes the lock of
 * every output directory (lad_lock), which also proves the directory writable. The error names the
 * option and the path.
 *
 * While the transaction is open, each output is written under its temporary name as before, but its
 * rename is deferred (lad_outfile_defer). lad_outset_end then, on success, has rank 0 rename all of
 * them in one short loop; on failure it removes every temporary and renames nothing. At the commit,
 * logad files that the table lists for a directory this command writes as a set (results: the
 * anomalies*.csv, verdicts.h5, metrics.json and report.html; run's models directory: pca.h5 and
 * logreg.h5) but that this run did not write are removed as stale, and rank 0 says so. The results
 * directory gets a manifest, .logad-run, naming the run and every file it committed; it is removed
 * before the first rename and renamed into place after the last, so a set without it is incomplete.
 */
#ifndef LAD_OUTSET_H
#define LAD_OUTSET_H

#include <stdbool.h>
#include <stddef.h>

#include "lad_lock.h"
#include "lad_outfile.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_options;

/* Names of the files logad writes in a results directory (the table in outset.c lists them all). */
#define LAD_OUT_ANOMALIES "anomalies.csv"
#define LAD_OUT_ANOMALIES_MODEL "anomalies_%s.csv" /* one per model when several ran */
#define LAD_OUT_EXPLAINED "anomalies_explained.csv" /* the events named for each anomalous block */
#define LAD_OUT_VERDICTS "verdicts.h5"
#define LAD_OUT_METRICS "metrics.json"
#define LAD_OUT_MANIFEST ".logad-run"

#define LAD_OUTSET_DIRS 8
#define LAD_OUTSET_FILES 24

/* An output file the command may write. */
struct lad_outset_file {
    const char *option;     /* the option that names it, or whose default it is */
    char path[PATH_MAX];    /* as the command's writers name it */
    char canon[PATH_MAX];   /* canonical directory + name */
    bool member;            /* one of the files of a set directory: stale if this run does not write it */
    bool existed;           /* it existed when the command began, as the file (device, inode) below */
    unsigned long long dev, ino;
};

/* A directory the command writes into. */
struct lad_outset_dir {
    const char *option;
    char path[PATH_MAX];
    char canon[PATH_MAX];   /* realpath */
    char created[PATH_MAX]; /* outermost directory this run created, removed again on failure ("" none) */
    bool manifest;          /* the run's manifest goes here */
    struct lad_lock lock;
};

struct lad_outset {
    bool active; /* begun on every rank; outputs are deferred */
    int n_files;
    int n_dirs;
    struct lad_outset_file files[LAD_OUTSET_FILES];
    struct lad_outset_dir dirs[LAD_OUTSET_DIRS];
    char started[32];
};

/*
 * Collective. Declares, checks and locks o->command's outputs (rank 0) and opens the transaction on
 * every rank. On failure nothing is held, directories it created are removed, and the agreed status
 * is returned (LAD_ERR_USAGE for an output that is also an input or named twice, else LAD_ERR_IO).
 */
enum lad_status lad_outset_begin(struct lad_ctx *ctx, const struct lad_options *o, struct lad_outset *set);

/*
 * Collective. If st is LAD_OK on every rank, commits the outputs (rank 0); otherwise removes every
 * temporary. Closes the transaction: later writes (the run summary, which reports the outcome and the
 * committed files) are renamed into place at once. The locks stay held until lad_outset_release.
 * Safe after a failed or skipped begin (a zeroed set). Returns the agreed status.
 */
enum lad_status lad_outset_settle(struct lad_ctx *ctx, const struct lad_options *o, struct lad_outset *set,
                                  enum lad_status st);

/* Local (rank 0 acts). Releases the locks; after a failure (st) also removes the output directories
 * this run created, if they are empty. */
void lad_outset_release(struct lad_ctx *ctx, struct lad_outset *set, enum lad_status st);

/* Local. Where o->command writes the output of `option` ("--out", "--models-dir"...): the option's
 * value or the table's default; NULL if the command has no such output. */
const char *lad_outset_path(const struct lad_options *o, const char *option);

/* Local. Where o->command writes the model named `model` ("pca", "logreg"): --model-out, or
 * DIR/<model>.h5 with DIR from --models-dir (run) or the default models directory. */
void lad_outset_model_path(const struct lad_options *o, const char *model, char *buf, size_t cap);

#endif
