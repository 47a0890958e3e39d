/* test_csv.c - CSV records as loghub writes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_csv.h"
#include "lad_test.h"

static int split(const char *text, char **f, int max, char *buf)
{
    strcpy(buf, text);
    return lad_csv_split(buf, strlen(buf), f, max);
}

static void test_split(void)
{
    char buf[256], *f[8];
    CU_ASSERT_EQUAL(split("blk_1,Anomaly\r\n", f, 8, buf), 2);
    CU_ASSERT_STRING_EQUAL(f[0], "blk_1");
    CU_ASSERT_STRING_EQUAL(f[1], "Anomaly");
    CU_ASSERT_EQUAL(split("1,\"a, \"\"quoted\"\" b\",,x", f, 8, buf), 4);
    CU_ASSERT_STRING_EQUAL(f[1], "a, \"quoted\" b");
    CU_ASSERT_STRING_EQUAL(f[2], "");
    CU_ASSERT_EQUAL(split("", f, 8, buf), 1);
    CU_ASSERT_EQUAL(split("\"unterminated", f, 8, buf), -1);
    CU_ASSERT_EQUAL(split("\"a\"b,c", f, 8, buf), -1);
    CU_ASSERT_EQUAL(split("a,b,c", f, 2, buf), -1);
}

static void test_write_roundtrip(void)
{
    const char *values[] = {"plain", "a,b", "say \"hi\"", "", "line\nbreak"};
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    for (int i = 0; i < 4; i++) {
        if (i)
            fputc(',', mem);
        lad_csv_write_field(mem, values[i]);
    }
    fclose(mem);
    char *f[8];
    CU_ASSERT_EQUAL_FATAL(lad_csv_split(text, len, f, 8), 4);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_STRING_EQUAL(f[i], values[i]);
    free(text);
    CU_ASSERT_TRUE(lad_csv_needs_quotes(values[4], strlen(values[4])));
}

static CU_TestInfo tests[] = {
    {"splitting records", test_split},
    {"writing fields round-trips", test_write_roundtrip},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"csv", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
