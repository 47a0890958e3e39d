/*
 * window.c - the log lines of one stretch [lo, hi) of log time, in log order.
 *
 * Log order is (second, block index, event index): a total order that needs no knowledge of other
 * windows, so windows can be made anywhere, by any rank, and concatenated. The window's events are
 * collected block by block (so in block, then event order), then sorted by second with a stable
 * radix sort, which leaves ties in block and event order. Lines are then formatted by OpenMP threads,
 * each into its own buffer over a contiguous run of events, and the buffers appended in thread order:
 * the bytes do not depend on the thread count.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_mem.h"
#include "lad_synth.h"
#include "synth_internal.h"

#define RADIX ((size_t)1 << 16)
#define EST_LINE 160 /* bytes reserved per line before formatting a run (lines average ~140) */

void lad__synth_scratch_free(struct lad__synth_scratch *s)
{
    lad_free(&s->blocks);
    lad_free(&s->ev);
    lad_free(&s->aux);
    lad_free(&s->session);
    lad_free(&s->count);
    for (int i = 0; i < s->n_part; i++)
        lad_buf_free(&s->part[i]);
    lad_free(&s->part);
    memset(s, 0, sizeof *s);
}

/* grow_X(&array, &capacity, need): room for need elements; false when out of memory. */
#define DEFINE_GROW(name, type)                                                                              \
    static bool name(type **p, size_t *cap, size_t need)                                                     \
    {                                                                                                        \
        void *v = *p;                                                                                        \
        bool ok = lad_grow(&v, cap, need, sizeof(type));                                                     \
        *p = v;                                                                                              \
        return ok;                                                                                           \
    }
DEFINE_GROW(grow_events, struct lad__synth_wevent)
DEFINE_GROW(grow_session, struct lad_synth_event)
DEFINE_GROW(grow_blocks, struct lad_synth_block)

/* Collects the events in [lo, hi) of every block that has some. */
static enum lad_status collect(struct lad_ctx *ctx, const struct lad_synth_plan *p, int64_t lo, int64_t hi,
                               struct lad__synth_scratch *s)
{
    s->n_blocks = s->n_ev = 0;
    if (!grow_session(&s->session, &s->cap_session, (size_t)p->sessions->max_len))
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for a session's events");
    int64_t b0, b1;
    lad__synth_candidates(p, lo, hi, &b0, &b1);
    for (int64_t b = b0; b < b1; b++) {
        int64_t start = lad_synth_block_start(p, b);
        if (start >= hi || start + LAD_SYNTH_MAX_SPAN <= lo)
            continue;
        struct lad_synth_block blk;
        lad__synth_block_identity(p, b, &blk);
        int64_t n = lad_synth_block_events(p, &blk, s->session);
        if (!grow_events(&s->ev, &s->cap_ev, s->n_ev + (size_t)n))
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the events of a window");
        size_t before = s->n_ev;
        for (int64_t i = 0; i < n; i++) {
            const struct lad_synth_event *e = &s->session[i];
            if (e->t >= lo && e->t < hi)
                s->ev[s->n_ev++] = (struct lad__synth_wevent){(uint32_t)(e->t - lo), (uint32_t)s->n_blocks,
                                                              (uint16_t)e->which, (uint16_t)e->occ, (uint8_t)e->key};
        }
        if (s->n_ev == before)
            continue;
        if (!grow_blocks(&s->blocks, &s->cap_blocks, s->n_blocks + 1))
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the blocks of a window");
        lad_synth_block_facts(blk.seed, &blk.facts); /* only for blocks with lines here */
        s->blocks[s->n_blocks++] = blk;
    }
    return LAD_OK;
}

/* Stable LSD radix sort on the second, 16 bits a pass; one pass for windows up to 18 hours. */
static enum lad_status sort_by_second(struct lad_ctx *ctx, struct lad__synth_scratch *s, uint32_t range)
{
    if (s->count == NULL)
        s->count = lad_malloc_array(RADIX, sizeof *s->count);
    if (s->count == NULL || !grow_events(&s->aux, &s->cap_aux, s->n_ev))
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory sorting %zu events", s->n_ev);
    for (int shift = 0; shift < 32 && (shift == 0 || (range >> shift) != 0); shift += 16) {
        size_t *count = s->count;
        memset(count, 0, RADIX * sizeof *count);
        for (size_t i = 0; i < s->n_ev; i++)
            count[(s->ev[i].t >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < RADIX; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < s->n_ev; i++)
            s->aux[count[(s->ev[i].t >> shift) & 0xffff]++] = s->ev[i];
        struct lad__synth_wevent *swap = s->ev;
        size_t cap = s->cap_ev;
        s->ev = s->aux;
        s->cap_ev = s->cap_aux;
        s->aux = swap;
        s->cap_aux = cap;
    }
    return LAD_OK;
}

/* Lines of events [a, z) appended to out; false when out of memory, *bad set if a line did not fit. */
static bool format_run(const struct lad__synth_scratch *s, int64_t lo, size_t a, size_t z, struct lad_buf *out,
                       bool *bad)
{
    if (!lad_buf_reserve(out, (z - a) * EST_LINE))
        return false;
    for (size_t i = a; i < z; i++) {
        if (!lad_buf_reserve(out, LAD_SYNTH_LINE_MAX))
            return false;
        const struct lad__synth_wevent *e = &s->ev[i];
        struct lad_synth_event ev = {lo + e->t, e->which, e->occ, e->key};
        size_t n = lad_synth_format_line(&s->blocks[e->block], &ev, out->data + out->len, LAD_SYNTH_LINE_MAX);
        if (n == 0) {
            *bad = true;
            return true;
        }
        out->len += n;
    }
    return true;
}

static enum lad_status format_lines(struct lad_ctx *ctx, struct lad__synth_scratch *s, int64_t lo, int nthreads,
                                    struct lad_buf *out)
{
    int nt = nthreads > 1 && s->n_ev >= 8192 ? nthreads : 1;
    bool nomem = false, bad = false;
    if (nt == 1) {
        nomem = !format_run(s, lo, 0, s->n_ev, out, &bad);
    } else {
        if (s->n_part < nt) {
            struct lad_buf *part = lad_realloc_array(s->part, (size_t)nt, sizeof *part);
            if (part == NULL)
                return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for formatting buffers");
            memset(part + s->n_part, 0, sizeof *part * (size_t)(nt - s->n_part));
            s->part = part;
            s->n_part = nt;
        }
        /* Thread 0's run goes straight into out; the others' are appended after it. */
#pragma omp parallel for num_threads(nt) schedule(static, 1) reduction(|| : nomem, bad)
        for (int i = 0; i < nt; i++) {
            size_t a = s->n_ev * (size_t)i / (size_t)nt, z = s->n_ev * (size_t)(i + 1) / (size_t)nt;
            struct lad_buf *dst = i == 0 ? out : &s->part[i];
            if (i > 0)
                dst->len = 0;
            nomem = !format_run(s, lo, a, z, dst, &bad);
        }
        for (int i = 1; i < nt && !nomem; i++)
            nomem = !lad_buf_append(out, s->part[i].data, s->part[i].len);
    }
    if (nomem)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the lines of a window");
    if (bad)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "a synthetic line did not fit %d bytes", LAD_SYNTH_LINE_MAX);
    return LAD_OK;
}

enum lad_status lad__synth_window(struct lad_ctx *ctx, const struct lad_synth_plan *p, int64_t lo, int64_t hi,
                                  int nthreads, struct lad__synth_scratch *s, struct lad_buf *out, int64_t *lines)
{
    if (lines)
        *lines = 0;
    lo = lo < 0 ? 0 : lo;
    hi = hi > p->span ? p->span : hi;
    if (hi <= lo)
        return LAD_OK;
    if (hi - lo > UINT32_MAX)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "a window of %lld seconds is too long", (long long)(hi - lo));
    enum lad_status st = collect(ctx, p, lo, hi, s);
    if (st == LAD_OK)
        st = sort_by_second(ctx, s, (uint32_t)(hi - lo - 1));
    if (st == LAD_OK)
        st = format_lines(ctx, s, lo, nthreads, out);
    if (st == LAD_OK && lines)
        *lines = (int64_t)s->n_ev;
    return st;
}

enum lad_status lad_synth_window(struct lad_ctx *ctx, const struct lad_synth_plan *p, int64_t lo, int64_t hi,
                                 int nthreads, struct lad_buf *out, int64_t *lines)
{
    struct lad__synth_scratch s = {0};
    enum lad_status st = lad__synth_window(ctx, p, lo, hi, nthreads, &s, out, lines);
    lad__synth_scratch_free(&s);
    return st;
}
