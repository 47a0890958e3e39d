/*
 * maskcache.c - a message's mining key from a key pass 2 gave before, proven token by token.
 *
 * Most lines of a log repeat a few dozen keys, and pass 2 spends most of its time finding where each
 * word ends and that it holds nothing to mask. Each work area keeps the keys it met recently, filed
 * under the letters that begin the message's first token (or that token's first byte, when it is no
 * letter: a variable comes first). A cached key is taken for a message only when reading the message
 * along the key proves that pass 2 would write exactly that key:
 *   - a literal token of the key (one without <*>) must be the message's next token, byte for byte.
 *     A key is cached only if each of its literals is a word pass 2 copies as it is (its shape is
 *     PLAIN, a function of its bytes), so the same bytes in the message are copied too, and the word's
 *     end is found by the comparison instead of a scan;
 *   - a token with <*> must be the key that pass 2 gives the message's next token when it reads it as
 *     one variable (lad__mask_token_shape: a number, an IPv4 address, a block id, a path): the same
 *     bytes s[b, b + wild_at) <*> s[tail, end). A path also passes the built-in patterns' prefilters,
 *     as in pass 2, which would otherwise hand the message to pass 1;
 *   - the message ends with the key's last token (whitespace aside).
 * Between tokens pass 2 joins a size unit to the number before it and a variable to the variable
 * before it; a key is cached only if neither can apply between its tokens (no unit word after a
 * token ending in <*>, no such token before one starting with <*>), so pass 2 would join nothing in a
 * message that reads along it. Anything else, and a message no cached key fits, goes through pass 2,
 * whose key is then offered to the cache. What the cache holds never changes a key, so keys are the
 * same at any rank and thread count; test_mask_diff.c compares them with the reference masker on
 * messages that reuse keys with other variables, mutations included.
 */
#include "mask_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_hash.h"
#include "lad_mask.h"
#include "parse_internal.h"

#define BUCKETS 256     /* by the message's first letters */
#define WAYS 8          /* keys per bucket, most recently used first */
#define MAX_KEY 1024    /* longer keys are not cached */
#define MAX_TOKENS 128

struct key_token {
    uint16_t off, len; /* in the key's text */
    bool wild;         /* holds <*> */
};

struct entry {
    size_t len;         /* of the text, which follows the tokens */
    uint64_t hash;      /* the text's hash, as the caller gave it */
    int n_tokens;
    struct key_token tokens[]; /* then the text */
};

struct lad__mask_cache {
    unsigned kinds;
    bool guard;
    long hits;
    struct entry *slot[BUCKETS][WAYS];
};

static inline const char *entry_text(const struct entry *e)
{
    return (const char *)(e->tokens + e->n_tokens);
}

struct lad__mask_cache *lad__mask_cache_create(unsigned kinds, bool guard)
{
    struct lad__mask_cache *c = calloc(1, sizeof *c);
    if (c != NULL) {
        c->kinds = kinds;
        c->guard = guard;
    }
    return c;
}

void lad__mask_cache_free(struct lad__mask_cache **cp)
{
    struct lad__mask_cache *c = *cp;
    if (c == NULL)
        return;
    for (int b = 0; b < BUCKETS; b++)
        for (int w = 0; w < WAYS; w++)
            free(c->slot[b][w]);
    free(c);
    *cp = NULL;
}

long lad__mask_cache_hits(const struct lad__mask_cache *c)
{
    return c ? c->hits : 0;
}

/* The bucket of a message whose first token starts at s[i] (i < n): its leading letters, up to eight,
 * so that a key's messages share one bucket whatever follows a short first word ("size 12"), or its
 * first byte when that is no letter. */
static size_t bucket_of(const char *s, size_t i, size_t n)
{
    uint64_t x = 0;
    if (n - i >= 8)
        memcpy(&x, s + i, 8);
    else
        for (size_t k = 0; k < n - i; k++)
            x |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
#if LAD__SWAR
    uint64_t other = ~lad__bytes_between(x | 0x2020202020202020ULL, 'a' - 1, 'z' + 1) & LAD__HIGHS;
    unsigned k = other ? (unsigned)__builtin_ctzll(other) / 8 : 8;
#else
    unsigned k = 0;
    while (k < 8 && (unsigned char)((((x >> (8 * k)) & 0xff) | 0x20) - 'a') <= 'z' - 'a')
        k++;
#endif
    if (k == 0)
        x = 0x100u | (x & 0xff);
    else if (k < 8)
        x &= (1ULL << (8 * k)) - 1; /* bytes past the message read as zeros, which are no letters */
    return (size_t)(lad_hash_u64(x) % BUCKETS);
}

/* The start of the token after one that ends at s[i], which is whitespace or the end. */
static inline size_t next_token(const char *s, size_t i, size_t n)
{
    if (i < n)
        i++;
    while (i < n && lad__is_space(s[i]))
        i++;
    return i;
}

static inline size_t skip_space(const char *s, size_t i, size_t n)
{
    while (i < n && lad__is_space(s[i]))
        i++;
    return i;
}

/* Whether a[0, n) == b[0, n), for the short tokens of keys: overlapping 8- or 4-byte words, no call. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        for (size_t k = 0; k + 8 < n; k += 8) {
            memcpy(&x, a + k, 8);
            memcpy(&y, b + k, 8);
            if (x != y)
                return false;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&u, a + n - 4, 4);
        memcpy(&v, b + n - 4, 4);
        return x == y && u == v;
    }
    for (size_t k = 0; k < n; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

/* Whether the message s[0, n) reads along the key e (the head comment's rules). */
static bool proves(const struct lad__mask_cache *c, const struct entry *e, const char *s, size_t n)
{
    const char *text = entry_text(e);
    size_t i = skip_space(s, 0, n);
    for (int t = 0; t < e->n_tokens; t++) {
        const struct key_token *k = &e->tokens[t];
        const char *want = text + k->off;
        if (i == n)
            return false;
        if (!k->wild) {
            if (n - i < k->len || !same_bytes(s + i, want, k->len) || (n - i > k->len && !lad__is_space(s[i + k->len])))
                return false;
            i = next_token(s, i + k->len, n);
        } else {
            struct lad__mask_shape sh = lad__mask_token_shape(s, i, n, c->kinds);
            if (sh.kind != LAD__MASK_SHAPE_WILD && sh.kind != LAD__MASK_SHAPE_PATH)
                return false;
            size_t after = sh.end - sh.tail;
            if (sh.wild_at + 3 + after != k->len || !same_bytes(s + i, want, sh.wild_at) ||
                memcmp(want + sh.wild_at, "<*>", 3) != 0 || !same_bytes(s + sh.tail, want + sh.wild_at + 3, after))
                return false;
            if (sh.kind == LAD__MASK_SHAPE_PATH && c->guard &&
                (((c->kinds & LAD_MASK_TIME) && lad__mask_may_match_time(s + i, sh.end - i)) ||
                 ((c->kinds & LAD_MASK_HEX) && lad__mask_may_match_uuid(s + i, sh.end - i))))
                return false;
            i = next_token(s, sh.end, n);
        }
    }
    return i == n;
}

size_t lad__mask_cache_find(struct lad__mask_cache *c, const char *s, size_t n, char *out, size_t cap,
                            uint64_t *hash)
{
    size_t i = skip_space(s, 0, n);
    if (i == n)
        return SIZE_MAX;
    struct entry **ways = c->slot[bucket_of(s, i, n)];
    for (int w = 0; w < WAYS && ways[w] != NULL; w++) {
        struct entry *e = ways[w];
        if (e->len >= cap || !proves(c, e, s, n))
            continue;
        if (w > 0) { /* most recently used first */
            memmove(ways + 1, ways, (size_t)w * sizeof *ways);
            ways[0] = e;
        }
        memcpy(out, entry_text(e), e->len);
        *hash = e->hash;
        c->hits++;
        return e->len;
    }
    return SIZE_MAX;
}

/* Whether t[0, n) holds <*>. */
static bool has_wild(const char *t, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (t[i] == '<' && t[i + 1] == '*' && t[i + 2] == '>')
            return true;
    return false;
}

/* Whether a variable token of a key is one a shape gives: "/"? "<*>" then only '.' and ':'. */
static bool shape_key(const char *t, size_t n)
{
    size_t i = n > 0 && t[0] == '/';
    if (n - i < 3 || memcmp(t + i, "<*>", 3) != 0)
        return false;
    for (i += 3; i < n; i++)
        if (t[i] != '.' && t[i] != ':')
            return false;
    return true;
}

/*
 * The cache entry of key[0, len), or NULL when the key is not one the cache may prove (the head
 * comment's rules), is too long, or memory is short.
 */
static struct entry *make_entry(const struct lad__mask_cache *c, const char *key, size_t len, uint64_t hash)
{
    struct key_token tokens[MAX_TOKENS];
    int n_tokens = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && key[e] != ' ')
            e++;
        if (e == i || n_tokens == MAX_TOKENS) /* keys are tokens joined by one space */
            return NULL;
        const char *t = key + i;
        size_t n = e - i;
        bool wild = has_wild(t, n);
        if (wild ? !shape_key(t, n) : lad__mask_token_shape(t, 0, n, c->kinds).kind != LAD__MASK_SHAPE_PLAIN)
            return NULL;
        if (n_tokens > 0) {
            const struct key_token *p = &tokens[n_tokens - 1];
            bool after_wild = p->len >= 3 && memcmp(key + p->off + p->len - 3, "<*>", 3) == 0;
            /* pass 2 would join a size unit to the number before it ... */
            if (!wild && after_wild && (c->kinds & LAD_MASK_NUMBER) && n <= 5 && lad__mask_size_unit(t, n))
                return NULL;
            /* ... and a variable starting with <*> to a variable ending in one (a run) */
            if (wild && after_wild && (c->kinds & LAD_MASK_RUNS) && memcmp(t, "<*>", 3) == 0)
                return NULL;
        }
        tokens[n_tokens++] = (struct key_token){(uint16_t)i, (uint16_t)n, wild};
        i = e + (e < len);
        if (e + 1 == len) /* a trailing space: not a key pass 2 writes */
            return NULL;
    }
    struct entry *en = malloc(sizeof *en + (size_t)n_tokens * sizeof *en->tokens + len);
    if (en == NULL)
        return NULL;
    en->len = len;
    en->hash = hash;
    en->n_tokens = n_tokens;
    memcpy(en->tokens, tokens, (size_t)n_tokens * sizeof *tokens);
    memcpy((char *)entry_text(en), key, len);
    return en;
}

void lad__mask_cache_add(struct lad__mask_cache *c, const char *s, size_t n, const char *key, size_t len,
                         uint64_t hash)
{
    size_t i = skip_space(s, 0, n);
    if (i == n || len == 0 || len > MAX_KEY)
        return;
    struct entry **ways = c->slot[bucket_of(s, i, n)];
    for (int w = 0; w < WAYS && ways[w] != NULL; w++)
        if (ways[w]->len == len && memcmp(entry_text(ways[w]), key, len) == 0)
            return; /* cached already: this message did not read along it */
    struct entry *e = make_entry(c, key, len, hash);
    if (e == NULL)
        return;
    free(ways[WAYS - 1]);
    memmove(ways + 1, ways, (WAYS - 1) * sizeof *ways);
    ways[0] = e;
}
