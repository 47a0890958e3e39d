/* test_template.c - <*> templates: matching, specificity, the digit-collapsed cache key, loading. */
#include <stdio.h>
#include <string.h>

#include "lad_template.h"
#include "lad_test.h"

static bool matches(const char *tpl, const char *s)
{
    struct lad_template_set set;
    const char *id = "E1";
    CU_ASSERT_EQUAL_FATAL(lad_template_set_build(NULL, 1, &id, &tpl, &set), LAD_OK);
    bool m = lad_template_matches(&set.items[0], s, strlen(s));
    lad_template_set_free(&set);
    return m;
}

static void test_glob(void)
{
    CU_ASSERT_TRUE(matches("<*>Receiving block<*>src:<*>dest:<*>", "Receiving block blk_1 src: /1.2.3.4:5 dest: /x"));
    CU_ASSERT_FALSE(matches("<*>Receiving block<*>src:<*>dest:<*>", "Receiving block blk_1 dest: /x src: /y"));
    CU_ASSERT_TRUE(matches("PacketResponder <*> for block <*> terminating", "PacketResponder 1 for block blk_2 terminating"));
    CU_ASSERT_FALSE(matches("PacketResponder <*> for block <*> terminating", "xPacketResponder 1 for block b terminating"));
    CU_ASSERT_FALSE(matches("PacketResponder <*> for block <*> terminating", "PacketResponder 1 for block b terminating!"));
    CU_ASSERT_TRUE(matches("<*>", ""));
    CU_ASSERT_TRUE(matches("<*>", "anything"));
    CU_ASSERT_TRUE(matches("exact", "exact"));
    /* the empty template (mined from empty messages) matches only an empty message */
    CU_ASSERT_TRUE(matches("", ""));
    CU_ASSERT_FALSE(matches("", "x"));
    CU_ASSERT_FALSE(matches("exact", "exactly"));
    /* anchored ends may not overlap: "ab" + "ba" needs at least "abba"-like room */
    CU_ASSERT_FALSE(matches("ab<*>ba", "aba"));
    CU_ASSERT_TRUE(matches("ab<*>ba", "abba"));
}

static void test_specificity(void)
{
    /* HDFS E6 and E9 both start "Received block"; the more literal template that fits wins. */
    const char *ids[] = {"E9", "E6", "E5"};
    const char *texts[] = {"<*>Received block<*>of size<*>from<*>", "<*>Received block<*>src:<*>dest:<*>of size<*>",
                           "<*>Receiving block<*>src:<*>dest:<*>"};
    struct lad_template_set set;
    CU_ASSERT_EQUAL_FATAL(lad_template_set_build(NULL, 3, ids, texts, &set), LAD_OK);
    const char *e6 = "Received block blk_1 src: /10.0.0.1:1 dest: /10.0.0.2:50010 of size 67108864";
    const char *e9 = "Received block blk_1 of size 67108864 from /10.251.42.84";
    const char *none = "Receiving nothing";
    CU_ASSERT_EQUAL(lad_template_match(&set, e6, strlen(e6)), 1);
    CU_ASSERT_EQUAL(lad_template_match(&set, e9, strlen(e9)), 0);
    CU_ASSERT_EQUAL(lad_template_match(&set, none, strlen(none)), -1);
    CU_ASSERT_TRUE(set.digit_free);
    lad_template_set_free(&set);
}

static void test_key_equivalence(void)
{
    char a[128], b[128];
    const char *s1 = "Received block blk_-12 of size 67108864 from /10.251.42.84";
    const char *s2 = "Received block blk_99 of size 1 from /10.0.0.7";
    size_t la = lad_template_key(s1, strlen(s1), a, sizeof a), lb = lad_template_key(s2, strlen(s2), b, sizeof b);
    /* different numbers, same key (the '-' stays: it is not a digit) */
    CU_ASSERT_EQUAL(la, lb + 1);
    CU_ASSERT_TRUE(matches("<*>Received block<*>of size<*>from<*>", s1));
    /* templates with digits are not digit-free: the key cache must be bypassed */
    const char *id = "X", *tpl = "PacketResponder 1 for<*>";
    struct lad_template_set set;
    CU_ASSERT_EQUAL_FATAL(lad_template_set_build(NULL, 1, &id, &tpl, &set), LAD_OK);
    CU_ASSERT_FALSE(set.digit_free);
    lad_template_set_free(&set);
}

static void test_load(void)
{
    struct lad_template_set set;
    lad_test_write_file("tpl_ok.csv", "EventId,EventTemplate\r\nE1,<*>a<*>\r\nE2,\"<*>b, c<*>\"\r\n");
    CU_ASSERT_EQUAL_FATAL(lad_template_set_load(&lad_test_ctx, "tpl_ok.csv", &set), LAD_OK);
    CU_ASSERT_EQUAL(set.n, 2);
    CU_ASSERT_STRING_EQUAL(set.items[1].text, "<*>b, c<*>");
    lad_template_set_free(&set);

    const char *bad[] = {"", "Id,Text\nE1,x\n", "EventId,EventTemplate\n", "EventId,EventTemplate\nE1,\"open\n",
                         "EventId,EventTemplate\nE1,a\nE1,b\n", "EventId,EventTemplate\n,x\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lad_test_write_file("tpl_bad.csv", bad[i]);
        CU_ASSERT_EQUAL(lad_template_set_load(&lad_test_ctx, "tpl_bad.csv", &set), LAD_ERR_INPUT);
        CU_ASSERT_TRUE(strstr(lad_test_ctx.err_msg, "tpl_bad.csv") != NULL);
        lad_ctx_clear_error(&lad_test_ctx);
    }
    CU_ASSERT_EQUAL(lad_template_set_load(&lad_test_ctx, "does_not_exist.csv", &set), LAD_ERR_IO);
    lad_ctx_clear_error(&lad_test_ctx);
}

/*
 * A 7 MB file of 200,000 templates loads (the pairwise duplicate check took minutes on it: the bound
 * below only tells linear from quadratic, with room for a loaded machine under ASan, where a 2 s
 * bound failed), and a duplicate on its last line is still found, named by its line, its id escaped.
 */
static void test_large_file_and_duplicates(void)
{
    enum { N = 200000 };
    FILE *fp = fopen("tpl_large.csv", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fputs("EventId,EventTemplate\n", fp);
    for (int i = 0; i < N; i++)
        fprintf(fp, "E%d,<*>Receiving block <*> src: /<*> dest: /<*> %d\n", i, i);
    fclose(fp);
    struct lad_template_set set;
    double t0 = lad_test_seconds();
    CU_ASSERT_EQUAL_FATAL(lad_template_set_load(&lad_test_ctx, "tpl_large.csv", &set), LAD_OK);
    double t = lad_test_seconds() - t0;
    CU_ASSERT_EQUAL(set.n, N);
    CU_ASSERT(t < 30.0);
    lad_template_set_free(&set);

    fp = fopen("tpl_large.csv", "a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fputs("E\x1b[31m7,first\nE199999,again\nE\x1b[31m7,twice\n", fp);
    fclose(fp);
    CU_ASSERT_EQUAL(lad_template_set_load(&lad_test_ctx, "tpl_large.csv", &set), LAD_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, "tpl_large.csv:200003: EventId E199999 appears twice"));
    lad_ctx_clear_error(&lad_test_ctx);
    lad_test_write_file("tpl_bad.csv", "EventId,EventTemplate\nE\x1b]0;x\x07,a\nE\x1b]0;x\x07,b\n");
    CU_ASSERT_EQUAL(lad_template_set_load(&lad_test_ctx, "tpl_bad.csv", &set), LAD_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, "tpl_bad.csv:3: EventId E\\x1b]0;x\\x07 appears twice"));
    CU_ASSERT_PTR_NULL(strchr(lad_test_ctx.err_msg, '\x1b'));
    lad_ctx_clear_error(&lad_test_ctx);
}

static CU_TestInfo tests[] = {
    {"glob matching", test_glob},
    {"most specific template wins", test_specificity},
    {"digit-collapsed key", test_key_equivalence},
    {"loading loghub CSV and its errors", test_load},
    {"large template files, duplicate ids", test_large_file_and_duplicates},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"template", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
