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
    struct lad_buf outputs;         /* rank 0: final paths of the outputs committed, NUL-separated */
};

/* Where the ranks run, for the summary and the report. */
struct lad_placement {
    int nodes;       /* shared-memory domains (hosts) among the ranks */
    int cpus_min;    /* fewest CPUs a rank may run on (its affinity mask) */
    int cpus_max;    /* most CPUs a rank may run on; < cpus_online means the ranks are bound */
    int cpus_online; /* CPUs online on rank 0's host */
    int ranks_sharing_cpus; /* ranks whose CPUs overlap those of another rank on their host */
};

/*
 * Collective over comm. Duplicates comm, reads rank/size and the provided thread level, and sets
 * defaults (log level 2, threads from OpenMP). When OMP_NUM_THREADS is unset and SLURM_CPUS_PER_TASK
 * is set, OpenMP's thread count becomes SLURM_CPUS_PER_TASK (--threads, applied later, still wins).
 * Returns LAD_ERR_MPI if the duplicate fails.
 */
enum lad_status lad_ctx_init(struct lad_ctx *ctx, MPI_Comm comm);

/* Collective. Frees the duplicated communicator; safe on a zeroed or already freed context. */
void lad_ctx_free(struct lad_ctx *ctx);

/* Local. Clears a recorded error, e.g. after a test provoked one on purpose. */
void lad_ctx_clear_error(struct lad_ctx *ctx);

/* Local. What set the thread count: "--threads", "OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK" or
 * "OpenMP default". o may be NULL. */
const char *lad_ctx_threads_source(const struct lad_options *o);

/* Local (rank 0 keeps the list, others ignore it). Records an output committed under its final name. */
void lad_ctx_note_output(struct lad_ctx *ctx, const char *path);

/* Local. Number of CPUs this process may run on; list gets them as "0-3,8" (truncated to cap). */
int lad_ctx_cpus_allowed(char *list, size_t cap);

/* Collective. Hosts and CPUs per rank over ctx->comm. */
enum lad_status lad_ctx_placement(struct lad_ctx *ctx, struct lad_placement *p);

#endif
