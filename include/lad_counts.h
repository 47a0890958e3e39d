/*
 * lad_counts.h - rank-local event counts per session: (session key, column) -> count.
 *
 * While parsing, the column is a local message-key id; after events are resolved the columns are
 * mapped to event indices. Counts are integers, so merging tables in any order gives the same result:
 * this is what makes the features independent of the rank and thread count.
 *
 * Layout (why): a line adds to the few sessions it names, and a session's lines lie close together in
 * the log. So the pairs of one session share one 128-byte chunk (more chunks only past 14 keys),
 * chunks are laid out in order of the sessions' first line, a hash index (8 bytes a slot, with a tag
 * so that probes read no chunk) finds a session's chunk, and a small direct-mapped cache of recent
 * sessions answers most lookups before the index: an add then touches two cache-resident lines
 * instead of one random slot of a table holding every pair.
 */
#ifndef LAD_COUNTS_H
#define LAD_COUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lad_count_entry {
    int64_t session; /* block id or window number */
    int32_t column;  /* key id or event index; -1 marks an unused entry */
    int32_t pad;
    int64_t count;
};

#define LAD_COUNTS_CHUNK_PAIRS 14
#define LAD_COUNTS_SLAB 8192 /* chunks per slab: 1 MiB */

/* The pairs of one session (or the next ones of a session with more keys): 128 bytes. */
struct lad_count_chunk {
    int64_t session;
    int32_t next; /* next chunk of the same session, -1 if none */
    int32_t n;    /* pairs in use */
    struct {
        int32_t column;
        uint32_t count;
    } pairs[LAD_COUNTS_CHUNK_PAIRS];
};

#define LAD_COUNTS_RECENT 2048 /* sessions remembered in front of the index: more than a log keeps open */

struct lad_counts {
    struct lad_count_chunk **slabs; /* chunks in order of first appearance, LAD_COUNTS_SLAB a slab: */
    size_t n_chunks, n_slabs, slabs_cap; /* fixed slabs are never copied, unlike one growing array */
    uint64_t *index;                /* hash(session) slot -> (hash tag << 32) | (first chunk + 1); 0: empty */
    size_t n_index;                 /* power of two */
    struct {
        int64_t session;
        int64_t chunk;              /* -1: empty */
    } *recent;                      /* direct-mapped by hash: the sessions of recent lines */
    size_t n_sessions;
    struct lad_count_entry *spill;  /* counts beyond 32 bits, kept as extra entries */
    size_t n_spill, spill_cap;
    size_t n_used;                  /* entries: pairs plus spill */
    /* After lad_counts_finish: all entries, dense (merge.c reads these) */
    struct lad_count_entry *slots;
    size_t n_slots;
};

/* Local. expected: sessions to make room for at first (the table grows as needed). */
bool lad_counts_init(struct lad_counts *c, size_t expected);
void lad_counts_free(struct lad_counts *c);

/* Local. Adds `count` (>= 0) to (session, column); false on allocation failure. */
bool lad_counts_add(struct lad_counts *c, int64_t session, int32_t column, int64_t count);

/*
 * Local. Writes every entry into slots[0, n_slots) (n_slots == n_used), for lad_counts_merge_parallel.
 * A (session, column) whose count passed 2^32 - 1 appears more than once there; the merge sums them.
 * Adding after finishing is allowed and needs another finish. False on allocation failure.
 */
bool lad_counts_finish(struct lad_counts *c);

/* A sorted, merged list of (session, column, count) triplets: the form that travels between ranks. */
struct lad_triplet {
    int64_t session;
    int64_t column;
    int64_t count;
};

/*
 * Local. Appends every entry of c to *out (growing it; *n and *cap in elements), mapping each column
 * through col_map (col_map[column] = new column; NULL keeps columns). Entries mapped to a negative
 * column are dropped. As in lad_counts_finish, a count past 2^32 - 1 may come in several entries (a
 * sort-merge sums them). False on allocation failure.
 */
bool lad_counts_to_triplets(const struct lad_counts *c, const int32_t *col_map, struct lad_triplet **out,
                            size_t *n, size_t *cap);

/* Local. Sorts triplets by (session, column) and sums duplicates in place; returns the new length. */
size_t lad_triplets_sort_merge(struct lad_triplet *t, size_t n);

/*
 * Local, OpenMP-parallel over nthreads. Merges the per-thread tables[0, n_tables) (each finished with
 * lad_counts_finish) into one list of
 * triplets with columns mapped through col_maps[t] (entries mapped below 0 are dropped), each
 * (session, column) once with its counts summed. Every table is cut into nthreads buckets by session
 * hash, then each bucket is sort-merged by one thread: no sequential pass over all entries. The list
 * is sorted within buckets, not globally (the shuffle does not need order). *out is malloc'd.
 */
bool lad_counts_merge_parallel(const struct lad_counts *tables, const int32_t *const *col_maps, int n_tables,
                               int nthreads, struct lad_triplet **out, size_t *n_out);

#endif
