/*
 * lad_inputs.h - the list of input files of a run, as every rank sees it.
 *
 * Inputs are concatenated into one global byte space (file 0's bytes, then file 1's, ...), which the
 * partitioner cuts into equal ranges, so many small files and one huge file balance the same way.
 */
#ifndef LAD_INPUTS_H
#define LAD_INPUTS_H

#include <mpi.h>

#include "lad_status.h"

struct lad_ctx;

struct lad_input_file {
    char *path;
    MPI_Offset size; /* bytes */
    MPI_Offset base; /* global offset of the file's first byte */
};

struct lad_inputs {
    int n_files;
    struct lad_input_file *files;
    MPI_Offset total_bytes;
};

/*
 * Collective. Rank 0 expands the paths (a directory stands for its regular, non-hidden files in name
 * order, less those that are not logs, see below), checks that each can be opened for reading, and broadcasts names and sizes. Errors (a
 * missing or unreadable file, an empty directory) are agreed, so every rank returns the same status.
 * All inputs empty is an error (LAD_ERR_INPUT): there is nothing to analyse.
 */
enum lad_status lad_inputs_resolve(struct lad_ctx *ctx, const char *const *paths, int n_paths,
                                   struct lad_inputs *out);

/*
 * Collective. lad_inputs_resolve for the logs of a command: inside a directory, a file that is also
 * one of skip[0, n_skip) (the command's other inputs: --labels, --templates, ...; NULL entries are
 * ignored) is left out, and so is one whose name says it is not a log (.csv, .tsv, .json, .h5,
 * .hdf5, .html, compressed files), with one warning per directory; files named directly are read
 * whatever their name. At -v, rank 0 lists every file read.
 */
enum lad_status lad_inputs_resolve_logs(struct lad_ctx *ctx, const char *const *paths, int n_paths,
                                        const char *const *skip, int n_skip, struct lad_inputs *out);

/* Local. Frees what lad_inputs_resolve allocated; safe on a zeroed struct. */
void lad_inputs_free(struct lad_inputs *in);

#endif
