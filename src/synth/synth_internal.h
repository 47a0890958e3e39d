/*
 * synth_internal.h - what the files of src/synth share and nothing outside uses.
 */
#ifndef LAD_SYNTH_INTERNAL_H
#define LAD_SYNTH_INTERNAL_H

#include <mpi.h>
#include <stdint.h>

#include "lad_status.h"
#include "lad_synth.h"

#include "lad_hash.h"

struct lad_ctx;
struct lad_buf;
struct lad_comm_file;

/* Datanodes of the HDFS_v1 cluster (facts.c picks replicas among them, hdfs_lines.c names them). */
#define LAD__SYNTH_CLUSTER_NODES 203

/*
 * A draw in [0, n) for n <= 2^32 by multiply-shift: one multiplication instead of lad_rng_below's
 * two 64-bit divisions, in the generator's innermost loop. Its bias (under n / 2^32) is far below
 * anything a log reader could see; like every draw here it is a pure function of the stream.
 */
static inline uint32_t lad__synth_draw(struct lad_rng *rng, uint32_t n)
{
    return (uint32_t)(((lad_rng_next(rng) >> 32) * (uint64_t)n) >> 32);
}

/* resample.c. Local. lad_synth_block_at without the facts (blk->facts is left as it was): enough to
 * know when a block's events happen, for the blocks a window turns out not to need. */
void lad__synth_block_identity(const struct lad_synth_plan *p, int64_t b, struct lad_synth_block *blk);

/*
 * timeline.c. Local. A range [*b0, *b1) of block indices holding every block that can have an event in
 * [lo, hi) of log time (a few more, which the caller filters by their start).
 */
void lad__synth_candidates(const struct lad_synth_plan *p, int64_t lo, int64_t hi, int64_t *b0, int64_t *b1);

/* window.c. An event of a window: 16 bytes, so a window of 2 M lines costs 32 MB of events. */
struct lad__synth_wevent {
    uint32_t t;     /* second - lo */
    uint32_t block; /* index into the window's blocks */
    uint16_t which, occ;
    uint8_t key;
};

/*
 * window.c. The memory of lad__synth_window, kept from one window to the next: a rank writing many
 * windows allocates (and the kernel zeroes) its arrays once, not once per window. Zero-initialize.
 */
struct lad__synth_scratch {
    struct lad_synth_block *blocks;
    size_t n_blocks, cap_blocks;
    struct lad__synth_wevent *ev, *aux;
    size_t n_ev, cap_ev, cap_aux;
    struct lad_synth_event *session; /* one block's events */
    size_t cap_session;
    size_t *count;                   /* radix counts */
    struct lad_buf *part;            /* per-thread lines */
    int n_part;
};

/* window.c. Local. lad_synth_window with reusable memory s. */
enum lad_status lad__synth_window(struct lad_ctx *ctx, const struct lad_synth_plan *p, int64_t lo, int64_t hi,
                                  int nthreads, struct lad__synth_scratch *s, struct lad_buf *out, int64_t *lines);

/* window.c. Local. Frees s's memory; s may be reused after. */
void lad__synth_scratch_free(struct lad__synth_scratch *s);

/*
 * ordered_write.c. A producer appends the bytes of chunk c to out and counts its items (lines, rows).
 * Chunks are numbered in file order; a producer must not depend on which rank runs it.
 */
typedef enum lad_status (*lad__synth_fill_fn)(struct lad_ctx *ctx, void *arg, int64_t chunk,
                                              struct lad_buf *out, int64_t *items);

struct lad__synth_ordered {
    struct lad_comm_file *file; /* open on every rank (lad_comm_file_open) */
    int64_t n_chunks;
    lad__synth_fill_fn fill;
    void *arg;
    const char *progress;   /* what rank 0 reports progress of, or NULL */
    double est_bytes;       /* expected bytes of the whole file (progress only) */
    int64_t bytes, items;   /* OUT: totals over all ranks */
};

/*
 * ordered_write.c. Collective. Writes chunks 0..n_chunks-1 back to back into w->file: in round r, rank q
 * fills chunk r * size + q in memory and one lad_comm_file_append places the round's chunks in rank
 * order. Memory is one chunk per rank; the file's bytes do not depend on the rank count. Returns an
 * agreed status (LAD_ERR_IO naming the file, or the producer's).
 */
enum lad_status lad__synth_write_ordered(struct lad_ctx *ctx, struct lad__synth_ordered *w);

/* labels.c. Blocks per chunk of the labels file (about 30 MB). */
#define LAD__SYNTH_LABEL_CHUNK ((int64_t)1 << 20)

/* labels.c. What lad__synth_fill_labels reads. */
struct lad__synth_labels_job {
    const struct lad_synth_plan *plan;
};

/* labels.c. A lad__synth_fill_fn over a struct lad__synth_labels_job: rows `blk_<id>,Normal|Anomaly`
 * of blocks [c, c + 1) * LAD__SYNTH_LABEL_CHUNK, preceded in chunk 0 by the header `BlockId,Label`. */
enum lad_status lad__synth_fill_labels(struct lad_ctx *ctx, void *job, int64_t chunk, struct lad_buf *out,
                                       int64_t *items);

#endif
