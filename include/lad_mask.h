/*
 * lad_mask.h - masking of variable parts of a message before template mining.
 *
 * A message is split into whitespace-separated tokens; variable text (numbers, durations, sizes, hex,
 * MAC and IP addresses, paths, block ids, plus a preset's and the user's patterns) is replaced by <*>.
 * The result is the mining key: tokens joined by single spaces. Punctuation around a variable stays
 * ("(<*>),", "/<*>"), as in loghub's templates. The built-in variable kinds are found by a hand-written
 * scanner; preset and user patterns are PCRE2 regular expressions, JIT-compiled.
 */
#ifndef LAD_MASK_H
#define LAD_MASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_masker;      /* compiled, immutable: share it between threads */
struct lad_mask_work;   /* per-thread scratch (PCRE2 match data) */

/* Which built-in variable kinds the scanner masks (bit flags). */
enum lad_mask_kind {
    LAD_MASK_NUMBER = 1 << 0, /* a (signed, decimal) number, with a unit ("10ms", "18.4 KB"); "1h30m" */
    LAD_MASK_HEX = 1 << 1,    /* 0x1f3a, long hex strings, UUIDs, MAC and IPv6 addresses */
    LAD_MASK_IP = 1 << 2,     /* 10.251.30.6, /10.251.30.6:50010 */
    LAD_MASK_PATH = 1 << 3,   /* /user/root/rand/part-00590 */
    LAD_MASK_BLOCK = 1 << 4,  /* blk_-123 */
    LAD_MASK_RUNS = 1 << 5,   /* consecutive variable tokens become one (lists of variable length) */
    LAD_MASK_TIME = 1 << 6,   /* date-times spanning tokens: "Sun Jul 10 03:55:15 2005", ISO 8601 */
    LAD_MASK_ALL = 0x7f
};

/*
 * Local. Compiles a masker: `builtin` is a mask of enum lad_mask_kind; `patterns` are PCRE2 regexes
 * (preset and user patterns, applied in order before the built-in scanner). A pattern that does not
 * compile is a LAD_ERR_USAGE naming the pattern and the offset of the error.
 */
enum lad_status lad_masker_create(struct lad_ctx *ctx, unsigned builtin, const char *const *patterns,
                                  int n_patterns, struct lad_masker **out);
void lad_masker_free(struct lad_masker **m);

/* Local. Per-thread scratch; NULL on allocation failure. */
struct lad_mask_work *lad_mask_work_create(const struct lad_masker *m);
void lad_mask_work_free(struct lad_mask_work **w);

/*
 * Local, thread-safe with one work per thread. Writes the mining key of s[0, n) to out (at most cap
 * bytes) and returns its length. cap >= 3 * n + 16 always suffices unless a pattern re-matches the <*>
 * written by an earlier one; a longer key is cut at cap. Returns 0 for an empty message and SIZE_MAX
 * when the work area cannot grow (out of memory), which the caller must treat as a failure.
 */
size_t lad_mask_apply(const struct lad_masker *m, struct lad_mask_work *w, const char *s, size_t n, char *out,
                      size_t cap);

/*
 * Local. lad_mask_apply that also stores in *hash the key's hash as the key table files it,
 * lad_hash_bytes(out, len, LAD_KEYTAB_SEED): a key from the work area's cache brings the hash it was
 * cached with, so the caller need not read the key again. *hash is not set when SIZE_MAX is returned.
 */
size_t lad_mask_apply_hashed(const struct lad_masker *m, struct lad_mask_work *w, const char *s, size_t n, char *out,
                             size_t cap, uint64_t *hash);

/* Local. How many keys of this work area came from its cache of recent keys (mask.c says when one is
 * used); for tests and benchmarks. */
long lad_mask_work_cache_hits(const struct lad_mask_work *w);

/*
 * Local. Whether token t[0, n) is a variable as a whole: it holds <*> and no letter outside it ("<*>",
 * "(<*>),", "/<*>"). Drain and the refinement treat such tokens as <*>: they are not constants that
 * two messages could share.
 */
bool lad_mask_token_is_variable(const char *t, size_t n);

#endif
