/* mask_internal.h - the built-in token scanner of mask.c, in masktoken.c. Local. */
#ifndef LAD_MASK_INTERNAL_H
#define LAD_MASK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Character classes of the scanner, by byte; mask.c uses LAD__MASK_SPACE (ASCII whitespace, as
 * Python's str.split() sees it). */
enum { LAD__MASK_SPACE = 8, LAD__MASK_PATH_END = 16 };
extern const unsigned char lad__mask_class[256];

/* Masks the variables of the kinds `kinds` (enum lad_mask_kind) in one token s[0, n) into out (room
 * for 3n bytes: a variable is at least one byte); returns the bytes written, and in *variable whether
 * the result is a variable as a whole (lad_mask_token_is_variable). */
size_t lad__mask_token(const char *s, size_t n, unsigned kinds, char *out, bool *variable);

/* Pass 2 of lad_mask_apply (maskpass.c): the key of s[0, n) under the built-in kinds `kinds` (a mask
 * of enum lad_mask_kind), at most cap bytes; SIZE_MAX when out of memory. With `guard`, s has not
 * been through the built-in patterns: it stops with *unsure set at the first token where one of them
 * may match (lad__mask_may_match_*), and the caller must run pass 1 and call again. */
size_t lad__mask_tokens(unsigned kinds, bool guard, const char *s, size_t n, char *out, size_t cap, bool *unsure);

/*
 * What pass 2 makes of the token at s[b] (b < n, not whitespace), read once (maskpass.c): the token
 * ends at `end`; PLAIN: it is copied as it is; WILD or PATH: its key is one variable,
 * s[b, b + wild_at) <*> s[tail, end) (a number, an IPv4 address, a block id; a path, which the
 * built-in patterns' prefilters must also clear); FULL: only the full scanner knows. A function of the
 * token's bytes and `kinds` alone.
 */
enum lad__mask_shape_kind { LAD__MASK_SHAPE_PLAIN, LAD__MASK_SHAPE_WILD, LAD__MASK_SHAPE_PATH, LAD__MASK_SHAPE_FULL };
struct lad__mask_shape {
    enum lad__mask_shape_kind kind;
    size_t end, wild_at, tail;
};
struct lad__mask_shape lad__mask_token_shape(const char *s, size_t b, size_t n, unsigned kinds);

/*
 * The key cache of one work area (maskcache.c): keys pass 2 gave before, each taken for a later
 * message only when reading the message along it proves pass 2 would write it. kinds: the built-in
 * kinds; guard: whether the built-in patterns are in use (their prefilters are checked on paths).
 * find returns the key's length, written to out with the hash it was added with in *hash, or SIZE_MAX
 * when no cached key is proven (or it does not fit cap); add offers the key pass 2 gave for s[0, n),
 * with its hash. NULL from create: no memory (no cache).
 */
struct lad__mask_cache;
struct lad__mask_cache *lad__mask_cache_create(unsigned kinds, bool guard);
void lad__mask_cache_free(struct lad__mask_cache **c);
size_t lad__mask_cache_find(struct lad__mask_cache *c, const char *s, size_t n, char *out, size_t cap,
                            uint64_t *hash);
void lad__mask_cache_add(struct lad__mask_cache *c, const char *s, size_t n, const char *key, size_t len,
                         uint64_t hash);
/* How many messages took their key from the cache (for tests). */
long lad__mask_cache_hits(const struct lad__mask_cache *c);

/* Prefilters of the built-in patterns (mask.c): false when the date-time (LAD_MASK_TIME) or the UUID
 * pattern (LAD_MASK_HEX) cannot match s[0, n). */
bool lad__mask_may_match_time(const char *s, size_t n);
bool lad__mask_may_match_uuid(const char *s, size_t n);

/* Whether token t[0, n) is a size unit written as a word of its own after a number ("KB", "MB),"). */
bool lad__mask_size_unit(const char *t, size_t n);

#endif
