/*
 * lad_linereader.h - streaming a rank's byte range of the inputs with MPI-IO, as chunks of whole lines.
 *
 * Memory is bounded by two buffers of (chunk size + longest line) bytes, whatever the file size. Lines
 * of up to max_line bytes are always delivered whole; a longer line is delivered when it happens to
 * fit in one buffer and is otherwise skipped and counted here, so the consumer applies the same limit
 * to what it receives (lad_parse_lines does) and every line over the limit is skipped, whatever the
 * rank count. Reads
 * are double-buffered: while the caller parses one chunk, the next is already being read
 * (MPI_File_iread_at), so with MPI_THREAD_FUNNELED the reader must be called from the master thread.
 */
#ifndef LAD_LINEREADER_H
#define LAD_LINEREADER_H

#include <mpi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_inputs;
struct lad_linereader;

/* Whole lines of one file: each ends with '\n' except possibly the last line of a file. */
struct lad_chunk {
    const char *data;
    size_t len;
    int file_index;
    MPI_Offset file_offset; /* offset of data[0] in its file */
};

/* What the reader skipped, so it is reported rather than lost. */
struct lad_linereader_stats {
    int64_t bytes_read;        /* bytes handed out in chunks */
    int64_t oversize_lines;    /* lines longer than max_line that the reader skipped */
    int oversize_file;         /* file index of the first oversize line, or -1 */
    MPI_Offset oversize_offset; /* its offset */
};

/*
 * Local. Whether a line (data[0, len), without its '\n') is longer than max_line bytes. A final '\r'
 * (a CRLF line end) does not count; max_line 0 means no limit. The reader and every consumer that
 * re-applies the limit use this one rule, so a line is skipped everywhere or nowhere.
 */
static inline bool lad_line_too_long(const char *data, size_t len, size_t max_line)
{
    if (len > 0 && data[len - 1] == '\r')
        len--;
    return max_line > 0 && len > max_line;
}

/*
 * Collective: allocates the buffers (agreed) and prepares this rank's segments (lad_partition_range
 * over ctx->size). Files are opened later, by this rank alone (MPI_COMM_SELF), one at a time: only
 * those its range touches. Returns an agreed status; on failure *out is NULL.
 */
enum lad_status lad_linereader_open(struct lad_ctx *ctx, const struct lad_inputs *in, size_t chunk_bytes,
                                    size_t max_line, struct lad_linereader **out);

/*
 * Local (master thread). Hands out the next chunk of whole lines of this rank's range; *done is set
 * when the range is exhausted (then chunk->len is 0). The chunk stays valid until the next call.
 * Opens and closes the files of the range on the way. Errors (naming the file) are recorded in ctx and
 * returned; the caller must still agree before its next collective. Each read is at most the chunk
 * size and at most lad_comm_limits()->io_bytes, so any chunk size up to 2 GiB works.
 */
enum lad_status lad_linereader_next(struct lad_linereader *r, struct lad_chunk *chunk, bool *done);

/* Local. Bytes of this rank's range still to read (for progress reports). */
int64_t lad_linereader_remaining(const struct lad_linereader *r);

/* Local. The reader's counters so far. */
const struct lad_linereader_stats *lad_linereader_stats(const struct lad_linereader *r);

/* Local: closes the file still open, if any, and frees. Every rank calls it, also after an error. */
void lad_linereader_close(struct lad_linereader **r);

#endif
