/*
 * lad_synth.h - labelled raw HDFS_v1 logs of any size, synthesized from real labelled block sessions.
 *
 * A session file (data/hdfs_v1_sessions) lists, per real HDFS block, its label and the event keys the
 * cluster logged about it. `logad synth` draws N normal and M anomalous sessions from it (resampling),
 * gives each drawn block a fresh id and a start time (timeline), spreads the session's events over
 * seconds to minutes, writes every event as a real HDFS_v1 line (hdfs_lines) into one log sorted by
 * time, in parallel with MPI-IO (synth.c), and writes loghub's BlockId,Label file beside it.
 *
 * Every choice is a pure function of (seed, block index, event index), and the log's order is a total
 * order on (second, block index, event index), so the output is byte-identical for any rank count,
 * thread count and cut of the time axis into windows.
 *
 * The real HDFS_v1 class ratio (16,838 anomalous blocks of 575,061) is reached with
 * `--normal 558223 --anomalies 16838`: with the shipped sessions_dev.tsv (2,913 normal, 10,103
 * anomalous sessions) every normal session is used 191 or 192 times and every anomalous one once or
 * twice; the log is then 11.2 M lines, 1.56 GB and 40 hours of log time at the default 4 blocks per
 * second, like the real one (11.2 M lines, 1.47 GB, 38.5 hours). Sizes scale linearly from there.
 */
#ifndef LAD_SYNTH_H
#define LAD_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_buf;

/* Keys in session files are loghub HDFS event numbers E1..E28, except key 17 = E29 (see its README). */
#define LAD_SYNTH_MAX_KEY 28
/* Events of one session at most (real sessions have 2 to 284); keeps per-event indices in 16 bits. */
#define LAD_SYNTH_MAX_SESSION 65535
/* Seconds from a block's first event to its last, at most. */
#define LAD_SYNTH_MAX_SPAN 1200
/* No synthetic line is longer than this, newline included. */
#define LAD_SYNTH_LINE_MAX 512

/* ------------------------------------------------------------------------------------------------
 * sessions.c - the labelled session file
 */
struct lad_sessions {
    int64_t n;              /* sessions */
    int64_t n_normal, n_anomaly;
    int64_t n_keys;         /* events of all sessions */
    int64_t keys_normal;    /* events of the normal sessions */
    int64_t max_len;        /* events of the longest session */
    uint8_t *anomaly;       /* n: 1 for Anomaly */
    int64_t *offset;        /* n + 1: keys of session i are keys[offset[i], offset[i+1]) */
    uint8_t *keys;          /* n_keys, each in 1..LAD_SYNTH_MAX_KEY */
    int64_t *normal_index;  /* n_normal: session indices of the normal sessions, file order */
    int64_t *anomaly_index; /* n_anomaly */
};

/*
 * Collective. Rank 0 reads and validates path (`Normal|Anomaly<TAB>space-separated keys`, one session
 * per line, blank lines and CRLF allowed) and broadcasts it. An unknown label, a key outside
 * 1..LAD_SYNTH_MAX_KEY (29 never occurs in HDFS_v1), an empty or too long sequence, a malformed line
 * or a file without sessions is LAD_ERR_INPUT naming the file and line; an unreadable file LAD_ERR_IO.
 * OUT s is zeroed on failure. The status is agreed.
 */
enum lad_status lad_sessions_load(struct lad_ctx *ctx, const char *path, struct lad_sessions *s);

/* Local. Frees what s owns and zeroes the counts; accepts NULL and a zeroed struct. */
void lad_sessions_free(struct lad_sessions *s);

/* ------------------------------------------------------------------------------------------------
 * resample.c (and facts.c) - which session every synthetic block replays, its id and its facts
 */
struct lad_synth_plan {
    const struct lad_sessions *sessions; /* borrowed */
    int64_t n_blocks, n_normal, n_anomaly;
    double rate;                         /* new blocks per second of log time */
    uint64_t seed;
    int64_t span;                        /* seconds of log time: every event lies in [0, span) */
    double mean_events;                  /* expected events per block (sizing only, never output) */
};

/*
 * Local, deterministic (every rank computes the same plan). n_normal / n_anomaly < 0 mean "every
 * session of that class once". Errors (LAD_ERR_INPUT): blocks asked of a class the file lacks, no
 * block at all, a rate that is not positive or would stretch the log beyond 100 years.
 */
enum lad_status lad_synth_plan_init(struct lad_ctx *ctx, const struct lad_sessions *s, int64_t n_normal,
                                    int64_t n_anomaly, double rate, uint64_t seed, struct lad_synth_plan *p);

/* The physical side of a block, the same in every line about it (drawn by lad_synth_block_facts). */
struct lad_synth_facts {
    int64_t size;       /* bytes: mostly a full 64 MB block, else the last block of a file */
    int32_t task;       /* map task that wrote it (part-NNNNN) */
    int16_t replica[3]; /* cluster nodes of the write pipeline, distinct */
    int16_t target[2];  /* nodes that receive re-replicated copies, distinct from the replicas */
    uint8_t subdir[3];  /* data directory of each replica's block file */
    uint8_t rotation;   /* which replica runs PacketResponder 2, 1, 0 */
    uint8_t attempt;    /* task attempt 0 or 1 */
    uint8_t file;       /* 0: a task's part file; 1-3: the job's job.jar, job.split, job.xml */
};

/* What a synthetic block is: everything its lines need, derived from (seed, block index) alone. */
struct lad_synth_block {
    int64_t index;   /* 0 .. n_blocks-1 */
    int64_t id;      /* its HDFS block id: a signed 64-bit number, distinct for distinct indices */
    bool anomaly;
    int64_t session; /* index into lad_sessions */
    int64_t start;   /* second of its first event */
    uint64_t seed;   /* its own random stream */
    struct lad_synth_facts facts; /* from seed */
};

/* facts.c. Local, thread-safe. A block's replicas, size, task and file, drawn from its seed. */
void lad_synth_block_facts(uint64_t seed, struct lad_synth_facts *f);

/*
 * Local, thread-safe. Block b of the plan, facts included. Exactly n_anomaly blocks are anomalous,
 * placed by a keyed permutation of the indices; the blocks of a class take the class's sessions in
 * cycles of a keyed permutation, so with N >= the sessions of the class each session is used floor or
 * ceil of N / sessions times (resampling with replacement, balanced), and with N below that a random
 * subset is used once each.
 */
void lad_synth_block_at(const struct lad_synth_plan *p, int64_t b, struct lad_synth_block *blk);

/* ------------------------------------------------------------------------------------------------
 * timeline.c - when blocks start and when their events happen
 */
struct lad_synth_event {
    int64_t t;    /* second of log time (0 = 2008-11-09 20:35:18, the first second of HDFS_v1) */
    int32_t which;/* index of the event in its session */
    int32_t occ;  /* earlier events of the same key in the session (picks the replica it concerns) */
    int key;      /* session key 1..LAD_SYNTH_MAX_KEY */
};

/*
 * Local, thread-safe. Start second of block b: block b arrives at a uniform time in the window
 * [b, b + 16) / rate, so arrivals average `rate` per second but come in irregular bursts, and any
 * block's start is computed alone.
 */
int64_t lad_synth_block_start(const struct lad_synth_plan *p, int64_t b);

/*
 * Local, thread-safe. The events of blk (session order) with their seconds, in ev (room for the
 * session's length); returns how many. Times never decrease and lie in
 * [blk->start, blk->start + LAD_SYNTH_MAX_SPAN).
 */
int64_t lad_synth_block_events(const struct lad_synth_plan *p, const struct lad_synth_block *blk,
                               struct lad_synth_event *ev);

/* ------------------------------------------------------------------------------------------------
 * hdfs_lines.c - one event as a raw HDFS_v1 line
 */

/*
 * Local, thread-safe. Formats event e of block b as an HDFS_v1 line with its '\n'
 * (`YYMMDD HHMMSS PID LEVEL component: message`, the event's real level, component and message shape,
 * matching its loghub template). Returns the length, or 0 if e->key is unknown or cap is too small
 * (LAD_SYNTH_LINE_MAX always suffices).
 */
size_t lad_synth_format_line(const struct lad_synth_block *b, const struct lad_synth_event *e, char *buf,
                             size_t cap);

/* Local. The loghub event id (e.g. "E29" for key 17) of a session key; NULL for an unknown key. */
const char *lad_synth_event_id(int key);

/* ------------------------------------------------------------------------------------------------
 * window.c - the lines of one stretch of log time
 */

/*
 * Local. Appends to out the lines of every event with lo <= t < hi, in log order (second, block
 * index, event index), formatted by nthreads OpenMP threads; *lines (if not NULL) gets their number.
 * Cutting [0, span) anywhere and concatenating the windows gives the same bytes as one window.
 * Errors: LAD_ERR_NOMEM.
 */
enum lad_status lad_synth_window(struct lad_ctx *ctx, const struct lad_synth_plan *p, int64_t lo, int64_t hi,
                                 int nthreads, struct lad_buf *out, int64_t *lines);

/* ------------------------------------------------------------------------------------------------
 * synth.c - the parallel writer
 */
struct lad_synth_report {
    int64_t lines;       /* log lines written */
    int64_t log_bytes;
    int64_t label_bytes;
    int64_t chunks;      /* windows of log time the work was cut into */
    double seconds;      /* from the first window to both files renamed */
};

/*
 * Collective. Writes the plan's log to log_path and its labels (`BlockId,Label`, header, one row per
 * block in block-index order) to labels_path, both through MPI-IO under temporary names renamed at
 * the end: on any error neither file is left (a log whose labels could not be renamed is removed).
 * Rank 0 reports progress. Errors are agreed: LAD_ERR_IO, LAD_ERR_MPI, LAD_ERR_NOMEM, LAD_ERR_USAGE
 * (both paths the same).
 */
enum lad_status lad_synth_write(struct lad_ctx *ctx, const struct lad_synth_plan *p, const char *log_path,
                                const char *labels_path, struct lad_synth_report *r);

#endif
