/*
 * lad_ctx.h - the run context passed as first argument to every collective call.
 *
 * No module keeps the communicator, rank or size in a global: they live here, so the whole pipeline
 * can run on any communicator (MPI_COMM_WORLD in logad, MPI_COMM_SELF or a split in tests).
 */
#ifndef LAD_CTX_H
#define LAD_CTX_H

#include <mpi.h>

#include "lad_mem.h"
#include "lad_status.h"
#include "lad_timer.h"

struct lad_options;

struct lad_ctx {
    MPI_Comm comm;                  /* private duplicate of the communicator given to lad_ctx_init */
    int rank;                       /* as MPI returned for comm */
    int size;                       /* as MPI returned for comm */
    int nthreads;                   /* OpenMP threads each rank uses for line parsing */
    int thread_level;               /* MPI thread support provided by the library */
    int log_level;                  /* 0 quiet, 1 errors+warnings, 2 info (default), 3 verbose, 4 debug */
    double progress_seconds;        /* rank 0 reports progress at most this often; <= 0 disables */
    const struct lad_options *opts; /* options of the running command; may be NULL in tests */
    struct lad_timers timers;       /* this rank's phase timers */
    enum lad_status err_status;     /* first error recorded on this rank (or agreed on) */
    char err_msg[LAD_ERRMSG_MAX];   /* its message */
    struct lad_buf summary;         /* rank 0: JSON members the stages report (lad_summary_add_*) */
};

/*
 * Collective over comm. Duplicates comm, reads rank/size and the provided thread level, and sets
 * defaults (log level 2, threads from OpenMP). Returns LAD_ERR_MPI if the duplicate fails.
 */
enum lad_status lad_ctx_init(struct lad_ctx *ctx, MPI_Comm comm);

/* Collective. Frees the duplicated communicator; safe on a zeroed or already freed context. */
void lad_ctx_free(struct lad_ctx *ctx);

/* Local. Clears a recorded error, e.g. after a test provoked one on purpose. */
void lad_ctx_clear_error(struct lad_ctx *ctx);

#endif
