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
#define LAD_COUNTS_SLAB 65536 /* chunks per slab: 8 MiB, backed by huge pages (lad_malloc_big) */

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
    uint64_t *index;                /* slot (the hash's upper half) -> that half << 32 | (first chunk + 1); 0: empty */
    size_t n_index;                 /* power of two */
    struct {
        int64_t session;
        int64_t chunk;              /* -1: empty */
    } *recent;                      /* direct-mapped by hash: the sessions of recent lines */
    size_t n_sessions;
    struct lad_count_entry *spill;  /* counts beyond 32 bits, kept as extra entries */
    size_t n_spill, spill_cap;
    size_t n_used;                  /* entries: pairs plus spill */
    /* After lad_counts_finish: each session's first chunk, in order of first appearance */
    uint32_t *firsts;
};

/* Local. Chunk k (0 <= k < n_chunks); chunks never move once made. */
static inline struct lad_count_chunk *lad_counts_chunk(const struct lad_counts *c, size_t k)
{
    return &c->slabs[k / LAD_COUNTS_SLAB][k % LAD_COUNTS_SLAB];
}

/* Local. expected: sessions to make room for at first (the table grows as needed). */
bool lad_counts_init(struct lad_counts *c, size_t expected);
void lad_counts_free(struct lad_counts *c);

/* Local. Adds `count` (>= 0) to (session, column); false on allocation failure. */
bool lad_counts_add(struct lad_counts *c, int64_t session, int32_t column, int64_t count);

/*
 * Local. Lists every session's first chunk in firsts[0, n_sessions), in order of first appearance,
 * for the readers below. Adding after finishing is allowed and needs another finish. False on
 * allocation failure.
 */
bool lad_counts_finish(struct lad_counts *c);

/* A reference to what a table holds about one session: a chunk chain, or one spilled entry. */
#define LAD_COUNTS_REF_SPILL 0x80000000u

/* One (column, count) pair of a session while its row is assembled. */
struct lad_count_pair {
    int32_t column;
    int32_t pad;
    int64_t count;
};

/*
 * Local. Appends to *out (growing it; *n and *cap in elements) the pairs of one session: those of the
 * chunk chain that starts at chunk `ref`, or with LAD_COUNTS_REF_SPILL set, spilled entry
 * ref & ~LAD_COUNTS_REF_SPILL. Columns are mapped through col_map (NULL keeps them); pairs mapped to
 * a negative column are dropped. False on allocation failure.
 */
bool lad_counts_pairs(const struct lad_counts *c, uint32_t ref, const int32_t *col_map, struct lad_count_pair **out,
                      size_t *n, size_t *cap);

/* Local. The session of reference ref (as above). */
int64_t lad_counts_ref_session(const struct lad_counts *c, uint32_t ref);

/* Local. Sorts p[0, n) by column and sums pairs of equal columns; returns the new length. */
size_t lad_count_pairs_merge(struct lad_count_pair *p, size_t n);

#endif
