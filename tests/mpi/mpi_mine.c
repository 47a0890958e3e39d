/*
 * mpi_mine.c - parallel mining equals one sequential run of Drain and its refinement, at any rank count.
 *
 * A fixed multiset of key occurrences (key, global byte offset) is spread over the ranks in a way that
 * changes with the rank count; the same key shows up on several ranks, rank 0 holds nothing when there
 * are other ranks, and keys of all lengths (the empty key included) appear. Every rank then checks the
 * event table and its keys' events against Drain run alone over the distinct keys in order of their
 * first occurrence, split (lad_refine_split) over the same keys in the same order, and merged
 * (lad_refine_merge) over the groups in order of first occurrence. The keys hold constant words
 * that choose among a few alternatives and variables of several shapes, so that both refinement steps
 * act across owners. Failures are summed to rank 0 by lad_test_main.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_drain.h"
#include "lad_events.h"
#include "lad_hash.h"
#include "lad_keytab.h"
#include "lad_mine.h"
#include "lad_refine.h"
#include "lad_test.h"

#define N_KEYS 600
#define MAX_OCC 4

static const struct lad_drain_params params = {4, 0.5, 100};

/* Key i: a family head, a length of 0..11 tokens, constant and variable words. */
static void key_text(int i, char *buf, size_t cap)
{
    static const char *heads[] = {"Receiving", "PacketResponder", "Verification", "<*>", "BLOCK*", "Served"};
    static const char *states[] = {"on", "off", "idle"};
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
        else if (t == 2)
            w += (size_t)snprintf(buf + w, cap - w, "%s%s", sep, states[(i / 5) % 3]);
        else
            w += (size_t)snprintf(buf + w, cap - w, "%sw%c", sep, 'a' + t);
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
    CU_ASSERT_EQUAL_FATAL(lad_mine_events(ctx, &keys, &params, &ev, NULL), LAD_OK);

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
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref && cluster);
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
    /* the split over the same keys in the same order; then each group's first occurrence and lines */
    int32_t n_clusters = lad_drain_n_clusters(d);
    const char **text_in_order = calloc((size_t)all.n, sizeof *text_in_order);
    uint32_t *len_in_order = calloc((size_t)all.n, sizeof *len_in_order);
    int32_t *cluster_in_order = calloc((size_t)all.n, sizeof *cluster_in_order);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text_in_order && len_in_order && cluster_in_order);
    for (int32_t r = 0; r < all.n; r++) {
        text_in_order[r] = lad_keytab_text(&all, ref[r].i);
        len_in_order[r] = all.text_len[ref[r].i];
        cluster_in_order[r] = cluster[ref[r].i];
    }
    struct lad_refine split;
    CU_ASSERT_EQUAL_FATAL(
        lad_refine_split(NULL, all.n, text_in_order, len_in_order, cluster_in_order, n_clusters, &split), LAD_OK);
    int32_t n_groups = split.n_groups;
    struct ref_key *groups = calloc((size_t)n_groups, sizeof *groups);
    int64_t *group_lines = calloc((size_t)n_groups, sizeof *group_lines);
    int32_t *key_group = calloc((size_t)all.n, sizeof *key_group);
    CU_ASSERT_PTR_NOT_NULL_FATAL(groups && group_lines && key_group);
    for (int32_t g = 0; g < n_groups; g++)
        groups[g] = (struct ref_key){-1, g};
    for (int32_t r = 0; r < all.n; r++) {
        int32_t g = split.group[r];
        if (groups[g].first < 0)
            groups[g].first = ref[r].first;
        group_lines[g] += all.lines[ref[r].i];
        key_group[ref[r].i] = g;
    }
    /* the merge over the groups in order of first occurrence */
    qsort(groups, (size_t)n_groups, sizeof *groups, by_first);
    const char **tpl = calloc((size_t)n_groups, sizeof *tpl), **flags = calloc((size_t)n_groups, sizeof *flags);
    int32_t *event_of_sorted = calloc((size_t)n_groups, sizeof *event_of_sorted);
    int32_t *event_of_group = calloc((size_t)n_groups, sizeof *event_of_group);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tpl && flags && event_of_sorted && event_of_group);
    for (int32_t s = 0; s < n_groups; s++) {
        tpl[s] = split.templates[groups[s].i];
        flags[s] = split.flags[groups[s].i];
    }
    int32_t n_events;
    char **merged;
    CU_ASSERT_EQUAL_FATAL(lad_refine_merge(NULL, n_groups, tpl, flags, event_of_sorted, &n_events, &merged), LAD_OK);
    for (int32_t s = 0; s < n_groups; s++)
        event_of_group[groups[s].i] = event_of_sorted[s];
    /* both steps act on these keys */
    CU_ASSERT(n_groups > n_clusters);
    CU_ASSERT(n_events < n_groups);
    CU_ASSERT(n_events > 20 && n_events < N_KEYS / 2);
    CU_ASSERT_EQUAL_FATAL(ev.n, n_events);
    int64_t *event_lines = calloc((size_t)n_events, sizeof *event_lines);
    CU_ASSERT_PTR_NOT_NULL_FATAL(event_lines);
    for (int32_t g = 0; g < n_groups; g++)
        event_lines[event_of_group[g]] += group_lines[g];
    for (int32_t e = 0; e < n_events; e++) {
        char id[32];
        snprintf(id, sizeof id, "M%d", e + 1);
        CU_ASSERT_STRING_EQUAL(ev.ids[e], id);
        CU_ASSERT_STRING_EQUAL(ev.templates[e], merged[e]);
        CU_ASSERT_EQUAL(ev.lines[e], event_lines[e]);
        free(merged[e]);
    }
    /* every local key got its key's event */
    for (int32_t k = 0; k < keys.n; k++) {
        int32_t a = lad_keytab_find(&all, lad_keytab_text(&keys, k), keys.text_len[k], keys.hash[k]);
        CU_ASSERT_FATAL(a >= 0);
        CU_ASSERT_EQUAL(keys.event[k], event_of_group[key_group[a]]);
    }
    free(merged);
    free(event_lines);
    free(tpl);
    free(flags);
    free(event_of_sorted);
    free(event_of_group);
    free(groups);
    free(group_lines);
    free(key_group);
    free(text_in_order);
    free(len_in_order);
    free(cluster_in_order);
    lad_refine_free(&split);
    lad_drain_free(&d);
    free(ref);
    free(cluster);
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
    CU_ASSERT_EQUAL(lad_mine_events(ctx, &keys, &bad, &ev, NULL), LAD_ERR_USAGE);
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
