/* counts.c - the rank-local (session, column) -> count table (layout: lad_counts.h), and sorted triplets. */
#include "lad_counts.h"

#include <stdlib.h>
#include <string.h>

#include "lad_hash.h"
#include "lad_mem.h"

/* Chunk k (chunks never move once made). */
static inline struct lad_count_chunk *chunk_at(const struct lad_counts *c, size_t k)
{
    return &c->slabs[k / LAD_COUNTS_SLAB][k % LAD_COUNTS_SLAB];
}

bool lad_counts_init(struct lad_counts *c, size_t expected)
{
    memset(c, 0, sizeof *c);
    size_t n = 1024;
    while (n < expected * 2)
        n *= 2;
    c->index = lad_calloc_array(n, sizeof *c->index);
    c->n_index = n;
    c->recent = lad_malloc_array(LAD_COUNTS_RECENT, sizeof *c->recent);
    if (c->index == NULL || c->recent == NULL) {
        lad_counts_free(c);
        return false;
    }
    for (int i = 0; i < LAD_COUNTS_RECENT; i++)
        c->recent[i].chunk = -1;
    return true;
}

void lad_counts_free(struct lad_counts *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n_slabs; i++)
        free(c->slabs[i]);
    lad_free(&c->slabs);
    lad_free(&c->index);
    lad_free(&c->recent);
    lad_free(&c->spill);
    lad_free(&c->slots);
    memset(c, 0, sizeof *c);
}

/* Doubles the session index (load kept under 1/2, so probes stay short). */
static bool grow_index(struct lad_counts *c)
{
    size_t n = 2 * c->n_index;
    uint64_t *index = lad_calloc_array(n, sizeof *index);
    if (index == NULL)
        return false;
    for (size_t i = 0; i < c->n_index; i++) {
        if (c->index[i] == 0)
            continue;
        size_t j = (size_t)(lad_hash_u64((uint64_t)chunk_at(c, (uint32_t)c->index[i] - 1)->session) & (n - 1));
        while (index[j] != 0)
            j = (j + 1) & (n - 1);
        index[j] = c->index[i];
    }
    free(c->index);
    c->index = index;
    c->n_index = n;
    return true;
}

/* A new empty chunk for session; returns its number, or -1 on allocation failure. */
static int32_t new_chunk(struct lad_counts *c, int64_t session)
{
    if (c->n_chunks >= UINT32_MAX - 1 || c->n_chunks >= INT32_MAX)
        return -1;
    if (c->n_chunks == c->n_slabs * LAD_COUNTS_SLAB) {
        void *p = c->slabs;
        if (!lad_grow(&p, &c->slabs_cap, c->n_slabs + 1, sizeof *c->slabs))
            return -1;
        c->slabs = p;
        if ((c->slabs[c->n_slabs] = lad_malloc_array(LAD_COUNTS_SLAB, sizeof **c->slabs)) == NULL)
            return -1;
        c->n_slabs++;
    }
    struct lad_count_chunk *k = chunk_at(c, c->n_chunks);
    k->session = session;
    k->next = -1;
    k->n = 0;
    return (int32_t)c->n_chunks++;
}

/* Keeps count as an entry of its own (counts past 32 bits; the merge adds entries up). */
static bool spill(struct lad_counts *c, int64_t session, int32_t column, int64_t count)
{
    void *p = c->spill;
    if (!lad_grow(&p, &c->spill_cap, c->n_spill + 1, sizeof *c->spill))
        return false;
    c->spill = p;
    c->spill[c->n_spill++] = (struct lad_count_entry){.session = session, .column = column, .count = count};
    c->n_used++;
    return true;
}

/* The first chunk of session (created if new), through the recent-session cache; -1 on failure. */
static int32_t session_chunk(struct lad_counts *c, int64_t session)
{
    uint64_t h = lad_hash_u64((uint64_t)session);
    size_t r = (size_t)(h >> 40) & (LAD_COUNTS_RECENT - 1);
    if (c->recent[r].chunk >= 0 && c->recent[r].session == session)
        return (int32_t)c->recent[r].chunk;
    uint64_t tag = h & 0xffffffff00000000ULL;
    size_t mask = c->n_index - 1, i = (size_t)(h & mask);
    int32_t k = -1;
    for (; c->index[i] != 0; i = (i + 1) & mask)
        if ((c->index[i] & 0xffffffff00000000ULL) == tag &&
            chunk_at(c, (uint32_t)c->index[i] - 1)->session == session) {
            k = (int32_t)((uint32_t)c->index[i] - 1);
            break;
        }
    if (k < 0) { /* a new session */
        if ((k = new_chunk(c, session)) < 0)
            return -1;
        c->index[i] = tag | ((uint64_t)k + 1);
        if (++c->n_sessions * 2 > c->n_index && !grow_index(c))
            return -1;
    }
    c->recent[r].session = session;
    c->recent[r].chunk = k;
    return k;
}

bool lad_counts_add(struct lad_counts *c, int64_t session, int32_t column, int64_t count)
{
    if (count < 0 || count > UINT32_MAX)
        return spill(c, session, column, count);
    int32_t k = session_chunk(c, session);
    if (k < 0)
        return false;
    for (;;) {
        struct lad_count_chunk *ch = chunk_at(c, (size_t)k);
        for (int j = 0; j < ch->n; j++)
            if (ch->pairs[j].column == column) {
                if (ch->pairs[j].count > UINT32_MAX - (uint32_t)count) { /* 32 bits full: spill them */
                    if (!spill(c, session, column, ch->pairs[j].count))
                        return false;
                    ch->pairs[j].count = 0;
                }
                ch->pairs[j].count += (uint32_t)count;
                return true;
            }
        if (ch->n < LAD_COUNTS_CHUNK_PAIRS) {
            ch->pairs[ch->n].column = column;
            ch->pairs[ch->n++].count = (uint32_t)count;
            c->n_used++;
            return true;
        }
        if (ch->next < 0 && (ch->next = new_chunk(c, session)) < 0) /* past 14 keys: a chunk more */
            return false;
        k = ch->next;
    }
}

/* Walks every entry: the chunks' pairs in chunk order, then the spilled counts. */
struct entry_walk {
    size_t chunk, spill;
    int pair;
};

static bool next_entry(const struct lad_counts *c, struct entry_walk *w, struct lad_count_entry *e)
{
    while (w->chunk < c->n_chunks) {
        const struct lad_count_chunk *ch = chunk_at(c, w->chunk);
        if (w->pair < ch->n) {
            *e = (struct lad_count_entry){ch->session, ch->pairs[w->pair].column, 0, ch->pairs[w->pair].count};
            w->pair++;
            return true;
        }
        w->chunk++;
        w->pair = 0;
    }
    if (w->spill < c->n_spill) {
        *e = c->spill[w->spill++];
        return true;
    }
    return false;
}

bool lad_counts_finish(struct lad_counts *c)
{
    struct lad_count_entry *slots = lad_malloc_array(c->n_used, sizeof *slots);
    if (slots == NULL)
        return false;
    size_t n = 0;
    struct entry_walk w = {0, 0, 0};
    for (struct lad_count_entry e; next_entry(c, &w, &e);)
        slots[n++] = e;
    free(c->slots);
    c->slots = slots;
    c->n_slots = n;
    return true;
}

bool lad_counts_to_triplets(const struct lad_counts *c, const int32_t *col_map, struct lad_triplet **out,
                            size_t *n, size_t *cap)
{
    void *p = *out;
    if (!lad_grow(&p, cap, *n + c->n_used, sizeof **out))
        return false;
    *out = p;
    struct entry_walk w = {0, 0, 0};
    for (struct lad_count_entry e; next_entry(c, &w, &e);) {
        int64_t col = col_map ? col_map[e.column] : e.column;
        if (col >= 0)
            (*out)[(*n)++] = (struct lad_triplet){e.session, col, e.count};
    }
    return true;
}

static int compare_triplets(const void *a, const void *b)
{
    const struct lad_triplet *x = a, *y = b;
    if (x->session != y->session)
        return x->session < y->session ? -1 : 1;
    return (x->column > y->column) - (x->column < y->column);
}

/*
 * Sorts t by session with a stable LSD radix sort (8-bit digits of the session with its sign bit
 * flipped; digits equal in every key are skipped), then each run of one session by column. Returns
 * false when the scratch buffer cannot be had (the caller then uses qsort). Radix because merge and
 * shuffle sort every (session, column) pair of a rank, millions on a big log, where qsort's calls to a
 * comparison function cost several times more.
 */
static bool radix_sort(struct lad_triplet *t, size_t n)
{
    struct lad_triplet *tmp = lad_malloc_array(n, sizeof *tmp);
    size_t(*count)[256] = calloc(8, sizeof *count);
    if (tmp == NULL || count == NULL) {
        free(tmp);
        free(count);
        return false;
    }
    const uint64_t flip = (uint64_t)1 << 63; /* signed order as unsigned */
    for (size_t i = 0; i < n; i++) {
        uint64_t k = (uint64_t)t[i].session ^ flip;
        for (int d = 0; d < 8; d++)
            count[d][(k >> (8 * d)) & 255]++;
    }
    struct lad_triplet *src = t, *dst = tmp;
    for (int d = 0; d < 8; d++) {
        if (count[d][((uint64_t)t[0].session ^ flip) >> (8 * d) & 255] == n)
            continue; /* every key has the same digit here */
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[d][b];
            count[d][b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[d][(((uint64_t)src[i].session ^ flip) >> (8 * d)) & 255]++] = src[i];
        struct lad_triplet *x = src;
        src = dst;
        dst = x;
    }
    if (src != t)
        memcpy(t, src, n * sizeof *t);
    for (size_t lo = 0, hi; lo < n; lo = hi) { /* then each session's run by column */
        for (hi = lo + 1; hi < n && t[hi].session == t[lo].session; hi++)
            ;
        if (hi - lo > 32) { /* long runs (time windows with many events): qsort */
            qsort(t + lo, hi - lo, sizeof *t, compare_triplets);
            continue;
        }
        for (size_t i = lo + 1; i < hi; i++) { /* short runs (a block's few events): insertion */
            struct lad_triplet x = t[i];
            size_t j = i;
            for (; j > lo && t[j - 1].column > x.column; j--)
                t[j] = t[j - 1];
            t[j] = x;
        }
    }
    free(tmp);
    free(count);
    return true;
}

size_t lad_triplets_sort_merge(struct lad_triplet *t, size_t n)
{
    if (n == 0)
        return 0;
    if (n < 256 || !radix_sort(t, n))
        qsort(t, n, sizeof *t, compare_triplets);
    size_t w = 0;
    for (size_t r = 1; r < n; r++) {
        if (t[r].session == t[w].session && t[r].column == t[w].column)
            t[w].count += t[r].count;
        else
            t[++w] = t[r];
    }
    return w + 1;
}
