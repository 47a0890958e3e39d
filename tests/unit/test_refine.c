/*
 * test_refine.c - the second grouping stage on small hand-made message sets whose right grouping is
 * plain: constant words split a cluster, variables (many values, digits, <*>) do not; groups with one
 * constant skeleton merge across lengths, lists of numbered names drop out of the skeleton, and too
 * short or different skeletons stay apart.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_refine.h"
#include "lad_test.h"

#define MAX_KEYS 16

/* Splits keys[0, n) (all in cluster[i]); checks the groups against want_group. */
static void split(int n, const char *const *keys, const int32_t *cluster, int n_clusters, struct lad_refine *r)
{
    uint32_t len[MAX_KEYS];
    for (int i = 0; i < n; i++)
        len[i] = (uint32_t)strlen(keys[i]);
    CU_ASSERT_EQUAL_FATAL(lad_refine_split(NULL, n, keys, len, cluster, n_clusters, r), LAD_OK);
}

static void test_split_on_constant_words(void)
{
    /* one Drain cluster: a lifecycle state that takes three fixed words */
    const char *keys[] = {"[instance: <*>] VM Started (Lifecycle Event)", "[instance: <*>] VM Paused (Lifecycle Event)",
                          "[instance: <*>] VM Started (Lifecycle Event)", "[instance: <*>] VM Resumed (Lifecycle Event)"};
    int32_t cluster[] = {0, 0, 0, 0};
    struct lad_refine r;
    split(4, keys, cluster, 1, &r);
    CU_ASSERT_EQUAL(r.n_groups, 3);
    int32_t want[] = {0, 1, 0, 2}; /* groups numbered by their first message */
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(r.group[i], want[i]);
    CU_ASSERT_STRING_EQUAL(r.templates[0], "[instance: <*>] VM Started (Lifecycle Event)");
    CU_ASSERT_STRING_EQUAL(r.templates[2], "[instance: <*>] VM Resumed (Lifecycle Event)");
    lad_refine_free(&r);
    CU_ASSERT_EQUAL(r.n_groups, 0);
    CU_ASSERT_PTR_NULL(r.group);

    /* two positions select together (a state transition): one group per pair of words */
    const char *moves[] = {"task <*> from NEW to RUNNING", "task <*> from RUNNING to DONE",
                           "task <*> from NEW to RUNNING", "task <*> from RUNNING to FAILED"};
    split(4, moves, cluster, 1, &r);
    CU_ASSERT_EQUAL(r.n_groups, 3);
    CU_ASSERT_EQUAL(r.group[0], r.group[2]);
    CU_ASSERT_NOT_EQUAL(r.group[1], r.group[3]);
    CU_ASSERT_STRING_EQUAL(r.templates[r.group[3]], "task <*> from RUNNING to FAILED");
    lad_refine_free(&r);

    /* words wrapped in brackets or quotes, key=value words, dotted names: still constant words */
    const char *wrapped[] = {"state 'Active' user=root for android.intent.action.SCREEN_ON",
                             "state 'Inactive' user=root for android.intent.action.SCREEN_ON",
                             "state 'Active' user=guest for android.intent.action.SCREEN_OFF"};
    split(3, wrapped, cluster, 1, &r);
    CU_ASSERT_EQUAL(r.n_groups, 3);
    lad_refine_free(&r);
}

static void test_variables_do_not_split(void)
{
    int32_t cluster[] = {0, 0, 0, 0, 0, 0};
    struct lad_refine r;
    /* more distinct words than LAD_REFINE_MAX_WORDS: a user name, a variable */
    const char *users[] = {"session opened for user alice", "session opened for user bob",
                           "session opened for user carol", "session opened for user dave",
                           "session opened for user erin", "session opened for user alice"};
    CU_ASSERT_EQUAL_FATAL(LAD_REFINE_MAX_WORDS, 4);
    split(6, users, cluster, 1, &r);
    CU_ASSERT_EQUAL(r.n_groups, 1);
    CU_ASSERT_STRING_EQUAL(r.templates[0], "session opened for user <*>");
    lad_refine_free(&r);
    /* values with digits are numbered names; a value with <*> is a variable */
    const char *nics[] = {"link up on eth0", "link up on eth1", "link up on eth0"};
    split(3, nics, cluster, 1, &r);
    CU_ASSERT_EQUAL(r.n_groups, 1);
    CU_ASSERT_STRING_EQUAL(r.templates[0], "link up on <*>");
    lad_refine_free(&r);
    const char *mixed[] = {"open file (<*>)", "open file none", "open file (<*>)"};
    split(3, mixed, cluster, 1, &r);
    CU_ASSERT_EQUAL(r.n_groups, 1);
    lad_refine_free(&r);
    /* a word with characters of a path or an address is not a plain constant */
    const char *paths[] = {"read /etc/a", "read /etc/b"};
    split(2, paths, cluster, 1, &r);
    CU_ASSERT_EQUAL(r.n_groups, 1);
    lad_refine_free(&r);
}

static void test_clusters_and_flags(void)
{
    /* three Drain clusters interleaved in log order; only the middle one splits */
    const char *keys[] = {"<*> close, <*> bytes sent", "Link error", "name an14 an15 an16 resolved",
                          "<*> close, <*> bytes sent", "Link ok", "name an2 an3 an4 resolved"};
    int32_t cluster[] = {0, 1, 2, 0, 1, 2};
    struct lad_refine r;
    split(6, keys, cluster, 3, &r);
    CU_ASSERT_EQUAL(r.n_groups, 4);
    int32_t want[] = {0, 1, 3, 0, 2, 3}; /* cluster by cluster, then by first message */
    for (int i = 0; i < 6; i++)
        CU_ASSERT_EQUAL(r.group[i], want[i]);
    /* variables in every message drop out of the skeleton; so does a run of numbered names */
    CU_ASSERT_STRING_EQUAL(r.templates[0], "<*> close, <*> bytes sent");
    CU_ASSERT_STRING_EQUAL(r.flags[0], "dkdkk");
    CU_ASSERT_STRING_EQUAL(r.templates[3], "name <*> <*> <*> resolved");
    CU_ASSERT_STRING_EQUAL(r.flags[3], "kdddk");
    /* one numbered name alone is part of the skeleton (IPV4 versus IPV6 are different messages) */
    const char *one[] = {"addr IPV4 set"};
    int32_t c0[] = {0};
    lad_refine_free(&r);
    split(1, one, c0, 1, &r);
    CU_ASSERT_STRING_EQUAL(r.flags[0], "kkk");
    lad_refine_free(&r);
}

static void test_mixed_lengths_rejected(void)
{
    const char *keys[] = {"a b c", "a b"};
    uint32_t len[] = {5, 3};
    int32_t cluster[] = {0, 0};
    struct lad_refine r;
    CU_ASSERT_EQUAL(lad_refine_split(NULL, 2, keys, len, cluster, 1, &r), LAD_ERR_INTERNAL);
    CU_ASSERT_PTR_NULL(r.group);
    int32_t bad[] = {0, 1};
    CU_ASSERT_EQUAL(lad_refine_split(NULL, 2, keys, len, bad, 1, &r), LAD_ERR_INTERNAL);
}

static void merge(int n, const char *const *tpl, const char *const *flags, int32_t *event, int32_t *n_events,
                  char ***out)
{
    CU_ASSERT_EQUAL_FATAL(lad_refine_merge(NULL, n, tpl, flags, event, n_events, out), LAD_OK);
}

static void free_templates(char **t, int32_t n)
{
    for (int32_t e = 0; e < n; e++)
        free(t[e]);
    free(t);
}

static void test_merge_skeletons(void)
{
    /* an optional size between "bytes" and "sent": one event, <*> where the members differ */
    const char *tpl[] = {"<*> close, <*> bytes sent, <*> bytes received", "<*> open",
                         "<*> close, <*> bytes (<*>) sent, <*> bytes received",
                         "<*> close, <*> bytes sent, <*> bytes (<*>) received"};
    const char *flags[] = {"dkdkkdkk", "dk", "dkdkdkdkk", "dkdkkdkdk"};
    int32_t event[4], n_events;
    char **out;
    merge(4, tpl, flags, event, &n_events, &out);
    CU_ASSERT_EQUAL(n_events, 2);
    CU_ASSERT_EQUAL(event[0], 0);
    CU_ASSERT_EQUAL(event[1], 1);
    CU_ASSERT_EQUAL(event[2], 0);
    CU_ASSERT_EQUAL(event[3], 0);
    CU_ASSERT_STRING_EQUAL(out[0], "<*> close, <*> bytes <*> sent, <*> bytes <*> received");
    CU_ASSERT_STRING_EQUAL(out[1], "<*> open"); /* one member: its own template */
    free_templates(out, n_events);

    /* a list of names of any length: one event */
    const char *names[] = {"failed to resolve name an14 an15 an16", "failed to resolve name bn7 bn8"};
    const char *nflags[] = {"kkkkddd", "kkkkdd"};
    merge(2, names, nflags, event, &n_events, &out);
    CU_ASSERT_EQUAL(n_events, 1);
    CU_ASSERT_STRING_EQUAL(out[0], "failed to resolve name <*>");
    free_templates(out, n_events);
}

static void test_merge_keeps_apart(void)
{
    /* a position Drain generalized from words (kept, as <*>) is not a variable that may be absent */
    const char *tpl[] = {"auth failure; rhost=<*> <*>", "auth failure; rhost=<*>",
                         /* skeletons of one token: too little to merge on */
                         "Link <*>", "<*> Link <*> <*>",
                         /* the same words in another order */
                         "failure auth; rhost=<*>"};
    const char *flags[] = {"kkkk", "kkk", "kd", "dkdd", "kkk"};
    int32_t event[5], n_events;
    char **out;
    merge(5, tpl, flags, event, &n_events, &out);
    CU_ASSERT_EQUAL(n_events, 5);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(event[i], i);
    free_templates(out, n_events);
    /* nothing to merge */
    merge(0, NULL, NULL, event, &n_events, &out);
    CU_ASSERT_EQUAL(n_events, 0);
    free(out);
}

static CU_TestInfo tests[] = {
    {"split on constant words", test_split_on_constant_words},
    {"variables do not split", test_variables_do_not_split},
    {"clusters and skeleton flags", test_clusters_and_flags},
    {"mixed lengths rejected", test_mixed_lengths_rejected},
    {"merge equal skeletons", test_merge_skeletons},
    {"merge keeps others apart", test_merge_keeps_apart},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"refine", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
