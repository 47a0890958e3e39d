/*
 * test_drain.c - the Drain tree: similarity and its tie-breaks, template merge, the length and token
 * layers, max_children overflow into <*>, short and empty sequences; and mining's independence from
 * the order in which a rank happened to meet its keys.
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

static struct lad_drain *make(int depth, double st, int max_children)
{
    struct lad_drain_params p = {depth, st, max_children};
    struct lad_drain *d = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_drain_create(NULL, &p, &d), LAD_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    return d;
}

static int32_t add(struct lad_drain *d, const char *key)
{
    return lad_drain_add(d, key, strlen(key));
}

static void test_merge(void)
{
    struct lad_drain *d = make(4, 0.5, 100);
    CU_ASSERT_EQUAL(add(d, "open file a now"), 0);
    /* 3 of 4 tokens equal: joins, and the differing token becomes <*> */
    CU_ASSERT_EQUAL(add(d, "open file b now"), 0);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 0), "open file <*> now");
    /* <*> in the template counts as no match: 2 of 4 equal is still >= 0.5 */
    CU_ASSERT_EQUAL(add(d, "open disk c now"), 0);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 0), "open <*> <*> now");
    /* 1 of 4 (only "open" is a non-<*> equal token): a new cluster in the same leaf */
    CU_ASSERT_EQUAL(add(d, "open x y z"), 1);
    /* a different length is never compared */
    CU_ASSERT_EQUAL(add(d, "open file a"), 2);
    CU_ASSERT_EQUAL(add(d, "open file a now later"), 3);
    CU_ASSERT_EQUAL(lad_drain_n_clusters(d), 4);
    CU_ASSERT_PTR_NULL(lad_drain_template(d, 4));
    /* extra whitespace does not change the tokens */
    CU_ASSERT_EQUAL(add(d, "  open   file q now "), 0);
    lad_drain_free(&d);
    CU_ASSERT_PTR_NULL(d);
}

static void test_similarity_threshold(void)
{
    /* st is inclusive: exactly st joins, just below does not */
    struct lad_drain *d = make(3, 0.6, 100);
    CU_ASSERT_EQUAL(add(d, "a b c d e"), 0);
    CU_ASSERT_EQUAL(add(d, "a b c x y"), 0); /* 3/5 = 0.6 */
    CU_ASSERT_EQUAL(add(d, "a b q r s"), 1); /* 2/5 against "a b c <*> <*>" */
    lad_drain_free(&d);
}

static void test_tie_breaks(void)
{
    /* depth 3: no token layer, every sequence of a length shares one leaf */
    struct lad_drain *d = make(3, 0.75, 100);
    CU_ASSERT_EQUAL(add(d, "p q r s"), 0);
    CU_ASSERT_EQUAL(add(d, "p q t u"), 1); /* 2/4 */
    CU_ASSERT_EQUAL(add(d, "p q t v"), 1); /* 3/4: cluster 1 becomes "p q t <*>" */
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 1), "p q t <*>");
    /* 3/4 against both; cluster 1 has more <*> and wins */
    CU_ASSERT_EQUAL(add(d, "p q t s"), 1);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 0), "p q r s");
    lad_drain_free(&d);

    /* equal similarity and equal <*>: the older cluster wins */
    d = make(3, 0.75, 100);
    CU_ASSERT_EQUAL(add(d, "p q r s"), 0);
    CU_ASSERT_EQUAL(add(d, "p q t u"), 1);
    CU_ASSERT_EQUAL(add(d, "p q r u"), 0);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 0), "p q r <*>");
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 1), "p q t u");
    lad_drain_free(&d);
}

static void test_token_layers(void)
{
    /* depth 4: the first token chooses the leaf, so equal tails under different heads never meet */
    struct lad_drain *d = make(4, 0.5, 100);
    CU_ASSERT_EQUAL(add(d, "alpha x y z"), 0);
    CU_ASSERT_EQUAL(add(d, "beta x y z"), 1);
    /* a head holding a digit goes down <*>, so numbered heads share a leaf and merge */
    CU_ASSERT_EQUAL(add(d, "1st x y z"), 2);
    CU_ASSERT_EQUAL(add(d, "2nd x y z"), 2);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 2), "<*> x y z");
    /* a head without digits that is not a child falls back to <*> at search time ... */
    CU_ASSERT_EQUAL(add(d, "gamma x y z"), 2);
    /* ... but when it does not match there, it gets its own child */
    CU_ASSERT_EQUAL(add(d, "delta q r s"), 3);
    CU_ASSERT_EQUAL(add(d, "delta q r t"), 3);
    lad_drain_free(&d);

    /* depth 5: two token layers */
    d = make(5, 0.5, 100);
    CU_ASSERT_EQUAL(add(d, "a b x y"), 0);
    CU_ASSERT_EQUAL(add(d, "a c x y"), 1);
    lad_drain_free(&d);
}

static void test_max_children(void)
{
    /* three children at most: two named, then the third place goes to <*> for all later heads */
    struct lad_drain *d = make(4, 0.5, 3);
    CU_ASSERT_EQUAL(add(d, "a x y"), 0);
    CU_ASSERT_EQUAL(add(d, "b x y"), 1);
    CU_ASSERT_EQUAL(add(d, "c x y"), 2);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 2), "c x y");
    CU_ASSERT_EQUAL(add(d, "d x y"), 2);
    CU_ASSERT_EQUAL(add(d, "e x y"), 2);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 2), "<*> x y");
    /* the named children keep their own clusters */
    CU_ASSERT_EQUAL(add(d, "a x q"), 0);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 0), "a x <*>");
    lad_drain_free(&d);
}

static void test_short_and_empty(void)
{
    /* depth 6 looks at 3 leading tokens; shorter sequences still share a leaf and merge */
    struct lad_drain *d = make(6, 0.5, 100);
    CU_ASSERT_EQUAL(add(d, "restart"), 0);
    CU_ASSERT_EQUAL(add(d, "restart"), 0);
    CU_ASSERT_EQUAL(add(d, "x 1"), 1);
    CU_ASSERT_EQUAL(add(d, "x 2"), 1);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 1), "x <*>");
    CU_ASSERT_EQUAL(add(d, ""), 2);
    CU_ASSERT_EQUAL(add(d, "   "), 2);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 2), "");
    lad_drain_free(&d);
}

/* A token that is a variable as a whole, with punctuation kept around it, is the <*> it stands for. */
static void test_variable_tokens(void)
{
    struct lad_drain *d = make(4, 0.5, 100);
    /* "(<*>)," is not an equal constant: 2 of 4 equal tokens ("open", "now") would pass, 1 of 4 not */
    CU_ASSERT_EQUAL(add(d, "open (<*>), x now"), 0);
    CU_ASSERT_EQUAL(add(d, "open (<*>), y z"), 1);
    /* it goes down the <*> child like <*>, where a head that is no child of its own finds it */
    CU_ASSERT_EQUAL(add(d, "/<*> sent to peer"), 2);
    CU_ASSERT_EQUAL(add(d, "abc sent to peer"), 2);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 2), "<*> sent to peer");
    /* equal punctuated variables stay in the template */
    CU_ASSERT_EQUAL(add(d, "size <*>, free <*>)"), 3);
    CU_ASSERT_EQUAL(add(d, "size <*>, free <*>)"), 3);
    CU_ASSERT_STRING_EQUAL(lad_drain_template(d, 3), "size <*>, free <*>)");
    lad_drain_free(&d);
}

static void test_bad_params(void)
{
    struct lad_drain_params p = {2, 0.5, 100};
    struct lad_drain *d = (struct lad_drain *)1;
    CU_ASSERT_EQUAL(lad_drain_create(NULL, &p, &d), LAD_ERR_USAGE);
    CU_ASSERT_PTR_NULL(d);
    p.depth = 4;
    p.similarity = 0;
    CU_ASSERT_EQUAL(lad_drain_create(NULL, &p, &d), LAD_ERR_USAGE);
    lad_drain_free(&d);
}

/* Many keys: families of templates with variable tokens, several lengths, shuffled insertion. */
#define N_KEYS 240
static void key_text(int i, char *buf, size_t cap)
{
    static const char *heads[] = {"Receiving", "Deleting", "Served", "Verification", "ask"};
    int fam = i % 5, len = 3 + i % 4;
    size_t w = (size_t)snprintf(buf, cap, "%s", heads[fam]);
    for (int t = 1; t < len; t++)
        w += (size_t)snprintf(buf + w, cap - w, (t + i) % 3 ? " tok%d" : " v%d", (t + i) % 3 ? t : (i * 7 + t) % 11);
}

/* The same keys met in different orders (as on different ranks) give the same events. */
static void test_insertion_order(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_events ev[2];
    struct lad_keytab tab[2];
    char text[256];
    int32_t expect_event[N_KEYS];
    memset(ev, 0, sizeof ev);
    for (int v = 0; v < 2; v++) {
        CU_ASSERT_TRUE_FATAL(lad_keytab_init(&tab[v]));
        /* version 0 inserts in key order, version 1 in a scrambled order; first_pos is the same */
        for (int j = 0; j < N_KEYS; j++) {
            int i = v == 0 ? j : (int)((j * 97 + 13) % N_KEYS);
            key_text(i, text, sizeof text);
            size_t n = strlen(text);
            int64_t pos = (int64_t)(lad_hash_u64((uint64_t)i) % 1000003);
            uint64_t h = lad_hash_bytes(text, n, LAD_KEYTAB_SEED);
            CU_ASSERT_FATAL(lad_keytab_add_many(&tab[v], text, n, h, pos, 1 + i % 3) >= 0);
        }
        struct lad_drain_params p = {4, 0.5, 100};
        CU_ASSERT_EQUAL_FATAL(lad_mine_events(ctx, &tab[v], &p, &ev[v], NULL), LAD_OK);
    }
    CU_ASSERT_EQUAL_FATAL(ev[0].n, ev[1].n);
    CU_ASSERT(ev[0].n > 5 && ev[0].n < N_KEYS);
    int64_t total = 0;
    for (int e = 0; e < ev[0].n; e++) {
        CU_ASSERT_STRING_EQUAL(ev[0].ids[e], ev[1].ids[e]);
        CU_ASSERT_STRING_EQUAL(ev[0].templates[e], ev[1].templates[e]);
        CU_ASSERT_EQUAL(ev[0].lines[e], ev[1].lines[e]);
        total += ev[0].lines[e];
    }
    int64_t want_total = 0;
    for (int i = 0; i < N_KEYS; i++) {
        want_total += 1 + i % 3;
        key_text(i, text, sizeof text);
        size_t n = strlen(text);
        int32_t k0 = lad_keytab_find(&tab[0], text, n, lad_hash_bytes(text, n, LAD_KEYTAB_SEED));
        int32_t k1 = lad_keytab_find(&tab[1], text, n, lad_hash_bytes(text, n, LAD_KEYTAB_SEED));
        CU_ASSERT_FATAL(k0 >= 0 && k1 >= 0);
        expect_event[i] = tab[0].event[k0];
        CU_ASSERT_EQUAL(tab[0].event[k0], tab[1].event[k1]);
    }
    CU_ASSERT_EQUAL(total, want_total);
    /* ids are numbered by first occurrence: M1 holds the key seen first */
    int first = 0;
    for (int i = 1; i < N_KEYS; i++)
        if (lad_hash_u64((uint64_t)i) % 1000003 < lad_hash_u64((uint64_t)first) % 1000003)
            first = i;
    CU_ASSERT_EQUAL(expect_event[first], 0);
    CU_ASSERT_STRING_EQUAL(ev[0].ids[0], "M1");
    for (int v = 0; v < 2; v++) {
        lad_keytab_free(&tab[v]);
        lad_events_free(&ev[v]);
    }
}

static CU_TestInfo tests[] = {
    {"merge into templates", test_merge},
    {"similarity threshold", test_similarity_threshold},
    {"tie-breaks", test_tie_breaks},
    {"token layers", test_token_layers},
    {"max children", test_max_children},
    {"short and empty sequences", test_short_and_empty},
    {"variable tokens", test_variable_tokens},
    {"bad parameters", test_bad_params},
    {"insertion order", test_insertion_order},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"drain", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
