/*
 * test_window.c - time windows: spec parsing, the time of a line under every loghub preset's format
 * (expected epoch seconds computed independently with Python's calendar.timegm), and window numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_counts.h"
#include "lad_logformat.h"
#include "lad_preset.h"
#include "lad_test.h"
#include "lad_window.h"

static void test_spec(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_logformat *fmt = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(ctx, "<Date> <Time> <Content>", &fmt), LAD_OK);
    struct lad_window w;
    CU_ASSERT_EQUAL(lad_window_parse(ctx, "fixed:60", fmt, &w), LAD_OK);
    CU_ASSERT_FALSE(w.sliding);
    CU_ASSERT_EQUAL(w.size_s, 60);
    CU_ASSERT_EQUAL(w.step_s, 60);
    CU_ASSERT(w.f_date == 0 && w.f_time == 1 && w.f_timestamp < 0 && w.f_month < 0 && w.f_day < 0);
    CU_ASSERT_EQUAL(lad_window_parse(ctx, "sliding:300,60", fmt, &w), LAD_OK);
    CU_ASSERT_TRUE(w.sliding);
    CU_ASSERT_EQUAL(w.size_s, 300);
    CU_ASSERT_EQUAL(w.step_s, 60);
    const char *bad[] = {"fixed:0", "fixed:-5", "fixed:abc", "fixed:", "sliding:60", "sliding:60,", "hourly",
                         "sliding:6400,1", "fixed:60s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(lad_window_parse(ctx, bad[i], fmt, &w), LAD_ERR_USAGE);
        CU_ASSERT_PTR_NOT_NULL(strstr(ctx->err_msg, "--window"));
        lad_ctx_clear_error(ctx);
    }
    lad_logformat_free(&fmt);
    /* a format without any time field cannot make windows */
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(ctx, "<Level> <Content>", &fmt), LAD_OK);
    CU_ASSERT_EQUAL(lad_window_parse(ctx, "fixed:60", fmt, &w), LAD_ERR_USAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(ctx->err_msg, "<Time>"));
    lad_ctx_clear_error(ctx);
    lad_logformat_free(&fmt);
}

/* The time of one line under a preset's format, or -1 when there is none. */
static long long time_of(const char *preset, const char *line)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    const struct lad_preset *p = lad_preset_find(preset);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    struct lad_logformat *fmt = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(ctx, p->log_format, &fmt), LAD_OK);
    struct lad_window w;
    CU_ASSERT_EQUAL_FATAL(lad_window_parse(ctx, "fixed:60", fmt, &w), LAD_OK);
    struct lad_header hdr;
    long long t = -1;
    int64_t v;
    if (lad_logformat_match(fmt, line, strlen(line), &hdr) && lad_window_time(&w, &hdr, &v))
        t = (long long)v;
    else
        fprintf(stderr, "no time for %s line '%s'\n", preset, line);
    lad_logformat_free(&fmt);
    return t;
}

static void test_preset_times(void)
{
    CU_ASSERT_EQUAL(time_of("hdfs", "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 done"),
                    1226262975LL);
    CU_ASSERT_EQUAL(time_of("hadoop", "2015-10-18 18:01:47,978 INFO [main] org.apache.App: Created x"), 1445191307LL);
    CU_ASSERT_EQUAL(time_of("spark", "17/06/09 20:10:40 INFO executor.Backend: Registered"), 1497039040LL);
    CU_ASSERT_EQUAL(time_of("zookeeper", "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:"
                                         "2181:FastLeaderElection@774] - Notification time out: 3200"),
                    1438191704LL);
    CU_ASSERT_EQUAL(time_of("bgl", "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 "
                                   "R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"),
                    1117838570LL);
    CU_ASSERT_EQUAL(time_of("hpc", "134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component down"),
                    1077804742LL);
    CU_ASSERT_EQUAL(time_of("thunderbird", "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 "
                                           "crond(pam_unix)[2915]: session closed for user root"),
                    1131566461LL);
    CU_ASSERT_EQUAL(time_of("windows", "2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack"),
                    1475037030LL);
    CU_ASSERT_EQUAL(time_of("linux", "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown"),
                    960995761LL);
    CU_ASSERT_EQUAL(time_of("android", "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs"),
                    953309618LL);
    CU_ASSERT_EQUAL(time_of("healthapp", "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579"),
                    1514067329LL);
    CU_ASSERT_EQUAL(time_of("healthapp", "20171224-1:1:0:935|Step_LSC|30002312|processHandleBroadcastAction"),
                    1514077260LL);
    CU_ASSERT_EQUAL(time_of("apache", "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok"), 1133671664LL);
    CU_ASSERT_EQUAL(time_of("proxifier", "[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open"),
                    972924546LL);
    CU_ASSERT_EQUAL(time_of("openssh", "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster"), 976431346LL);
    CU_ASSERT_EQUAL(time_of("openstack", "nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO "
                                         "nova.osapi_compute.wsgi.server [req-1 - - -] 10.11.10.1 \"GET /v2\""),
                    1494892800LL);
    CU_ASSERT_EQUAL(time_of("mac", "Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: IOThunderboltSwitch<0>"),
                    962442055LL);
}

static void test_bad_times(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_logformat *fmt = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(ctx, "<Date> <Time> <Content>", &fmt), LAD_OK);
    struct lad_window w;
    CU_ASSERT_EQUAL_FATAL(lad_window_parse(ctx, "fixed:60", fmt, &w), LAD_OK);
    const char *lines[] = {"2015-13-01 10:00:00 month 13", "2015-10-40 10:00:00 day 40", "xx yy no digits",
                           "2015-10-10 10:77:00 minute 77"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct lad_header hdr;
        int64_t t;
        CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, lines[i], strlen(lines[i]), &hdr));
        CU_ASSERT_FALSE(lad_window_time(&w, &hdr, &t));
    }
    lad_logformat_free(&fmt);
}

static void test_keys(void)
{
    struct lad_window fixed = {.sliding = false, .size_s = 60, .step_s = 60};
    int64_t k[LAD_WINDOW_MAX_PER_LINE];
    CU_ASSERT_EQUAL(lad_window_keys(&fixed, 125, k, 64), 1);
    CU_ASSERT_EQUAL(k[0], 2);
    CU_ASSERT_EQUAL(lad_window_keys(&fixed, 120, k, 64), 1);
    CU_ASSERT_EQUAL(k[0], 2);
    CU_ASSERT_EQUAL(lad_window_keys(&fixed, -1, k, 64), 1);
    CU_ASSERT_EQUAL(k[0], -1); /* floor, not truncation */
    CU_ASSERT_EQUAL(lad_window_keys(&fixed, 5, k, 0), 0);

    /* every window k*step <= t < k*step + size, and no other */
    struct lad_window sl = {.sliding = true, .size_s = 300, .step_s = 60};
    for (int64_t t = -700; t <= 700; t += 13) {
        int n = lad_window_keys(&sl, t, k, 64);
        CU_ASSERT_EQUAL(n, 5);
        for (int i = 0; i < n; i++) {
            CU_ASSERT(k[i] * 60 <= t && t < k[i] * 60 + 300);
            if (i > 0)
                CU_ASSERT_EQUAL(k[i], k[i - 1] + 1);
        }
        CU_ASSERT((k[0] - 1) * 60 + 300 <= t);     /* the window before the first misses t */
        CU_ASSERT((k[n - 1] + 1) * 60 > t);        /* the window after the last starts after t */
    }
    /* a step larger than the size leaves gaps: some times are in no window */
    struct lad_window gap = {.sliding = true, .size_s = 10, .step_s = 60};
    CU_ASSERT_EQUAL(lad_window_keys(&gap, 65, k, 64), 1);
    CU_ASSERT_EQUAL(k[0], 1);
    CU_ASSERT_EQUAL(lad_window_keys(&gap, 75, k, 64), 0);
    /* at most max keys */
    CU_ASSERT_EQUAL(lad_window_keys(&sl, 1000, k, 3), 3);
}

/* One window's noted alert lines. */
struct noted_window {
    int64_t session;
    int64_t count;
};

static int noted_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct noted_window *)a)->session, y = ((const struct noted_window *)b)->session;
    return (x > y) - (x < y);
}

/* The alert lines noted for windows, as (window, count) pairs in window order. */
static size_t noted(struct lad_counts *alerts, struct noted_window **t)
{
    CU_ASSERT_TRUE_FATAL(lad_counts_finish(alerts));
    size_t n = alerts->n_sessions;
    *t = calloc(n ? n : 1, sizeof **t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(*t);
    for (size_t i = 0; i < n; i++) {
        struct lad_count_pair *p = NULL;
        size_t np = 0, cap = 0;
        CU_ASSERT_TRUE_FATAL(lad_counts_pairs(alerts, alerts->firsts[i], NULL, &p, &np, &cap));
        (*t)[i].session = lad_counts_ref_session(alerts, alerts->firsts[i]);
        for (size_t k = 0; k < np; k++) {
            CU_ASSERT_EQUAL(p[k].column, 0);
            (*t)[i].count += p[k].count;
        }
        free(p);
    }
    qsort(*t, n, sizeof **t, noted_cmp);
    return n;
}

/* Line labels: a window with one alert line is anomalous, a window of normal lines is not, and a
 * sliding window counts a line in every window it falls in. Window numbers worked out by hand. */
static void test_line_labels(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_logformat *fmt = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(ctx, lad_preset_find("bgl")->log_format, &fmt), LAD_OK);
    const char *lines[] = {
        /* t = 1000000020: an alert */
        "KERNDTLB 1000000020 2001.09.09 R02-M1 2001-09-09-01.47.00.000000 R02-M1 RAS KERNEL FATAL data TLB error",
        /* t = 1000000100: normal */
        "- 1000000100 2001.09.09 R02-M1 2001-09-09-01.48.20.000000 R02-M1 RAS KERNEL INFO cache parity corrected",
    };
    const char *specs[] = {"fixed:60", "sliding:60,30"};
    /* fixed: 1000000020 / 60 = 16666667 (alert), 1000000100 -> 16666668 (normal only);
     * sliding 60,30: windows [30k, 30k + 60): the alert is in 33333333 and 33333334, the normal line in
     * 33333335 and 33333336 */
    const int64_t want[2][2] = {{16666667, -1}, {33333333, 33333334}};
    for (int s = 0; s < 2; s++) {
        struct lad_window w;
        struct lad_counts alerts;
        CU_ASSERT_EQUAL_FATAL(lad_window_parse(ctx, specs[s], fmt, &w), LAD_OK);
        CU_ASSERT_FALSE(w.line_labels);
        CU_ASSERT_EQUAL_FATAL(lad_window_use_labels(ctx, &w, fmt), LAD_OK);
        CU_ASSERT_TRUE_FATAL(lad_counts_init(&alerts, 16));
        for (int i = 0; i < 2; i++) {
            struct lad_header hdr;
            int64_t t, keys[LAD_WINDOW_MAX_PER_LINE];
            CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, lines[i], strlen(lines[i]), &hdr));
            CU_ASSERT_TRUE_FATAL(lad_window_time(&w, &hdr, &t));
            int n = lad_window_keys(&w, t, keys, LAD_WINDOW_MAX_PER_LINE);
            CU_ASSERT_EQUAL(n, s == 0 ? 1 : 2);
            CU_ASSERT_TRUE(lad_window_note_label(&w, &hdr, true, keys, n, &alerts));
            /* a line whose header did not match has no label */
            CU_ASSERT_TRUE(lad_window_note_label(&w, &hdr, false, keys, n, &alerts));
        }
        struct noted_window *t;
        size_t n = noted(&alerts, &t);
        CU_ASSERT_EQUAL(n, s == 0 ? 1u : 2u);
        for (size_t i = 0; i < n && i < 2; i++) {
            CU_ASSERT_EQUAL(t[i].session, want[s][i]);
            CU_ASSERT_EQUAL(t[i].count, 1);
        }
        free(t);
        lad_counts_free(&alerts);
        /* a window without line labels notes nothing */
        w.line_labels = false;
        CU_ASSERT_TRUE(lad_window_note_label(&w, NULL, true, NULL, 0, NULL));
        CU_ASSERT_TRUE(lad_window_note_label(NULL, NULL, true, NULL, 0, NULL));
    }
    lad_logformat_free(&fmt);
    /* a format without a <Label> field cannot label windows */
    CU_ASSERT_EQUAL_FATAL(lad_logformat_compile(ctx, "<Date> <Time> <Content>", &fmt), LAD_OK);
    struct lad_window w;
    CU_ASSERT_EQUAL_FATAL(lad_window_parse(ctx, "fixed:60", fmt, &w), LAD_OK);
    CU_ASSERT_EQUAL(lad_window_use_labels(ctx, &w, fmt), LAD_ERR_USAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(ctx->err_msg, "<Label>"));
    lad_ctx_clear_error(ctx);
    lad_logformat_free(&fmt);
}

static CU_TestInfo tests[] = {
    {"spec", test_spec},
    {"line labels", test_line_labels},
    {"preset times", test_preset_times},
    {"bad times", test_bad_times},
    {"window keys", test_keys},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"window", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
