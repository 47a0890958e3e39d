/*
 * timeline.c - when synthetic blocks start and when their events happen.
 *
 * Arrivals: block b starts at a uniform time in [b, b + ARRIVAL_WINDOW) / rate. That averages `rate`
 * new blocks per second with the irregular, bursty look of real arrivals (several blocks in one second,
 * then none), yet every start is computed alone from (seed, b): no prefix sum of inter-arrival times
 * that a rank would need all earlier blocks for. A window [lo, hi) of log time therefore needs only
 * the blocks with index in about [(lo - MAX_SPAN) * rate - ARRIVAL_WINDOW, hi * rate].
 *
 * Events: a real block lives through phases - the write pipeline (allocate, receive on three nodes,
 * acknowledge; a second or two), reads and scans (minutes later), re-replication after a failure, and
 * deletion when the job's output is removed. An event in the same phase as the one before follows it
 * within seconds; one that opens a new phase comes a minute or more later; a pending replication times
 * out after PendingReplicationMonitor's five minutes. Sessions whose gaps add up to more than
 * LAD_SYNTH_MAX_SPAN are compressed to fit, keeping their order.
 */
#include "lad_synth.h"

#include "lad_hash.h"
#include "synth_internal.h"

#define ARRIVAL_WINDOW 16
#define SALT_START 0x7374617274ULL
#define STREAM_GAPS 0x67617073ULL

enum phase { WRITE, READ, REPLICATE, DELETE };

/* The phase of a block's life an event belongs to (session keys; 17 is the replication timeout). */
static enum phase phase_of(int key)
{
    switch (key) {
    case 2: case 3: case 4:
        return READ;
    case 6: case 16: case 17: case 18: case 25: case 27:
        return REPLICATE;
    case 20: case 21: case 23: case 24: case 28:
        return DELETE;
    default:
        return WRITE;
    }
}

/* Uniform integer in [lo, hi]. */
static int64_t between(struct lad_rng *rng, int64_t lo, int64_t hi)
{
    return lo + (int64_t)lad__synth_draw(rng, (uint32_t)(hi - lo + 1));
}

/* Seconds between an event and the one before it in its session. */
static int64_t gap(int prev, int key, struct lad_rng *rng)
{
    if (key == 17)
        return between(rng, 300, 310); /* the pending-replication timeout */
    enum phase from = phase_of(prev), to = phase_of(key);
    if (from == to) {
        switch (to) {
        case WRITE: {
            uint32_t u = lad__synth_draw(rng, 20); /* most of a 64 MB block arrives within the second */
            return u < 14 ? 0 : u < 19 ? 1 : 2;
        }
        case READ: return between(rng, 0, 20);
        case REPLICATE: return between(rng, 0, 2);
        case DELETE: return between(rng, 0, 4);      /* namenode marks, datanodes delete on heartbeat */
        }
    }
    switch (to) {
    case READ: return between(rng, 5, 240);
    case REPLICATE: return between(rng, 1, 60);
    case DELETE: return between(rng, 10, 300);
    case WRITE: return between(rng, 0, 2);           /* a retried write */
    }
    return 0;
}

int64_t lad_synth_block_start(const struct lad_synth_plan *p, int64_t b)
{
    struct lad_rng rng;
    lad_rng_init(&rng, p->seed ^ SALT_START, (uint64_t)b);
    return (int64_t)(((double)b + ARRIVAL_WINDOW * lad_rng_uniform(&rng)) / p->rate);
}

void lad__synth_candidates(const struct lad_synth_plan *p, int64_t lo, int64_t hi, int64_t *b0, int64_t *b1)
{
    /* start(b) lies in [b, b + ARRIVAL_WINDOW) / rate (rounded down) and events in [start, start +
     * MAX_SPAN): starting before hi needs b < hi * rate, ending at or after lo needs
     * b > (lo - MAX_SPAN) * rate - ARRIVAL_WINDOW. Two blocks of margin absorb rounding. */
    double first = (double)(lo - LAD_SYNTH_MAX_SPAN) * p->rate - ARRIVAL_WINDOW - 2;
    double last = (double)hi * p->rate + 2;
    *b0 = first <= 0 ? 0 : first >= (double)p->n_blocks ? p->n_blocks : (int64_t)first;
    *b1 = last >= (double)p->n_blocks ? p->n_blocks : last <= 0 ? 0 : (int64_t)last;
    if (*b1 < *b0)
        *b1 = *b0;
}

int64_t lad_synth_block_events(const struct lad_synth_plan *p, const struct lad_synth_block *blk,
                               struct lad_synth_event *ev)
{
    const struct lad_sessions *s = p->sessions;
    const uint8_t *keys = s->keys + s->offset[blk->session];
    int64_t n = s->offset[blk->session + 1] - s->offset[blk->session];
    struct lad_rng rng;
    lad_rng_init(&rng, blk->seed, STREAM_GAPS);
    int32_t seen[LAD_SYNTH_MAX_KEY + 1] = {0};
    int64_t t = 0;
    for (int64_t i = 0; i < n; i++) {
        int key = keys[i];
        if (i > 0)
            t += gap(keys[i - 1], key, &rng);
        ev[i] = (struct lad_synth_event){t, (int32_t)i, seen[key]++, key};
    }
    /* Offsets so far; squeeze a session that overruns the span (rare: long anomalous ones), keeping
     * the order: t * (MAX_SPAN - 1) / total never decreases. */
    for (int64_t i = 0; i < n; i++) {
        if (t > LAD_SYNTH_MAX_SPAN - 1)
            ev[i].t = ev[i].t * (LAD_SYNTH_MAX_SPAN - 1) / t;
        ev[i].t += blk->start;
    }
    return n;
}
