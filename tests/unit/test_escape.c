/* test_escape.c - input bytes made printable for messages: escapes, the backslash, cutting with "...". */
#include <string.h>

#include "lad_escape.h"
#include "lad_test.h"

static void test_printable_kept(void)
{
    char out[64];
    CU_ASSERT_STRING_EQUAL(lad_escape_str(out, sizeof out, "081109 INFO dfs.X: ok [1] ~"), "081109 INFO dfs.X: ok [1] ~");
    CU_ASSERT_STRING_EQUAL(lad_escape(out, sizeof out, "", 0), "");
}

static void test_controls_escaped(void)
{
    char out[128];
    /* a colour escape, a terminal-title OSC, NUL, DEL, a C1 byte, UTF-8 and the backslash itself */
    const char in[] = "\x1b[31mred\x1b]0;title\x07\0x\x7f\x9b\xc3\xa9 C:\\dir\t\r";
    lad_escape(out, sizeof out, in, sizeof in - 1);
    CU_ASSERT_STRING_EQUAL(out, "\\x1b[31mred\\x1b]0;title\\x07\\x00x\\x7f\\x9b\\xc3\\xa9 C:\\\\dir\\x09\\x0d");
    for (const char *p = out; *p; p++)
        CU_ASSERT(*p >= 0x20 && *p < 0x7f);
}

static void test_cut_marked(void)
{
    char out[12];
    /* exactly fits: 11 characters and the NUL */
    CU_ASSERT_STRING_EQUAL(lad_escape_str(out, sizeof out, "hello world"), "hello world");
    CU_ASSERT_STRING_EQUAL(lad_escape_str(out, sizeof out, "hello world!"), "hello wo...");
    /* never half an escape: \x1b needs 4 characters, so it is dropped whole */
    CU_ASSERT_STRING_EQUAL(lad_escape(out, sizeof out, "abcdef\x1b\x1b", 8), "abcdef...");
    char tiny[2];
    CU_ASSERT_STRING_EQUAL(lad_escape_str(tiny, sizeof tiny, "abc"), "a");
    char big[LAD_ESCAPE_SIZE(3)];
    CU_ASSERT_STRING_EQUAL(lad_escape(big, sizeof big, "\x01\x02\x03", 3), "\\x01\\x02\\x03");
}

static CU_TestInfo tests[] = {
    {"printable text is kept", test_printable_kept},
    {"control and non-ASCII bytes are escaped", test_controls_escaped},
    {"long text is cut and marked", test_cut_marked},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"escape", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
