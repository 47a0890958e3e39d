/*
 * mpi_mine.c - parallel mining equals one sequential Drain run, at any rank count.
 *
 * A fixed multiset of key occurrences (key, global byte offset) is spread over the ranks in a way that
 * changes with the rank count; the same key shows up on several ranks, rank 0 holds nothing when there
 * are other ranks, and keys of all lengths (the empty key included) appear. Every rank then checks the
 * event table and its keys' events against Drain run alone over the distinct keys in order of their
 * first occurrence. Failures are summed to rank 0 by lad_test_main.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_drain.h"
#include "lad_events.h"
#include "lad_hash.h"
#include "lad_keytab.h"
#include "lad_mine.h"
#include "lad_test.h"

#define N_KEYS 600
#define MAX_OCC 4

static const struct lad_drain_params params = {4, 0.5, 100};

/* Key i: a family head, a length of 0..11 tokens, constant and variable words. */
static void key_text(int i, char *buf, size_t cap)
{
    static const char *heads[] = {"Receiving", "PacketResponder", "Verification", "<*>", "BLOCK*", "Served"};
    int len = i % 12;
    size_t w = 0;
    buf[0] = '\0';
    for (int t = 0; t < len; t++) {
        const char *sep = t ? " " : "";
        if (t == 0)
            w += (size_t)snprintf(buf + w, cap - w, "%s", heads[(i / 12) % 6]);
        else if ((t + i) % 4 == 0)
            w += (size_t)snprintf(buf + w, cap - w, "%sv%d", sep, (i * 31 + t) % 5);
        else if ((t * i) % 7 == 3)
            w += (size_t)snprintf(buf + w, cap - w, "%s<*>", sep);
        else
            w += (size_t)snprintf(buf + w, cap - w, "%sw%d", sep, t);
    }
}

static int occurrences(int i)
{
    return 1 + i % MAX_OCC;
}

/* Global byte offset of occurrence j of key i: distinct for every (i, j), unrelated to i's order. */
static int64_t position(int i, int j)
{
    return (int64_t)((lad_hash_u64((uint64_t)(i * MAX_OCC + j)) % 1000000007ULL) * MAX_OCC * N_KEYS +
                     (uint64_t)(i * MAX_OCC + j));
}

static int holder(int i, int j, int size)
{
    if (size == 1)
        return 0;
    return 1 + (i * 7 + j * 3) % (size - 1);
}

struct ref_key {
    int64_t first;
    int32_t i;
};

static int by_first(const void *a, const void *b)
{
    const struct ref_key *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

static void test_mine(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    char text[512];

    /* this rank's share */
    struct lad_keytab keys;
    CU_ASSERT_TRUE_FATAL(lad_keytab_init(&keys));
    for (int i = 0; i < N_KEYS; i++)
        for (int j = 0; j < occurrences(i); j++)
            if (holder(i, j, ctx->size) == ctx->rank) {
                key_text(i, text, sizeof text);
                size_t n = strlen(text);
                CU_ASSERT_FATAL(lad_keytab_add(&keys, text, n, lad_hash_bytes(text, n, LAD_KEYTAB_SEED),
                                               position(i, j)) >= 0);
            }
    if (ctx->size > 1 && ctx->rank == 0)
        CU_ASSERT_EQUAL(keys.n, 0);

    struct lad_events ev;
    memset(&ev, 0, sizeof ev);
    CU_ASSERT_EQUAL_FATAL(lad_mine_events(ctx, &keys, &params, &ev), LAD_OK);

    /* the reference: the distinct texts (several i share one) in order of their first occurrence */
    struct lad_keytab all;
    CU_ASSERT_TRUE_FATAL(lad_keytab_init(&all));
    for (int i = 0; i < N_KEYS; i++)
        for (int j = 0; j < occurrences(i); j++) {
            key_text(i, text, sizeof text);
            size_t n = strlen(text);
            uint64_t h = lad_hash_bytes(text, n, LAD_KEYTAB_SEED);
            CU_ASSERT_FATAL(lad_keytab_add(&all, text, n, h, position(i, j)) >= 0);
        }
    struct ref_key *ref = calloc((size_t)all.n, sizeof *ref);
    int32_t *cluster = calloc((size_t)all.n, sizeof *cluster);
    int64_t *lines = calloc((size_t)all.n, sizeof *lines);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref && cluster && lines);
    for (int32_t k = 0; k < all.n; k++)
        ref[k] = (struct ref_key){all.first_pos[k], k};
    qsort(ref, (size_t)all.n, sizeof *ref, by_first);
    struct lad_drain *d = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_drain_create(NULL, &params, &d), LAD_OK);
    for (int32_t r = 0; r < all.n; r++) {
        int32_t k = ref[r].i;
        cluster[k] = lad_drain_add(d, lad_keytab_text(&all, k), all.text_len[k]);
        CU_ASSERT_FATAL(cluster[k] >= 0);
    }
    /* Drain numbers clusters as they are created, i.e. by first occurrence: the events must follow */
    int32_t n_clusters = lad_drain_n_clusters(d);
    CU_ASSERT_EQUAL_FATAL(ev.n, n_clusters);
    CU_ASSERT(n_clusters > 20 && n_clusters < N_KEYS / 2);
    for (int32_t k = 0; k < all.n; k++)
        lines[cluster[k]] += all.lines[k];
    for (int32_t c = 0; c < n_clusters; c++) {
        char id[32];
        snprintf(id, sizeof id, "M%d", c + 1);
        CU_ASSERT_STRING_EQUAL(ev.ids[c], id);
        CU_ASSERT_STRING_EQUAL(ev.templates[c], lad_drain_template(d, c));
        CU_ASSERT_EQUAL(ev.lines[c], lines[c]);
    }
    /* every local key got its key's cluster */
    for (int32_t k = 0; k < keys.n; k++) {
        int32_t a = lad_keytab_find(&all, lad_keytab_text(&keys, k), keys.text_len[k], keys.hash[k]);
        CU_ASSERT_FATAL(a >= 0);
        CU_ASSERT_EQUAL(keys.event[k], cluster[a]);
    }
    lad_drain_free(&d);
    free(ref);
    free(cluster);
    free(lines);
    lad_keytab_free(&all);
    lad_events_free(&ev);
    lad_keytab_free(&keys);
}

/* A rank that fails locally makes every rank fail, with its message, and nobody hangs. */
static void test_agreed_failure(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_keytab keys;
    CU_ASSERT_TRUE_FATAL(lad_keytab_init(&keys));
    struct lad_events ev;
    memset(&ev, 0, sizeof ev);
    struct lad_drain_params bad = params;
    bad.depth = ctx->rank == ctx->size - 1 ? 1 : 4; /* only the last rank's tree cannot be built */
    CU_ASSERT_EQUAL(lad_mine_events(ctx, &keys, &bad, &ev), LAD_ERR_USAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(ctx->err_msg, "depth"));
    lad_ctx_clear_error(ctx);
    lad_events_free(&ev);
    lad_keytab_free(&keys);
}

static CU_TestInfo tests[] = {
    {"mining equals sequential Drain", test_mine},
    {"agreed failure", test_agreed_failure},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"mpi_mine", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
