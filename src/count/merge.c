/*
 * merge.c - merging the threads' count tables in parallel.
 *
 * Every thread saw lines of almost every block (a block's lines are spread over the file), so each
 * thread's table holds about as many entries as the merged one; merging them one after the other would
 * be a sequential pass as long as the parse itself. Instead, each thread cuts its own table into
 * nthreads buckets by a hash of the session (phase 1), then thread b sort-merges bucket b of every
 * table (phase 2). A (session, column) pair always lands in the same bucket, so buckets never overlap.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_counts.h"
#include "lad_hash.h"
#include "lad_mem.h"

/* Bucket of a session among n: independent of the table it comes from. */
static int bucket_of(int64_t session, int n)
{
    return (int)((lad_hash_u64((uint64_t)session ^ 0x6d65726765ULL) >> 8) % (uint64_t)n);
}

bool lad_counts_merge_parallel(const struct lad_counts *tables, const int32_t *const *col_maps, int n_tables,
                               int nthreads, struct lad_triplet **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    int nb = nthreads > 0 ? nthreads : 1;
    /* size[t * nb + b]: entries of table t in bucket b; filled in phase 1a, offsets in 1b */
    size_t *size = lad_calloc_array((size_t)n_tables * (size_t)nb, sizeof *size);
    size_t *start = lad_calloc_array((size_t)n_tables * (size_t)nb + 1, sizeof *start);
    size_t *merged = lad_calloc_array((size_t)nb, sizeof *merged);
    if (!size || !start || !merged) {
        free(size);
        free(start);
        free(merged);
        return false;
    }
#pragma omp parallel for num_threads(nb) schedule(dynamic, 1)
    for (int t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n_slots; i++) {
            const struct lad_count_entry *e = &tables[t].slots[i];
            if (e->column >= 0 && (col_maps == NULL || col_maps[t][e->column] >= 0))
                size[(size_t)t * nb + bucket_of(e->session, nb)]++;
        }
    /* Bucket-major layout: all of bucket 0 (table 0, 1, ...), then bucket 1, ... */
    size_t total = 0;
    for (int b = 0; b < nb; b++)
        for (int t = 0; t < n_tables; t++) {
            start[(size_t)t * nb + b] = total;
            total += size[(size_t)t * nb + b];
        }
    struct lad_triplet *all = lad_malloc_array(total, sizeof *all);
    if (all == NULL) {
        free(size);
        free(start);
        free(merged);
        return false;
    }
#pragma omp parallel for num_threads(nb) schedule(dynamic, 1)
    for (int t = 0; t < n_tables; t++) {
        size_t *fill = start + (size_t)t * nb; /* advanced as entries are placed */
        for (size_t i = 0; i < tables[t].n_slots; i++) {
            const struct lad_count_entry *e = &tables[t].slots[i];
            if (e->column < 0)
                continue;
            int64_t col = col_maps ? col_maps[t][e->column] : e->column;
            if (col < 0)
                continue;
            all[fill[bucket_of(e->session, nb)]++] = (struct lad_triplet){e->session, col, e->count};
        }
    }
    /* After phase 1 start[t * nb + b] points at the end of table t's part of bucket b; bucket b spans
     * from the start of table 0's part to the end of the last table's part. */
#pragma omp parallel for num_threads(nb) schedule(dynamic, 1)
    for (int b = 0; b < nb; b++) {
        size_t lo = start[b] - size[b]; /* table 0's part of bucket b began here */
        size_t hi = start[(size_t)(n_tables - 1) * nb + b];
        merged[b] = lad_triplets_sort_merge(all + lo, hi - lo);
    }
    /* Close the gaps left by merged duplicates. */
    size_t w = 0;
    for (int b = 0; b < nb; b++) {
        size_t lo = start[b] - size[b];
        memmove(all + w, all + lo, merged[b] * sizeof *all);
        w += merged[b];
    }
    free(size);
    free(start);
    free(merged);
    *out = all;
    *n_out = w;
    return true;
}
