/*
 * lad_counts.h - rank-local event counts per session: a hash table (session key, column) -> count.
 *
 * While parsing, the column is a local message-key id; after events are resolved the table is
 * rebuilt with event indices as columns. Counts are integers, so merging tables in any order gives
 * the same result: this is what makes the features independent of the rank and thread count.
 */
#ifndef LAD_COUNTS_H
#define LAD_COUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lad_count_entry {
    int64_t session; /* block id or window number */
    int32_t column;  /* key id or event index; -1 marks an empty slot */
    int32_t pad;
    int64_t count;
};

struct lad_counts {
    struct lad_count_entry *slots;
    size_t n_slots; /* power of two */
    size_t n_used;
};

/* Local. */
bool lad_counts_init(struct lad_counts *c, size_t expected);
void lad_counts_free(struct lad_counts *c);

/* Local. Adds `count` to (session, column); false on allocation failure. */
bool lad_counts_add(struct lad_counts *c, int64_t session, int32_t column, int64_t count);

/* A sorted, merged list of (session, column, count) triplets: the form that travels between ranks. */
struct lad_triplet {
    int64_t session;
    int64_t column;
    int64_t count;
};

/*
 * Local. Appends every entry of c to *out (growing it; *n and *cap in elements), mapping each column
 * through col_map (col_map[column] = new column; NULL keeps columns). Entries mapped to a negative
 * column are dropped. False on allocation failure.
 */
bool lad_counts_to_triplets(const struct lad_counts *c, const int32_t *col_map, struct lad_triplet **out,
                            size_t *n, size_t *cap);

/* Local. Sorts triplets by (session, column) and sums duplicates in place; returns the new length. */
size_t lad_triplets_sort_merge(struct lad_triplet *t, size_t n);

/*
 * Local, OpenMP-parallel over nthreads. Merges the per-thread tables[0, n_tables) into one list of
 * triplets with columns mapped through col_maps[t] (entries mapped below 0 are dropped), each
 * (session, column) once with its counts summed. Every table is cut into nthreads buckets by session
 * hash, then each bucket is sort-merged by one thread: no sequential pass over all entries. The list
 * is sorted within buckets, not globally (the shuffle does not need order). *out is malloc'd.
 */
bool lad_counts_merge_parallel(const struct lad_counts *tables, const int32_t *const *col_maps, int n_tables,
                               int nthreads, struct lad_triplet **out, size_t *n_out);

#endif
