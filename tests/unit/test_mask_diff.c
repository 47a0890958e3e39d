/*
 * test_mask_diff.c - the masker against its reference copy (mask_reference.h, the implementation
 * before the fast token pass): same key, byte for byte, on
 *   - every line of the 16 loghub 2k samples, with that system's preset (built-in kinds and patterns);
 *   - mutations of those lines (pieces of every variable kind inserted, bytes replaced, cut, doubled);
 *   - random messages made of variable-like pieces, under every one of the 128 sets of built-in kinds;
 *   - short output buffers (keys cut at cap);
 *   - keys met again with other variables, which the masker's key cache answers (maskcache.c).
 * Seeded (lad_rng), so a failure repeats; the first few differences are printed, escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_escape.h"
#include "lad_hash.h"
#include "lad_keytab.h"
#include "lad_mask.h"
#include "lad_preset.h"
#include "lad_test.h"
#include "mask_reference.h"

#define SEED 20240611u

/* The masker under test and the reference, built from the same settings. */
struct pair {
    struct lad_masker *m;
    struct lad_mask_work *w;
    struct ref_masker *r;
    struct ref_mask_work *rw;
    unsigned builtin;
};

static long n_checked, n_differ, n_bad_hash;

static bool pair_init(struct pair *p, unsigned builtin, const char *const *patterns, int n_patterns)
{
    memset(p, 0, sizeof *p);
    p->builtin = builtin;
    if (lad_masker_create(NULL, builtin, patterns, n_patterns, &p->m) != LAD_OK ||
        ref_masker_create(NULL, builtin, patterns, n_patterns, &p->r) != LAD_OK)
        return false;
    p->w = lad_mask_work_create(p->m);
    p->rw = ref_mask_work_create(p->r);
    return p->w && p->rw;
}

static void pair_free(struct pair *p)
{
    lad_mask_work_free(&p->w);
    lad_masker_free(&p->m);
    ref_mask_work_free(&p->rw);
    ref_masker_free(&p->r);
}

/* Masks s[0, n) with both into buffers of exactly cap bytes (so a write past cap is caught by the
 * sanitizers and valgrind) and counts a difference. */
static void check(struct pair *p, const char *s, size_t n, size_t cap)
{
    char *a = malloc(cap + 1), *b = malloc(cap + 1);
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    uint64_t hash = 0;
    size_t la = lad_mask_apply_hashed(p->m, p->w, s, n, a, cap, &hash);
    size_t lb = ref_mask_apply(p->r, p->rw, s, n, b, cap);
    n_checked++;
    /* the hash that comes with the key, from the cache or not, is the key table's hash of it */
    if (la != SIZE_MAX && hash != lad_hash_bytes(a, la, LAD_KEYTAB_SEED))
        n_bad_hash++;
    if (la != lb || (la != SIZE_MAX && memcmp(a, b, la) != 0)) {
        if (n_differ++ < 8) {
            char in[600], got[600], want[600];
            lad_escape(in, sizeof in, s, n);
            lad_escape(got, sizeof got, a, la == SIZE_MAX ? 0 : la);
            lad_escape(want, sizeof want, b, lb == SIZE_MAX ? 0 : lb);
            fprintf(stderr, "\nkinds 0x%x cap %zu\n  message  '%s'\n  key      '%s'\n  expected '%s'\n", p->builtin,
                    cap, in, got, want);
        }
    }
    free(a);
    free(b);
}

/* The full-size check and, now and then, one with a short buffer. */
static void check_sizes(struct pair *p, struct lad_rng *rng, const char *s, size_t n)
{
    check(p, s, n, 3 * n + 16);
    if (lad_rng_below(rng, 8) == 0)
        check(p, s, n, (size_t)lad_rng_below(rng, 3 * n + 17));
}

/* Pieces of every kind the scanner knows, and the punctuation around them. */
static const char *const pieces[] = {
    "0", "7", "42", "-3", "+5", "65536", "123456789", "0x1F", "0Xab", "0xg", "blk_", "blk_-", "blk_123",
    "blk_-9223372036854775808", "blk_99999999999999999999", "-", "_", ":", "::", ".", "..", "/", "//", "<*>", "<",
    "*>", "<*", ">", "KB", "MB", " GB", "KiB", "B", "kB", "ms", "1h30m", "2m30s", "3d2x4", "h", "s", ",", ";", "(",
    ")", "[", "]", "{", "}", "\"", "'", "=", "@", "#", "a", "f", "g", "Z", "x", "ff", "cafe", "dead:beef",
    "01:23:45:67:89:ab", "aa-bb-cc-dd-ee-ff", "fe80::1c2b:3dff", "::1", "10.0.0.1", "10.0.0.1:80", "/10.0.0.1",
    "/10.1.2.3:50010", "1.2.3", "1.2.3.4.5", "1234.1.1.1", "/a/b", "/a/b.", "/a/b:", "/user/x/part-0001.",
    "\t", " ", "  ", "\r", "\n", "\v", "\f", "\xc3\xa9", "\x80", "\xff", "2005-06-03 12:01:02", "Jul 10 03:55:15",
    "Sun Jul 10 03:55:15 2005", "12:01:01", "123e4567-e89b-12d3-a456-426614174000", "e", ".5", "1.", "1..2",
    "R02-M1", "node-246", "eth0", "uid=10037,", "attempt_1445_0020_m_000001_0", "core.2275", "=-5", "(-7)",
    "appattempt_1_2", "9f4ef63", "a64f992", "part-00590.", "src:", "dest:", "NameSystem.addStoredBlock:"};
#define N_PIECES (sizeof pieces / sizeof pieces[0])

/* Appends a random piece (one in 40: a NUL byte) to buf at *len, within cap. */
static void add_piece(struct lad_rng *rng, char *buf, size_t *len, size_t cap)
{
    if (lad_rng_below(rng, 40) == 0) {
        if (*len < cap)
            buf[(*len)++] = '\0';
        return;
    }
    const char *piece = pieces[lad_rng_below(rng, N_PIECES)];
    size_t n = strlen(piece);
    if (*len + n <= cap) {
        memcpy(buf + *len, piece, n);
        *len += n;
    }
}

/* A random message: up to 10 tokens of 1-4 pieces each, joined by spaces. */
static size_t random_message(struct lad_rng *rng, char *buf, size_t cap)
{
    size_t len = 0;
    int tokens = 1 + (int)lad_rng_below(rng, 10);
    for (int t = 0; t < tokens; t++) {
        if (t > 0 && len < cap)
            buf[len++] = ' ';
        int k = 1 + (int)lad_rng_below(rng, 4);
        for (int i = 0; i < k; i++)
            add_piece(rng, buf, &len, cap);
    }
    return len;
}

/* Changes s[0, *n) (room for cap bytes) by 1-4 random edits. */
static void mutate(struct lad_rng *rng, char *s, size_t *n, size_t cap)
{
    int edits = 1 + (int)lad_rng_below(rng, 4);
    for (int e = 0; e < edits; e++) {
        size_t at = *n ? (size_t)lad_rng_below(rng, *n + 1) : 0;
        switch (lad_rng_below(rng, 5)) {
        case 0: { /* insert a piece */
            char piece[64];
            size_t k = 0;
            add_piece(rng, piece, &k, sizeof piece);
            if (*n + k <= cap) {
                memmove(s + at + k, s + at, *n - at);
                memcpy(s + at, piece, k);
                *n += k;
            }
            break;
        }
        case 1: /* replace a byte by any byte */
            if (at < *n)
                s[at] = (char)lad_rng_below(rng, 256);
            break;
        case 2: /* replace a byte by a digit */
            if (at < *n)
                s[at] = (char)('0' + lad_rng_below(rng, 10));
            break;
        case 3: { /* cut a stretch */
            size_t k = (size_t)lad_rng_below(rng, 12);
            k = at + k > *n ? *n - at : k;
            memmove(s + at, s + at + k, *n - at - k);
            *n -= k;
            break;
        }
        default: { /* double a stretch */
            size_t k = (size_t)lad_rng_below(rng, 16);
            k = at + k > *n ? *n - at : k;
            if (*n + k <= cap) {
                memmove(s + at + k, s + at, *n - at);
                *n += k;
            }
            break;
        }
        }
    }
}

/* The lines of a loghub sample (NULL-terminated array of malloc'd strings), or NULL. */
static char **read_lines(const char *path, int *count)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    int cap = 2048, n = 0;
    char **lines = malloc((size_t)cap * sizeof *lines);
    char buf[8192];
    while (lines && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\n")] = '\0';
        if (n == cap - 1) {
            char **more = realloc(lines, (size_t)(cap *= 2) * sizeof *lines);
            if (more == NULL)
                break;
            lines = more;
        }
        lines[n++] = strdup(buf);
    }
    fclose(f);
    if (lines)
        lines[n] = NULL;
    *count = n;
    return lines;
}

/* The lines of a system's loghub 2k sample (free_lines), or NULL. */
static char **sample_lines(const struct lad_preset *pre, int *count)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/loghub_2k/%s/%s_2k.log", LAD_SOURCE_DIR, pre->system, pre->system);
    return read_lines(path, count);
}

static void free_lines(char **lines, int count)
{
    for (int l = 0; l < count; l++)
        free(lines[l]);
    free(lines);
}

/* Every sample line with its system's preset, whole and from a random token on (a message), then
 * mutated copies. */
static void test_loghub(void)
{
    struct lad_rng rng;
    lad_rng_init(&rng, SEED, 1);
    long before = n_differ;
    int systems = 0;
    for (int i = 0; lad_preset_at(i) != NULL; i++) {
        const struct lad_preset *pre = lad_preset_at(i);
        int n_lines = 0;
        char **lines = sample_lines(pre, &n_lines);
        CU_ASSERT_PTR_NOT_NULL_FATAL(lines);
        int n_patterns = 0;
        while (pre->masks[n_patterns])
            n_patterns++;
        struct pair p;
        CU_ASSERT_FATAL(pair_init(&p, pre->builtin_masks, pre->masks, n_patterns));
        static char buf[16384];
        for (int l = 0; l < n_lines; l++) {
            size_t n = strlen(lines[l]);
            check_sizes(&p, &rng, lines[l], n);
            const char *sp = strchr(lines[l] + lad_rng_below(&rng, n + 1), ' ');
            if (sp)
                check_sizes(&p, &rng, sp + 1, strlen(sp + 1));
            for (int k = 0; k < 3 && n < sizeof buf / 2; k++) {
                size_t m = n;
                memcpy(buf, lines[l], n);
                mutate(&rng, buf, &m, sizeof buf);
                check_sizes(&p, &rng, buf, m);
            }
        }
        pair_free(&p);
        free_lines(lines, n_lines);
        systems++;
    }
    CU_ASSERT_EQUAL(systems, 16);
    CU_ASSERT_EQUAL(n_differ, before);
}

/* Random messages under every set of built-in kinds, without patterns and with HDFS-like ones. */
static void test_random_kinds(void)
{
    struct lad_rng rng;
    lad_rng_init(&rng, SEED, 2);
    long before = n_differ;
    static char buf[4096];
    for (unsigned kinds = 0; kinds <= LAD_MASK_ALL; kinds++) {
        struct pair p;
        CU_ASSERT_FATAL(pair_init(&p, kinds, NULL, 0));
        for (int i = 0; i < 600; i++) {
            size_t n = random_message(&rng, buf, sizeof buf / 2);
            check_sizes(&p, &rng, buf, n);
            mutate(&rng, buf, &n, sizeof buf);
            check_sizes(&p, &rng, buf, n);
        }
        pair_free(&p);
    }
    const char *pats[] = {"(\\d+\\.){3}\\d+", "\\d{2}:\\d{2}"};
    struct pair p;
    CU_ASSERT_FATAL(pair_init(&p, LAD_MASK_ALL, pats, 2));
    for (int i = 0; i < 5000; i++) {
        size_t n = random_message(&rng, buf, sizeof buf / 2);
        check_sizes(&p, &rng, buf, n);
    }
    pair_free(&p);
    CU_ASSERT_EQUAL(n_differ, before);
}

/* Every digit of s[0, n) replaced by a random digit: the same token shapes, other variables. */
static void new_digits(struct lad_rng *rng, char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            s[i] = (char)('0' + lad_rng_below(rng, 10));
}

/* Messages of a few fixed skeletons whose slots (%) take 1-2 random pieces, spaces sometimes doubled
 * or turned into tabs: their keys repeat, so the key cache answers many of them, and the pieces put
 * units after numbers, runs of variables, clocks, UUIDs and paths where the cached keys had others. */
static size_t skeleton_message(struct lad_rng *rng, char *buf, size_t cap)
{
    static const char *const skeletons[] = {
        "Receiving block % src: % dest: %", "PacketResponder % for block % terminating", "% Served block % to %",
        "size % % free %", "Deleting block % file %", "BLOCK* NameSystem.addStoredBlock: blockMap updated: % is added to % size %",
        "% %", "took % % ms", "job % at % on %,%; %", "Verification succeeded for %"};
    const char *sk = skeletons[lad_rng_below(rng, sizeof skeletons / sizeof skeletons[0])];
    size_t len = 0;
    for (; *sk != '\0' && len + 1 < cap; sk++) {
        if (*sk == '%' && lad_rng_below(rng, 4) != 0) { /* mostly a usual variable: the keys repeat */
            static const char *const usual[] = {"42", "65536", "blk_123", "blk_-9", "10.0.0.1", "10.0.0.1:80",
                                                "/10.1.2.3:50010", "/a/b", "/user/x/part-0001.", "7",
                                                /* paths the built-in patterns cut (pass 1) */
                                                "/tmp/2017-05-16T00:00:00Z", "/v/123e4567-e89b-12d3-a456-426614174000"};
            const char *v = usual[lad_rng_below(rng, sizeof usual / sizeof usual[0])];
            size_t k = strlen(v);
            if (len + k <= cap) {
                memcpy(buf + len, v, k);
                len += k;
            }
        } else if (*sk == '%') {
            int k = 1 + (int)lad_rng_below(rng, 2);
            for (int i = 0; i < k; i++)
                add_piece(rng, buf, &len, cap);
        } else if (*sk == ' ' && lad_rng_below(rng, 16) == 0) {
            buf[len++] = lad_rng_below(rng, 2) ? '\t' : ' ';
            if (len < cap)
                buf[len++] = ' ';
        } else {
            buf[len++] = *sk;
        }
    }
    return len;
}

/*
 * Keys met again with other variables, which is when the masker's key cache answers: every sample
 * line (with its system's built-in kinds; the cache serves maskers without further patterns) again
 * with new digits (same shapes) and mutated after its key was cached, and skeleton messages under
 * every set of kinds. The cache must have answered most of them (else this tests
 * nothing new), and every key must still equal the reference's.
 */
static void test_cached_keys(void)
{
    struct lad_rng rng;
    lad_rng_init(&rng, SEED, 3);
    long before = n_differ, hits = 0, checks = 0;
    static char buf[16384];
    for (int i = 0; lad_preset_at(i) != NULL; i++) {
        const struct lad_preset *pre = lad_preset_at(i);
        int n_lines = 0;
        char **lines = sample_lines(pre, &n_lines);
        CU_ASSERT_PTR_NOT_NULL_FATAL(lines);
        struct pair p; /* the system's built-in kinds without its patterns: the cache serves no others */
        CU_ASSERT_FATAL(pair_init(&p, pre->builtin_masks, NULL, 0));
        for (int l = 0; l < n_lines; l++) { /* most headers end with ": " (the header's numbers would
                                             * make runs of variables, whose keys the cache cannot prove) */
            const char *msg = strstr(lines[l], ": ");
            msg = msg ? msg + 2 : lines[l];
            size_t n = strlen(msg);
            if (n >= sizeof buf / 2)
                continue;
            check(&p, msg, n, 3 * n + 16);
            for (int k = 0; k < 3; k++) {
                memcpy(buf, msg, n);
                new_digits(&rng, buf, n);
                check_sizes(&p, &rng, buf, n);
                checks++;
            }
            size_t m = n;
            memcpy(buf, msg, n);
            mutate(&rng, buf, &m, sizeof buf);
            check_sizes(&p, &rng, buf, m);
        }
        hits += lad_mask_work_cache_hits(p.w);
        pair_free(&p);
        free_lines(lines, n_lines);
    }
    fprintf(stderr, "\nloghub lines with new digits: %ld, keys from the cache: %ld\n", checks, hits);
    CU_ASSERT(hits > checks / 10);
    hits = checks = 0;
    for (unsigned kinds = 0; kinds <= LAD_MASK_ALL; kinds++) {
        struct pair p;
        CU_ASSERT_FATAL(pair_init(&p, kinds, NULL, 0));
        for (int i = 0; i < 800; i++) {
            size_t n = skeleton_message(&rng, buf, sizeof buf / 2);
            check_sizes(&p, &rng, buf, n);
            checks++;
        }
        hits += lad_mask_work_cache_hits(p.w);
        pair_free(&p);
    }
    fprintf(stderr, "skeleton messages: %ld, keys from the cache: %ld\n", checks, hits);
    CU_ASSERT(hits > checks / 20);
    CU_ASSERT_EQUAL(n_differ, before);
}

/* The checks above must have run: a test that compares nothing cannot fail. */
static void test_count(void)
{
    CU_ASSERT(n_checked > 200000);
    CU_ASSERT_EQUAL(n_bad_hash, 0);
    fprintf(stderr, "\n%ld keys compared, %ld differ\n", n_checked, n_differ);
}

static CU_TestInfo tests[] = {
    {"loghub samples and mutations", test_loghub},
    {"random messages, every kind set", test_random_kinds},
    {"keys met again (the key cache)", test_cached_keys},
    {"count", test_count},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"mask_diff", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
