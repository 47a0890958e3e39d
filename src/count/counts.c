/* counts.c - the rank-local (session, column) -> count table (layout: lad_counts.h), and its readers. */
#include "lad_counts.h"

#include <stdlib.h>
#include <string.h>

#include "lad_hash.h"
#include "lad_mem.h"


bool lad_counts_init(struct lad_counts *c, size_t expected)
{
    memset(c, 0, sizeof *c);
    size_t n = 1024;
    while (n < expected * 2)
        n *= 2;
    c->index = lad_calloc_big(n, sizeof *c->index);
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
    lad_free(&c->firsts);
    memset(c, 0, sizeof *c);
}

/* The home slot of a session in an index of n slots, from its hash's upper half: the tag an index
 * entry keeps, so that growing the index reads no chunk (a cache miss per session otherwise). */
static inline size_t slot_of(uint64_t hash_or_entry, size_t n)
{
    return (size_t)(hash_or_entry >> 32) & (n - 1);
}

/* Doubles the session index (load kept under 1/2, so probes stay short). */
static bool grow_index(struct lad_counts *c)
{
    size_t n = 2 * c->n_index;
    uint64_t *index = lad_calloc_big(n, sizeof *index);
    if (index == NULL)
        return false;
    for (size_t i = 0; i < c->n_index; i++) {
        if (c->index[i] == 0)
            continue;
        size_t j = slot_of(c->index[i], n);
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
        if ((c->slabs[c->n_slabs] = lad_malloc_big(LAD_COUNTS_SLAB, sizeof **c->slabs)) == NULL)
            return -1;
        c->n_slabs++;
    }
    struct lad_count_chunk *k = lad_counts_chunk(c, c->n_chunks);
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
    size_t mask = c->n_index - 1, i = slot_of(h, c->n_index);
    int32_t k = -1;
    for (; c->index[i] != 0; i = (i + 1) & mask)
        if ((c->index[i] & 0xffffffff00000000ULL) == tag &&
            lad_counts_chunk(c, (uint32_t)c->index[i] - 1)->session == session) {
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
        struct lad_count_chunk *ch = lad_counts_chunk(c, (size_t)k);
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

/*
 * One pass in chunk order: a chunk not reached through an earlier chunk's `next` starts a session
 * (continuation chunks are always made after the chunk that links to them, so one forward pass with a
 * bitmap of linked chunks finds them all).
 */
bool lad_counts_finish(struct lad_counts *c)
{
    uint8_t *linked = lad_calloc_array(c->n_chunks / 8 + 1, 1);
    uint32_t *firsts = lad_malloc_big(c->n_sessions > 0 ? c->n_sessions : 1, sizeof *firsts);
    if (linked == NULL || firsts == NULL) {
        free(linked);
        free(firsts);
        return false;
    }
    size_t n = 0;
    for (size_t k = 0; k < c->n_chunks; k++) {
        const struct lad_count_chunk *ch = lad_counts_chunk(c, k);
        if (!(linked[k / 8] & (1u << (k % 8))) && n < c->n_sessions)
            firsts[n++] = (uint32_t)k;
        if (ch->next >= 0)
            linked[(size_t)ch->next / 8] |= (uint8_t)(1u << ((size_t)ch->next % 8));
    }
    free(linked);
    free(c->firsts);
    c->firsts = firsts;
    return true;
}

int64_t lad_counts_ref_session(const struct lad_counts *c, uint32_t ref)
{
    if (ref & LAD_COUNTS_REF_SPILL)
        return c->spill[ref & ~LAD_COUNTS_REF_SPILL].session;
    return lad_counts_chunk(c, ref)->session;
}

bool lad_counts_pairs(const struct lad_counts *c, uint32_t ref, const int32_t *col_map, struct lad_count_pair **out,
                      size_t *n, size_t *cap)
{
    if (ref & LAD_COUNTS_REF_SPILL) {
        const struct lad_count_entry *e = &c->spill[ref & ~LAD_COUNTS_REF_SPILL];
        int32_t col = col_map ? col_map[e->column] : e->column;
        if (col < 0)
            return true;
        void *p = *out;
        if (!lad_grow(&p, cap, *n + 1, sizeof **out))
            return false;
        *out = p;
        (*out)[(*n)++] = (struct lad_count_pair){col, 0, e->count};
        return true;
    }
    for (int32_t k = (int32_t)ref; k >= 0;) {
        const struct lad_count_chunk *ch = lad_counts_chunk(c, (size_t)k);
        void *p = *out;
        if (!lad_grow(&p, cap, *n + (size_t)ch->n, sizeof **out))
            return false;
        *out = p;
        for (int j = 0; j < ch->n; j++) {
            int32_t col = col_map ? col_map[ch->pairs[j].column] : ch->pairs[j].column;
            if (col >= 0)
                (*out)[(*n)++] = (struct lad_count_pair){col, 0, ch->pairs[j].count};
        }
        k = ch->next;
    }
    return true;
}

static int compare_pairs(const void *a, const void *b)
{
    const struct lad_count_pair *x = a, *y = b;
    return (x->column > y->column) - (x->column < y->column);
}

/* A session names few events (insertion sort); a time window may name hundreds (qsort). */
size_t lad_count_pairs_merge(struct lad_count_pair *p, size_t n)
{
    if (n == 0)
        return 0;
    if (n > 32)
        qsort(p, n, sizeof *p, compare_pairs);
    else
        for (size_t i = 1; i < n; i++) {
            struct lad_count_pair x = p[i];
            size_t j = i;
            for (; j > 0 && p[j - 1].column > x.column; j--)
                p[j] = p[j - 1];
            p[j] = x;
        }
    size_t w = 0;
    for (size_t r = 1; r < n; r++) {
        if (p[r].column == p[w].column)
            p[w].count += p[r].count;
        else
            p[++w] = p[r];
    }
    return w + 1;
}
