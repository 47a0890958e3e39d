/*
 * lad_synth.h - labelled raw HDFS_v1 logs of any size, synthesized from real labelled block sessions.
 *
 * A session file (data/hdfs_v1_sessions) lists, per real HDFS block, its label and the event keys the
 * cluster logged about it. `logad synth` draws N normal and M anomalous sessions from it, gives each a
 * fresh block id, starts them at a steady rate over time, spreads each session's events over seconds to
 * minutes, and writes every event as a real HDFS_v1 line (its real level, component and message shape)
 * into one log sorted by time, plus loghub's BlockId,Label file. Every choice is keyed by (seed, block),
 * so the output is byte-identical for any rank and thread count.
 */
#ifndef LAD_SYNTH_H
#define LAD_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_options;

/* Keys in session files are loghub HDFS event numbers E1..E28, except key 17 = E29 (see its README). */
#define LAD_SYNTH_MAX_KEY 28

struct lad_sessions {
    int64_t n;             /* sessions */
    int64_t n_normal, n_anomaly;
    uint8_t *anomaly;      /* n: 1 for Anomaly */
    int64_t *offset;       /* n + 1: keys of session i are keys[offset[i], offset[i+1]) */
    uint8_t *keys;
    int64_t *normal_index; /* n_normal: session indices of the normal sessions, file order */
    int64_t *anomaly_index;/* n_anomaly */
};

/*
 * Collective. Rank 0 reads and validates path (`Normal|Anomaly<TAB>space-separated keys`, one session
 * per line; an unknown label, a key outside 1..28, an empty sequence or a malformed line is an error
 * naming the file and line) and broadcasts it.
 */
enum lad_status lad_sessions_load(struct lad_ctx *ctx, const char *path, struct lad_sessions *s);
void lad_sessions_free(struct lad_sessions *s);

/* What a synthetic block is: everything its lines need, derived from (seed, block index). */
struct lad_synth_block {
    int64_t index;     /* 0 .. blocks-1, in order of start time */
    int64_t id;        /* its HDFS block id */
    int anomaly;
    int64_t session;   /* index into lad_sessions */
    int64_t start;     /* start time, seconds since the log's epoch */
    uint64_t seed;     /* the block's own random stream */
};

/*
 * Local. Formats the line of event `key` (1..28, session-file numbering) of block b at time t (seconds
 * since the epoch of the synthetic log) into buf, with its '\n'. `which` numbers the event within its
 * session (it varies pids, ports and the like). Returns the length, or 0 if cap is too small.
 */
size_t lad_synth_format_line(const struct lad_synth_block *b, int key, int which, int64_t t, char *buf, size_t cap);

/* Local. The loghub event id (e.g. "E29" for key 17) of a session key. */
const char *lad_synth_event_id(int key);

/* Collective. The synth command: o->sessions_path -> o->out_path (log) and o->labels_out. */
enum lad_status lad_synth_run(struct lad_ctx *ctx, const struct lad_options *o);

#endif
