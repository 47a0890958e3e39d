/*
 * lad_keytab.h - interning of message keys: each distinct key string gets a small local id.
 *
 * A key is what decides a line's event: the message with its digit runs collapsed (template matching)
 * or its masked token sequence (mining). Logs repeat a few thousand keys millions of times, so events
 * are resolved once per distinct key instead of once per line. Each key also remembers where it was
 * first seen (its global byte offset), which mining uses to process keys in log order whatever the
 * rank count. One table per thread; merged into one per rank after parsing.
 */
#ifndef LAD_KEYTAB_H
#define LAD_KEYTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lad_keytab {
    /* entries, indexed by local key id */
    uint64_t *hash;
    uint64_t *text_off;   /* offset of the key text in arena */
    uint32_t *text_len;
    int64_t *first_pos;   /* smallest global byte offset of a line with this key */
    int64_t *lines;       /* lines with this key */
    int32_t *event;       /* resolved event index, -1 until resolved */
    int32_t n;
    size_t cap;
    /* open-addressing index: slot -> key id + 1 (0 = empty) */
    int32_t *slots;
    size_t n_slots;
    /* key texts, back to back */
    char *arena;
    size_t arena_len, arena_cap;
};

/* Local. Initializes an empty table; false on allocation failure. */
bool lad_keytab_init(struct lad_keytab *t);
void lad_keytab_free(struct lad_keytab *t);

/*
 * Local. Returns the id of key s[0, n), adding it if new, and records one more line at global offset
 * pos. Returns -1 on allocation failure (or if the table would exceed INT32_MAX keys).
 */
int32_t lad_keytab_add(struct lad_keytab *t, const char *s, size_t n, uint64_t hash, int64_t pos);

/* Local. Same as add, but for `lines` lines first seen at pos (used when merging tables). */
int32_t lad_keytab_add_many(struct lad_keytab *t, const char *s, size_t n, uint64_t hash, int64_t pos,
                            int64_t lines);

/* Local. Id of key s[0, n), or -1 if absent. Read-only: safe for concurrent lookups. */
int32_t lad_keytab_find(const struct lad_keytab *t, const char *s, size_t n, uint64_t hash);

/* Local. The text of key id (not NUL-terminated; its length is t->text_len[id]). */
static inline const char *lad_keytab_text(const struct lad_keytab *t, int32_t id)
{
    return t->arena + t->text_off[id];
}

/* Local. Seed of the key hash: every producer of keys hashes with lad_hash_bytes(s, n, this seed). */
#define LAD_KEYTAB_SEED 0x6c6f6761642d6b79ULL

#endif
