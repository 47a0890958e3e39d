/*
 * test_ga.c - grouping accuracy on hand-made cases, and against a brute-force reading of the
 * definition (a line is right when its predicted group is exactly its true event) on random labels.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_ga.h"
#include "lad_hash.h"
#include "lad_test.h"

static struct lad_ga_result ga(const int32_t *truth, const int32_t *pred, int64_t n)
{
    struct lad_ga_result r;
    CU_ASSERT_EQUAL_FATAL(lad_ga_compute(NULL, truth, pred, n, &r), LAD_OK);
    return r;
}

static void test_hand_made(void)
{
    /* the same partition under other names is perfect */
    int32_t t1[] = {0, 0, 1, 1, 2}, p1[] = {3, 3, 0, 0, 1};
    struct lad_ga_result r = ga(t1, p1, 5);
    CU_ASSERT_EQUAL(r.correct, 5);
    CU_ASSERT_EQUAL(r.lines, 5);
    CU_ASSERT_DOUBLE_EQUAL(r.accuracy, 1.0, 1e-12);
    CU_ASSERT_EQUAL(r.truth_events, 3);
    CU_ASSERT_EQUAL(r.parsed_groups, 3);

    /* a split event is wrong for all its lines; the other events stay right */
    int32_t t2[] = {0, 0, 0, 1}, p2[] = {0, 0, 1, 2};
    r = ga(t2, p2, 4);
    CU_ASSERT_EQUAL(r.correct, 1);
    CU_ASSERT_DOUBLE_EQUAL(r.accuracy, 0.25, 1e-12);

    /* a merge of two events is wrong for both */
    int32_t t3[] = {0, 0, 1, 2}, p3[] = {0, 0, 0, 1};
    r = ga(t3, p3, 4);
    CU_ASSERT_EQUAL(r.correct, 1);

    /* pure group {0,1} right; mixed {2,3} wrong; {4} is pure but only half of event 2 */
    int32_t t4[] = {0, 0, 1, 2, 2}, p4[] = {0, 0, 1, 1, 2};
    r = ga(t4, p4, 5);
    CU_ASSERT_EQUAL(r.correct, 2);
    CU_ASSERT_DOUBLE_EQUAL(r.accuracy, 0.4, 1e-12);

    /* lines without ground truth leave the evaluation altogether, from both sides */
    int32_t t5[] = {0, -1, 0}, p5[] = {0, 0, 0};
    r = ga(t5, p5, 3);
    CU_ASSERT_EQUAL(r.lines, 2);
    CU_ASSERT_EQUAL(r.correct, 2);

    /* a line without a predicted group is in no group: it and its event's other lines are wrong */
    int32_t t6[] = {0, 0, 1}, p6[] = {0, -1, 1};
    r = ga(t6, p6, 3);
    CU_ASSERT_EQUAL(r.correct, 1);
    CU_ASSERT_EQUAL(r.parsed_groups, 2);

    /* no lines at all */
    r = ga(t6, p6, 0);
    CU_ASSERT_EQUAL(r.lines, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.accuracy, 1.0, 1e-12);
}

static void test_labels(void)
{
    const char *names[] = {"E1", "E2", "E1", "", NULL, "E10", "E2"};
    int32_t l[7];
    CU_ASSERT_EQUAL(lad_ga_labels(NULL, names, 7, l), LAD_OK);
    int32_t want[] = {0, 1, 0, -1, -1, 2, 1};
    for (int i = 0; i < 7; i++)
        CU_ASSERT_EQUAL(l[i], want[i]);
}

/* The definition, word for word: O(n^2). */
static int64_t brute_force(const int32_t *t, const int32_t *p, int n)
{
    int64_t correct = 0;
    for (int i = 0; i < n; i++) {
        if (t[i] < 0 || p[i] < 0)
            continue;
        bool same = true;
        for (int j = 0; j < n && same; j++)
            if (t[j] >= 0)
                same = (p[j] == p[i]) == (t[j] == t[i]);
        correct += same;
    }
    return correct;
}

static void test_random(void)
{
    enum { N = 300 };
    int32_t t[N], p[N];
    struct lad_rng rng;
    lad_rng_init(&rng, 5, 0);
    for (int round = 0; round < 50; round++) {
        int nt = 1 + (int)lad_rng_below(&rng, 12);
        for (int i = 0; i < N; i++) {
            t[i] = lad_rng_uniform(&rng) < 0.05 ? -1 : (int32_t)lad_rng_below(&rng, (uint64_t)nt);
            /* mostly the truth relabelled, with some splits, merges and missing groups */
            double u = lad_rng_uniform(&rng);
            p[i] = t[i] < 0 ? (int32_t)lad_rng_below(&rng, N) : (t[i] * 7 + 3) % N;
            if (u < 0.03)
                p[i] = (int32_t)lad_rng_below(&rng, N);
            else if (u < 0.05)
                p[i] = -1;
            else if (u < 0.1 && t[i] % 3 == 0)
                p[i] = 1;
        }
        struct lad_ga_result r = ga(t, p, N);
        CU_ASSERT_EQUAL(r.correct, brute_force(t, p, N));
    }
}

/* PA: equal templates after the DS rule only; lines without ground truth do not count. */
static void test_pa(void)
{
    CU_ASSERT_TRUE(lad_pa_same_template("a <*> b", "a <*> b"));
    CU_ASSERT_TRUE(lad_pa_same_template("  a \t<*>   b ", "a <*> b"));
    CU_ASSERT_TRUE(lad_pa_same_template("", "   "));
    CU_ASSERT_FALSE(lad_pa_same_template("a <*>b", "a <*> b"));
    CU_ASSERT_FALSE(lad_pa_same_template("a <*> b", "a <*> b c"));
    CU_ASSERT_FALSE(lad_pa_same_template("a <*> b", "A <*> b"));
    CU_ASSERT_FALSE(lad_pa_same_template(NULL, "a"));
    const char *truth[] = {"x <*>", "x <*>", "y", "z"};
    const char *parsed[] = {"x  <*>", "x", "y", NULL};
    int32_t labels[] = {0, 0, -1, 1};
    /* only the first line counts: the second differs, the third has no truth, the last no template */
    CU_ASSERT_EQUAL(lad_pa_count(truth, parsed, labels, 4), 1);
}

static CU_TestInfo tests[] = {
    {"hand-made cases", test_hand_made},
    {"parsing accuracy", test_pa},
    {"labels from strings", test_labels},
    {"random against the definition", test_random},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"ga", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
