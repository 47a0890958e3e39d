/* status.c - status names, first-error recording and agreement across ranks. */
#include "lad_status.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"

static const char *const status_names[LAD_STATUS_COUNT] = {
    [LAD_OK] = "ok",
    [LAD_ERR_USAGE] = "usage error",
    [LAD_ERR_IO] = "i/o error",
    [LAD_ERR_INPUT] = "bad input",
    [LAD_ERR_NOMEM] = "out of memory",
    [LAD_ERR_MPI] = "MPI error",
    [LAD_ERR_HDF5] = "HDF5 error",
    [LAD_ERR_NUMERIC] = "numerical error",
    [LAD_ERR_MODEL] = "model mismatch",
    [LAD_ERR_LABELS] = "label error",
    [LAD_ERR_INTERNAL] = "internal error",
};

const char *lad_status_str(enum lad_status st)
{
    if ((int)st < 0 || st >= LAD_STATUS_COUNT)
        return "unknown status";
    return status_names[st];
}

int lad_status_exit_code(enum lad_status st)
{
    if (st == LAD_OK)
        return 0;
    return st == LAD_ERR_USAGE ? 2 : 1;
}

enum lad_status lad_vfail(struct lad_ctx *ctx, enum lad_status st, const char *fmt, va_list ap)
{
    if (ctx == NULL || st == LAD_OK || ctx->err_status != LAD_OK)
        return st;
    ctx->err_status = st;
    vsnprintf(ctx->err_msg, sizeof ctx->err_msg, fmt, ap);
    return st;
}

enum lad_status lad_fail(struct lad_ctx *ctx, enum lad_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lad_vfail(ctx, st, fmt, ap);
    va_end(ap);
    return st;
}

enum lad_status lad_status_agree(struct lad_ctx *ctx, enum lad_status local)
{
    int mine = (int)local, worst = 0;
    /* A rank may fail only because another one did (it passes the status on without a message of
     * its own); the message worth printing is that of a rank that recorded one. */
    bool has_message = local != LAD_OK && ctx->err_status != LAD_OK;
    if (local != LAD_OK && ctx->err_status == LAD_OK)
        lad_fail(ctx, local, "%s (no detail recorded)", lad_status_str(local));
    /* A failed agreement cannot itself be agreed on: it ends the job (lad_comm.h, error policy). */
    lad_comm_check(ctx, MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, ctx->comm), "agreeing on a status");
    if (worst == LAD_OK)
        return LAD_OK;

    /* The lowest rank with a message names the root cause; failing ranks without one come next. */
    int candidate[2] = {has_message ? ctx->rank : ctx->size, local != LAD_OK ? ctx->rank : ctx->size}, best[2];
    lad_comm_check(ctx, MPI_Allreduce(candidate, best, 2, MPI_INT, MPI_MIN, ctx->comm), "agreeing on a status");
    int root = best[0] < ctx->size ? best[0] : best[1];
    int root_status = (int)ctx->err_status;
    lad_comm_check(ctx, MPI_Bcast(ctx->err_msg, LAD_ERRMSG_MAX, MPI_CHAR, root, ctx->comm), "agreeing on a status");
    lad_comm_check(ctx, MPI_Bcast(&root_status, 1, MPI_INT, root, ctx->comm), "agreeing on a status");
    ctx->err_msg[LAD_ERRMSG_MAX - 1] = '\0';
    ctx->err_status = (enum lad_status)root_status;
    return (enum lad_status)worst;
}
