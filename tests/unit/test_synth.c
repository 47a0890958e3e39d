/*
 * test_synth.c - synthetic HDFS lines: every session key's line matches its loghub template (key 17 ->
 * E29) and names its block; the session reader rejects bad rows; the keyed permutation is one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_blockid.h"
#include "lad_hash.h"
#include "lad_logformat.h"
#include "lad_synth.h"
#include "lad_template.h"
#include "lad_test.h"

static void test_every_key_matches_its_template(void)
{
    struct lad_template_set set;
    CU_ASSERT_EQUAL_FATAL(
        lad_template_set_load(&lad_test_ctx, LAD_SOURCE_DIR "/data/templates/HDFS_templates.csv", &set), LAD_OK);
    struct lad_logformat *fmt;
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(NULL, "<Date> <Time> <Pid> <Level> <Component>: <Content>", &fmt), LAD_OK);
    int content = lad_logformat_content_index(fmt);
    for (int64_t b = 0; b < 50; b++) {
        struct lad_synth_block blk = {b, (int64_t)lad_hash_u64((uint64_t)b) * (b % 2 ? -1 : 1), 0, 0, 1000 + b,
                                      lad_hash_u64(77 + (uint64_t)b)};
        for (int key = 1; key <= LAD_SYNTH_MAX_KEY; key++) {
            char line[512];
            size_t n = lad_synth_format_line(&blk, key, (int)b, blk.start + key, line, sizeof line);
            CU_ASSERT_TRUE_FATAL(n > 0 && line[n - 1] == '\n');
            struct lad_header h;
            CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, line, n - 1, &h));
            int ev = lad_template_match(&set, h.start[content], h.len[content]);
            const char *want = key == 17 ? "E29" : NULL;
            char buf[8];
            if (want == NULL) {
                snprintf(buf, sizeof buf, "E%d", key);
                want = buf;
            }
            CU_ASSERT_TRUE_FATAL(ev >= 0);
            if (strcmp(set.items[ev].id, want) != 0)
                fprintf(stderr, "key %d -> %s, expected %s: %.*s", key, set.items[ev].id, want, (int)n, line);
            CU_ASSERT_STRING_EQUAL(set.items[ev].id, want);
            CU_ASSERT_STRING_EQUAL(lad_synth_event_id(key), want);
            int64_t ids[4];
            CU_ASSERT_EQUAL(lad_blockid_extract(line, n, ids, 4, NULL, NULL), 1);
            CU_ASSERT_EQUAL(ids[0], blk.id);
        }
    }
    char tiny[16];
    struct lad_synth_block blk = {0, 1, 0, 0, 0, 1};
    CU_ASSERT_EQUAL(lad_synth_format_line(&blk, 22, 0, 0, tiny, sizeof tiny), 0);
    CU_ASSERT_EQUAL(lad_synth_format_line(&blk, 29, 0, 0, tiny, sizeof tiny), 0);
    lad_logformat_free(&fmt);
    lad_template_set_free(&set);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
}

static void test_session_reader(void)
{
    struct lad_sessions s;
    write_file("sessions_ok.tsv", "Normal\t5 5 5 22\r\nAnomaly\t5 22 5\n\nNormal\t17 28\n");
    CU_ASSERT_EQUAL_FATAL(lad_sessions_load(&lad_test_ctx, "sessions_ok.tsv", &s), LAD_OK);
    CU_ASSERT_EQUAL(s.n, 3);
    CU_ASSERT_EQUAL(s.n_normal, 2);
    CU_ASSERT_EQUAL(s.n_anomaly, 1);
    CU_ASSERT_EQUAL(s.offset[1] - s.offset[0], 4);
    CU_ASSERT_EQUAL(s.keys[s.offset[2]], 17);
    CU_ASSERT_EQUAL(s.anomaly_index[0], 1);
    lad_sessions_free(&s);
    const struct {
        const char *text, *msg;
    } bad[] = {
        {"Normal 5 5\n", ":1: expected Normal|Anomaly, a tab"},
        {"Normal\t5 5\nWeird\t5\n", ":2: unknown label 'Weird'"},
        {"Normal\t5 29\n", ":1: '29' is not an HDFS event key"},
        {"Anomaly\t5 x\n", ":1: 'x' is not an HDFS event key"},
        {"Anomaly\t\n", ":1: a session without events"},
        {"\n\n", "holds no sessions"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file("sessions_bad.tsv", bad[i].text);
        CU_ASSERT_NOT_EQUAL(lad_sessions_load(&lad_test_ctx, "sessions_bad.tsv", &s), LAD_OK);
        if (strstr(lad_test_ctx.err_msg, bad[i].msg) == NULL) {
            fprintf(stderr, "expected '%s' in '%s'\n", bad[i].msg, lad_test_ctx.err_msg);
            CU_FAIL("session reader message");
        }
        lad_ctx_clear_error(&lad_test_ctx);
    }
    CU_ASSERT_EQUAL(lad_sessions_load(&lad_test_ctx, "no_such_sessions.tsv", &s), LAD_ERR_IO);
    lad_ctx_clear_error(&lad_test_ctx);
}

static void test_permutation(void)
{
    const uint64_t sizes[] = {1, 2, 3, 10, 1000, 4097};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        uint64_t n = sizes[k];
        char *seen = calloc(n, 1);
        int fixed = 0;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t j = lad_permute(i, n, 42);
            CU_ASSERT_TRUE_FATAL(j < n);
            CU_ASSERT_FALSE(seen[j]);
            seen[j] = 1;
            fixed += j == i;
        }
        if (n >= 1000)
            CU_ASSERT_TRUE(fixed < 20); /* a shuffle, not the identity */
        free(seen);
    }
    CU_ASSERT_NOT_EQUAL(lad_permute(5, 1000, 1), lad_permute(5, 1000, 2));
}

static CU_TestInfo tests[] = {
    {"every key's line matches its template", test_every_key_matches_its_template},
    {"session file reader", test_session_reader},
    {"keyed permutation", test_permutation},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"synth", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
