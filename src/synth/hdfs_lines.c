/*
 * hdfs_lines.c - one event of a synthetic block as a raw HDFS_v1 log line.
 *
 * Levels, components, pids and message shapes are those of the HDFS_v1 log (Hadoop 0.18 on 203 nodes
 * in 10.250.0.0/16 and 10.251.0.0/16): the namenode's IPC handlers log as pids 26-35, its replication
 * monitors as 19 and 16, the datanodes' FSDataset and block scanner as 18-19 and 13, and datanode
 * transfer threads with ids that grow with time (about 140 at the start of the log, one more every
 * five seconds). A block keeps its three replica nodes, size, job and file path in every line: the
 * k-th "Receiving block", "addStoredBlock" or "Deleting block" of a session concerns replica k mod 3,
 * as in a real write pipeline. Everything comes from the block's random stream and the event's own
 * stream, so a line depends only on (seed, block, event).
 *
 * Numbers and strings are copied by hand rather than with snprintf: this is the inner loop of a
 * generator that writes gigabytes.
 */
#include "lad_synth.h"

#include <string.h>

#include "lad_hash.h"
#include "synth_internal.h"

/* 2008-11-09 20:35:18 UTC, the first second of the HDFS_v1 log, in seconds since 1970. */
#define LOG_EPOCH 1226262918LL
/* The job tracker's start (job ids 200811092030_NNNN) and its restart period (200811101024_NNNN). */
#define JOBTRACKER_EPOCH (LOG_EPOCH - 318)
#define JOBTRACKER_PERIOD 50040
#define JOB_SECONDS 1800
#define CLUSTER_NODES LAD__SYNTH_CLUSTER_NODES

struct event_shape {
    const char *loghub_id;
    const char *head; /* "LEVEL component: " */
};

/* Indexed by session key (1..28); key 17 is loghub E29 (the session file's exception). */
static const struct event_shape shapes[LAD_SYNTH_MAX_KEY + 1] = {
    [1] = {"E1", "WARN dfs.DataBlockScanner: "},
    [2] = {"E2", "INFO dfs.DataBlockScanner: "},
    [3] = {"E3", "INFO dfs.DataNode$DataXceiver: "},
    [4] = {"E4", "WARN dfs.DataNode$DataXceiver: "},
    [5] = {"E5", "INFO dfs.DataNode$DataXceiver: "},
    [6] = {"E6", "INFO dfs.DataNode$DataXceiver: "},
    [7] = {"E7", "INFO dfs.DataNode$DataXceiver: "},
    [8] = {"E8", "INFO dfs.DataNode$PacketResponder: "},
    [9] = {"E9", "INFO dfs.DataNode$PacketResponder: "},
    [10] = {"E10", "INFO dfs.DataNode$PacketResponder: "},
    [11] = {"E11", "INFO dfs.DataNode$PacketResponder: "},
    [12] = {"E12", "INFO dfs.DataNode$BlockReceiver: "},
    [13] = {"E13", "INFO dfs.DataNode$BlockReceiver: "},
    [14] = {"E14", "INFO dfs.DataNode$BlockReceiver: "},
    [15] = {"E15", "INFO dfs.DataNode$BlockReceiver: "},
    [16] = {"E16", "INFO dfs.DataNode$DataTransfer: "},
    [17] = {"E29", "WARN dfs.PendingReplicationBlocks$PendingReplicationMonitor: "},
    [18] = {"E18", "INFO dfs.DataNode: "},
    [19] = {"E19", "INFO dfs.FSDataset: "},
    [20] = {"E20", "WARN dfs.FSDataset: "},
    [21] = {"E21", "INFO dfs.FSDataset: "},
    [22] = {"E22", "INFO dfs.FSNamesystem: "},
    [23] = {"E23", "INFO dfs.FSNamesystem: "},
    [24] = {"E24", "INFO dfs.FSNamesystem: "},
    [25] = {"E25", "INFO dfs.FSNamesystem: "},
    [26] = {"E26", "INFO dfs.FSNamesystem: "},
    [27] = {"E27", "WARN dfs.FSNamesystem: "},
    [28] = {"E28", "INFO dfs.FSNamesystem: "},
};

/* Output directories of the random-writer and sort jobs that filled HDFS_v1. */
static const char *const job_dirs[] = {"rand", "randtxt", "rand2", "randtxt2", "rand3", "randtxt3",
                                       "rand4", "randtxt4", "sortrand", "sortrand2", "sortrandtxt"};
#define N_JOB_DIRS (sizeof job_dirs / sizeof job_dirs[0])

const char *lad_synth_event_id(int key)
{
    return key >= 1 && key <= LAD_SYNTH_MAX_KEY ? shapes[key].loghub_id : NULL;
}

/* ---- a bounded output cursor: every put checks room, so no line can overrun its buffer ---- */

struct out {
    char *p, *end;
    bool overflow;
};

static void put_mem(struct out *o, const char *s, size_t n)
{
    if ((size_t)(o->end - o->p) < n) {
        o->overflow = true;
        return;
    }
    memcpy(o->p, s, n);
    o->p += n;
}

#define PUT(o, lit) put_mem((o), (lit), sizeof(lit) - 1)

static void put_str(struct out *o, const char *s)
{
    put_mem(o, s, strlen(s));
}

/* Two decimal digits at a time: number formatting dominates the generator's profile. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

static void put_u64(struct out *o, uint64_t v)
{
    char tmp[20];
    char *p = tmp + sizeof tmp;
    while (v >= 100) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * v, 2);
    } else {
        *--p = (char)('0' + v);
    }
    put_mem(o, p, (size_t)(tmp + sizeof tmp - p));
}

static void put_i64(struct out *o, int64_t v)
{
    if (v < 0) {
        PUT(o, "-");
        put_u64(o, 0 - (uint64_t)v); /* also right for INT64_MIN */
    } else {
        put_u64(o, (uint64_t)v);
    }
}

/* v in 0..99 as two digits; zero-padded fields of a fixed width. */
static void put_2d(struct out *o, int v)
{
    put_mem(o, digit_pairs + 2 * v, 2);
}

static void put_padded(struct out *o, int64_t v, int width)
{
    char tmp[24];
    for (int i = width - 1; i >= 0; i--) {
        tmp[i] = (char)('0' + v % 10);
        v /= 10;
    }
    put_mem(o, tmp, (size_t)width);
}

static void put_blk(struct out *o, int64_t id)
{
    PUT(o, "blk_");
    put_i64(o, id);
}

/* Cluster node k's address. Node k's last octet and /16 are determined by k, so nodes never share one. */
static void put_ip(struct out *o, int k)
{
    PUT(o, "10.25");
    put_u64(o, (uint64_t)(k & 1));
    PUT(o, ".");
    put_u64(o, lad_hash_u64(0x636c7573746572ULL + (uint64_t)k) % 256);
    PUT(o, ".");
    put_u64(o, 1 + (uint64_t)(k >> 1) % 254);
}

/* "10.x.y.z:50010", a datanode's data-transfer address. */
static void put_dn(struct out *o, int k)
{
    put_ip(o, k);
    PUT(o, ":50010");
}

/* "10.x.y.z:NNNNN", a client-side socket with an ephemeral port. */
static void put_ephemeral(struct out *o, int k, struct lad_rng *rng)
{
    put_ip(o, k);
    PUT(o, ":");
    put_u64(o, 32768 + lad__synth_draw(rng, 28232));
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm): no gmtime, no locale, no libc state. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Seconds since 1970 as "YYMMDD HHMMSS" (with job_stamp, as the job tracker's "YYYYMMDDHHMM"). */
static void put_time(struct out *o, int64_t unix_seconds, bool job_stamp)
{
    int64_t days = unix_seconds / 86400, sec = unix_seconds % 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (job_stamp)
        put_2d(o, y / 100 % 100);
    put_2d(o, y % 100);
    put_2d(o, m);
    put_2d(o, d);
    if (!job_stamp)
        PUT(o, " ");
    put_2d(o, (int)(sec / 3600));
    put_2d(o, (int)(sec / 60 % 60));
    if (!job_stamp)
        put_2d(o, (int)(sec % 60));
}

/* A line's "YYMMDD HHMMSS". Lines come sorted by time, so each thread keeps the last one it made: a
 * cache of a pure function, which cannot change the output. */
static void put_line_time(struct out *o, int64_t unix_seconds)
{
    static _Thread_local int64_t cached = -1;
    static _Thread_local char stamp[13];
    if (unix_seconds != cached) {
        struct out s = {stamp, stamp + sizeof stamp, false};
        put_time(&s, unix_seconds, false);
        cached = unix_seconds;
    }
    put_mem(o, stamp, sizeof stamp);
}

/* The path allocateBlock names: a task's output file, or a job file, of the job running at t. */
static void put_alloc_path(struct out *o, const struct lad_synth_facts *f, int64_t t)
{
    int64_t since = LOG_EPOCH + t - JOBTRACKER_EPOCH;
    int64_t tracker = since / JOBTRACKER_PERIOD;
    int job = 1 + (int)(since % JOBTRACKER_PERIOD / JOB_SECONDS);
    int64_t stamp = JOBTRACKER_EPOCH + tracker * JOBTRACKER_PERIOD;
    if (f->file > 0) {
        static const char *const job_files[] = {"job.jar", "job.split", "job.xml"};
        PUT(o, "/mnt/hadoop/mapred/system/job_");
        put_time(o, stamp, true);
        PUT(o, "_");
        put_padded(o, job, 4);
        PUT(o, "/");
        put_str(o, job_files[f->file - 1]);
        return;
    }
    PUT(o, "/user/root/");
    put_str(o, job_dirs[lad_hash_u64((uint64_t)(tracker * 64 + job)) % N_JOB_DIRS]);
    PUT(o, "/_temporary/_task_");
    put_time(o, stamp, true);
    PUT(o, "_");
    put_padded(o, job, 4);
    PUT(o, "_m_");
    put_padded(o, f->task, 6);
    PUT(o, "_");
    put_u64(o, (uint64_t)f->attempt);
    PUT(o, "/part-");
    put_padded(o, f->task, 5);
}

/* "java.nio.channels.SocketChannel[connected local=/A remote=/B]" of a pipeline connection. */
static void put_channel(struct out *o, int local, int remote, bool local_is_server, struct lad_rng *rng)
{
    PUT(o, "java.nio.channels.SocketChannel[connected local=/");
    if (local_is_server)
        put_dn(o, local);
    else
        put_ephemeral(o, local, rng);
    PUT(o, " remote=/");
    if (local_is_server)
        put_ephemeral(o, remote, rng);
    else
        put_dn(o, remote);
    PUT(o, "]");
}

/* The exceptions that Hadoop 0.18 datanodes logged on a broken write pipeline. */
static void put_exception(struct out *o, int key, const struct lad_synth_block *b, int me, int next,
                          struct lad_rng *rng)
{
    switch (lad__synth_draw(rng, 4)) {
    case 0:
        PUT(o, "java.io.IOException: Connection reset by peer");
        break;
    case 1:
        if (key == 10) {
            PUT(o, "java.io.EOFException");
        } else if (key == 7) {
            PUT(o, "java.io.IOException: Block ");
            put_blk(o, b->id);
            PUT(o, " is valid, and cannot be written to.");
        } else {
            PUT(o, "java.io.EOFException: while trying to read 65557 bytes");
        }
        break;
    case 2:
        if (key == 7) {
            PUT(o, "java.net.SocketTimeoutException: 480000 millis timeout while waiting for channel to be ready for "
                   "write. ch : ");
            put_channel(o, me, next, true, rng);
        } else {
            PUT(o, "java.net.SocketTimeoutException: ");
            put_u64(o, lad__synth_draw(rng, 2) ? 60000 : 120000);
            PUT(o, " millis timeout while waiting for channel to be ready for read. ch : ");
            put_channel(o, me, next, false, rng);
        }
        break;
    default:
        PUT(o, "java.io.InterruptedIOException: Interruped while waiting for IO on channel ");
        if (key == 10) {
            PUT(o, "java.nio.channels.SocketChannel[closed]. 0");
        } else {
            put_channel(o, me, next, false, rng);
            PUT(o, ". ");
            put_u64(o, lad__synth_draw(rng, 480000));
        }
        PUT(o, " millis timeout left.");
        break;
    }
}

/* The thread id of a line: fixed namenode and datanode service threads, growing transfer threads. */
static int64_t pid_of(int key, int64_t t, struct lad_rng *rng)
{
    switch (key) {
    case 1: case 2:
        return 13;
    case 17:
        return 16;
    case 24: case 25:
        return 19;
    case 18: case 19: case 20: case 21:
        return 18 + (int64_t)lad__synth_draw(rng, 2);
    case 22: case 23: case 26: case 27: case 28:
        return 26 + (int64_t)lad__synth_draw(rng, 10);
    default:
        return 140 + t / 5 + (int64_t)lad__synth_draw(rng, 40);
    }
}

size_t lad_synth_format_line(const struct lad_synth_block *b, const struct lad_synth_event *e, char *buf, size_t cap)
{
    int key = e->key;
    if (key < 1 || key > LAD_SYNTH_MAX_KEY || cap == 0)
        return 0;
    const struct lad_synth_facts *f = &b->facts;
    /* The line's own draws come from the event's stream, so lines are independent of each other. */
    struct lad_rng rng;
    lad_rng_init(&rng, b->seed, 1 + (uint64_t)e->which);
    int occ = e->occ;
    int me = f->replica[occ % 3], next = f->replica[(occ + 1) % 3], target = f->target[occ % 2];
    int other = (int)lad__synth_draw(&rng, CLUSTER_NODES); /* a reader: any node of the cluster */
    int responder = (occ + f->rotation) % 3;
    int64_t id = b->id;

    struct out o = {buf, buf + cap, false};
    put_line_time(&o, LOG_EPOCH + e->t);
    PUT(&o, " ");
    put_u64(&o, (uint64_t)pid_of(key, e->t, &rng));
    PUT(&o, " ");
    put_str(&o, shapes[key].head);
    switch (key) {
    case 1: PUT(&o, "Adding an already existing block "); put_blk(&o, id); break;
    case 2: PUT(&o, "Verification succeeded for "); put_blk(&o, id); break;
    case 3:
        put_dn(&o, f->replica[lad__synth_draw(&rng, 3)]); PUT(&o, " Served block "); put_blk(&o, id);
        PUT(&o, " to /"); put_ip(&o, other);
        break;
    case 4:
        put_dn(&o, f->replica[lad__synth_draw(&rng, 3)]); PUT(&o, ":Got exception while serving "); put_blk(&o, id);
        PUT(&o, " to /"); put_ip(&o, other); PUT(&o, ":");
        break;
    case 5: /* HDFS 0.18 logged the receiving datanode's own address as src, with a fresh port */
        PUT(&o, "Receiving block "); put_blk(&o, id); PUT(&o, " src: /"); put_ephemeral(&o, me, &rng);
        PUT(&o, " dest: /"); put_dn(&o, me);
        break;
    case 6:
        PUT(&o, "Received block "); put_blk(&o, id); PUT(&o, " src: /"); put_ephemeral(&o, target, &rng);
        PUT(&o, " dest: /"); put_dn(&o, target); PUT(&o, " of size "); put_i64(&o, f->size);
        break;
    case 7:
        PUT(&o, "writeBlock "); put_blk(&o, id); PUT(&o, " received exception ");
        put_exception(&o, key, b, me, next, &rng);
        break;
    case 8:
        PUT(&o, "PacketResponder "); put_u64(&o, (uint64_t)responder); PUT(&o, " for block "); put_blk(&o, id);
        PUT(&o, " Interrupted.");
        break;
    case 9:
        PUT(&o, "Received block "); put_blk(&o, id); PUT(&o, " of size "); put_i64(&o, f->size);
        PUT(&o, " from /"); put_ip(&o, me);
        break;
    case 10:
        PUT(&o, "PacketResponder "); put_blk(&o, id); PUT(&o, " "); put_u64(&o, (uint64_t)responder);
        PUT(&o, " Exception "); put_exception(&o, key, b, me, next, &rng);
        break;
    case 11:
        PUT(&o, "PacketResponder "); put_u64(&o, (uint64_t)responder); PUT(&o, " for block "); put_blk(&o, id);
        PUT(&o, " terminating");
        break;
    case 12:
        put_dn(&o, me); PUT(&o, ":Exception writing block "); put_blk(&o, id); PUT(&o, " to mirror ");
        put_dn(&o, next);
        break;
    case 13: PUT(&o, "Receiving empty packet for block "); put_blk(&o, id); break;
    case 14:
        PUT(&o, "Exception in receiveBlock for block "); put_blk(&o, id); PUT(&o, " ");
        put_exception(&o, key, b, me, next, &rng);
        break;
    case 15: { /* a resumed write: data offset back to a 512-byte chunk, checksum offset to match */
        int64_t from = (int64_t)lad__synth_draw(&rng, (uint32_t)(f->size < 4194304 ? f->size : 4194304));
        int64_t to = from / 512 * 512;
        PUT(&o, "Changing block file offset of block "); put_blk(&o, id); PUT(&o, " from "); put_i64(&o, from);
        PUT(&o, " to "); put_i64(&o, to); PUT(&o, " meta file offset to "); put_i64(&o, 7 + to / 512 * 4);
        break;
    }
    case 16:
        put_dn(&o, me); PUT(&o, ":Transmitted block "); put_blk(&o, id); PUT(&o, " to /"); put_dn(&o, target);
        break;
    case 17: PUT(&o, "PendingReplicationMonitor timed out block "); put_blk(&o, id); break;
    case 18:
        put_dn(&o, me); PUT(&o, " Starting thread to transfer block "); put_blk(&o, id); PUT(&o, " to ");
        put_dn(&o, target);
        break;
    case 19: PUT(&o, "Reopen Block "); put_blk(&o, id); break;
    case 20:
        PUT(&o, "Unexpected error trying to delete block "); put_blk(&o, id);
        PUT(&o, ". BlockInfo not found in volumeMap.");
        break;
    case 21:
        PUT(&o, "Deleting block "); put_blk(&o, id); PUT(&o, " file /mnt/hadoop/dfs/data/current/subdir");
        put_u64(&o, (uint64_t)f->subdir[occ % 3]); PUT(&o, "/"); put_blk(&o, id);
        break;
    case 22:
        PUT(&o, "BLOCK* NameSystem.allocateBlock: "); put_alloc_path(&o, f, b->start); PUT(&o, ". ");
        put_blk(&o, id);
        break;
    case 23:
        PUT(&o, "BLOCK* NameSystem.delete: "); put_blk(&o, id); PUT(&o, " is added to invalidSet of ");
        put_dn(&o, me);
        break;
    case 24:
        PUT(&o, "BLOCK* Removing block "); put_blk(&o, id);
        PUT(&o, " from neededReplications as it does not belong to any file.");
        break;
    case 25:
        PUT(&o, "BLOCK* ask "); put_dn(&o, me); PUT(&o, " to replicate "); put_blk(&o, id);
        PUT(&o, " to datanode(s) "); put_dn(&o, target);
        break;
    case 26:
        PUT(&o, "BLOCK* NameSystem.addStoredBlock: blockMap updated: "); put_dn(&o, me); PUT(&o, " is added to ");
        put_blk(&o, id); PUT(&o, " size "); put_i64(&o, f->size);
        break;
    case 27:
        PUT(&o, "BLOCK* NameSystem.addStoredBlock: Redundant addStoredBlock request received for "); put_blk(&o, id);
        PUT(&o, " on "); put_dn(&o, occ % 2 ? target : me); PUT(&o, " size "); put_i64(&o, f->size);
        break;
    case 28:
        PUT(&o, "BLOCK* NameSystem.addStoredBlock: addStoredBlock request received for "); put_blk(&o, id);
        PUT(&o, " on "); put_dn(&o, me); PUT(&o, " size "); put_i64(&o, f->size);
        PUT(&o, " But it does not belong to any file.");
        break;
    }
    PUT(&o, "\n");
    return o.overflow ? 0 : (size_t)(o.p - buf);
}
