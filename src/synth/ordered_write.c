/*
 * ordered_write.c - one file written by all ranks as a sequence of chunks, in chunk order.
 *
 * Chunks are dealt round-robin: in round r, rank q produces chunk r * size + q in memory. Nobody knows
 * a chunk's size before producing it, so after each round an Allgather of the sizes tells every rank
 * where its chunk goes: the file so far plus the chunks of lower ranks in this round (an exclusive
 * scan that every rank computes from the same array). The bytes are produced once and written once,
 * memory is one chunk per rank, and the file is the same for any rank count because the chunks, not
 * the ranks, define the order. A rank without a chunk in the last round still joins its collectives
 * with zero bytes.
 */
#include <stdlib.h>

#include "lad_ctx.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "synth_internal.h"

/* MPI counts are int: large chunks go out in pieces of at most 1 GiB. */
#define MAX_WRITE ((size_t)1 << 30)

static enum lad_status mpi_io_error(struct lad_ctx *ctx, int rc, const char *what, const char *path)
{
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    return lad_fail(ctx, LAD_ERR_IO, "%s %s: %s", what, path, msg);
}

static enum lad_status write_all_at(struct lad_ctx *ctx, const struct lad__synth_ordered *w, MPI_Offset offset,
                                    const char *data, size_t len)
{
    for (size_t done = 0; done < len;) {
        int n = (int)(len - done < MAX_WRITE ? len - done : MAX_WRITE);
        MPI_Status status;
        int rc = MPI_File_write_at(w->fh, offset + (MPI_Offset)done, data + done, n, MPI_BYTE, &status);
        if (rc != MPI_SUCCESS)
            return mpi_io_error(ctx, rc, "writing", w->path);
        int got = 0;
        MPI_Get_count(&status, MPI_BYTE, &got);
        if (got != n)
            return lad_fail(ctx, LAD_ERR_IO, "writing %s: %d of %d bytes written (disk full?)", w->path, got, n);
        done += (size_t)n;
    }
    return LAD_OK;
}

enum lad_status lad__synth_write_ordered(struct lad_ctx *ctx, struct lad__synth_ordered *w)
{
    w->bytes = w->items = 0;
    struct lad_buf buf = {0};
    int64_t *sizes = lad_malloc_array(2 * (size_t)ctx->size, sizeof *sizes);
    enum lad_status st = sizes ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for chunk sizes");
    struct lad_progress progress;
    lad_progress_begin(ctx, &progress, w->progress, (long long)(w->est_bytes / ctx->size));
    int64_t mine_total = 0; /* this rank's bytes, for progress */
    for (int64_t first = 0; first < w->n_chunks; first += ctx->size) {
        int64_t chunk = first + ctx->rank, items = 0;
        buf.len = 0;
        if (st == LAD_OK && chunk < w->n_chunks)
            st = w->fill(ctx, w->arg, chunk, &buf, &items);
        /* A failed producer or write stops every rank at the same round. */
        st = lad_status_agree(ctx, st);
        if (st != LAD_OK)
            break;
        int64_t mine[2] = {(int64_t)buf.len, items};
        if (MPI_Allgather(mine, 2, MPI_INT64_T, sizes, 2, MPI_INT64_T, ctx->comm) != MPI_SUCCESS) {
            st = lad_fail(ctx, LAD_ERR_MPI, "gathering chunk sizes of %s failed", w->path);
            break;
        }
        MPI_Offset offset = (MPI_Offset)w->bytes;
        for (int q = 0; q < ctx->size; q++) {
            if (q < ctx->rank)
                offset += (MPI_Offset)sizes[2 * q];
            w->bytes += sizes[2 * q];
            w->items += sizes[2 * q + 1];
        }
        st = write_all_at(ctx, w, offset, buf.data, buf.len);
        mine_total += (int64_t)buf.len;
        if (w->progress)
            lad_progress_update(ctx, &progress, (long long)mine_total);
    }
    st = lad_status_agree(ctx, st);
    lad_buf_free(&buf);
    free(sizes);
    return st;
}
