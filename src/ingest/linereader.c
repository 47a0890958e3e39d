/*
 * linereader.c - a rank's byte range of the inputs, streamed as chunks of whole lines with MPI-IO.
 *
 * Each segment (the rank's range inside one file) is read as a stream:
 *   1. If the segment does not start at the beginning of its file, reading starts one byte early and
 *      discards everything through the first '\n': that line belongs to the previous rank (when the
 *      byte before our range is itself '\n', only that byte is discarded and our first line is kept).
 *   2. Lines are handed out while they start before the segment's end; the last one is read to its
 *      '\n' even past the end (that '\n' is the first one at offset >= end - 1).
 * A partial line at the end of a buffer is carried into the other buffer, where the next read appends
 * to it. A carry longer than max_line is an oversize line: it is counted, its offset remembered, and
 * the rest of it discarded up to its '\n'.
 *
 * A rank opens only the files its range touches, one at a time on MPI_COMM_SELF, and closes each when
 * its segment is done: thousands of input files never hold thousands of descriptors.
 */
#include "lad_linereader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_inputs.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_outfile.h"
#include "lad_partition.h"

/* Past the segment end we only need the rest of one line: read in small steps. */
#define TAIL_READ_BYTES ((MPI_Offset)65536)

struct lad_linereader {
    struct lad_ctx *ctx;
    const struct lad_inputs *in;
    MPI_File fh;          /* the current segment's file, or MPI_FILE_NULL */
    struct lad_segment *segs;
    int n_segs;
    int seg;              /* index of the current segment; n_segs when exhausted */
    bool seg_active;      /* the current segment's stream has been started */

    size_t chunk;
    size_t max_line;
    size_t cap;           /* bytes in each buffer */
    char *buf[2];
    int cur;              /* buffer that holds the data being processed */

    MPI_Offset buf_off;   /* file offset of buf[cur][0] */
    size_t len;           /* valid bytes in buf[cur] */
    MPI_Offset next_read; /* file offset of the next byte to read */
    bool eof;             /* next_read reached the end of the file */
    bool discarding;      /* skipping to the next '\n' (a previous rank's line, or an oversize line) */
    bool seg_done;

    MPI_Request req;      /* read in flight into buf[cur] + len, if pending */
    bool pending;
    int pending_count;

    int64_t remaining;
    struct lad_linereader_stats stats;
};

enum lad_status lad_linereader_open(struct lad_ctx *ctx, const struct lad_inputs *in, size_t chunk_bytes,
                                    size_t max_line, struct lad_linereader **out)
{
    *out = NULL;
    enum lad_status st = LAD_OK;
    struct lad_linereader *r = calloc(1, sizeof *r);
    if (r != NULL) {
        r->fh = MPI_FILE_NULL;
        r->segs = lad_calloc_array((size_t)in->n_files, sizeof *r->segs);
        r->cap = chunk_bytes + max_line + 1;
        r->buf[0] = malloc(r->cap);
        r->buf[1] = malloc(r->cap);
    }
    if (r == NULL || !r->segs || !r->buf[0] || !r->buf[1])
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for read buffers (2 x %zu bytes)", chunk_bytes + max_line);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK) {
        lad_linereader_close(&r);
        return st;
    }
    r->ctx = ctx;
    r->in = in;
    r->chunk = chunk_bytes;
    r->max_line = max_line;
    r->stats.oversize_file = -1;
    MPI_Offset lo, hi;
    lad_partition_range(in->total_bytes, ctx->rank, ctx->size, &lo, &hi);
    r->n_segs = lad_partition_segments(in, lo, hi, r->segs);
    r->remaining = (int64_t)(hi - lo);
    *out = r;
    return LAD_OK;
}

/* Opens the current segment's file for this rank alone. */
static enum lad_status start_segment(struct lad_linereader *r)
{
    const struct lad_segment *s = &r->segs[r->seg];
    const char *path = r->in->files[s->file_index].path;
    /* The lock probe Open MPI makes beside the input while opening it goes with a signal too (rank 0 of
     * MPI_COMM_SELF). */
    int probe_slot = lad_outfile_track_lock_probe(path, 0);
    errno = 0;
    int rc = MPI_File_open(MPI_COMM_SELF, path, MPI_MODE_RDONLY, MPI_INFO_NULL, &r->fh);
    int open_errno = errno;
    lad_outfile_untrack(probe_slot);
    errno = open_errno;
    if (rc != MPI_SUCCESS) {
        r->fh = MPI_FILE_NULL;
        return lad_comm_io_error(r->ctx, rc, errno, "cannot open", path);
    }
    r->seg_active = true;
    r->seg_done = false;
    r->len = 0;
    r->pending = false;
    /* Starting one byte early tells whether a line starts exactly at our first byte. */
    r->discarding = s->begin > 0;
    r->next_read = s->begin > 0 ? s->begin - 1 : 0;
    r->buf_off = r->next_read;
    r->eof = r->next_read >= r->in->files[s->file_index].size;
    return LAD_OK;
}

/* Closes the current segment's file; a read error already recorded wins over a close error. */
static enum lad_status end_segment(struct lad_linereader *r)
{
    if (r->fh == MPI_FILE_NULL)
        return LAD_OK;
    errno = 0;
    int rc = MPI_File_close(&r->fh);
    r->fh = MPI_FILE_NULL;
    if (rc != MPI_SUCCESS)
        return lad_comm_io_error(r->ctx, rc, errno, "cannot close", r->in->files[r->segs[r->seg].file_index].path);
    return LAD_OK;
}

static enum lad_status post_read(struct lad_linereader *r)
{
    const struct lad_segment *s = &r->segs[r->seg];
    MPI_Offset fsize = r->in->files[s->file_index].size;
    MPI_Offset want = s->end > r->next_read ? s->end - r->next_read : TAIL_READ_BYTES;
    /* One read is at most a chunk and at most what one MPI-IO call may move (an int count). */
    MPI_Offset most = (MPI_Offset)r->chunk < lad_comm_limits()->io_bytes ? (MPI_Offset)r->chunk
                                                                           : lad_comm_limits()->io_bytes;
    if (want > most)
        want = most;
    if (want > fsize - r->next_read)
        want = fsize - r->next_read;
    r->pending_count = (int)want;
    errno = 0;
    int rc = MPI_File_iread_at(r->fh, r->next_read, r->buf[r->cur] + r->len, r->pending_count, MPI_BYTE, &r->req);
    if (rc != MPI_SUCCESS)
        return lad_comm_io_error(r->ctx, rc, errno, "cannot read", r->in->files[s->file_index].path);
    r->pending = true;
    return LAD_OK;
}

static enum lad_status wait_read(struct lad_linereader *r)
{
    const struct lad_segment *s = &r->segs[r->seg];
    MPI_Status status;
    lad_timer_start(r->ctx, LAD_PHASE_READ);
    errno = 0;
    int rc = MPI_Wait(&r->req, &status);
    int err = errno;
    lad_timer_stop(r->ctx, LAD_PHASE_READ);
    r->pending = false;
    if (rc != MPI_SUCCESS)
        return lad_comm_io_error(r->ctx, rc, err, "cannot read", r->in->files[s->file_index].path);
    int got = 0;
    MPI_Get_count(&status, MPI_BYTE, &got);
    if (got != r->pending_count)
        return lad_fail(r->ctx, LAD_ERR_IO, "short read of %s at offset %lld: the file changed while being read?",
                        r->in->files[s->file_index].path, (long long)r->next_read);
    r->len += (size_t)got;
    r->next_read += got;
    r->eof = r->next_read >= r->in->files[s->file_index].size;
    return LAD_OK;
}

static const char *find_newline(const char *b, const char *e)
{
    return b < e ? memchr(b, '\n', (size_t)(e - b)) : NULL;
}

static const char *find_last_newline(const char *b, const char *e)
{
    while (e > b) {
        --e;
        if (*e == '\n')
            return e;
    }
    return NULL;
}

/* Moves buf[cur][from, len) to the start of the other buffer and makes that buffer current; the
 * bytes before `from` are done with, so buf_off + len stays equal to next_read. */
static void carry_over(struct lad_linereader *r, size_t from)
{
    int other = 1 - r->cur;
    size_t n = r->len - from;
    memmove(r->buf[other], r->buf[r->cur] + from, n);
    r->buf_off += (MPI_Offset)from;
    r->len = n;
    r->cur = other;
}

enum lad_status lad_linereader_next(struct lad_linereader *r, struct lad_chunk *chunk, bool *done)
{
    memset(chunk, 0, sizeof *chunk);
    *done = false;
    for (;;) {
        if (!r->seg_active || r->seg_done) {
            if (r->seg_active) {
                enum lad_status st = end_segment(r);
                r->seg++;
                r->seg_active = false;
                if (st != LAD_OK)
                    return st;
            }
            if (r->seg >= r->n_segs) {
                *done = true;
                r->remaining = 0;
                return LAD_OK;
            }
            enum lad_status st = start_segment(r);
            if (st != LAD_OK)
                return st;
            if (r->eof) { /* an empty file */
                r->seg_done = true;
                continue;
            }
        }
        const struct lad_segment *s = &r->segs[r->seg];
        if (!r->pending && !r->eof) {
            enum lad_status st = post_read(r);
            if (st != LAD_OK)
                return st;
        }
        if (r->pending) {
            enum lad_status st = wait_read(r);
            if (st != LAD_OK)
                return st;
        }
        char *b = r->buf[r->cur];
        size_t p = 0;
        if (r->discarding) {
            const char *nl = find_newline(b, b + r->len);
            if (nl == NULL) {
                r->buf_off += (MPI_Offset)r->len;
                r->len = 0;
                if (r->eof)
                    r->seg_done = true;
                continue;
            }
            p = (size_t)(nl - b) + 1;
            r->discarding = false;
            if (r->buf_off + (MPI_Offset)p >= s->end) { /* no line of ours starts in the segment */
                r->seg_done = true;
                continue;
            }
        }
        /* The cut: the first '\n' at file offset >= end - 1 ends our last line. */
        MPI_Offset cut_from = s->end - 1 - r->buf_off;
        size_t search = cut_from > (MPI_Offset)p ? (size_t)cut_from : p;
        const char *cut = search < r->len ? find_newline(b + search, b + r->len) : NULL;
        size_t out_end;
        bool drop_tail = false; /* the bytes after out_end are an oversize line's: not carried */
        if (cut != NULL) {
            out_end = (size_t)(cut - b) + 1;
            r->seg_done = true;
        } else if (r->eof) {
            out_end = r->len;
            r->seg_done = true;
        } else {
            const char *last = find_last_newline(b + p, b + r->len);
            out_end = last ? (size_t)(last - b) + 1 : p;
            /* The carry is the start of a line; a '\r' at its end may be the line's CR, which does not
             * count against max_line (the '\n' has not been read yet). */
            size_t carry = r->len - out_end;
            if (carry > r->max_line && !(carry == r->max_line + 1 && b[r->len - 1] == '\r')) {
                /* An oversize line: remember where it was, drop what we have of it, skip the rest. */
                r->stats.oversize_lines++;
                if (r->stats.oversize_file < 0) {
                    r->stats.oversize_file = s->file_index;
                    r->stats.oversize_offset = r->buf_off + (MPI_Offset)out_end;
                }
                r->discarding = true;
                drop_tail = true;
            }
        }

        if (out_end > p) {
            chunk->data = b + p;
            chunk->len = out_end - p;
            chunk->file_index = s->file_index;
            chunk->file_offset = r->buf_off + (MPI_Offset)p;
            r->stats.bytes_read += (int64_t)chunk->len;
            r->remaining -= (int64_t)chunk->len;
            if (r->remaining < 0)
                r->remaining = 0;
            if (r->seg_done) {
                r->len = 0;
                r->cur = 1 - r->cur; /* keep the chunk's buffer untouched until the next call */
            } else {
                carry_over(r, drop_tail ? r->len : out_end);
                /* Overlap: the next read runs while the caller parses this chunk. */
                if (!r->eof) {
                    enum lad_status st = post_read(r);
                    if (st != LAD_OK)
                        return st;
                }
            }
            return LAD_OK;
        }
        /* Nothing complete yet: keep what we have (possibly nothing) and read more. */
        if (p > 0 || drop_tail) {
            size_t keep_from = drop_tail ? r->len : p;
            memmove(b, b + keep_from, r->len - keep_from);
            r->buf_off += (MPI_Offset)keep_from;
            r->len -= keep_from;
        }
        if (r->seg_done)
            continue;
    }
}

int64_t lad_linereader_remaining(const struct lad_linereader *r)
{
    return r->remaining;
}

const struct lad_linereader_stats *lad_linereader_stats(const struct lad_linereader *r)
{
    return &r->stats;
}

void lad_linereader_close(struct lad_linereader **rp)
{
    struct lad_linereader *r = *rp;
    if (r == NULL)
        return;
    if (r->pending) {
        MPI_Status status;
        MPI_Wait(&r->req, &status);
    }
    if (r->fh != MPI_FILE_NULL)
        MPI_File_close(&r->fh);
    lad_free(&r->segs);
    lad_free(&r->buf[0]);
    lad_free(&r->buf[1]);
    lad_free(rp);
}
