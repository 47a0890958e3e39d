/* ctx.c - the run context: a private communicator and what every collective call needs to know. */
#include "lad_ctx.h"

#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "lad_comm.h"
#include "lad_log.h"

enum lad_status lad_ctx_init(struct lad_ctx *ctx, MPI_Comm comm)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->comm = MPI_COMM_NULL;
    /* A private duplicate keeps logad's messages apart from any caller's traffic on comm. */
    if (MPI_Comm_dup(comm, &ctx->comm) != MPI_SUCCESS)
        return LAD_ERR_MPI;
    lad_comm_set_error_policy(ctx->comm); /* MPI_ERRORS_RETURN: see lad_comm.h */
    MPI_Comm_rank(ctx->comm, &ctx->rank);
    MPI_Comm_size(ctx->comm, &ctx->size);
    MPI_Query_thread(&ctx->thread_level);
#ifdef _OPENMP
    ctx->nthreads = omp_get_max_threads();
#else
    ctx->nthreads = 1;
#endif
    ctx->log_level = LAD_LOG_INFO;
    ctx->progress_seconds = 10.0;
    return LAD_OK;
}

void lad_ctx_free(struct lad_ctx *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->comm != MPI_COMM_NULL && ctx->comm != 0)
        MPI_Comm_free(&ctx->comm);
    lad_buf_free(&ctx->summary);
    ctx->comm = MPI_COMM_NULL;
}

void lad_ctx_clear_error(struct lad_ctx *ctx)
{
    ctx->err_status = LAD_OK;
    ctx->err_msg[0] = '\0';
}
