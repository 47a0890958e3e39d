/*
 * synth.c - writing a synthetic labelled HDFS log in parallel, byte-identical for any rank count.
 *
 * Time is cut into equal windows, one per rank. Block b starts at second floor((b + u_b) / rate)
 * (u_b uniform in [0, 1), so starts never go backwards) and its events follow within MAX_SPAN
 * seconds. A rank therefore needs only the blocks that start in [lo - MAX_SPAN, hi): it walks them in
 * order, pushes their events into a min-heap keyed by (second, block, event) and pops an event as soon
 * as no later block can precede it. The log is sorted by that key everywhere, so concatenating the
 * ranks' windows gives the same bytes whatever the rank count. Memory is the heap: about
 * rate * MAX_SPAN * events per session, whatever the size of the log.
 * The bytes each rank writes are counted in a first pass (same walk, nothing written), MPI_Exscan
 * gives the offsets, and a second pass writes with MPI_File_write_at into one file.
 */
#include "lad_synth.h"

#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_options.h"
#include "lad_outfile.h"

#define MAX_SPAN 600              /* seconds from a block's first event to its last */
#define WRITE_BUFFER ((size_t)8 << 20)
#define LINE_MAX_BYTES 512

struct plan {
    const struct lad_sessions *sessions;
    int64_t n_blocks, n_normal, n_anomaly;
    double rate;
    uint64_t seed;
    int64_t span;                 /* seconds covered by the log */
};

struct event {
    int64_t t;
    int64_t block;
    int32_t which;
    int32_t key;
};

static bool event_less(const struct event *a, const struct event *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    if (a->block != b->block)
        return a->block < b->block;
    return a->which < b->which;
}

struct heap {
    struct event *e;
    size_t n, cap;
};

static bool heap_push(struct heap *h, struct event ev)
{
    void *p = h->e;
    if (!lad_grow(&p, &h->cap, h->n + 1, sizeof *h->e))
        return false;
    h->e = p;
    size_t i = h->n++;
    while (i > 0 && event_less(&ev, &h->e[(i - 1) / 2])) {
        h->e[i] = h->e[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->e[i] = ev;
    return true;
}

static struct event heap_pop(struct heap *h)
{
    struct event top = h->e[0], last = h->e[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && event_less(&h->e[c + 1], &h->e[c]))
            c++;
        if (!event_less(&h->e[c], &last))
            break;
        h->e[i] = h->e[c];
        i = c;
    }
    if (h->n > 0)
        h->e[i] = last;
    return top;
}

static int64_t block_start(const struct plan *p, int64_t b)
{
    struct lad_rng rng;
    lad_rng_init(&rng, p->seed ^ 0x7374617274ULL, (uint64_t)b);
    return (int64_t)(((double)b + lad_rng_uniform(&rng)) / p->rate);
}

/* Everything about block b, from (seed, b) alone. */
static void block_at(const struct plan *p, int64_t b, struct lad_synth_block *blk)
{
    const struct lad_sessions *s = p->sessions;
    blk->index = b;
    /* lad_hash_u64 is a bijection, so distinct blocks get distinct ids. */
    blk->id = (int64_t)lad_hash_u64((uint64_t)b ^ lad_hash_u64(p->seed));
    blk->seed = lad_hash_u64(p->seed * 0x9e3779b97f4a7c15ULL + (uint64_t)b);
    blk->start = block_start(p, b);
    /* A keyed permutation of all blocks decides which are anomalous: exactly n_anomaly of them. */
    uint64_t r = lad_permute((uint64_t)b, (uint64_t)p->n_blocks, p->seed ^ 0x636c617373ULL);
    blk->anomaly = r < (uint64_t)p->n_anomaly;
    if (blk->anomaly) {
        uint64_t k = lad_permute(r % (uint64_t)s->n_anomaly, (uint64_t)s->n_anomaly, p->seed ^ 0x616e6f6dULL);
        blk->session = s->anomaly_index[k];
    } else {
        uint64_t j = r - (uint64_t)p->n_anomaly;
        uint64_t k = lad_permute(j % (uint64_t)s->n_normal, (uint64_t)s->n_normal, p->seed ^ 0x6e6f726dULL);
        blk->session = s->normal_index[k];
    }
}

/* Seconds between an event and the one before it in its session, by the kind of event. */
static int64_t event_gap(int key, struct lad_rng *rng)
{
    switch (key) {
    case 5: case 22: return lad_rng_below(rng, 10) < 7 ? 0 : 1;          /* allocation and first writes */
    case 6: case 9: case 11: case 26: return (int64_t)lad_rng_below(rng, 4); /* end of the write pipeline */
    case 2: case 3: case 4: return 1 + (int64_t)lad_rng_below(rng, 60);     /* later reads and scans */
    case 20: case 21: case 23: return 1 + (int64_t)lad_rng_below(rng, 120); /* deletion */
    case 16: case 17: case 18: case 25: case 27: case 28: return (int64_t)lad_rng_below(rng, 11);
    default: return (int64_t)lad_rng_below(rng, 6);
    }
}

struct sink {
    struct lad_ctx *ctx;
    char *buf;
    size_t len;
    int64_t bytes, lines;
    MPI_File fh;          /* MPI_FILE_NULL in the counting pass */
    MPI_Offset offset;    /* next write position */
    enum lad_status st;
};

static void sink_flush(struct sink *k)
{
    if (k->fh != MPI_FILE_NULL && k->len > 0 && k->st == LAD_OK) {
        MPI_Status status;
        if (MPI_File_write_at(k->fh, k->offset, k->buf, (int)k->len, MPI_BYTE, &status) != MPI_SUCCESS)
            k->st = lad_fail(k->ctx, LAD_ERR_IO, "writing the synthetic log failed");
    }
    k->offset += (MPI_Offset)k->len;
    k->len = 0;
}

static void emit(const struct plan *p, struct sink *k, const struct event *ev)
{
    struct lad_synth_block blk;
    block_at(p, ev->block, &blk);
    if (k->len + LINE_MAX_BYTES > WRITE_BUFFER)
        sink_flush(k);
    size_t n = lad_synth_format_line(&blk, ev->key, ev->which, ev->t, k->buf + k->len, LINE_MAX_BYTES);
    if (n == 0 && k->st == LAD_OK)
        k->st = lad_fail(k->ctx, LAD_ERR_INTERNAL, "a synthetic line did not fit %d bytes", LINE_MAX_BYTES);
    k->len += n;
    k->bytes += (int64_t)n;
    k->lines++;
}

/* One walk over the blocks that have events in [lo, hi), emitting them in log order. */
static enum lad_status walk(const struct plan *p, int64_t lo, int64_t hi, struct sink *k,
                            struct lad_progress *progress)
{
    const struct lad_sessions *s = p->sessions;
    struct heap h = {0};
    int64_t b = (int64_t)((double)(lo - MAX_SPAN) * p->rate) - 1;
    if (b < 0)
        b = 0;
    while (k->st == LAD_OK) {
        int64_t next = b < p->n_blocks ? block_start(p, b) : INT64_MAX;
        /* Events at or before the next block's start come first: (t, block) orders them. */
        while (h.n > 0 && h.e[0].t <= next) {
            struct event ev = heap_pop(&h);
            emit(p, k, &ev);
        }
        if (next >= hi)
            break;
        struct lad_synth_block blk;
        block_at(p, b, &blk);
        struct lad_rng rng;
        lad_rng_init(&rng, blk.seed, 0x67617073ULL);
        int64_t t = blk.start, first = s->offset[blk.session], n = s->offset[blk.session + 1] - first;
        for (int64_t i = 0; i < n; i++) {
            int key = s->keys[first + i];
            if (i > 0)
                t += event_gap(key, &rng);
            if (t > blk.start + MAX_SPAN - 1)
                t = blk.start + MAX_SPAN - 1;
            if (t >= lo && t < hi && !heap_push(&h, (struct event){t, b, (int32_t)i, key})) {
                k->st = lad_fail(k->ctx, LAD_ERR_NOMEM, "out of memory for pending synthetic events");
                break;
            }
        }
        b++;
        if (progress && (b & 4095) == 0)
            lad_progress_update(k->ctx, progress, (long long)(next - lo));
    }
    while (k->st == LAD_OK && h.n > 0) {
        struct event ev = heap_pop(&h);
        emit(p, k, &ev);
    }
    sink_flush(k);
    free(h.e);
    return k->st;
}

static enum lad_status write_labels(struct lad_ctx *ctx, const struct plan *p, const char *path)
{
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0) {
        struct lad_outfile out;
        st = lad_outfile_open(ctx, &out, path);
        if (st == LAD_OK) {
            fputs("BlockId,Label\n", out.fp);
            for (int64_t b = 0; b < p->n_blocks; b++) {
                struct lad_synth_block blk;
                block_at(p, b, &blk);
                fprintf(out.fp, "blk_%lld,%s\n", (long long)blk.id, blk.anomaly ? "Anomaly" : "Normal");
            }
            st = lad_outfile_commit(ctx, &out);
        }
        if (st != LAD_OK)
            lad_outfile_abort(&out);
    }
    return lad_status_agree(ctx, st);
}

static enum lad_status write_log(struct lad_ctx *ctx, const struct plan *p, const char *path, int64_t *lines,
                                 int64_t *bytes)
{
    /* Equal windows of log time per rank. */
    int64_t lo = p->span * ctx->rank / ctx->size, hi = p->span * (ctx->rank + 1) / ctx->size;
    struct sink k = {ctx, malloc(WRITE_BUFFER), 0, 0, 0, MPI_FILE_NULL, 0, LAD_OK};
    if (k.buf == NULL)
        k.st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the write buffer");
    enum lad_status st = lad_status_agree(ctx, k.st);
    if (st == LAD_OK)
        st = lad_status_agree(ctx, walk(p, lo, hi, &k, NULL));
    long long mine = k.bytes, offset = 0;
    MPI_Exscan(&mine, &offset, 1, MPI_LONG_LONG, MPI_SUM, ctx->comm);
    if (ctx->rank == 0)
        offset = 0;

    char tmp[PATH_MAX];
    if (st == LAD_OK)
        st = lad_outfile_collective_begin(ctx, path, tmp);
    if (st != LAD_OK) {
        free(k.buf);
        return st;
    }
    MPI_File fh = MPI_FILE_NULL;
    if (MPI_File_open(ctx->comm, tmp, MPI_MODE_WRONLY | MPI_MODE_CREATE, MPI_INFO_NULL, &fh) != MPI_SUCCESS) {
        fh = MPI_FILE_NULL;
        st = lad_fail(ctx, LAD_ERR_IO, "cannot create %s", path);
    }
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        struct lad_progress progress;
        lad_progress_begin(ctx, &progress, "writing", (long long)(hi - lo));
        int64_t counted = k.bytes;
        k = (struct sink){ctx, k.buf, 0, 0, 0, fh, (MPI_Offset)offset, LAD_OK};
        st = walk(p, lo, hi, &k, &progress);
        if (st == LAD_OK && k.bytes != counted)
            st = lad_fail(ctx, LAD_ERR_INTERNAL, "synthetic log: %lld bytes counted, %lld written", (long long)counted,
                          (long long)k.bytes);
    }
    if (fh != MPI_FILE_NULL)
        MPI_File_close(&fh);
    int64_t local[2] = {k.lines, k.bytes}, global[2] = {0, 0};
    MPI_Allreduce(local, global, 2, MPI_INT64_T, MPI_SUM, ctx->comm);
    *lines = global[0];
    *bytes = global[1];
    free(k.buf);
    return lad_outfile_collective_end(ctx, path, tmp, st);
}

enum lad_status lad_synth_run(struct lad_ctx *ctx, const struct lad_options *o)
{
    struct lad_sessions s;
    enum lad_status st = lad_sessions_load(ctx, o->sessions_path, &s);
    if (st != LAD_OK)
        return st;
    struct plan p = {&s, 0, o->synth_normal >= 0 ? o->synth_normal : s.n_normal,
                     o->synth_anomalies >= 0 ? o->synth_anomalies : s.n_anomaly, o->synth_rate, o->seed, 0};
    p.n_blocks = p.n_normal + p.n_anomaly;
    if (p.n_normal > 0 && s.n_normal == 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s has no Normal session to draw %lld normal blocks from", o->sessions_path,
                      (long long)p.n_normal);
    else if (p.n_anomaly > 0 && s.n_anomaly == 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s has no Anomaly session to draw %lld anomalous blocks from",
                      o->sessions_path, (long long)p.n_anomaly);
    else if (p.n_blocks == 0)
        st = lad_fail(ctx, LAD_ERR_USAGE, "synth: nothing to write (--normal 0 --anomalies 0)");
    if (st == LAD_OK) {
        p.span = block_start(&p, p.n_blocks - 1) + MAX_SPAN + 1;
        lad_log(ctx, LAD_LOG_INFO, "synth: %lld blocks (%lld normal, %lld anomalous, %.2f%%) from %lld sessions, "
                                   "%.0f blocks/s over %lld s of log time", (long long)p.n_blocks, (long long)p.n_normal,
                (long long)p.n_anomaly, 100.0 * (double)p.n_anomaly / (double)p.n_blocks, (long long)s.n, p.rate,
                (long long)p.span);
        double t0 = MPI_Wtime();
        int64_t lines = 0, bytes = 0;
        lad_timer_start(ctx, LAD_PHASE_SYNTH);
        st = write_log(ctx, &p, o->out_path, &lines, &bytes);
        if (st == LAD_OK)
            st = write_labels(ctx, &p, o->labels_out);
        lad_timer_stop(ctx, LAD_PHASE_SYNTH);
        double dt = MPI_Wtime() - t0;
        if (st == LAD_OK)
            lad_log(ctx, LAD_LOG_INFO, "synth: wrote %s (%lld lines, %.1f MB) and %s in %.2f s (%.1f MB/s)", o->out_path,
                    (long long)lines, (double)bytes / 1e6, o->labels_out, dt, (double)bytes / 1e6 / (dt > 0 ? dt : 1));
    }
    lad_sessions_free(&s);
    return st;
}
