/* counts.c - the rank-local (session, column) -> count table, and sorted triplets. */
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
    c->slots = lad_malloc_array(n, sizeof *c->slots);
    if (c->slots == NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        c->slots[i].column = -1;
    c->n_slots = n;
    return true;
}

void lad_counts_free(struct lad_counts *c)
{
    if (c == NULL)
        return;
    lad_free(&c->slots);
    c->n_slots = c->n_used = 0;
}

static inline size_t slot_of(int64_t session, int32_t column, size_t mask)
{
    return (size_t)(lad_hash_u64((uint64_t)session * 0x9e3779b97f4a7c15ULL + (uint64_t)column) & mask);
}

static bool grow(struct lad_counts *c)
{
    size_t n = c->n_slots * 2;
    struct lad_count_entry *s = lad_malloc_array(n, sizeof *s);
    if (s == NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        s[i].column = -1;
    for (size_t i = 0; i < c->n_slots; i++) {
        const struct lad_count_entry *e = &c->slots[i];
        if (e->column < 0)
            continue;
        size_t j = slot_of(e->session, e->column, n - 1);
        while (s[j].column >= 0)
            j = (j + 1) & (n - 1);
        s[j] = *e;
    }
    free(c->slots);
    c->slots = s;
    c->n_slots = n;
    return true;
}

bool lad_counts_add(struct lad_counts *c, int64_t session, int32_t column, int64_t count)
{
    size_t mask = c->n_slots - 1;
    for (size_t i = slot_of(session, column, mask);; i = (i + 1) & mask) {
        struct lad_count_entry *e = &c->slots[i];
        if (e->column < 0) {
            e->session = session;
            e->column = column;
            e->count = count;
            c->n_used++;
            return c->n_used * 2 <= c->n_slots || grow(c);
        }
        if (e->session == session && e->column == column) {
            e->count += count;
            return true;
        }
    }
}

bool lad_counts_to_triplets(const struct lad_counts *c, const int32_t *col_map, struct lad_triplet **out,
                            size_t *n, size_t *cap)
{
    void *p = *out;
    if (!lad_grow(&p, cap, *n + c->n_used, sizeof **out))
        return false;
    *out = p;
    for (size_t i = 0; i < c->n_slots; i++) {
        const struct lad_count_entry *e = &c->slots[i];
        if (e->column < 0)
            continue;
        int64_t col = col_map ? col_map[e->column] : e->column;
        if (col < 0)
            continue;
        (*out)[(*n)++] = (struct lad_triplet){e->session, col, e->count};
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

size_t lad_triplets_sort_merge(struct lad_triplet *t, size_t n)
{
    if (n == 0)
        return 0;
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
