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
 * order), checks that each can be opened for reading, and broadcasts names and sizes. Errors (a
 * missing or unreadable file, an empty directory) are agreed, so every rank returns the same status.
 * All inputs empty is an error (LAD_ERR_INPUT): there is nothing to analyse.
 */
enum lad_status lad_inputs_resolve(struct lad_ctx *ctx, const char *const *paths, int n_paths,
                                   struct lad_inputs *out);

/* Local. Frees what lad_inputs_resolve allocated; safe on a zeroed struct. */
void lad_inputs_free(struct lad_inputs *in);

#endif
