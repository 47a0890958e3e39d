/* keytab.c - string interning with open addressing; one table per thread, no locks. */
#include "lad_keytab.h"

#include <stdlib.h>
#include <string.h>

#include "lad_mem.h"

#define INITIAL_SLOTS 1024

bool lad_keytab_init(struct lad_keytab *t)
{
    memset(t, 0, sizeof *t);
    t->n_slots = INITIAL_SLOTS;
    t->slots = calloc(t->n_slots, sizeof *t->slots);
    return t->slots != NULL;
}

void lad_keytab_free(struct lad_keytab *t)
{
    if (t == NULL)
        return;
    lad_free(&t->hash);
    lad_free(&t->text_off);
    lad_free(&t->text_len);
    lad_free(&t->first_pos);
    lad_free(&t->lines);
    lad_free(&t->event);
    lad_free(&t->slots);
    lad_free(&t->arena);
    memset(t, 0, sizeof *t);
}

static bool same_key(const struct lad_keytab *t, int32_t id, const char *s, size_t n, uint64_t hash)
{
    return t->hash[id] == hash && t->text_len[id] == n && memcmp(t->arena + t->text_off[id], s, n) == 0;
}

int32_t lad_keytab_find(const struct lad_keytab *t, const char *s, size_t n, uint64_t hash)
{
    size_t mask = t->n_slots - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        int32_t v = t->slots[i];
        if (v == 0)
            return -1;
        if (same_key(t, v - 1, s, n, hash))
            return v - 1;
    }
}

static bool rehash(struct lad_keytab *t)
{
    size_t n_slots = t->n_slots * 2;
    int32_t *slots = calloc(n_slots, sizeof *slots);
    if (slots == NULL)
        return false;
    for (int32_t id = 0; id < t->n; id++) {
        size_t i = t->hash[id] & (n_slots - 1);
        while (slots[i] != 0)
            i = (i + 1) & (n_slots - 1);
        slots[i] = id + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->n_slots = n_slots;
    return true;
}

static bool grow_entries(struct lad_keytab *t)
{
    size_t need = (size_t)t->n + 1, cap = t->cap;
    void *p;
#define GROW(field)                                                                                         \
    p = t->field;                                                                                           \
    cap = t->cap;                                                                                           \
    if (!lad_grow(&p, &cap, need, sizeof *t->field))                                                        \
        return false;                                                                                       \
    t->field = p;
    GROW(hash) GROW(text_off) GROW(text_len) GROW(first_pos) GROW(lines) GROW(event)
#undef GROW
    t->cap = cap;
    return true;
}

int32_t lad_keytab_add_many(struct lad_keytab *t, const char *s, size_t n, uint64_t hash, int64_t pos,
                            int64_t lines)
{
    size_t mask = t->n_slots - 1;
    size_t i = hash & mask;
    for (;; i = (i + 1) & mask) {
        int32_t v = t->slots[i];
        if (v == 0)
            break;
        if (same_key(t, v - 1, s, n, hash)) {
            int32_t id = v - 1;
            t->lines[id] += lines;
            if (pos < t->first_pos[id])
                t->first_pos[id] = pos;
            return id;
        }
    }
    if (t->n == INT32_MAX - 1 || n > UINT32_MAX)
        return -1;
    if ((size_t)t->n >= t->cap && !grow_entries(t))
        return -1;
    void *arena = t->arena;
    if (!lad_grow(&arena, &t->arena_cap, t->arena_len + n + 1, 1))
        return -1;
    t->arena = arena;
    int32_t id = t->n++;
    memcpy(t->arena + t->arena_len, s, n);
    t->arena[t->arena_len + n] = '\0'; /* keys are also usable as C strings */
    t->hash[id] = hash;
    t->text_off[id] = t->arena_len;
    t->text_len[id] = (uint32_t)n;
    t->first_pos[id] = pos;
    t->lines[id] = lines;
    t->event[id] = -1;
    t->arena_len += n + 1;
    t->slots[i] = id + 1;
    /* Keep the load factor under 1/2 so probes stay short. */
    if ((size_t)t->n * 2 > t->n_slots && !rehash(t))
        return -1;
    return id;
}

int32_t lad_keytab_add(struct lad_keytab *t, const char *s, size_t n, uint64_t hash, int64_t pos)
{
    return lad_keytab_add_many(t, s, n, hash, pos, 1);
}
