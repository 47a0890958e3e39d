/*
 * rowgroups.c - the distinct rows of a rank's feature matrix (lad_features_group_rows).
 *
 * A session's verdict depends on its row of counts alone, and HDFS repeats a few thousand distinct
 * rows over millions of blocks. Grouping equal rows once lets training and scoring do their per-row
 * arithmetic once per distinct row and copy the result: the same computation on the same numbers, so
 * the bits are those of doing it for every row, at any rank count.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_hash.h"
#include "lad_mem.h"

struct group_table {
    int64_t *slot;  /* group + 1, or 0 where empty */
    size_t mask;
    uint64_t *hash; /* per group */
    size_t cap;     /* room in hash and f->group_first */
};

static uint64_t row_hash(struct lad_row r)
{
    uint64_t h = lad_hash_bytes(r.cols, (size_t)r.n * sizeof *r.cols, (uint64_t)r.n);
    return lad_hash_bytes(r.vals, (size_t)r.n * sizeof *r.vals, h);
}

static bool rows_equal(struct lad_row a, struct lad_row b)
{
    return a.n == b.n && memcmp(a.cols, b.cols, (size_t)a.n * sizeof *a.cols) == 0 &&
           memcmp(a.vals, b.vals, (size_t)a.n * sizeof *a.vals) == 0;
}

/* Twice the slots, every group placed again; false when out of memory. */
static bool grow_slots(struct group_table *t, int64_t n_groups)
{
    size_t slots = 2 * (t->mask + 1);
    int64_t *slot = lad_calloc_array(slots, sizeof *slot);
    if (slot == NULL)
        return false;
    for (int64_t g = 0; g < n_groups; g++) {
        size_t i = (size_t)t->hash[g] & (slots - 1);
        while (slot[i])
            i = (i + 1) & (slots - 1);
        slot[i] = g + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->mask = slots - 1;
    return true;
}

/* Room for one more group; false when out of memory. */
static bool make_room(struct group_table *t, struct lad_features *f)
{
    if ((size_t)f->n_groups == t->cap) {
        size_t cap = 2 * t->cap;
        uint64_t *hash = realloc(t->hash, cap * sizeof *hash);
        if (hash)
            t->hash = hash;
        int64_t *first = realloc(f->group_first, cap * sizeof *first);
        if (first)
            f->group_first = first;
        if (!hash || !first)
            return false;
        t->cap = cap;
    }
    return 2 * (size_t)(f->n_groups + 1) <= t->mask + 1 || grow_slots(t, f->n_groups);
}

enum lad_status lad_features_group_rows(struct lad_ctx *ctx, struct lad_features *f)
{
    lad_free(&f->group_of);
    lad_free(&f->group_first);
    f->n_groups = 0;
    struct group_table t = {.mask = 255, .cap = 64};
    t.slot = lad_calloc_array(t.mask + 1, sizeof *t.slot);
    t.hash = lad_malloc_array(t.cap, sizeof *t.hash);
    f->group_first = lad_malloc_array(t.cap, sizeof *f->group_first);
    f->group_of = lad_malloc_array((size_t)(f->n_local > 0 ? f->n_local : 1), sizeof *f->group_of);
    bool ok = t.slot && t.hash && f->group_first && f->group_of;
    for (int64_t r = 0; ok && r < f->n_local; r++) {
        const struct lad_row row = lad_features_row(f, r);
        const uint64_t h = row_hash(row);
        size_t i = (size_t)h & t.mask;
        int64_t g = -1;
        for (; t.slot[i]; i = (i + 1) & t.mask) {
            const int64_t c = t.slot[i] - 1;
            if (t.hash[c] == h && rows_equal(lad_features_row(f, f->group_first[c]), row)) {
                g = c;
                break;
            }
        }
        if (g < 0) {
            if (!(ok = make_room(&t, f)))
                break;
            g = f->n_groups++;
            t.hash[g] = h;
            f->group_first[g] = r;
            for (i = (size_t)h & t.mask; t.slot[i]; i = (i + 1) & t.mask)
                ;
            t.slot[i] = g + 1;
        }
        f->group_of[r] = g;
    }
    free(t.slot);
    free(t.hash);
    if (!ok) {
        lad_free(&f->group_of);
        lad_free(&f->group_first);
        f->n_groups = 0;
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory grouping %lld rows", (long long)f->n_local);
    }
    return LAD_OK;
}

void lad_features_group_counts(const struct lad_features *f, const uint8_t *use, int64_t *mult)
{
    memset(mult, 0, (size_t)f->n_groups * sizeof *mult);
    for (int64_t r = 0; r < f->n_local; r++)
        mult[f->group_of[r]] += use == NULL || use[r];
}
