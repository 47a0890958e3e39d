/*
 * comm_file.c - the ordered collective file writer: one file written by all ranks with MPI-IO, as
 * the concatenation of byte pieces in a defined order.
 *
 * Placement is the only collective step: an Allgather of (bytes, failed) per rank tells every rank
 * the offset of its piece (the file so far plus the lower ranks' pieces) and whether anyone failed
 * before writing, so a producer's failure stops every rank at the same round. The writes themselves
 * are independent MPI_File_write_at calls, each followed by an agreement, so a rank whose write fails
 * (a full disk) never leaves the others waiting in the next collective; and the file is closed on
 * every rank whatever happened, which MPI_File_close, a collective, requires.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_mem.h"

enum lad_status lad_comm_file_open(struct lad_ctx *ctx, struct lad_comm_file *f, const char *path, const char *name)
{
    f->fh = MPI_FILE_NULL;
    f->name = name;
    f->size = 0;
    f->placed = lad_malloc_array(2 * (size_t)ctx->size, sizeof *f->placed);
    enum lad_status st = f->placed ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory opening %s", name);
    if (st == LAD_OK) {
        errno = 0;
        int rc = MPI_File_open(ctx->comm, path, MPI_MODE_WRONLY | MPI_MODE_CREATE, MPI_INFO_NULL, &f->fh);
        if (rc != MPI_SUCCESS) {
            f->fh = MPI_FILE_NULL;
            st = lad_comm_io_error(ctx, rc, errno, "cannot create", name);
        }
    }
    /* MPI_File_open is collective: it succeeded everywhere or the file is closed everywhere below. */
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        /* A stale temporary of a crashed run with the same name is truncated, not appended to. */
        errno = 0;
        int rc = MPI_File_set_size(f->fh, 0);
        if (rc != MPI_SUCCESS)
            st = lad_comm_io_error(ctx, rc, errno, "cannot truncate", name);
        st = lad_status_agree(ctx, st);
    }
    if (st != LAD_OK)
        lad_comm_file_close(ctx, f, st);
    return st;
}

/* Collective. Places this rank's bytes after the file so far and the lower ranks' (see the head). */
static enum lad_status place(struct lad_ctx *ctx, struct lad_comm_file *f, int64_t bytes, enum lad_status local,
                             MPI_Offset *offset)
{
    int64_t mine[2] = {bytes, local != LAD_OK};
    lad_comm_check(ctx, MPI_Allgather(mine, 2, MPI_INT64_T, f->placed, 2, MPI_INT64_T, ctx->comm),
                   "placing pieces of a file");
    bool failed = false;
    MPI_Offset at = f->size, total = 0;
    for (int q = 0; q < ctx->size; q++) {
        failed |= f->placed[2 * q + 1] != 0;
        if (q < ctx->rank)
            at += (MPI_Offset)f->placed[2 * q];
        total += (MPI_Offset)f->placed[2 * q];
    }
    /* Every rank saw the same flags, so every rank takes the same branch. */
    if (failed)
        return lad_status_agree(ctx, local);
    *offset = at;
    f->size += total;
    return LAD_OK;
}

enum lad_status lad_comm_file_reserve(struct lad_ctx *ctx, struct lad_comm_file *f, int64_t local_bytes,
                                      enum lad_status local, MPI_Offset *offset)
{
    *offset = 0;
    return place(ctx, f, local_bytes, local, offset);
}

enum lad_status lad_comm_file_append(struct lad_ctx *ctx, struct lad_comm_file *f, const void *data, size_t len,
                                     enum lad_status local)
{
    MPI_Offset offset = 0;
    enum lad_status st = place(ctx, f, (int64_t)len, local, &offset);
    if (st != LAD_OK)
        return st;
    return lad_status_agree(ctx, lad_comm_file_write_at(ctx, f, offset, data, len));
}

enum lad_status lad_comm_file_write_at(struct lad_ctx *ctx, struct lad_comm_file *f, MPI_Offset offset,
                                       const void *data, size_t len)
{
    const size_t per = (size_t)lad_comm_limits()->io_bytes;
    for (size_t done = 0; done < len;) {
        int n = (int)(len - done < per ? len - done : per);
        MPI_Status status;
        errno = 0;
        int rc = MPI_File_write_at(f->fh, offset + (MPI_Offset)done, (const char *)data + done, n, MPI_BYTE, &status);
        int err = errno;
        if (rc != MPI_SUCCESS)
            return lad_comm_io_error(ctx, rc, err, "cannot write", f->name);
        int got = 0;
        MPI_Get_count(&status, MPI_BYTE, &got);
        if (got != n) {
            /* MPI-IO reports a full disk as a short write (Open MPI's OMPIO) or as an error (ROMIO). */
            lad_fail(ctx, LAD_ERR_IO, "cannot write %s: %s (%d of %d bytes written at offset %lld)", f->name,
                     strerror(err == EDQUOT || err == EFBIG || err == EIO ? err : ENOSPC), got, n,
                     (long long)(offset + (MPI_Offset)done));
            return LAD_ERR_IO;
        }
        done += (size_t)n;
    }
    return LAD_OK;
}

enum lad_status lad_comm_file_close(struct lad_ctx *ctx, struct lad_comm_file *f, enum lad_status local)
{
    enum lad_status st = local;
    if (f->fh != MPI_FILE_NULL) {
        errno = 0;
        int rc = MPI_File_close(&f->fh);
        /* Data may still have been in flight: a failed close is a failed write. */
        if (rc != MPI_SUCCESS && st == LAD_OK)
            st = lad_comm_io_error(ctx, rc, errno, "cannot close", f->name);
        f->fh = MPI_FILE_NULL;
    }
    lad_free(&f->placed);
    return lad_status_agree(ctx, st);
}
