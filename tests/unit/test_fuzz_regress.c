/*
 * test_fuzz_regress.c - one case per finding of the libFuzzer harnesses (tests/fuzz), so that each stays
 * fixed in the ordinary build too. The inputs that the fuzzers found are kept in tests/fuzz/regress/.
 */
#include <string.h>

#include "lad_logformat.h"
#include "lad_test.h"

/*
 * fuzz_logformat: a line that does not fit a format of many fields separated by spaces made the
 * backtracking matcher try every way to cut it (exponential in the fields: minutes for a 2 KB Android
 * line). It must fail at once, and lines that fit must still match as before. (Found here while the
 * parse-engine package made the matcher linear; its matcher, merged from main, passes.)
 */
static void test_logformat_backtracking(void)
{
    struct lad_logformat *fmt = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(&lad_test_ctx, "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>",
                                                &fmt), LAD_OK);
    char line[4096];
    size_t n = (size_t)snprintf(line, sizeof line, "03-17 16:13:38.811");
    while (n + 3 < sizeof line - 1) {
        memcpy(line + n, "  x", 3); /* many spaces, words, and never the ':' the format needs */
        n += 3;
    }
    line[n] = '\0';
    struct lad_header hdr;
    double t0 = lad_test_seconds();
    CU_ASSERT_FALSE(lad_logformat_match(fmt, line, n, &hdr));
    double took = lad_test_seconds() - t0;
    if (took > 10.0)
        fprintf(stderr, "\nnon-matching line took %.1f s\n", took);
    CU_ASSERT_TRUE(took < 10.0); /* it took minutes; room for sanitizers and a loaded machine */

    const char *ok = "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs opening app";
    CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, ok, strlen(ok), &hdr));
    int content = lad_logformat_content_index(fmt);
    CU_ASSERT_EQUAL(hdr.len[content], strlen("printFreezingDisplayLogs opening app"));
    CU_ASSERT_EQUAL(strncmp(hdr.start[content], "printFreezingDisplayLogs", 24), 0);
    CU_ASSERT_EQUAL(hdr.len[lad_logformat_field_index(fmt, "Component")], strlen("WindowManager"));
    lad_logformat_free(&fmt);
}

/*
 * fuzz_logformat (leak-field-past-node-limit): a field whose name was copied when the format had
 * already used its 128 parts was neither counted nor freed. The compile must fail with LAD_ERR_NOMEM
 * naming the limit, and free everything (the sanitizer run checks this test with leak detection).
 */
static void test_logformat_field_past_node_limit(void)
{
    char format[512];
    size_t n = 0;
    for (int i = 0; i < 64; i++) { /* literal, space: two parts each, 128 in all */
        format[n++] = 'a';
        format[n++] = ' ';
    }
    memcpy(format + n, "<Content>", sizeof "<Content>");
    struct lad_logformat *fmt = NULL;
    CU_ASSERT_EQUAL(lad_logformat_compile(&lad_test_ctx, format, &fmt), LAD_ERR_NOMEM);
    CU_ASSERT_PTR_NULL(fmt);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, "128 parts"));
    lad_ctx_clear_error(&lad_test_ctx);
    /* The field right at the limit: 63 literal-space pairs, then the field as part 127. */
    n = 0;
    for (int i = 0; i < 63; i++) {
        format[n++] = 'a';
        format[n++] = ' ';
    }
    memcpy(format + n, "<Content>", sizeof "<Content>");
    CU_ASSERT_EQUAL(lad_logformat_compile(&lad_test_ctx, format, &fmt), LAD_OK);
    lad_logformat_free(&fmt);
    lad_ctx_clear_error(&lad_test_ctx);
}

static CU_TestInfo tests[] = {
    {"logformat: no exponential backtracking", test_logformat_backtracking},
    {"logformat: a field past the part limit is freed", test_logformat_field_past_node_limit},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"fuzz_regress", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
