/* test_logformat.c - header formats: HDFS split, CRLF, missing fields, optional groups, escapes. */
#include <string.h>

#include "lad_logformat.h"
#include "lad_test.h"

#define HDFS_FORMAT "<Date> <Time> <Pid> <Level> <Component>: <Content>"

static struct lad_logformat *compile(const char *f)
{
    struct lad_logformat *fmt = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(NULL, f, &fmt), LAD_OK);
    return fmt;
}

static bool field_is(const struct lad_logformat *fmt, const struct lad_header *h, const char *name, const char *want)
{
    int i = lad_logformat_field_index(fmt, name);
    if (i < 0 || h->start[i] == NULL)
        return want == NULL;
    return want && h->len[i] == strlen(want) && memcmp(h->start[i], want, h->len[i]) == 0;
}

static void test_hdfs_split(void)
{
    struct lad_logformat *fmt = compile(HDFS_FORMAT);
    struct lad_header h;
    const char *line = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
                       "blk_38865049064139660 terminating";
    CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, line, strlen(line), &h));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Date", "081109"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Time", "203615"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Pid", "148"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Level", "INFO"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Component", "dfs.DataNode$PacketResponder"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Content", "PacketResponder 1 for block blk_38865049064139660 terminating"));
    lad_logformat_free(&fmt);
    CU_ASSERT_PTR_NULL(fmt);
}

static void test_crlf_and_spaces(void)
{
    struct lad_logformat *fmt = compile(HDFS_FORMAT);
    struct lad_header h;
    const char *line = "081109 203807 222 INFO dfs.FSNamesystem: BLOCK* ask 10.250.14.224:50010 to replicate\r";
    CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, line, strlen(line), &h));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Content", "BLOCK* ask 10.250.14.224:50010 to replicate"));
    /* runs of spaces match one separator; a colon inside the content stays in the content */
    const char *wide = "081109  203807 222 WARN dfs.FSDataset: a: b";
    CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, wide, strlen(wide), &h));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Time", "203807"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Content", "a: b"));
    lad_logformat_free(&fmt);
}

static void test_missing_fields(void)
{
    struct lad_logformat *fmt = compile(HDFS_FORMAT);
    struct lad_header h;
    const char *cases[] = {"", "081109 203615", "081109 203615 148 INFO no colon here", "garbage", "\r"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT_FALSE(lad_logformat_match(fmt, cases[i], strlen(cases[i]), &h));
    /* As in logparser (line stripped, then ': ' needs whitespace after it), an empty message does not
     * fit; ingest then counts the line with its whole text as the message. */
    const char *empty = "081109 203615 148 INFO dfs.X: ";
    CU_ASSERT_FALSE(lad_logformat_match(fmt, empty, strlen(empty), &h));
    const char *one = "081109 203615 148 INFO dfs.X: x";
    CU_ASSERT_TRUE(lad_logformat_match(fmt, one, strlen(one), &h));
    lad_logformat_free(&fmt);
}

static void test_optional_group_and_escapes(void)
{
    struct lad_logformat *fmt = compile("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
    struct lad_header h;
    const char *with = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure";
    CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, with, strlen(with), &h));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Component", "sshd(pam_unix)"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "PID", "19939"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Content", "authentication failure"));
    const char *without = "Jun 14 15:16:02 combo kernel: Linux version";
    CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, without, strlen(without), &h));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Component", "kernel"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "PID", NULL));
    lad_logformat_free(&fmt);

    fmt = compile("<Time>\\|<Component>\\|<Pid>\\|<Content>");
    const char *health = "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579";
    CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, health, strlen(health), &h));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Pid", "30002312"));
    CU_ASSERT_TRUE(field_is(fmt, &h, "Content", "onStandStepChanged 3579"));
    lad_logformat_free(&fmt);
}

static void test_bad_formats(void)
{
    struct lad_logformat *fmt = NULL;
    CU_ASSERT_EQUAL(lad_logformat_compile(NULL, "<Date> <Time>", &fmt), LAD_ERR_USAGE);   /* no Content */
    CU_ASSERT_EQUAL(lad_logformat_compile(NULL, "<A> <A> <Content>", &fmt), LAD_ERR_USAGE); /* twice */
    CU_ASSERT_EQUAL(lad_logformat_compile(NULL, "(<A> <Content>", &fmt), LAD_ERR_USAGE);  /* unclosed */
    CU_ASSERT_EQUAL(lad_logformat_compile(NULL, "<A>) <Content>", &fmt), LAD_ERR_USAGE);
    CU_ASSERT_PTR_NULL(fmt);
}

static CU_TestInfo tests[] = {
    {"HDFS header split", test_hdfs_split},
    {"CRLF and space runs", test_crlf_and_spaces},
    {"missing fields do not match", test_missing_fields},
    {"optional groups and escapes", test_optional_group_and_escapes},
    {"bad format strings", test_bad_formats},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"logformat", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
