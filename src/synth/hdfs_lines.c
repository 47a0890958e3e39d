/*
 * hdfs_lines.c - one event of a synthetic block as a real HDFS_v1 log line.
 *
 * Levels, components and message shapes are those of the HDFS_v1 log (Hadoop 0.18), as in loghub's
 * HDFS_2k sample and the session file's README; every message matches its loghub template. Variable
 * parts (pids, IPs of the block's three replicas, ports, sizes, paths) come from the block's own random
 * stream, so a line depends only on (seed, block, event).
 */
#include "lad_synth.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lad_hash.h"

/* 2008-11-09 20:35:18 UTC, the first second of the HDFS_v1 log. */
#define LOG_EPOCH 1226262918LL
#define CLUSTER_NODES 203
#define BLOCK_SIZE 67108864

struct event_shape {
    const char *loghub_id;
    const char *level;
    const char *component;
};

/* Indexed by session key (1..28); key 17 is loghub E29 (the session file's exception). */
static const struct event_shape shapes[LAD_SYNTH_MAX_KEY + 1] = {
    [1] = {"E1", "WARN", "dfs.DataBlockScanner"},
    [2] = {"E2", "INFO", "dfs.DataBlockScanner"},
    [3] = {"E3", "INFO", "dfs.DataNode$DataXceiver"},
    [4] = {"E4", "WARN", "dfs.DataNode$DataXceiver"},
    [5] = {"E5", "INFO", "dfs.DataNode$DataXceiver"},
    [6] = {"E6", "INFO", "dfs.DataNode$DataXceiver"},
    [7] = {"E7", "INFO", "dfs.DataNode$DataXceiver"},
    [8] = {"E8", "INFO", "dfs.DataNode$PacketResponder"},
    [9] = {"E9", "INFO", "dfs.DataNode$PacketResponder"},
    [10] = {"E10", "INFO", "dfs.DataNode$PacketResponder"},
    [11] = {"E11", "INFO", "dfs.DataNode$PacketResponder"},
    [12] = {"E12", "INFO", "dfs.DataNode$BlockReceiver"},
    [13] = {"E13", "INFO", "dfs.DataNode$BlockReceiver"},
    [14] = {"E14", "INFO", "dfs.DataNode$BlockReceiver"},
    [15] = {"E15", "INFO", "dfs.DataNode$BlockReceiver"},
    [16] = {"E16", "INFO", "dfs.DataNode$DataTransfer"},
    [17] = {"E29", "WARN", "dfs.PendingReplicationBlocks$PendingReplicationMonitor"},
    [18] = {"E18", "INFO", "dfs.DataNode"},
    [19] = {"E19", "INFO", "dfs.FSDataset"},
    [20] = {"E20", "WARN", "dfs.FSDataset"},
    [21] = {"E21", "INFO", "dfs.FSDataset"},
    [22] = {"E22", "INFO", "dfs.FSNamesystem"},
    [23] = {"E23", "INFO", "dfs.FSNamesystem"},
    [24] = {"E24", "INFO", "dfs.FSNamesystem"},
    [25] = {"E25", "INFO", "dfs.FSNamesystem"},
    [26] = {"E26", "INFO", "dfs.FSNamesystem"},
    [27] = {"E27", "WARN", "dfs.FSNamesystem"},
    [28] = {"E28", "INFO", "dfs.FSNamesystem"},
};

static const char *const job_dirs[] = {"rand", "randtxt", "sortrand", "sortrand2", "randtxt2", "rand3", "randtxt4"};
static const char *const exceptions[] = {
    "java.io.IOException: Connection reset by peer",
    "java.io.InterruptedIOException: Interruped while waiting for IO on channel java.nio.channels.SocketChannel",
    "java.io.EOFException",
    "java.net.SocketTimeoutException: 63000 millis timeout while waiting for channel to be ready for read",
    "java.io.IOException: Could not read from stream",
};

const char *lad_synth_event_id(int key)
{
    return key >= 1 && key <= LAD_SYNTH_MAX_KEY ? shapes[key].loghub_id : NULL;
}

/* The address of cluster node k: about half in 10.250.0.0/16, half in 10.251.0.0/16, as in HDFS_v1. */
static void node_ip(int k, char *buf, size_t cap)
{
    uint64_t h = lad_hash_u64(0x636c7573746572ULL + (uint64_t)k);
    snprintf(buf, cap, "10.%d.%d.%d", 250 + (k & 1), (int)(h % 256), (int)((h >> 8) % 254 + 1));
}

struct writer {
    char *buf;
    size_t cap, len;
    bool overflow;
};

static void put(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct writer *w, const char *fmt, ...)
{
    if (w->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= w->cap - w->len)
        w->overflow = true;
    else
        w->len += (size_t)n;
}

size_t lad_synth_format_line(const struct lad_synth_block *b, int key, int which, int64_t t, char *buf, size_t cap)
{
    if (key < 1 || key > LAD_SYNTH_MAX_KEY || cap == 0)
        return 0;
    /* The block's replicas and job come from its stream; the line's own details from (block, which). */
    struct lad_rng block_rng, rng;
    lad_rng_init(&block_rng, b->seed, 0);
    lad_rng_init(&rng, b->seed, 1 + (uint64_t)which);
    int replica[3];
    for (int i = 0; i < 3; i++)
        replica[i] = (int)lad_rng_below(&block_rng, CLUSTER_NODES);
    int job = 1 + (int)lad_rng_below(&block_rng, 40), task = (int)lad_rng_below(&block_rng, 2000);
    const char *dir = job_dirs[lad_rng_below(&block_rng, sizeof job_dirs / sizeof job_dirs[0])];
    int subdir = (int)lad_rng_below(&block_rng, 64);
    char ip_a[24], ip_b[24];
    node_ip(replica[lad_rng_below(&rng, 3)], ip_a, sizeof ip_a);
    node_ip(replica[lad_rng_below(&rng, 3)], ip_b, sizeof ip_b);
    int port = 32768 + (int)lad_rng_below(&rng, 28000), responder = (int)lad_rng_below(&rng, 3);
    int pid = 13 + (int)lad_rng_below(&rng, 3500);
    long long size = lad_rng_below(&rng, 8) ? BLOCK_SIZE : 1 + (long long)lad_rng_below(&rng, BLOCK_SIZE);
    const char *exc = exceptions[lad_rng_below(&rng, sizeof exceptions / sizeof exceptions[0])];
    long long id = (long long)b->id;

    time_t when = (time_t)(LOG_EPOCH + t);
    struct tm tm;
    gmtime_r(&when, &tm);
    struct writer w = {buf, cap, 0, false};
    put(&w, "%02d%02d%02d %02d%02d%02d %d %s %s: ", tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
        tm.tm_sec, pid, shapes[key].level, shapes[key].component);
    switch (key) {
    case 1: put(&w, "Adding an already existing block blk_%lld", id); break;
    case 2: put(&w, "Verification succeeded for blk_%lld", id); break;
    case 3: put(&w, "%s:50010 Served block blk_%lld to /%s", ip_a, id, ip_b); break;
    case 4: put(&w, "%s:50010:Got exception while serving blk_%lld to /%s:", ip_a, id, ip_b); break;
    case 5: put(&w, "Receiving block blk_%lld src: /%s:%d dest: /%s:50010", id, ip_a, port, ip_b); break;
    case 6: put(&w, "Received block blk_%lld src: /%s:%d dest: /%s:50010 of size %lld", id, ip_a, port, ip_b, size); break;
    case 7: put(&w, "writeBlock blk_%lld received exception %s", id, exc); break;
    case 8: put(&w, "PacketResponder %d for block blk_%lld Interrupted.", responder, id); break;
    case 9: put(&w, "Received block blk_%lld of size %lld from /%s", id, size, ip_a); break;
    case 10: put(&w, "PacketResponder blk_%lld %d Exception %s", id, responder, exc); break;
    case 11: put(&w, "PacketResponder %d for block blk_%lld terminating", responder, id); break;
    case 12: put(&w, "%s:50010:Exception writing block blk_%lld to mirror %s:50010", ip_a, id, ip_b); break;
    case 13: put(&w, "Receiving empty packet for block blk_%lld", id); break;
    case 14: put(&w, "Exception in receiveBlock for block blk_%lld %s", id, exc); break;
    case 15:
        put(&w, "Changing block file offset of block blk_%lld from %d to %lld meta file offset to %d", id,
            (int)lad_rng_below(&rng, 65536), size / 8, (int)lad_rng_below(&rng, 65536));
        break;
    case 16: put(&w, "%s:50010:Transmitted block blk_%lld to /%s:50010", ip_a, id, ip_b); break;
    case 17: put(&w, "PendingReplicationMonitor timed out block blk_%lld", id); break;
    case 18: put(&w, "%s:50010 Starting thread to transfer block blk_%lld to %s:50010", ip_a, id, ip_b); break;
    case 19: put(&w, "Reopen Block blk_%lld", id); break;
    case 20: put(&w, "Unexpected error trying to delete block blk_%lld. BlockInfo not found in volumeMap.", id); break;
    case 21:
        put(&w, "Deleting block blk_%lld file /mnt/hadoop/dfs/data/current/subdir%d/blk_%lld", id, subdir, id);
        break;
    case 22:
        put(&w, "BLOCK* NameSystem.allocateBlock: /user/root/%s/_temporary/_task_200811092030_%04d_m_%06d_0/part-%05d. "
                "blk_%lld", dir, job, task, task, id);
        break;
    case 23: put(&w, "BLOCK* NameSystem.delete: blk_%lld is added to invalidSet of %s:50010", id, ip_a); break;
    case 24:
        put(&w, "BLOCK* Removing block blk_%lld from neededReplications as it does not belong to any file.", id);
        break;
    case 25: put(&w, "BLOCK* ask %s:50010 to replicate blk_%lld to datanode(s) %s:50010", ip_a, id, ip_b); break;
    case 26:
        put(&w, "BLOCK* NameSystem.addStoredBlock: blockMap updated: %s:50010 is added to blk_%lld size %lld", ip_a, id,
            size);
        break;
    case 27:
        put(&w, "BLOCK* NameSystem.addStoredBlock: Redundant addStoredBlock request received for blk_%lld on %s:50010 "
                "size %lld", id, ip_a, size);
        break;
    case 28:
        put(&w, "BLOCK* NameSystem.addStoredBlock: addStoredBlock request received for blk_%lld on %s:50010 size %lld "
                "But it does not belong to any file.", id, ip_a, size);
        break;
    }
    put(&w, "\n");
    return w.overflow ? 0 : w.len;
}
