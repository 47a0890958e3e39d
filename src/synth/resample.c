/*
 * resample.c - which real session each synthetic block replays, its class and its id.
 *
 * Nothing here is drawn in sequence: block b's class, session, id and random stream are functions of
 * (seed, b) computed in O(1), so any rank can describe any block without talking to the others, and
 * the result cannot depend on how blocks are shared out.
 */
#include "lad_synth.h"

#include "lad_ctx.h"
#include "lad_hash.h"
#include "synth_internal.h"

/* Salts that separate the keyed streams derived from one seed. */
#define SALT_CLASS 0x636c617373ULL
#define SALT_NORMAL 0x6e6f726dULL
#define SALT_ANOMALY 0x616e6f6dULL
#define SALT_ID 0x626c6f636b6964ULL
#define SALT_BLOCK 0x9e3779b97f4a7c15ULL

/* Longest log we agree to write: 100 years of log time keeps YYMMDD timestamps meaningful. */
#define MAX_LOG_SECONDS (100LL * 365 * 86400)

enum lad_status lad_synth_plan_init(struct lad_ctx *ctx, const struct lad_sessions *s, int64_t n_normal,
                                    int64_t n_anomaly, double rate, uint64_t seed, struct lad_synth_plan *p)
{
    *p = (struct lad_synth_plan){.sessions = s, .rate = rate, .seed = seed};
    p->n_normal = n_normal >= 0 ? n_normal : s->n_normal;
    p->n_anomaly = n_anomaly >= 0 ? n_anomaly : s->n_anomaly;
    if (p->n_normal > 0 && s->n_normal == 0)
        return lad_fail(ctx, LAD_ERR_INPUT, "the session file has no Normal session to draw %lld normal blocks from",
                        (long long)p->n_normal);
    if (p->n_anomaly > 0 && s->n_anomaly == 0)
        return lad_fail(ctx, LAD_ERR_INPUT,
                        "the session file has no Anomaly session to draw %lld anomalous blocks from",
                        (long long)p->n_anomaly);
    if (p->n_normal > INT64_MAX / 4 - p->n_anomaly)
        return lad_fail(ctx, LAD_ERR_INPUT, "synth: too many blocks");
    p->n_blocks = p->n_normal + p->n_anomaly;
    if (p->n_blocks == 0)
        return lad_fail(ctx, LAD_ERR_INPUT, "synth: nothing to write (0 normal and 0 anomalous blocks)");
    if (!(rate > 0) || (double)p->n_blocks / rate > (double)MAX_LOG_SECONDS)
        return lad_fail(ctx, LAD_ERR_INPUT, "synth: %lld blocks at %g blocks per second would not fit 100 years of log",
                        (long long)p->n_blocks, rate);
    /* The last block starts last at the latest (starts are bounded by their arrival windows). */
    int64_t last_start = 0;
    for (int64_t b = p->n_blocks - 1; b >= 0 && b >= p->n_blocks - 64; b--) {
        int64_t t = lad_synth_block_start(p, b);
        last_start = t > last_start ? t : last_start;
    }
    p->span = last_start + LAD_SYNTH_MAX_SPAN;
    double mean_normal = s->n_normal ? (double)s->keys_normal / (double)s->n_normal : 0.0;
    double mean_anomaly = s->n_anomaly ? (double)(s->n_keys - s->keys_normal) / (double)s->n_anomaly : 0.0;
    p->mean_events = ((double)p->n_normal * mean_normal + (double)p->n_anomaly * mean_anomaly) / (double)p->n_blocks;
    return LAD_OK;
}

void lad__synth_block_identity(const struct lad_synth_plan *p, int64_t b, struct lad_synth_block *blk)
{
    const struct lad_sessions *s = p->sessions;
    blk->index = b;
    /* lad_hash_u64 is a bijection, so distinct indices get distinct ids; negative ids come as often as
     * positive ones, as in HDFS, where ids are random Java longs. */
    blk->id = (int64_t)lad_hash_u64((uint64_t)b ^ lad_hash_u64(p->seed ^ SALT_ID));
    blk->seed = lad_hash_u64(p->seed * SALT_BLOCK + (uint64_t)b);
    blk->start = lad_synth_block_start(p, b);
    /* A keyed permutation of all blocks ranks them; the first n_anomaly ranks are the anomalies, so the
     * class counts are exact and the anomalies are scattered over the log. */
    uint64_t r = lad_permute((uint64_t)b, (uint64_t)p->n_blocks, p->seed ^ SALT_CLASS);
    blk->anomaly = r < (uint64_t)p->n_anomaly;
    /* Rank j within its class takes session perm(j mod n): whole cycles over the class's sessions, so
     * every session is used as evenly as the counts allow. */
    if (blk->anomaly) {
        uint64_t n = (uint64_t)s->n_anomaly;
        blk->session = s->anomaly_index[lad_permute(r % n, n, p->seed ^ SALT_ANOMALY)];
    } else {
        uint64_t n = (uint64_t)s->n_normal;
        uint64_t j = r - (uint64_t)p->n_anomaly;
        blk->session = s->normal_index[lad_permute(j % n, n, p->seed ^ SALT_NORMAL)];
    }
}

void lad_synth_block_at(const struct lad_synth_plan *p, int64_t b, struct lad_synth_block *blk)
{
    lad__synth_block_identity(p, b, blk);
    lad_synth_block_facts(blk->seed, &blk->facts);
}
