/*
 * shuffle.c - the reduce step: every session's partial counts meet on the rank owning its key range.
 *
 *   1. records   one (session, table reference) record per session of each thread's table (and per
 *                spilled count), radix-sorted by session: the threads' parts of a session meet, and
 *                sessions come out in key order. No comparison sort of (session, event) pairs.
 *   2. splitters every rank sends evenly spaced samples of its sorted keys to all (Allgather); the
 *                sorted samples' quantiles cut the key space into one range per rank. They only
 *                balance the work: the result does not depend on them.
 *   3. encode    one pass over the sorted records writes each session's merged pairs, in key order,
 *                into the send buffer; the ranges are monotone, so each destination's rows are a
 *                contiguous, sorted stretch of it. The tables are freed here.
 *   4. exchange  one all-to-all of 64-bit words (lad_comm).
 *   5. merge     the receiver holds one sorted run per sender and merges them with a small heap,
 *                summing the parts of a session (integer sums: the same in any arrival order) into
 *                compressed rows.
 * With one rank, step 3 writes the merged rows straight into the row set: no splitters, no exchange,
 * no second merge (the same rows: one sender's run merges to itself).
 * Large buffers are huge-page backed (lad_malloc_big) and written before read; nothing is zeroed.
 */
#include "lad_shuffle.h"

#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_mem.h"
#include "lad_radix.h"
#include "count_internal.h"

#define SAMPLES_PER_RANK 1024 /* splitter error ~1/sqrt(1024): ranks within a few percent of even */
#define PREFETCH_AHEAD 8      /* records: their chunks sit at random places in the tables */

void lad_rowset_free(struct lad_rowset *r)
{
    if (r == NULL)
        return;
    lad_free(&r->keys);
    lad_free(&r->row_start);
    lad_free(&r->cols);
    lad_free(&r->vals);
    r->n = 0;
}

size_t lad__decode_row(const uint64_t *w, struct lad_count_pair **out, size_t *n, size_t *cap)
{
    size_t n_words = (size_t)w[1];
    void *p = *out;
    if (!lad_grow(&p, cap, *n + n_words, sizeof **out))
        return 0;
    *out = p;
    for (size_t k = 0; k < n_words; k++)
        (*out)[(*n)++] = lad__get_pair(w[LAD__ROW_HEADER_WORDS + k]);
    return LAD__ROW_HEADER_WORDS + n_words;
}

bool lad__columns_valid(const struct lad_count_pair *p, size_t n, int n_events)
{
    for (size_t q = 0; q < n; q++)
        if (p[q].column < 0 || p[q].column >= n_events)
            return false;
    return true;
}

/* Local. Every table's sessions and spilled counts as records (table << 32 | reference), sorted. */
static bool sorted_records(struct lad_counts *tables, int n_tables, struct lad_keyed **rec, size_t *n_rec)
{
    size_t n = 0;
    for (int t = 0; t < n_tables; t++) {
        if (!lad_counts_finish(&tables[t]) || tables[t].n_spill >= LAD_COUNTS_REF_SPILL)
            return false;
        n += tables[t].n_sessions + tables[t].n_spill;
    }
    struct lad_keyed *r = lad_malloc_big(n, sizeof *r), *tmp = lad_malloc_big(n, sizeof *tmp);
    if (r == NULL || tmp == NULL) {
        free(r);
        free(tmp);
        return false;
    }
    size_t k = 0;
    for (int t = 0; t < n_tables; t++) {
        const struct lad_counts *c = &tables[t];
        for (size_t s = 0; s < c->n_sessions; s++)
            r[k++] = (struct lad_keyed){lad_counts_ref_session(c, c->firsts[s]), (uint64_t)t << 32 | c->firsts[s]};
        for (size_t s = 0; s < c->n_spill; s++)
            r[k++] = (struct lad_keyed){c->spill[s].session, (uint64_t)t << 32 | LAD_COUNTS_REF_SPILL | (uint32_t)s};
    }
    lad_radix_sort(r, n, tmp);
    free(tmp);
    *rec = r;
    *n_rec = n;
    return true;
}

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/*
 * Collective. size - 1 ascending splitters: rank r receives the keys k with split[r-1] <= k < split[r].
 * Samples are evenly spaced over each rank's sorted records, so a rank's weight in the samples follows
 * its share of sessions.
 */
static enum lad_status choose_splitters(struct lad_ctx *ctx, const struct lad_keyed *rec, size_t n, int64_t *split,
                                        int *n_split)
{
    const int size = ctx->size;
    int n_mine = n < SAMPLES_PER_RANK ? (int)n : SAMPLES_PER_RANK, total = 0;
    int64_t mine[SAMPLES_PER_RANK];
    int *counts = lad_malloc_array((size_t)size, sizeof *counts), *displs = lad_malloc_array((size_t)size, sizeof *displs);
    int64_t *all = NULL;
    enum lad_status st = (counts && displs) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for samples");
    for (int i = 0; i < n_mine; i++)
        mine[i] = rec[(size_t)(((unsigned long long)i * n + n / 2) / (unsigned long long)n_mine)].key;
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        lad_comm_check(ctx, MPI_Allgather(&n_mine, 1, MPI_INT, counts, 1, MPI_INT, ctx->comm), "gathering samples");
    for (int r = 0; st == LAD_OK && r < size; r++) {
        displs[r] = total;
        total += counts[r];
    }
    if (st == LAD_OK) {
        all = lad_malloc_array((size_t)total, sizeof *all);
        st = lad_status_agree(ctx, all ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for samples"));
    }
    if (st == LAD_OK) {
        lad_comm_check(ctx, MPI_Allgatherv(mine, n_mine, MPI_INT64_T, all, counts, displs, MPI_INT64_T, ctx->comm),
                       "gathering samples");
        qsort(all, (size_t)total, sizeof *all, compare_i64);
        *n_split = 0;
        if (total > 0)
            for (int j = 1; j < size; j++)
                split[(*n_split)++] = all[(size_t)j * (size_t)total / (size_t)size];
    }
    free(counts);
    free(displs);
    free(all);
    return st;
}

/* The sorted records one session at a time, each with its parts' pairs merged (step 3). */
struct session_walk {
    const struct lad_counts *tables;
    const int32_t *const *col_maps;
    const struct lad_keyed *rec;
    size_t n_rec, i;
    struct lad_count_pair *pairs; /* the current session's merged pairs */
    size_t cap;
};

/* Local. The next session with pairs left after the column map: 1 (its key in *key, its n pairs in
 * walk->pairs), 0 when none is left, -1 on allocation failure. */
static int walk_next(struct session_walk *wk, int64_t *key, size_t *n_pairs)
{
    while (wk->i < wk->n_rec) {
        const struct lad_keyed *rec = wk->rec;
        const int64_t k = rec[wk->i].key;
        size_t n = 0;
        for (; wk->i < wk->n_rec && rec[wk->i].key == k; wk->i++) {
            if (wk->i + PREFETCH_AHEAD < wk->n_rec) {
                const uint64_t v = rec[wk->i + PREFETCH_AHEAD].val;
                if (!(v & LAD_COUNTS_REF_SPILL))
                    __builtin_prefetch(lad_counts_chunk(&wk->tables[v >> 32], (uint32_t)v));
            }
            const int t = (int)(rec[wk->i].val >> 32);
            if (!lad_counts_pairs(&wk->tables[t], (uint32_t)rec[wk->i].val, wk->col_maps ? wk->col_maps[t] : NULL,
                                  &wk->pairs, &n, &wk->cap))
                return -1;
        }
        n = lad_count_pairs_merge(wk->pairs, n);
        if (n > 0) { /* else every pair was dropped by the column map */
            *key = k;
            *n_pairs = n;
            return 1;
        }
    }
    return 0;
}

/*
 * Local. Writes each session's merged row into send, destinations in rank order; send_words[r]
 * receives the words for rank r. False on allocation failure.
 */
static bool encode_rows(struct session_walk *wk, const int64_t *split, int n_split, uint64_t *send,
                        int64_t *send_words)
{
    size_t w = 0, dest_begin = 0, n;
    int64_t key;
    int dest = 0, more;
    while ((more = walk_next(wk, &key, &n)) > 0) {
        while (dest < n_split && key >= split[dest]) {
            send_words[dest++] = (int64_t)(w - dest_begin);
            dest_begin = w;
        }
        const size_t head = w;
        w += LAD__ROW_HEADER_WORDS;
        for (size_t q = 0; q < n; q++)
            w += lad__put_pair(send + w, wk->pairs[q].column, wk->pairs[q].count);
        send[head] = (uint64_t)key;
        send[head + 1] = (uint64_t)(w - head - LAD__ROW_HEADER_WORDS);
    }
    send_words[dest] = (int64_t)(w - dest_begin);
    return more == 0;
}

/* Local. Allocates out's arrays for up to max_rows rows and max_pairs pairs; false if out of memory. */
static bool rowset_reserve(struct lad_rowset *out, size_t max_rows, size_t max_pairs)
{
    out->keys = lad_malloc_big(max_rows + 1, sizeof *out->keys);
    out->row_start = lad_malloc_big(max_rows + 1, sizeof *out->row_start);
    out->cols = lad_malloc_big(max_pairs + 1, sizeof *out->cols);
    out->vals = lad_malloc_big(max_pairs + 1, sizeof *out->vals);
    return out->keys && out->row_start && out->cols && out->vals;
}

/* Local. Appends one row; the arrays have room (rowset_reserve). */
static void rowset_append(struct lad_rowset *out, int64_t *w, int64_t key, const struct lad_count_pair *p, size_t n)
{
    out->keys[out->n] = key;
    out->row_start[out->n++] = *w;
    for (size_t q = 0; q < n; q++) {
        out->cols[*w] = p[q].column;
        out->vals[(*w)++] = p[q].count;
    }
}

/* Local. Ends out at w pairs and gives back the room it did not use (a failed shrink keeps the larger
 * block). */
static void rowset_trim(struct lad_rowset *out, int64_t w)
{
    out->row_start[out->n] = w;
    void *p;
    if ((p = lad_realloc_array(out->keys, (size_t)out->n, sizeof *out->keys)) != NULL)
        out->keys = p;
    if ((p = lad_realloc_array(out->row_start, (size_t)out->n + 1, sizeof *out->row_start)) != NULL)
        out->row_start = p;
    if ((p = lad_realloc_array(out->cols, (size_t)w, sizeof *out->cols)) != NULL)
        out->cols = p;
    if ((p = lad_realloc_array(out->vals, (size_t)w, sizeof *out->vals)) != NULL)
        out->vals = p;
}

/*
 * Local. One rank owns every key: the merged rows go straight into out, without the encoding, the
 * exchange and the merge of received runs (the same rows, as one sender's run merges to itself).
 */
static enum lad_status rows_in_place(struct lad_ctx *ctx, struct session_walk *wk, size_t max_pairs, int n_events,
                                     struct lad_rowset *out)
{
    if (!rowset_reserve(out, wk->n_rec, max_pairs))
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %zu sessions' rows", wk->n_rec);
    int64_t key, w = 0;
    size_t n;
    int more;
    while ((more = walk_next(wk, &key, &n)) > 0) {
        if (!lad__columns_valid(wk->pairs, n, n_events))
            return lad_fail(ctx, LAD_ERR_INTERNAL, "a count column outside the %d events", n_events);
        rowset_append(out, &w, key, wk->pairs, n);
    }
    if (more < 0)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging rows");
    rowset_trim(out, w);
    return LAD_OK;
}

/* A run of received rows: one per sender, keys ascending. */
struct run {
    const uint64_t *at, *end;
};

static inline bool run_before(const struct run *runs, int a, int b)
{
    int64_t ka = (int64_t)runs[a].at[0], kb = (int64_t)runs[b].at[0];
    return ka < kb || (ka == kb && a < b);
}

static void sift_down(const struct run *runs, int *heap, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && run_before(runs, heap[l], heap[m]))
            m = l;
        if (l + 1 < n && run_before(runs, heap[l + 1], heap[m]))
            m = l + 1;
        if (m == i)
            return;
        int x = heap[i];
        heap[i] = heap[m];
        heap[m] = x;
        i = m;
    }
}

/*
 * Local. Merges the sorted runs of recv (recv_words[r] words from rank r) into out (step 5). Rows
 * fill the arrays in key order; a session's parts from several senders are summed. The arrays are
 * sized by what the words can hold at most and trimmed at the end (untouched pages cost nothing).
 */
static enum lad_status merge_runs(struct lad_ctx *ctx, const uint64_t *recv, const int64_t *recv_words, int n_events,
                                  struct lad_rowset *out)
{
    const int size = ctx->size;
    int64_t total = 0;
    for (int r = 0; r < size; r++)
        total += recv_words[r];
    struct run *runs = lad_malloc_array((size_t)size, sizeof *runs);
    int *heap = lad_malloc_array((size_t)size, sizeof *heap), n_heap = 0;
    struct lad_count_pair *pairs = NULL;
    size_t cap = 0;
    enum lad_status st = LAD_OK;
    if (!runs || !heap || !rowset_reserve(out, (size_t)total / (LAD__ROW_HEADER_WORDS + 1), (size_t)total))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging %lld received words", (long long)total);
    const uint64_t *at = recv;
    for (int r = 0; st == LAD_OK && r < size; r++) {
        runs[r] = (struct run){at, at + recv_words[r]};
        at += recv_words[r];
        if (runs[r].at < runs[r].end)
            heap[n_heap++] = r;
    }
    for (int i = n_heap / 2 - 1; st == LAD_OK && i >= 0; i--)
        sift_down(runs, heap, n_heap, i);
    int64_t w = 0;
    while (st == LAD_OK && n_heap > 0) {
        const int64_t key = (int64_t)runs[heap[0]].at[0];
        size_t n = 0;
        while (n_heap > 0 && (int64_t)runs[heap[0]].at[0] == key) {
            struct run *r = &runs[heap[0]];
            size_t used = lad__decode_row(r->at, &pairs, &n, &cap);
            if (used == 0) {
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging rows");
                break;
            }
            r->at += used;
            if (r->at >= r->end)
                heap[0] = heap[--n_heap];
            sift_down(runs, heap, n_heap, 0);
        }
        n = lad_count_pairs_merge(pairs, n);
        if (st == LAD_OK && !lad__columns_valid(pairs, n, n_events))
            st = lad_fail(ctx, LAD_ERR_INTERNAL, "a count column outside the %d events", n_events);
        if (st == LAD_OK)
            rowset_append(out, &w, key, pairs, n);
    }
    if (st == LAD_OK)
        rowset_trim(out, w);
    free(runs);
    free(heap);
    free(pairs);
    return st;
}

enum lad_status lad_shuffle_rows(struct lad_ctx *ctx, struct lad_counts *tables, const int32_t *const *col_maps,
                                 int n_tables, int n_events, struct lad_rowset *out)
{
    memset(out, 0, sizeof *out);
    const int size = ctx->size;
    struct session_walk walk = {.tables = tables, .col_maps = col_maps};
    size_t n_pairs = 0, max_words = 0;
    uint64_t *send = NULL, *recv = NULL;
    int64_t *split = lad_malloc_array((size_t)size, sizeof *split);
    int64_t *send_words = lad_calloc_array((size_t)size, sizeof *send_words);
    int64_t *recv_words = lad_calloc_array((size_t)size, sizeof *recv_words);
    int n_split = 0;
    struct lad_keyed *rec = NULL;
    enum lad_status st = (split && send_words && recv_words) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    if (st == LAD_OK && !sorted_records(tables, n_tables, &rec, &walk.n_rec))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory sorting the sessions' counts");
    walk.rec = rec;
    st = lad_status_agree(ctx, st);
    for (int t = 0; t < n_tables; t++)
        n_pairs += tables[t].n_used;
    const bool alone = size == 1; /* every key is this rank's: no exchange */
    if (st == LAD_OK && alone)
        st = rows_in_place(ctx, &walk, n_pairs, n_events, out);
    if (st == LAD_OK && !alone)
        st = choose_splitters(ctx, rec, walk.n_rec, split, &n_split);

    /* A row takes at most its header per record and two words per pair. */
    max_words = 2 * n_pairs + LAD__ROW_HEADER_WORDS * walk.n_rec;
    if (st == LAD_OK && !alone && (send = lad_malloc_big(max_words + 1, sizeof *send)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the shuffle (%zu words)", max_words);
    if (st == LAD_OK && !alone && !encode_rows(&walk, split, n_split, send, send_words))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory encoding the shuffle");
    lad_free(&rec);
    lad_free(&walk.pairs);
    for (int t = 0; t < n_tables; t++) /* read: memory goes back before the exchange doubles it */
        lad_counts_free(&tables[t]);
    st = lad_status_agree(ctx, st);

    int64_t total = 0;
    if (st == LAD_OK && !alone) {
        lad_comm_exchange_counts(ctx, send_words, recv_words);
        for (int r = 0; r < size; r++)
            total += recv_words[r];
        recv = lad_malloc_big((size_t)total + 1, sizeof *recv);
        st = lad_status_agree(ctx, recv ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory receiving %lld words",
                                                            (long long)total));
    }
    if (st == LAD_OK && !alone)
        st = lad_comm_alltoallv(ctx, send, send_words, recv, recv_words, sizeof *send, "the shuffle of session counts");
    lad_free(&send);
    if (st == LAD_OK && !alone)
        st = lad_status_agree(ctx, merge_runs(ctx, recv, recv_words, n_events, out));
    free(recv);
    free(split);
    free(send_words);
    free(recv_words);
    if (st != LAD_OK)
        lad_rowset_free(out);
    return st;
}
