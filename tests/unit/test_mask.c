/* test_mask.c - mining keys: each built-in variable kind, the punctuation kept around variables,
 * compound identifiers, lists, PCRE2 patterns, whitespace, threads. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_mask.h"
#include "lad_test.h"

/* The key of s under (builtin, patterns), as a static string. */
static const char *key_of(unsigned builtin, const char *const *patterns, int n_patterns, const char *s)
{
    static char out[4096];
    struct lad_masker *m = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_masker_create(NULL, builtin, patterns, n_patterns, &m), LAD_OK);
    struct lad_mask_work *w = lad_mask_work_create(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    size_t n = strlen(s);
    CU_ASSERT_FATAL(3 * n + 16 <= sizeof out);
    size_t len = lad_mask_apply(m, w, s, n, out, 3 * n + 16);
    CU_ASSERT(len <= 3 * n + 16);
    out[len] = '\0';
    lad_mask_work_free(&w);
    lad_masker_free(&m);
    CU_ASSERT_PTR_NULL(w);
    CU_ASSERT_PTR_NULL(m);
    return out;
}

#define EXPECT(builtin, s, want) CU_ASSERT_STRING_EQUAL(key_of((builtin), NULL, 0, (s)), (want))

static void test_numbers(void)
{
    unsigned k = LAD_MASK_NUMBER;
    EXPECT(k, "took 25 ms", "took <*> ms");
    EXPECT(k, "offset -12 and +7", "offset <*> and <*>");
    EXPECT(k, "load 0.75 version 6.1.7601", "load <*> version <*>");
    EXPECT(k, "waited 10ms for 5KB", "waited <*> for <*>");
    /* digits inside a name stay; digits after punctuation are variables of their own */
    EXPECT(k, "eth0 R02-M1 node-246 part-00590", "eth0 R02-M1 node-<*> part-<*>");
    EXPECT(k, "uid=10037, (HWID=1973)", "uid=<*>, (HWID=<*>)");
    /* numeric fields joined by identifier punctuation are one compound id */
    EXPECT(k, "appattempt_1445144423722_0020_000001", "appattempt_<*>");
    EXPECT(k, "attempt_1445144423722_0020_m_000001_0 at 12:01:01.500", "attempt_<*> at <*>");
    /* a token with no letter left is one variable */
    EXPECT(k, "at 12:01:01 on 2005-06-03", "at <*> on <*>");
    EXPECT(k, "plain words only", "plain words only");
    /* NUMBER alone leaves hex and paths */
    EXPECT(k, "0x1f /a/b/c", "0x1f /a/b/c");
    /* a sign belongs to its number after punctuation, not after a letter */
    EXPECT(k, "index:-5 shift=+3 (-7)", "index:<*> shift=<*> (<*>)");
    EXPECT(k, "node-246 R02-5", "node-<*> R02-<*>");
}

static void test_durations_and_sizes(void)
{
    unsigned k = LAD_MASK_NUMBER;
    /* number-unit pairs are one duration; a unit alone is a word */
    EXPECT(k, "up 1h30m, waited 2m30s or 5ms", "up <*>, waited <*> or <*>");
    EXPECT(k, "took 3d2x4", "took 3d2x4");
    /* a size unit written after its number is part of it; its punctuation stays */
    EXPECT(k, "estimated size 16.0 KB, free 2.5 GB)", "estimated size <*>, free <*>)");
    EXPECT(k, "1190 bytes (1.16 KB) sent", "<*> bytes (<*>) sent");
    EXPECT(k, "KB total, 5 items", "KB total, <*> items");
    /* "bytes" is a word of the message, not a unit */
    EXPECT(k, "sent 403 bytes", "sent <*> bytes");
}

static void test_punctuation_kept(void)
{
    EXPECT(LAD_MASK_ALL, "detected and corrected on rank 0, symbol 25, bit 1",
           "detected and corrected on rank <*>, symbol <*>, bit <*>");
    EXPECT(LAD_MASK_ALL, "error(s) (dcr 0x0180) detected", "error(s) (dcr <*>) detected");
    EXPECT(LAD_MASK_ALL, "Finished task 3.0 in stage 0.0 (TID 3). 2152 bytes result",
           "Finished task <*> in stage <*> (TID <*>). <*> bytes result");
    /* which tokens are variables as a whole */
    CU_ASSERT_TRUE(lad_mask_token_is_variable("<*>", 3));
    CU_ASSERT_TRUE(lad_mask_token_is_variable("(<*>),", 6));
    CU_ASSERT_TRUE(lad_mask_token_is_variable("/<*>:", 5));
    CU_ASSERT_FALSE(lad_mask_token_is_variable("uid=<*>", 7));
    CU_ASSERT_FALSE(lad_mask_token_is_variable("()", 2));
    CU_ASSERT_FALSE(lad_mask_token_is_variable("", 0));
    CU_ASSERT_FALSE(lad_mask_token_is_variable("<*", 2));
}

static void test_hex(void)
{
    unsigned k = LAD_MASK_HEX;
    EXPECT(k, "flags=0x1f3a addr 0XFF", "flags=<*> addr <*>");
    EXPECT(k, "token{9f4ef63 a64f992}", "token{<*> <*>}");
    /* hex-looking words without digits, and short mixes, are words */
    EXPECT(k, "cafe added 3d", "cafe added 3d");
    EXPECT(k, "req-38101a0b-2096-447d-96ea-a692162415ae done", "req-<*> done");
    EXPECT(k, "took 25", "took 25");
}

static void test_mac_and_ipv6(void)
{
    unsigned k = LAD_MASK_HEX;
    /* MACs: six or more 2-digit groups, whole, even where groups look like words or numbers */
    EXPECT(k, "chip FF:F2:9F:16:E2:23:00:0D:60:E9:1D:DC ip", "chip <*> ip");
    EXPECT(k, "peer 00:0d:60:e9:1d:dc, via 00-0D-60-E9-1D-DC", "peer <*>, via <*>");
    /* IPv6: six or more groups, or fewer around "::" */
    EXPECT(k, "addr fe80::1c2b:3dff:fe4e:fecd ok", "addr <*> ok");
    EXPECT(k, "addr 2001:db8:0:0:0:0:2:1", "addr <*>");
    EXPECT(k, "route ::1 and ab::", "route ::1 and ab::");
    /* clocks, short pairs, mixed separators and five groups are not addresses */
    EXPECT(k, "at 12:01:02 ab:cd dead:beef 00:11-22:33:44:55 aa:bb:cc:dd:ee", "at 12:01:02 ab:cd dead:beef "
                                                                          "00:11-22:33:44:55 aa:bb:cc:dd:ee");
    /* a group of five hex digits ends it */
    EXPECT(k, "x 00:11:22:33:44:55555", "x 00:11:22:33:44:55555");
}

static void test_ip(void)
{
    unsigned k = LAD_MASK_IP;
    EXPECT(k, "from 10.251.30.6:50010 to 10.0.0.1", "from <*> to <*>");
    EXPECT(k, "src: /10.251.30.6:50010", "src: /<*>");
    /* five groups or a letter after it: not an address */
    EXPECT(k, "v1.2.3.4.5 1.2.3.4x", "v1.2.3.4.5 1.2.3.4x");
    EXPECT(k, "took 25", "took 25");
}

static void test_path(void)
{
    unsigned k = LAD_MASK_PATH;
    EXPECT(k, "Deleting /user/root/rand/part-00590 now", "Deleting <*> now");
    EXPECT(k, "ok file=/etc/httpd/conf/workers2.properties.", "ok file=<*>.");
    /* one slash is no path; neither is a relative name */
    EXPECT(k, "read /tmp and conf/a/b", "read /tmp and conf/a/b");
}

static void test_block(void)
{
    unsigned k = LAD_MASK_BLOCK;
    EXPECT(k, "block blk_-1608999687919862906 and blk_38865049064139660", "block <*> and <*>");
    /* without BLOCK, NUMBER still masks the number after "blk_" */
    EXPECT(LAD_MASK_NUMBER, "block blk_-16 and blk_38", "block blk_<*> and blk_<*>");
    EXPECT(k, "blk_x blk_12a", "blk_x blk_12a");
}

static void test_time(void)
{
    unsigned k = LAD_MASK_TIME;
    EXPECT(k, "connection from 1.2.3.4 () at Sun Jul 10 03:55:15 2005", "connection from 1.2.3.4 () at <*>");
    EXPECT(k, "since Jul  9 22:53:21 ok", "since <*> ok");
    EXPECT(k, "at 2017-05-16 00:00:00.008 and 2017-05-16T01:02:03Z", "at <*> and <*>");
    EXPECT(k, "Jul 10 alone", "Jul 10 alone");
}

static void test_runs(void)
{
    /* a list of variables of any length is one variable */
    EXPECT(LAD_MASK_ALL, "ask 10.0.0.1:50010 to delete 1 2 3 4", "ask <*> to delete <*>");
    /* with commas, and keeping the brackets around it */
    EXPECT(LAD_MASK_ALL, "delete 1, 2, 3 now [4, 5] (6 7)", "delete <*> now [<*>] (<*>)");
    /* punctuation that is not a list separator keeps the variables apart */
    EXPECT(LAD_MASK_ALL, "(TID 3). 2152 and 3: 4", "(TID <*>). <*> and <*>: <*>");
    EXPECT(LAD_MASK_ALL & ~(unsigned)LAD_MASK_RUNS, "delete 1 2 3", "delete <*> <*> <*>");
    EXPECT(LAD_MASK_ALL, "a 1 b 2 c", "a <*> b <*> c");
}

static void test_whitespace_and_none(void)
{
    EXPECT(0, "  a \t b\r\n  c  ", "a b c");
    EXPECT(0, "took 25 ms at 10.0.0.1", "took 25 ms at 10.0.0.1");
    EXPECT(LAD_MASK_ALL, "", "");
    EXPECT(LAD_MASK_ALL, "   ", "");
}

static void test_patterns(void)
{
    const char *hdfs[] = {"blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?"};
    CU_ASSERT_STRING_EQUAL(key_of(0, hdfs, 2, "Receiving block blk_-42 src: /10.0.0.1:5 dest: /10.0.0.2:50010"),
                           "Receiving block <*> src: /<*> dest: /<*>");
    /* patterns run in order, each on the previous result */
    const char *order[] = {"a+", "<\\*>b"};
    CU_ASSERT_STRING_EQUAL(key_of(0, order, 2, "aab xb"), "<*> xb");
    /* a pattern may swallow whitespace, as re.sub does before logparser splits (Windows' 0x.*?\s) */
    const char *windows[] = {"0x.*?\\s"};
    CU_ASSERT_STRING_EQUAL(key_of(0, windows, 1, "stack @0x7fed @0x7fef end"), "stack @<*>@<*>end");
    /* empty matches replace nothing */
    const char *empty[] = {"x*"};
    CU_ASSERT_STRING_EQUAL(key_of(0, empty, 1, "abc xx d"), "abc <*> d");
    /* bytes >= 0x80 are Latin-1 letters for \w (UCP), as in logparser's ISO-8859-1 reading */
    const char *word[] = {"\\w+="};
    CU_ASSERT_STRING_EQUAL(key_of(0, word, 1, "caf\xe9=1"), "<*>1");
    /* the built-in scanner runs after the patterns */
    const char *core[] = {"core\\.\\d+"};
    CU_ASSERT_STRING_EQUAL(key_of(LAD_MASK_ALL, core, 1, "core.2275 took 25"), "<*> took <*>");
}

/* A pattern that grows the text makes the next one need bigger buffers: the text must survive. */
static void test_growing_patterns(void)
{
    enum { N = 5000 };
    static char in[N], out[3 * N + 16];
    for (int i = 0; i < N; i++)
        in[i] = (char)('0' + i % 10);
    /* the first pattern turns 9 of 10 digits into <*> (the text nearly triples), the second the 7s */
    const char *grow[] = {"[0-689]", "7"};
    struct lad_masker *m;
    CU_ASSERT_EQUAL_FATAL(lad_masker_create(NULL, 0, grow, 2, &m), LAD_OK);
    struct lad_mask_work *w = lad_mask_work_create(m);
    size_t len = lad_mask_apply(m, w, in, N, out, sizeof out);
    CU_ASSERT_EQUAL(len, 3 * (size_t)N);
    bool same = len == 3 * (size_t)N;
    for (size_t i = 0; same && i < len; i++)
        same = out[i] == "<*>"[i % 3];
    CU_ASSERT_TRUE(same);
    lad_mask_work_free(&w);
    lad_masker_free(&m);
}

static void test_bad_pattern(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    const char *bad[] = {"ok", "(unclosed"};
    struct lad_masker *m = (struct lad_masker *)1;
    CU_ASSERT_EQUAL(lad_masker_create(ctx, LAD_MASK_ALL, bad, 2, &m), LAD_ERR_USAGE);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(ctx->err_msg, "(unclosed"));
    CU_ASSERT_PTR_NOT_NULL(strstr(ctx->err_msg, "does not compile"));
    lad_ctx_clear_error(ctx);
}

/* Worst cases for the output bound 3n + 16: every byte becomes <*>, by a pattern or by the scanner. */
static void test_bound(void)
{
    const char *each[] = {"."};
    char in[64], out[3 * 64 + 16];
    memset(in, 'z', sizeof in);
    struct lad_masker *m;
    CU_ASSERT_EQUAL_FATAL(lad_masker_create(NULL, 0, each, 1, &m), LAD_OK);
    struct lad_mask_work *w = lad_mask_work_create(m);
    CU_ASSERT_EQUAL(lad_mask_apply(m, w, in, sizeof in, out, sizeof out), 3 * sizeof in);
    lad_mask_work_free(&w);
    lad_masker_free(&m);
    CU_ASSERT_EQUAL_FATAL(lad_masker_create(NULL, LAD_MASK_ALL & ~(unsigned)LAD_MASK_RUNS, NULL, 0, &m), LAD_OK);
    w = lad_mask_work_create(m);
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = i % 2 ? ' ' : '7';
    CU_ASSERT_EQUAL(lad_mask_apply(m, w, in, sizeof in, out, sizeof out), 3 * (sizeof in / 2) + sizeof in / 2 - 1);
    lad_mask_work_free(&w);
    lad_masker_free(&m);
    /* patterns that re-match earlier <*> grow past 3n: the key is cut at cap, never beyond */
    const char *again[] = {".", ".", "."};
    char big[64];
    memset(big, '#', sizeof big);
    CU_ASSERT_EQUAL_FATAL(lad_masker_create(NULL, 0, again, 3, &m), LAD_OK);
    w = lad_mask_work_create(m);
    CU_ASSERT_EQUAL(lad_mask_apply(m, w, "zz", 2, big, 22), 22);
    CU_ASSERT_EQUAL(big[22], '#');
    lad_mask_work_free(&w);
    lad_masker_free(&m);
}

/* One work area per thread gives the keys a single thread gives. */
static void test_threads(void)
{
    enum { N = 2000 };
    const char *pats[] = {"core\\.\\d+", "(\\d+\\.){3}\\d+"};
    struct lad_masker *m;
    CU_ASSERT_EQUAL_FATAL(lad_masker_create(NULL, LAD_MASK_ALL, pats, 2, &m), LAD_OK);
    static char lines[N][96], serial[N][320], parallel[N][320];
    for (int i = 0; i < N; i++)
        snprintf(lines[i], sizeof lines[i], "core.%d from 10.0.%d.%d:%d took %dms id 0x%x at /a/b%d/c", i, i % 7,
                 i % 255, 5000 + i, i * 3, i * 977, i % 5);
    struct lad_mask_work *w = lad_mask_work_create(m);
    for (int i = 0; i < N; i++) {
        size_t l = lad_mask_apply(m, w, lines[i], strlen(lines[i]), serial[i], sizeof serial[i] - 1);
        serial[i][l] = '\0';
    }
    lad_mask_work_free(&w);
    int failures = 0;
#pragma omp parallel num_threads(4) reduction(+ : failures)
    {
        struct lad_mask_work *tw = lad_mask_work_create(m);
        failures += tw == NULL;
#pragma omp for schedule(dynamic, 7)
        for (int i = 0; i < N; i++) {
            if (tw == NULL)
                continue;
            size_t l = lad_mask_apply(m, tw, lines[i], strlen(lines[i]), parallel[i], sizeof parallel[i] - 1);
            parallel[i][l] = '\0';
            failures += strcmp(parallel[i], serial[i]) != 0;
        }
        lad_mask_work_free(&tw);
    }
    CU_ASSERT_EQUAL(failures, 0);
    CU_ASSERT_STRING_EQUAL(serial[1], "<*> from <*> took <*> id <*> at <*>");
    lad_masker_free(&m);
}

static CU_TestInfo tests[] = {
    {"numbers", test_numbers},
    {"durations and sizes", test_durations_and_sizes},
    {"punctuation kept", test_punctuation_kept},
    {"hex and uuid", test_hex},
    {"mac and ipv6", test_mac_and_ipv6},
    {"ip and port", test_ip},
    {"paths", test_path},
    {"block ids", test_block},
    {"date-times", test_time},
    {"runs of variables", test_runs},
    {"whitespace, no kinds", test_whitespace_and_none},
    {"pcre2 patterns", test_patterns},
    {"growing patterns", test_growing_patterns},
    {"bad pattern", test_bad_pattern},
    {"output bound", test_bound},
    {"threads", test_threads},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"mask", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
