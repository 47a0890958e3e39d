/* test_blockid.c - HDFS block-id extraction: several per line, negative ids, edges, garbage. */
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

static CU_TestInfo tests[] = {
    {"several ids, negative ids", test_several_and_negative},
    {"a block named twice counts once", test_duplicate_counts_once},
    {"ids at line start and end", test_at_line_end_and_start},
    {"blk_ without digits", test_no_digits_is_not_an_id},
    {"int64 limits and overflow", test_int64_limits},
    {"more ids than room", test_max_per_line},
    {"parse and format", test_parse_and_format},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"blockid", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
