/*
 * test_assign.c - the event assigner (lad_assign.h): a key seen in training gets its event; a key
 * never seen joins the group Drain's similarity picks (with its tie rules and the prefix), else the
 * event of an equal skeleton, else the UNKNOWN column; and an assigner filled by mining gives every
 * training key the event mining gave it.
 */
#include <string.h>

#include "lad_assign.h"
#include "lad_hash.h"
#include "lad_keytab.h"
#include "lad_mem.h"
#include "lad_mine.h"
#include "lad_test.h"

/* Groups of a hand-made model: template, skeleton flags (as the split writes them), event. */
static const struct {
    const char *tpl, *flags;
    int32_t event;
} groups[] = {
    {"Receiving block <*> src: <*> dest: <*>", "kkdkdkd", 0},
    {"PacketResponder <*> for block <*> terminating", "kdkkdk", 1},
    {"Verification succeeded for <*>", "kkkd", 2},
    {"Deleting block <*> file <*>", "kkdkd", 3},
    {"Starting thread <*> now", "kkdk", 4},
    {"Starting <*> pool now", "kdkk", 5},
    {"Stopping one <*> later", "kkdk", 6}, /* older than the next, with fewer <*> */
    {"Stopping <*> <*> now", "kddk", 7},
};
#define N_GROUPS (int)(sizeof groups / sizeof groups[0])
#define UNKNOWN N_GROUPS /* the events are the groups' (one each), then UNKNOWN */

static struct lad_assigner *make_assigner(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_assigner *a = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_assign_new(ctx, &a), LAD_OK);
    a->kind = LAD_ASSIGN_MINED;
    a->drain = (struct lad_drain_params){4, 0.5, 100};
    char id[16];
    for (int g = 0; g < N_GROUPS; g++) {
        snprintf(id, sizeof id, "M%d", g + 1);
        CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, &a->events, id, groups[g].tpl), LAD_OK);
        CU_ASSERT_EQUAL_FATAL(lad_assign_add_group(ctx, a, groups[g].tpl, groups[g].flags, groups[g].event), LAD_OK);
        /* the template itself was a training key */
        CU_ASSERT_EQUAL_FATAL(lad_assign_add_key(ctx, a, groups[g].tpl, (uint32_t)strlen(groups[g].tpl),
                                                 groups[g].event), LAD_OK);
    }
    CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, &a->events, LAD_EVENT_UNKNOWN_ID, LAD_EVENT_UNKNOWN_TEXT), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_assign_finish(ctx, a, "test"), LAD_OK);
    return a;
}

static int32_t event_of(const struct lad_assigner *a, const char *key, enum lad_assign_how *how)
{
    size_t n = strlen(key);
    return lad_assign_event(a, key, n, lad_hash_bytes(key, n, LAD_KEYTAB_SEED), how);
}

static void expect(const struct lad_assigner *a, const char *key, int32_t want, enum lad_assign_how want_how)
{
    enum lad_assign_how how;
    int32_t got = event_of(a, key, &how);
    CU_ASSERT_EQUAL(got, want);
    CU_ASSERT_EQUAL(how, want_how);
    if (got != want || how != want_how)
        fprintf(stderr, "'%s': event %d by %d, expected %d by %d\n", key, got, how, want, want_how);
}

static void test_seen_keys(void)
{
    struct lad_assigner *a = make_assigner();
    for (int g = 0; g < N_GROUPS; g++)
        expect(a, groups[g].tpl, groups[g].event, LAD_ASSIGN_SEEN);
    lad_assign_free(&a);
}

static void test_similarity(void)
{
    struct lad_assigner *a = make_assigner();
    /* 3 of 6 tokens equal constants: 0.5 reaches st = 0.5 */
    expect(a, "PacketResponder <*> for block <*> exiting", 1, LAD_ASSIGN_SIMILAR);
    /* a variable where the template has a constant is not an equal token: 3 of 6 */
    expect(a, "PacketResponder <*> for <*> <*> terminating", 1, LAD_ASSIGN_SIMILAR);
    /* ties on similarity (3 of 4): the older group */
    expect(a, "Starting thread pool now", 4, LAD_ASSIGN_SIMILAR);
    /* ties on similarity (2 of 4): the group with more <*>, although the other is older */
    expect(a, "Stopping one two now", 7, LAD_ASSIGN_SIMILAR);
    lad_assign_free(&a);
}

static void test_prefix_and_threshold(void)
{
    struct lad_assigner *a = make_assigner();
    /* 4 of 6 equal, but the first token differs: Drain's tree would not lead it to that leaf */
    expect(a, "Responder <*> for block <*> terminating", UNKNOWN, LAD_ASSIGN_UNKNOWN);
    /* 2 of 6 equal: below st */
    expect(a, "PacketResponder <*> to disk <*> exiting", UNKNOWN, LAD_ASSIGN_UNKNOWN);
    /* no group of 3 tokens */
    expect(a, "Disk failure detected", UNKNOWN, LAD_ASSIGN_UNKNOWN);
    lad_assign_free(&a);
}

static void test_skeleton(void)
{
    struct lad_assigner *a = make_assigner();
    /* 5 tokens (no group of 5 starts with Verification), skeleton "Verification succeeded for" */
    expect(a, "Verification succeeded for <*> (<*>)", 2, LAD_ASSIGN_SKELETON);
    /* one kept token more: another skeleton */
    expect(a, "Verification succeeded for <*> again", UNKNOWN, LAD_ASSIGN_UNKNOWN);
    lad_assign_free(&a);
}

/* The same key always gets the same event, also from an assigner built again the same way. */
static void test_deterministic(void)
{
    struct lad_assigner *a = make_assigner(), *b = make_assigner();
    const char *keys[] = {"Starting thread pool now", "Stopping one two now", "Verification succeeded for <*> (<*>)",
                          "nothing like it", ""};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        enum lad_assign_how h1, h2, h3;
        int32_t e1 = event_of(a, keys[i], &h1), e2 = event_of(a, keys[i], &h2), e3 = event_of(b, keys[i], &h3);
        CU_ASSERT(e1 == e2 && e2 == e3 && h1 == h2 && h2 == h3);
    }
    lad_assign_free(&a);
    lad_assign_free(&b);
}

/* Checks a model file may fail: a key twice, an event past UNKNOWN, flags not matching. */
static void test_finish_checks(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_assigner *a = make_assigner();
    CU_ASSERT_EQUAL(lad_assign_add_key(ctx, a, groups[0].tpl, (uint32_t)strlen(groups[0].tpl), 0), LAD_ERR_MODEL);
    lad_ctx_clear_error(ctx);
    CU_ASSERT_EQUAL(lad_assign_add_group(ctx, a, "a <*> b", "kdkk", 0), LAD_OK);
    CU_ASSERT_EQUAL(lad_assign_finish(ctx, a, "test"), LAD_ERR_MODEL);
    lad_ctx_clear_error(ctx);
    lad_assign_free(&a);
    a = make_assigner();
    CU_ASSERT_EQUAL(lad_assign_add_key(ctx, a, "x y", 3, UNKNOWN), LAD_OK);
    CU_ASSERT_EQUAL(lad_assign_finish(ctx, a, "test"), LAD_ERR_MODEL);
    lad_ctx_clear_error(ctx);
    lad_assign_free(&a);
}

/* Mining with an assigner: every training key gets back exactly the event mining gave it. */
static void test_mined_keys_exact(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_keytab keys;
    struct lad_events ev;
    memset(&ev, 0, sizeof ev);
    CU_ASSERT_TRUE_FATAL(lad_keytab_init(&keys));
    static const char *const words[] = {"open", "close", "read", "write", "sync", "stat", "seek", "flush", "lock"};
    char text[256];
    int n_keys = 0;
    for (int i = 0; i < 300; i++) {
        int len = 3 + i % 5;
        size_t w = 0;
        for (int t = 0; t < len; t++)
            w += (size_t)snprintf(text + w, sizeof text - w, "%s%s", t ? " " : "",
                                  t == 2 ? "<*>" : t % 2 ? words[(i / 5 + t) % 9] : words[(i + t) % 9]);
        uint64_t h = lad_hash_bytes(text, w, LAD_KEYTAB_SEED);
        int32_t id = lad_keytab_add_many(&keys, text, w, h, (int64_t)(lad_hash_u64((uint64_t)i) % 100003), 1);
        CU_ASSERT_FATAL(id >= 0);
        n_keys = keys.n;
    }
    struct lad_assigner *a = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_assign_new(ctx, &a), LAD_OK);
    a->kind = LAD_ASSIGN_MINED;
    struct lad_drain_params p = {4, 0.5, 100};
    a->drain = p;
    CU_ASSERT_EQUAL_FATAL(lad_mine_events(ctx, &keys, &p, &ev, a), LAD_OK);
    CU_ASSERT_EQUAL(a->events.n, ev.n + 1);
    CU_ASSERT_STRING_EQUAL(a->events.ids[ev.n], LAD_EVENT_UNKNOWN_ID);
    CU_ASSERT_EQUAL(a->keys.n, n_keys);
    CU_ASSERT(a->n_groups >= ev.n);
    for (int32_t k = 0; k < keys.n; k++) {
        enum lad_assign_how how;
        int32_t e = lad_assign_event(a, lad_keytab_text(&keys, k), keys.text_len[k], keys.hash[k], &how);
        CU_ASSERT_EQUAL(e, keys.event[k]);
        CU_ASSERT_EQUAL(how, LAD_ASSIGN_SEEN);
    }
    /* keys are stored sorted by text, whatever order mining met them in */
    for (int32_t k = 1; k < a->keys.n; k++) {
        size_t l0 = a->keys.text_len[k - 1], l1 = a->keys.text_len[k];
        int c = memcmp(lad_keytab_text(&a->keys, k - 1), lad_keytab_text(&a->keys, k), l0 < l1 ? l0 : l1);
        CU_ASSERT(c < 0 || (c == 0 && l0 < l1));
    }
    lad_assign_free(&a);
    lad_keytab_free(&keys);
    lad_events_free(&ev);
}

static CU_TestInfo tests[] = {
    {"seen keys", test_seen_keys},
    {"unseen keys by similarity and ties", test_similarity},
    {"prefix and threshold", test_prefix_and_threshold},
    {"unseen keys by skeleton", test_skeleton},
    {"deterministic", test_deterministic},
    {"checks on finish", test_finish_checks},
    {"mined keys exact", test_mined_keys_exact},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"assign", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
