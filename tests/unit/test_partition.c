/* test_partition.c - byte ranges tile the input, and the line-edge rule gives every line to one part. */
#include <stdlib.h>
#include <string.h>

#include "lad_inputs.h"
#include "lad_partition.h"
#include "lad_test.h"

static void test_ranges_tile(void)
{
    const MPI_Offset totals[] = {0, 1, 2, 7, 100, 1000003};
    for (size_t t = 0; t < sizeof totals / sizeof totals[0]; t++)
        for (int size = 1; size <= 9; size++) {
            MPI_Offset expect = 0;
            for (int r = 0; r < size; r++) {
                MPI_Offset lo, hi;
                lad_partition_range(totals[t], r, size, &lo, &hi);
                CU_ASSERT_EQUAL(lo, expect);
                CU_ASSERT_TRUE(hi >= lo && hi - lo <= totals[t] / size + 1);
                expect = hi;
            }
            CU_ASSERT_EQUAL(expect, totals[t]);
        }
}

static void test_segments_across_files(void)
{
    struct lad_input_file files[3] = {{"a", 10, 0}, {"b", 0, 10}, {"c", 5, 10}};
    struct lad_inputs in = {3, files, 15};
    struct lad_segment segs[3];
    int n = lad_partition_segments(&in, 8, 12, segs);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(segs[0].file_index, 0);
    CU_ASSERT_EQUAL(segs[0].begin, 8);
    CU_ASSERT_EQUAL(segs[0].end, 10);
    CU_ASSERT_EQUAL(segs[1].file_index, 2); /* the empty file has no segment */
    CU_ASSERT_EQUAL(segs[1].begin, 0);
    CU_ASSERT_EQUAL(segs[1].end, 2);
}

static void test_first_line(void)
{
    const char *d = "tail of a line\nnext\n";
    CU_ASSERT_EQUAL(lad_partition_first_line(d, strlen(d), true), 0);
    CU_ASSERT_EQUAL(lad_partition_first_line(d, strlen(d), false), 15);
    CU_ASSERT_EQUAL(lad_partition_first_line("no newline", 10, false), 10);
    CU_ASSERT_EQUAL(lad_partition_first_line("\nx", 2, false), 1);
}

/* Splitting into any number of parts hands out every line exactly once, whole, in order. */
static void check_parts(const char *data, size_t n)
{
    for (int parts = 1; parts <= 12; parts++) {
        size_t expect = 0;
        for (int p = 0; p < parts; p++) {
            size_t b, e;
            lad_partition_lines(data, n, parts, p, &b, &e);
            CU_ASSERT_TRUE(b <= e);
            if (b == e)
                continue;
            CU_ASSERT_EQUAL(b, expect);                    /* no gap, no overlap */
            CU_ASSERT_TRUE(b == 0 || data[b - 1] == '\n'); /* starts at a line start */
            CU_ASSERT_TRUE(e == n || data[e - 1] == '\n'); /* ends after a whole line */
            expect = e;
        }
        CU_ASSERT_EQUAL(expect, n);
    }
}

static void test_line_edge_rule(void)
{
    const char *texts[] = {"a\nbb\nccc\ndddd\n", "one line without newline", "x\n", "\n\n\n",
                           "long line ....................................\nshort\n", "crlf\r\nlines\r\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        check_parts(texts[i], strlen(texts[i]));
}

static CU_TestInfo tests[] = {
    {"byte ranges tile the input", test_ranges_tile},
    {"segments across files", test_segments_across_files},
    {"first line start", test_first_line},
    {"line-edge rule between parts", test_line_edge_rule},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"partition", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
