/* test_blockid.c - HDFS block-id extraction: several per line, negative ids, edges, garbage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_blockid.h"
#include "lad_test.h"

static int extract(const char *s, int64_t *ids, int max, int *overflow, int *dropped)
{
    return lad_blockid_extract(s, strlen(s), ids, max, overflow, dropped);
}

static void test_several_and_negative(void)
{
    int64_t ids[8];
    int over, drop;
    int n = extract("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: blk_42", ids, 8, &over,
                    &drop);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(ids[0], -1608999687919862906LL);
    CU_ASSERT_EQUAL(ids[1], 42);
    CU_ASSERT_EQUAL(over, 0);
    CU_ASSERT_EQUAL(drop, 0);
}

static void test_duplicate_counts_once(void)
{
    int64_t ids[8];
    int n = extract("Deleting block blk_7 file /mnt/hadoop/dfs/data/current/subdir19/blk_7", ids, 8, NULL, NULL);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(ids[0], 7);
}

static void test_at_line_end_and_start(void)
{
    int64_t ids[4];
    CU_ASSERT_EQUAL(extract("blk_5", ids, 4, NULL, NULL), 1);
    CU_ASSERT_EQUAL(ids[0], 5);
    CU_ASSERT_EQUAL(extract("allocateBlock: /user/part-00590. blk_-1727475099218615100", ids, 4, NULL, NULL), 1);
    CU_ASSERT_EQUAL(ids[0], -1727475099218615100LL);
}

static void test_no_digits_is_not_an_id(void)
{
    int64_t ids[4];
    CU_ASSERT_EQUAL(extract("blk_ blk_- blk_x blk", ids, 4, NULL, NULL), 0);
    CU_ASSERT_EQUAL(extract("no block here", ids, 4, NULL, NULL), 0);
    CU_ASSERT_EQUAL(extract("", ids, 4, NULL, NULL), 0);
    /* blk_-? then digits: "blk_-5" is -5, "blk_--5" is nothing */
    CU_ASSERT_EQUAL(extract("blk_--5", ids, 4, NULL, NULL), 0);
}

static void test_int64_limits(void)
{
    int64_t ids[4];
    int over;
    CU_ASSERT_EQUAL(extract("blk_9223372036854775807 blk_-9223372036854775808", ids, 4, &over, NULL), 2);
    CU_ASSERT_EQUAL(ids[0], INT64_MAX);
    CU_ASSERT_EQUAL(ids[1], INT64_MIN);
    CU_ASSERT_EQUAL(over, 0);
    CU_ASSERT_EQUAL(extract("blk_9223372036854775808 blk_123456789012345678901234", ids, 4, &over, NULL), 0);
    CU_ASSERT_EQUAL(over, 2);
    /* leading zeros do not count against the range */
    CU_ASSERT_EQUAL(extract("blk_0000000000000000000000042 blk_-00009223372036854775808", ids, 4, &over, NULL), 2);
    CU_ASSERT_EQUAL(ids[0], 42);
    CU_ASSERT_EQUAL(ids[1], INT64_MIN);
    CU_ASSERT_EQUAL(over, 0);
    CU_ASSERT_EQUAL(extract("blk_18446744073709551616 blk_10000000000000000000", ids, 4, &over, NULL), 0);
    CU_ASSERT_EQUAL(over, 2);
}

static void test_max_per_line(void)
{
    int64_t ids[2];
    int drop;
    CU_ASSERT_EQUAL(extract("blk_1 blk_2 blk_3 blk_2", ids, 2, NULL, &drop), 2);
    CU_ASSERT_EQUAL(drop, 1);
}

static void test_parse_and_format(void)
{
    int64_t id;
    char buf[32];
    CU_ASSERT_TRUE(lad_blockid_parse("blk_-12", 7, &id));
    CU_ASSERT_EQUAL(id, -12);
    CU_ASSERT_FALSE(lad_blockid_parse("blk_-12x", 8, &id));
    CU_ASSERT_FALSE(lad_blockid_parse("blk_", 4, &id));
    CU_ASSERT_FALSE(lad_blockid_parse("xblk_1", 6, &id));
    lad_blockid_format(-1608999687919862906LL, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "blk_-1608999687919862906");
}

/* A plain reference for blk_-?[0-9]+ (leftmost, non-overlapping), distinct ids in order; ids that do not
 * fit int64 skipped and counted, judged on the digit string. Slow and plain on purpose. */
static int reference_extract(const char *s, size_t n, int64_t *ids, int max, int *overflow)
{
    int count = 0;
    *overflow = 0;
    for (size_t i = 0; i + 4 < n;) {
        if (memcmp(s + i, "blk_", 4) != 0) {
            i++;
            continue;
        }
        size_t j = i + 4, neg = s[j] == '-';
        size_t d = j + neg, e = d;
        while (e < n && s[e] >= '0' && s[e] <= '9')
            e++;
        if (e == d) {
            i += 4;
            continue;
        }
        char digits[64];
        size_t z = d;
        while (z + 1 < e && s[z] == '0')
            z++;
        size_t len = e - z;
        const char *limit = neg ? "9223372036854775808" : "9223372036854775807";
        bool fits = len < 19 || (len == 19 && memcmp(s + z, limit, 19) <= 0);
        if (!fits)
            (*overflow)++;
        else {
            memcpy(digits, s + z, len);
            digits[len] = '\0';
            int64_t v = neg && len == 19 && memcmp(digits, limit, 19) == 0 ? INT64_MIN : 0;
            if (v == 0) {
                v = strtoll(digits, NULL, 10);
                v = neg ? -v : v;
            }
            bool seen = false;
            for (int k = 0; k < count; k++)
                seen = seen || ids[k] == v;
            if (!seen && count < max)
                ids[count++] = v;
        }
        i = e;
    }
    return count;
}

/* Random strings over the bytes of block ids (long digit runs included) agree with the reference. */
static void test_random_against_reference(void)
{
    uint64_t x = 0x2545f4914f6cdd1dULL;
    static const char alphabet[] = "blk_-0123456789 0009b:/\xfa"; /* and the bytes around the digits */
    int bad = 0;
    for (int it = 0; it < 200000; it++) {
        char line[96];
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = x % 90;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            line[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        int64_t got[64], want[64];
        int over_got, over_want;
        int ng = lad_blockid_extract(line, n, got, 64, &over_got, NULL);
        int nw = reference_extract(line, n, want, 64, &over_want);
        if ((ng != nw || over_got != over_want || memcmp(got, want, (size_t)ng * sizeof *got) != 0) && bad++ < 3)
            fprintf(stderr, "'%.*s': %d ids (%d overflow), reference %d (%d)\n", (int)n, line, ng, over_got, nw,
                    over_want);
    }
    CU_ASSERT_EQUAL(bad, 0);
}

/*
 * Lines naming 90,000 blocks, each twice and some in both signs, 20 times: distinct ids in order of
 * first appearance, found in well under a second (pairwise comparison took 52 s), and the count of
 * ids beyond the caller's room is exact so one retry with a bigger buffer suffices.
 */
static void test_many_ids_per_line(void)
{
    enum { IDS = 90000 };
    char *line = malloc((size_t)IDS * 2 * 16 + 1);
    int64_t *ids = malloc((IDS + 1) * sizeof *ids);
    CU_ASSERT_FATAL(line != NULL && ids != NULL);
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) /* every id twice: the second pass repeats the first */
        for (int i = 0; i < IDS; i++)
            n += (size_t)sprintf(line + n, "blk_%d ", (i % 3 == 0 ? -1 : 1) * (i * 7919 % 1000003));
    double t0 = lad_test_seconds();
    bool all_ok = true;
    for (int rep = 0; rep < 20; rep++) {
        int over, drop;
        int got = lad_blockid_extract(line, n, ids, IDS + 1, &over, &drop);
        all_ok = all_ok && got == IDS && over == 0 && drop == 0;
    }
    double t = lad_test_seconds() - t0;
    CU_ASSERT_TRUE(all_ok);
    CU_ASSERT(t < 20.0); /* linear vs quadratic (52 s for 20 such lines), with room for sanitizers */
    for (int i = 0; i < IDS; i++)
        if (ids[i] != (i % 3 == 0 ? -1 : 1) * (int64_t)(i * 7919 % 1000003)) {
            CU_FAIL("ids out of order");
            break;
        }
    int drop;
    CU_ASSERT_EQUAL(lad_blockid_extract(line, n, ids, 1000, NULL, &drop), 1000);
    CU_ASSERT_EQUAL(drop, IDS - 1000);
    free(line);
    free(ids);
}

static CU_TestInfo tests[] = {
    {"several ids, negative ids", test_several_and_negative},
    {"a block named twice counts once", test_duplicate_counts_once},
    {"ids at line start and end", test_at_line_end_and_start},
    {"blk_ without digits", test_no_digits_is_not_an_id},
    {"int64 limits and overflow", test_int64_limits},
    {"more ids than room", test_max_per_line},
    {"parse and format", test_parse_and_format},
    {"90,000 ids on a line", test_many_ids_per_line},
    {"random strings match a reference", test_random_against_reference},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"blockid", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
