/*
 * comm.c - the one communication layer: error policy, 64-bit-safe exchanges and broadcasts, the
 * exclusive prefix sum. The ordered collective file writer is in comm_file.c.
 *
 * MPI counts and displacements are int. Rather than let each caller narrow its own counts, every
 * collective here takes int64 counts and decides, with one small agreement, between the plain MPI
 * call (everything fits) and a split form whose pieces each fit; the split form gives the same bytes.
 */
#include "lad_comm.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_outfile.h"
#include "lad_mem.h"

/* Point-to-point traffic of the split exchange; nothing else in logad sends point-to-point on ctx->comm. */
#define EXCHANGE_TAG 0x1ad

#define DEFAULT_MSG_BYTES ((int64_t)INT_MAX)
#define DEFAULT_IO_BYTES ((int64_t)1 << 30)
#define DEFAULT_H5_BYTES ((int64_t)1 << 30)

static struct lad_comm_limits limits;
static int limits_ready;

static void limits_default(void)
{
    limits = (struct lad_comm_limits){DEFAULT_MSG_BYTES, DEFAULT_IO_BYTES, DEFAULT_H5_BYTES};
    /* Tests only: lower every limit so that the split paths run on small data. */
    const char *env = getenv("LAD_TEST_COMM_LIMIT");
    if (env != NULL && *env != '\0') {
        char *end;
        long long v = strtoll(env, &end, 10);
        if (*end == '\0' && v > 0 && v <= DEFAULT_MSG_BYTES)
            limits = (struct lad_comm_limits){v, v, v};
    }
    limits_ready = 1;
}

const struct lad_comm_limits *lad_comm_limits(void)
{
    if (!limits_ready)
        limits_default();
    return &limits;
}

void lad_comm_set_limits(const struct lad_comm_limits *l)
{
    if (l == NULL) {
        limits_default();
        return;
    }
    limits = *l;
    if (limits.msg_bytes < 1 || limits.msg_bytes > DEFAULT_MSG_BYTES)
        limits.msg_bytes = DEFAULT_MSG_BYTES;
    if (limits.io_bytes < 1 || limits.io_bytes > DEFAULT_MSG_BYTES)
        limits.io_bytes = DEFAULT_IO_BYTES;
    if (limits.h5_bytes < 1)
        limits.h5_bytes = DEFAULT_H5_BYTES;
    limits_ready = 1;
}

void lad_comm_set_error_policy(MPI_Comm comm)
{
    MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
    /* MPI_FILE_NULL's handler is the default of files opened later (the standard's default too). */
    MPI_File_set_errhandler(MPI_FILE_NULL, MPI_ERRORS_RETURN);
}

/*
 * What a job that must abort still owes the file system: every temporary file and lock this process
 * registered (lad_outfile's registry) is removed before MPI_Abort, so an aborted job leaves nothing
 * under a temporary name and no lock that would block the next run.
 */
static void fatal_cleanup(void)
{
    fflush(stdout);
    fflush(stderr);
    lad_outfile_remove_registered();
}

_Noreturn void lad_comm_fatal(struct lad_ctx *ctx, int rc, const char *fmt, ...)
{
    char what[LAD_ERRMSG_MAX], line[LAD_ERRMSG_MAX + MPI_MAX_ERROR_STRING + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    int rank = ctx ? ctx->rank : 0;
    if (rc != MPI_SUCCESS) {
        char msg[MPI_MAX_ERROR_STRING];
        int len = 0;
        MPI_Error_string(rc, msg, &len);
        snprintf(line, sizeof line, "[rank %d] logad: error: %s: %s; ending the job\n", rank, what, msg);
    } else
        snprintf(line, sizeof line, "[rank %d] logad: error: %s; ending the job\n", rank, what);
    fputs(line, stderr); /* one write per line, so ranks' lines do not interleave */
    fatal_cleanup();
    MPI_Abort(ctx ? ctx->comm : MPI_COMM_WORLD, 1);
    abort(); /* MPI_Abort does not return; this keeps _Noreturn honest if it ever did */
}

void lad_comm_check(struct lad_ctx *ctx, int rc, const char *what)
{
    if (rc != MPI_SUCCESS)
        lad_comm_fatal(ctx, rc, "%s failed", what);
}

/* errno values worth naming after a failed I/O call; anything else is likely a library's leftover. */
static bool telling_errno(int e)
{
    return e == ENOSPC || e == EDQUOT || e == EFBIG || e == EIO || e == EROFS || e == EACCES || e == EPERM ||
           e == ENOENT || e == EISDIR || e == ENOTDIR || e == EMFILE || e == ENFILE || e == ENAMETOOLONG;
}

enum lad_status lad_comm_io_error(struct lad_ctx *ctx, int rc, int err, const char *what, const char *name)
{
    char mpi[MPI_MAX_ERROR_STRING] = "";
    int len = 0, cls = MPI_SUCCESS;
    if (rc != MPI_SUCCESS) {
        MPI_Error_string(rc, mpi, &len);
        MPI_Error_class(rc, &cls);
    }
    /* Some MPI-IO layers leave errno unset and say it with the error class only. */
    if (!telling_errno(err))
        err = cls == MPI_ERR_NO_SPACE ? ENOSPC : cls == MPI_ERR_QUOTA ? EDQUOT : 0;
    if (err != 0 && rc != MPI_SUCCESS)
        return lad_fail(ctx, LAD_ERR_IO, "%s %s: %s (%s)", what, name, strerror(err), mpi);
    if (err != 0)
        return lad_fail(ctx, LAD_ERR_IO, "%s %s: %s", what, name, strerror(err));
    return lad_fail(ctx, LAD_ERR_IO, "%s %s: %s", what, name, rc != MPI_SUCCESS ? mpi : "unknown error");
}

int64_t lad_comm_exscan_i64(struct lad_ctx *ctx, int64_t local)
{
    int64_t before = 0;
    lad_comm_check(ctx, MPI_Exscan(&local, &before, 1, MPI_INT64_T, MPI_SUM, ctx->comm), "MPI_Exscan");
    return ctx->rank == 0 ? 0 : before; /* MPI_Exscan leaves rank 0's result undefined */
}

/* Elements of extent bytes per message: at least one, at most what msg_bytes and an int allow. */
static int64_t elements_per_message(MPI_Aint extent)
{
    int64_t n = lad_comm_limits()->msg_bytes / (int64_t)(extent > 0 ? extent : 1);
    return n < 1 ? 1 : n > INT_MAX ? INT_MAX : n;
}

void lad_comm_bcast(struct lad_ctx *ctx, void *buf, int64_t count, MPI_Datatype type, int root)
{
    MPI_Aint lb = 0, extent = 1;
    lad_comm_check(ctx, MPI_Type_get_extent(type, &lb, &extent), "MPI_Type_get_extent");
    int64_t per = elements_per_message(extent);
    /* Every rank knows count, so every rank makes the same calls. */
    for (int64_t done = 0; done < count; done += per) {
        int n = (int)(count - done < per ? count - done : per);
        lad_comm_check(ctx, MPI_Bcast((char *)buf + done * (int64_t)extent, n, type, root, ctx->comm), "MPI_Bcast");
    }
}

void lad_comm_exchange_counts(struct lad_ctx *ctx, const int64_t *send_counts, int64_t *recv_counts)
{
    lad_comm_check(ctx, MPI_Alltoall(send_counts, 1, MPI_INT64_T, recv_counts, 1, MPI_INT64_T, ctx->comm),
                   "MPI_Alltoall of exchange counts");
}

/*
 * The split exchange: in round k every pair exchanges elements [k L, (k + 1) L) of its count, as
 * nonblocking point-to-point messages. Both ends compute the same pieces from the same count, and
 * messages of one pair on one tag arrive in order, so one tag serves every round. Every rank runs
 * every round (the agreed number), so no rank waits for a round another one skipped.
 */
static void exchange_in_rounds(struct lad_ctx *ctx, const char *sbuf, const int64_t *scount, const int64_t *sdispl,
                               char *rbuf, const int64_t *rcount, const int64_t *rdispl, MPI_Datatype type,
                               MPI_Aint extent, int64_t per, int64_t rounds, MPI_Request *req, const char *what)
{
    for (int64_t k = 0; k < rounds; k++) {
        int64_t at = k * per;
        int n_req = 0;
        for (int r = 0; r < ctx->size; r++)
            if (rcount[r] > at) {
                int n = (int)(rcount[r] - at < per ? rcount[r] - at : per);
                lad_comm_check(ctx, MPI_Irecv(rbuf + (rdispl[r] + at) * (int64_t)extent, n, type, r, EXCHANGE_TAG,
                                              ctx->comm, &req[n_req++]), what);
            }
        for (int r = 0; r < ctx->size; r++)
            if (scount[r] > at) {
                int n = (int)(scount[r] - at < per ? scount[r] - at : per);
                lad_comm_check(ctx, MPI_Isend(sbuf + (sdispl[r] + at) * (int64_t)extent, n, type, r, EXCHANGE_TAG,
                                              ctx->comm, &req[n_req++]), what);
            }
        lad_comm_check(ctx, MPI_Waitall(n_req, req, MPI_STATUSES_IGNORE), what);
    }
}

/* An element of elem_size bytes as an MPI type (MPI_BYTE for 1), so that counts are elements. */
static MPI_Datatype element_type(struct lad_ctx *ctx, size_t elem_size)
{
    MPI_Datatype type = MPI_BYTE;
    if (elem_size > 1) {
        lad_comm_check(ctx, MPI_Type_contiguous((int)elem_size, MPI_BYTE, &type), "MPI_Type_contiguous");
        lad_comm_check(ctx, MPI_Type_commit(&type), "MPI_Type_commit");
    }
    return type;
}

enum lad_status lad_comm_alltoallv(struct lad_ctx *ctx, const void *sendbuf, const int64_t *send_counts,
                                   void *recvbuf, const int64_t *recv_counts, size_t elem_size, const char *what)
{
    const int size = ctx->size;
    const MPI_Aint extent = (MPI_Aint)elem_size;
    int64_t per = elements_per_message(extent);
    int *icount = lad_malloc_array(4 * (size_t)size, sizeof *icount);
    int64_t *displ = lad_malloc_array(2 * (size_t)size, sizeof *displ);
    MPI_Request *req = lad_malloc_array(2 * (size_t)size, sizeof *req);
    MPI_Datatype type = MPI_DATATYPE_NULL;
    int64_t stotal = 0, rtotal = 0, largest = 0;
    for (int r = 0; r < size; r++) {
        if (displ != NULL) {
            displ[r] = stotal;
            displ[size + r] = rtotal;
        }
        stotal += send_counts[r];
        rtotal += recv_counts[r];
        largest = send_counts[r] > largest ? send_counts[r] : largest;
    }
    /* One agreement decides everything: a failed allocation anywhere, the smallest message size
     * (the same on every rank unless the test limits differ), the largest total and pair count. */
    int64_t mine[4] = {icount && displ && req ? 0 : 1, -per, stotal > rtotal ? stotal : rtotal, largest}, all[4];
    lad_comm_check(ctx, MPI_Allreduce(mine, all, 4, MPI_INT64_T, MPI_MAX, ctx->comm), what);
    enum lad_status st = LAD_OK;
    if (all[0] != 0) {
        st = lad_status_agree(ctx, mine[0] ? lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %s", what) : LAD_OK);
        goto out;
    }
    per = -all[1];
    type = element_type(ctx, elem_size);
    if (all[2] <= per) {
        /* Every count and displacement of every rank fits an int: the plain collective. */
        for (int r = 0; r < size; r++) {
            icount[r] = (int)send_counts[r];
            icount[size + r] = (int)displ[r];
            icount[2 * size + r] = (int)recv_counts[r];
            icount[3 * size + r] = (int)displ[size + r];
        }
        lad_comm_check(ctx, MPI_Alltoallv(sendbuf, icount, icount + size, type, recvbuf, icount + 2 * size,
                                          icount + 3 * size, type, ctx->comm), what);
    } else {
        int64_t rounds = (all[3] + per - 1) / per;
        exchange_in_rounds(ctx, sendbuf, send_counts, displ, recvbuf, recv_counts, displ + size, type, extent, per,
                           rounds, req, what);
    }
out:
    if (type != MPI_DATATYPE_NULL && type != MPI_BYTE)
        MPI_Type_free(&type);
    free(icount);
    free(displ);
    free(req);
    return st;
}

enum lad_status lad_comm_alltoallv_alloc(struct lad_ctx *ctx, const void *sendbuf, const int64_t *send_counts,
                                         size_t elem_size, const char *what, void **recvbuf, int64_t *recv_counts,
                                         int64_t *recv_total)
{
    *recvbuf = NULL;
    *recv_total = 0;
    int64_t *counts = recv_counts ? recv_counts : lad_malloc_array((size_t)ctx->size, sizeof *counts);
    enum lad_status st = lad_status_agree(ctx, counts ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %s", what));
    if (st != LAD_OK)
        return st;
    lad_comm_exchange_counts(ctx, send_counts, counts);
    int64_t total = 0;
    for (int r = 0; r < ctx->size; r++)
        total += counts[r];
    void *buf = lad_malloc_array((size_t)total, elem_size);
    st = lad_status_agree(ctx, buf ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory receiving %lld elements "
                                                      "for %s", (long long)total, what));
    if (st == LAD_OK)
        st = lad_comm_alltoallv(ctx, sendbuf, send_counts, buf, counts, elem_size, what);
    if (st == LAD_OK) {
        *recvbuf = buf;
        *recv_total = total;
    } else
        free(buf);
    if (counts != recv_counts)
        free(counts);
    return st;
}
