/*
 * ordered_write.c - one file written by all ranks as a sequence of chunks, in chunk order.
 *
 * Chunks are dealt round-robin: in round r, rank q produces chunk r * size + q in memory, and one
 * round of the ordered collective writer (lad_comm_file_append) places the round's chunks after the
 * file so far, in rank order, i.e. in chunk order. Nobody knows a chunk's size before producing it;
 * the writer learns the sizes when it places them. The bytes are produced once and written once,
 * memory is one chunk per rank, and the file is the same for any rank count because the chunks, not
 * the ranks, define the order. A rank without a chunk in the last round still joins with zero bytes.
 */
#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "synth_internal.h"

enum lad_status lad__synth_write_ordered(struct lad_ctx *ctx, struct lad__synth_ordered *w)
{
    w->bytes = w->items = 0;
    struct lad_buf buf = {0};
    enum lad_status st = LAD_OK;
    struct lad_progress progress;
    lad_progress_begin(ctx, &progress, w->progress, (long long)(w->est_bytes / ctx->size));
    int64_t mine_total = 0; /* this rank's bytes, for progress */
    for (int64_t first = 0; first < w->n_chunks && st == LAD_OK; first += ctx->size) {
        int64_t chunk = first + ctx->rank, items = 0;
        buf.len = 0;
        enum lad_status local = LAD_OK;
        if (chunk < w->n_chunks)
            local = w->fill(ctx, w->arg, chunk, &buf, &items);
        /* A failed producer or write stops every rank at the same round. */
        st = lad_comm_file_append(ctx, w->file, buf.data, buf.len, local);
        if (st != LAD_OK)
            break;
        int64_t got = 0;
        lad_comm_check(ctx, MPI_Allreduce(&items, &got, 1, MPI_INT64_T, MPI_SUM, ctx->comm), "counting synth lines");
        w->items += got;
        mine_total += (int64_t)buf.len;
        if (w->progress)
            lad_progress_update(ctx, &progress, (long long)mine_total);
    }
    w->bytes = (int64_t)w->file->size;
    lad_buf_free(&buf);
    return st;
}
