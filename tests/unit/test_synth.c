/*
 * test_synth.c - synthetic HDFS logs, checked against sources independent of the generator: the
 * loghub templates CSV (through the project's matcher), the session README's table of levels,
 * components and loghub events, gmtime for timestamps, and lad_blockid_extract for block ids.
 *   - every session key's line has its event's level, component and loghub template (key 17 -> E29)
 *     and names exactly its block;
 *   - the session reader rejects bad rows with a message naming file and line;
 *   - resampling gives exact class counts, balanced session use and distinct ids;
 *   - a block's events keep their session order and stay within their span;
 *   - a log cut into windows anywhere, formatted by any thread count, is the same bytes, in time order,
 *     and each block's lines replay its session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lad_blockid.h"
#include "lad_hash.h"
#include "lad_logformat.h"
#include "lad_mem.h"
#include "lad_synth.h"
#include "lad_template.h"
#include "lad_test.h"

#define SESSIONS LAD_SOURCE_DIR "/data/hdfs_v1_sessions/sessions_dev.tsv"
#define SESSIONS_README LAD_SOURCE_DIR "/data/hdfs_v1_sessions/README.md"
#define TEMPLATES LAD_SOURCE_DIR "/data/templates/HDFS_templates.csv"

/* ---- the README's table: | key | loghub event | LEVEL `component` | ... ---- */

struct expected {
    char event[8];
    char level[8];
    char component[80];
};
static struct expected want[LAD_SYNTH_MAX_KEY + 1];

/* Copies s[0, n) without '*', '`' and surrounding blanks. */
static void clean(char *dst, size_t cap, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        if (s[i] != '*' && s[i] != '`')
            dst[k++] = s[i];
    dst[k] = '\0';
    while (k > 0 && dst[k - 1] == ' ')
        dst[--k] = '\0';
    size_t lead = strspn(dst, " ");
    memmove(dst, dst + lead, strlen(dst + lead) + 1);
}

static int read_readme_table(void)
{
    FILE *fp = fopen(SESSIONS_README, "r");
    if (fp == NULL)
        return 0;
    char line[1024];
    int rows = 0;
    while (fgets(line, sizeof line, fp)) {
        int key;
        char *cell[5];
        int n = 0;
        for (char *p = line; (p = strchr(p, '|')) != NULL && n < 5; p++)
            cell[n++] = p + 1;
        if (n < 5 || sscanf(cell[0], " %d |", &key) != 1 || key < 1 || key > LAD_SYNTH_MAX_KEY)
            continue;
        clean(want[key].event, sizeof want[key].event, cell[1], (size_t)(cell[2] - cell[1] - 1));
        char lc[128];
        clean(lc, sizeof lc, cell[2], (size_t)(cell[3] - cell[2] - 1));
        if (sscanf(lc, "%7s %79s", want[key].level, want[key].component) == 2)
            rows++;
    }
    fclose(fp);
    return rows;
}

/* The line's "YYMMDD HHMMSS" for second t of the log, from the C library: 2008-11-09 20:35:18 UTC is
 * the first line of HDFS_v1. */
static void expected_stamp(int64_t t, char *buf, size_t cap)
{
    struct tm first = {.tm_year = 108, .tm_mon = 10, .tm_mday = 9, .tm_hour = 20, .tm_min = 35, .tm_sec = 18};
    time_t when = timegm(&first) + (time_t)t;
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(buf, cap, "%y%m%d %H%M%S", &tm);
}

static struct lad_logformat *hdfs_format(void)
{
    struct lad_logformat *fmt = NULL;
    lad_logformat_compile(NULL, "<Date> <Time> <Pid> <Level> <Component>: <Content>", &fmt);
    return fmt;
}

static void field(const struct lad_header *h, int i, char *buf, size_t cap)
{
    size_t n = h->len[i] < cap - 1 ? h->len[i] : cap - 1;
    memcpy(buf, h->start[i], n);
    buf[n] = '\0';
}

/* One line: header fields, template and block id as the README and the loghub CSV say. */
static void check_line(const struct lad_template_set *set, const struct lad_logformat *fmt,
                       const struct lad_synth_block *blk, const struct lad_synth_event *e)
{
    char line[LAD_SYNTH_LINE_MAX];
    size_t n = lad_synth_format_line(blk, e, line, sizeof line);
    CU_ASSERT_TRUE_FATAL(n > 0 && line[n - 1] == '\n');
    CU_ASSERT_PTR_NULL(memchr(line, '\r', n));
    CU_ASSERT_PTR_NULL(memchr(line, '\n', n - 1));
    struct lad_header h;
    CU_ASSERT_TRUE_FATAL(lad_logformat_match(fmt, line, n - 1, &h));
    char date_time[32], got_stamp[32], pid[32], level[16], component[96];
    expected_stamp(e->t, date_time, sizeof date_time);
    field(&h, 0, got_stamp, 8);
    got_stamp[6] = ' ';
    field(&h, 1, got_stamp + 7, 8);
    field(&h, 2, pid, sizeof pid);
    field(&h, 3, level, sizeof level);
    field(&h, 4, component, sizeof component);
    CU_ASSERT_STRING_EQUAL(got_stamp, date_time);
    CU_ASSERT_TRUE(strlen(pid) > 0 && strspn(pid, "0123456789") == strlen(pid));
    CU_ASSERT_STRING_EQUAL(level, want[e->key].level);
    CU_ASSERT_STRING_EQUAL(component, want[e->key].component);
    int ev = lad_template_match(set, h.start[5], h.len[5]);
    CU_ASSERT_TRUE_FATAL(ev >= 0);
    if (strcmp(set->items[ev].id, want[e->key].event) != 0)
        fprintf(stderr, "key %d -> %s, expected %s: %.*s", e->key, set->items[ev].id, want[e->key].event, (int)n,
                line);
    CU_ASSERT_STRING_EQUAL(set->items[ev].id, want[e->key].event);
    int64_t ids[4];
    int overflow = 0;
    CU_ASSERT_EQUAL(lad_blockid_extract(line, n, ids, 4, &overflow, NULL), 1);
    CU_ASSERT_EQUAL(ids[0], blk->id);
    CU_ASSERT_EQUAL(overflow, 0);
}

static void test_every_key_matches_its_template(void)
{
    CU_ASSERT_EQUAL_FATAL(read_readme_table(), LAD_SYNTH_MAX_KEY);
    struct lad_template_set set;
    CU_ASSERT_EQUAL_FATAL(lad_template_set_load(&lad_test_ctx, TEMPLATES, &set), LAD_OK);
    struct lad_logformat *fmt = hdfs_format();
    CU_ASSERT_PTR_NOT_NULL_FATAL(fmt);
    /* Ids of both signs and the extremes; times from the first second to decades later. */
    const int64_t ids[] = {INT64_MIN, -1, 0, 38865049064139660LL, INT64_MAX};
    const int64_t times[] = {0, 1, 86399, 1000000, 102700000, 1500000000};
    for (int64_t b = 0; b < 40; b++) {
        int64_t id = b < 5 ? ids[b] : (int64_t)lad_hash_u64((uint64_t)b);
        struct lad_synth_block blk = {b, id, b % 2, 0, times[b % 6], lad_hash_u64(77 + (uint64_t)b), {0}};
        lad_synth_block_facts(blk.seed, &blk.facts);
        for (int key = 1; key <= LAD_SYNTH_MAX_KEY; key++) {
            CU_ASSERT_STRING_EQUAL(lad_synth_event_id(key), want[key].event);
            /* Several events and occurrences per key reach every variant of its message. */
            for (int32_t which = 0; which < 12; which++) {
                struct lad_synth_event e = {times[(b + which) % 6] + which, which, which % 5, key};
                check_line(&set, fmt, &blk, &e);
            }
        }
    }
    char tiny[16];
    struct lad_synth_block blk = {0, 1, 0, 0, 0, 1, {0}};
    lad_synth_block_facts(blk.seed, &blk.facts);
    struct lad_synth_event e = {0, 0, 0, 22};
    CU_ASSERT_EQUAL(lad_synth_format_line(&blk, &e, tiny, sizeof tiny), 0);
    char line[LAD_SYNTH_LINE_MAX];
    const int bad_keys[] = {0, 29, 30, -1};
    for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
        e.key = bad_keys[i];
        CU_ASSERT_EQUAL(lad_synth_format_line(&blk, &e, line, sizeof line), 0);
        CU_ASSERT_PTR_NULL(lad_synth_event_id(bad_keys[i]));
    }
    lad_logformat_free(&fmt);
    lad_template_set_free(&set);
}

static void test_session_reader(void)
{
    struct lad_sessions s;
    lad_test_write_file("sessions_ok.tsv", "Normal\t5 5 5 22\r\nAnomaly\t5 22 5\n\nNormal\t17  28 \n");
    CU_ASSERT_EQUAL_FATAL(lad_sessions_load(&lad_test_ctx, "sessions_ok.tsv", &s), LAD_OK);
    CU_ASSERT_EQUAL(s.n, 3);
    CU_ASSERT_EQUAL(s.n_normal, 2);
    CU_ASSERT_EQUAL(s.n_anomaly, 1);
    CU_ASSERT_EQUAL(s.n_keys, 9);
    CU_ASSERT_EQUAL(s.keys_normal, 6);
    CU_ASSERT_EQUAL(s.max_len, 4);
    CU_ASSERT_EQUAL(s.offset[1] - s.offset[0], 4);
    CU_ASSERT_EQUAL(s.keys[s.offset[2]], 17);
    CU_ASSERT_EQUAL(s.keys[s.offset[2] + 1], 28);
    CU_ASSERT_EQUAL(s.anomaly_index[0], 1);
    CU_ASSERT_EQUAL(s.normal_index[1], 2);
    lad_sessions_free(&s);
    const struct {
        const char *text, *msg;
    } bad[] = {
        {"Normal 5 5\n", "sessions_bad.tsv:1: expected Normal|Anomaly, a tab"},
        {"Normal\t5 5\nWeird\t5\n", "sessions_bad.tsv:2: unknown label 'Weird'"},
        {"normal\t5 5\n", "sessions_bad.tsv:1: unknown label 'normal'"},
        {"Normal\t5 29\n", "sessions_bad.tsv:1: '29' is not an HDFS event key"},
        {"Normal\t5 5\n\nAnomaly\t5 300 5\n", "sessions_bad.tsv:3: '300' is not an HDFS event key"},
        {"Normal\t0\n", "sessions_bad.tsv:1: '0' is not an HDFS event key"},
        {"Anomaly\t5 x\n", "sessions_bad.tsv:1: 'x' is not an HDFS event key"},
        {"Anomaly\t5,22\n", "sessions_bad.tsv:1: '5,22' is not an HDFS event key"},
        {"Anomaly\t99999999999999999999\n", "is not an HDFS event key"},
        {"Anomaly\t\n", "sessions_bad.tsv:1: a session without events"},
        {"Normal\t5\nAnomaly\t  \n", "sessions_bad.tsv:2: a session without events"},
        {"\n\n", "holds no sessions"},
        {"", "holds no sessions"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lad_test_write_file("sessions_bad.tsv", bad[i].text);
        CU_ASSERT_EQUAL(lad_sessions_load(&lad_test_ctx, "sessions_bad.tsv", &s), LAD_ERR_INPUT);
        CU_ASSERT_EQUAL(s.n, 0);
        CU_ASSERT_PTR_NULL(s.keys);
        if (strstr(lad_test_ctx.err_msg, bad[i].msg) == NULL) {
            fprintf(stderr, "case %zu: expected '%s' in '%s'\n", i, bad[i].msg, lad_test_ctx.err_msg);
            CU_FAIL("session reader message");
        }
        lad_ctx_clear_error(&lad_test_ctx);
    }
    CU_ASSERT_EQUAL(lad_sessions_load(&lad_test_ctx, "no_such_sessions.tsv", &s), LAD_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, "no_such_sessions.tsv"));
    lad_ctx_clear_error(&lad_test_ctx);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void test_resampling(void)
{
    struct lad_sessions s;
    lad_test_write_file("sessions_small.tsv", "Normal\t22 5 5 5\nAnomaly\t5 22\nNormal\t5 5\nNormal\t5 22 5\nAnomaly\t5 5 20\n");
    CU_ASSERT_EQUAL_FATAL(lad_sessions_load(&lad_test_ctx, "sessions_small.tsv", &s), LAD_OK);
    struct lad_synth_plan p;
    /* 10 normal blocks from 3 sessions: each 3 or 4 times; 3 anomalous from 2: each 1 or 2 times. */
    CU_ASSERT_EQUAL_FATAL(lad_synth_plan_init(&lad_test_ctx, &s, 10, 3, 4.0, 5, &p), LAD_OK);
    CU_ASSERT_EQUAL(p.n_blocks, 13);
    int used[5] = {0}, anomalies = 0;
    for (int64_t b = 0; b < p.n_blocks; b++) {
        struct lad_synth_block blk;
        lad_synth_block_at(&p, b, &blk);
        CU_ASSERT_EQUAL(blk.index, b);
        CU_ASSERT_EQUAL(blk.anomaly, s.anomaly[blk.session] == 1);
        used[blk.session]++;
        anomalies += blk.anomaly;
    }
    CU_ASSERT_EQUAL(anomalies, 3);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_TRUE(s.anomaly[i] ? used[i] >= 1 && used[i] <= 2 : used[i] >= 3 && used[i] <= 4);
    /* Default: every session exactly once. */
    CU_ASSERT_EQUAL_FATAL(lad_synth_plan_init(&lad_test_ctx, &s, -1, -1, 4.0, 5, &p), LAD_OK);
    CU_ASSERT_EQUAL(p.n_blocks, 5);
    memset(used, 0, sizeof used);
    for (int64_t b = 0; b < p.n_blocks; b++) {
        struct lad_synth_block blk;
        lad_synth_block_at(&p, b, &blk);
        used[blk.session]++;
    }
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(used[i], 1);
    /* Ids are distinct, of both signs, and change with the seed. */
    CU_ASSERT_EQUAL_FATAL(lad_synth_plan_init(&lad_test_ctx, &s, 20000, 700, 50.0, 9, &p), LAD_OK);
    int64_t *id = malloc(sizeof *id * (size_t)p.n_blocks);
    CU_ASSERT_PTR_NOT_NULL_FATAL(id);
    int negative = 0;
    for (int64_t b = 0; b < p.n_blocks; b++) {
        struct lad_synth_block blk;
        lad_synth_block_at(&p, b, &blk);
        id[b] = blk.id;
        negative += blk.id < 0;
    }
    struct lad_synth_plan q;
    CU_ASSERT_EQUAL_FATAL(lad_synth_plan_init(&lad_test_ctx, &s, 20000, 700, 50.0, 10, &q), LAD_OK);
    struct lad_synth_block other;
    lad_synth_block_at(&q, 0, &other);
    CU_ASSERT_NOT_EQUAL(other.id, id[0]);
    qsort(id, (size_t)p.n_blocks, sizeof *id, cmp_i64);
    int dup = 0;
    for (int64_t b = 1; b < p.n_blocks; b++)
        dup += id[b] == id[b - 1];
    CU_ASSERT_EQUAL(dup, 0);
    CU_ASSERT_TRUE(negative > 9000 && negative < 11700);
    free(id);
    /* A class the file lacks, or nothing at all, is an error. */
    lad_test_write_file("sessions_normal.tsv", "Normal\t22 5 5 5\n");
    lad_sessions_free(&s);
    CU_ASSERT_EQUAL_FATAL(lad_sessions_load(&lad_test_ctx, "sessions_normal.tsv", &s), LAD_OK);
    CU_ASSERT_EQUAL(lad_synth_plan_init(&lad_test_ctx, &s, 5, 1, 4.0, 1, &p), LAD_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, "no Anomaly session"));
    lad_ctx_clear_error(&lad_test_ctx);
    CU_ASSERT_EQUAL(lad_synth_plan_init(&lad_test_ctx, &s, 0, 0, 4.0, 1, &p), LAD_ERR_INPUT);
    lad_ctx_clear_error(&lad_test_ctx);
    CU_ASSERT_EQUAL(lad_synth_plan_init(&lad_test_ctx, &s, 5, -1, 4.0, 1, &p), LAD_OK);
    CU_ASSERT_EQUAL(p.n_anomaly, 0);
    lad_sessions_free(&s);
}

static void test_timeline(void)
{
    struct lad_sessions s;
    CU_ASSERT_EQUAL_FATAL(lad_sessions_load(&lad_test_ctx, SESSIONS, &s), LAD_OK);
    struct lad_synth_plan p;
    CU_ASSERT_EQUAL_FATAL(lad_synth_plan_init(&lad_test_ctx, &s, 3000, 3000, 4.0, 3, &p), LAD_OK);
    struct lad_synth_event *ev = malloc(sizeof *ev * (size_t)s.max_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    int64_t long_sessions = 0, first_second = 0;
    for (int64_t b = 0; b < p.n_blocks; b++) {
        struct lad_synth_block blk;
        lad_synth_block_at(&p, b, &blk);
        /* Starts follow the block rate: within 16 arrival slots of b / rate. */
        CU_ASSERT_TRUE(blk.start >= (int64_t)((double)b / p.rate) - 1 && blk.start <= (int64_t)((double)(b + 16) / p.rate));
        int64_t n = lad_synth_block_events(&p, &blk, ev);
        const uint8_t *keys = s.keys + s.offset[blk.session];
        CU_ASSERT_EQUAL_FATAL(n, s.offset[blk.session + 1] - s.offset[blk.session]);
        int seen[LAD_SYNTH_MAX_KEY + 1] = {0};
        for (int64_t i = 0; i < n; i++) {
            CU_ASSERT_EQUAL(ev[i].key, keys[i]);
            CU_ASSERT_EQUAL(ev[i].which, i);
            CU_ASSERT_EQUAL(ev[i].occ, seen[keys[i]]++);
            CU_ASSERT_TRUE(ev[i].t >= blk.start && ev[i].t < blk.start + LAD_SYNTH_MAX_SPAN && ev[i].t < p.span);
            if (i > 0)
                CU_ASSERT_TRUE(ev[i].t >= ev[i - 1].t);
        }
        first_second += n > 1 && ev[1].t == ev[0].t;
        long_sessions += ev[n - 1].t - ev[0].t >= 60;
    }
    /* Sessions spread over seconds to minutes: many start with two events in one second (the write
     * pipeline), and many last over a minute (reads, deletion). */
    CU_ASSERT_TRUE(first_second > p.n_blocks / 4);
    CU_ASSERT_TRUE(long_sessions > p.n_blocks / 4);
    free(ev);
    lad_sessions_free(&s);
}

/* Key of a line via the templates and the README's table (loghub event -> session key). */
static int key_of_line(const struct lad_template_set *set, const struct lad_logformat *fmt, const char *line,
                       size_t n)
{
    struct lad_header h;
    if (!lad_logformat_match(fmt, line, n, &h))
        return -1;
    int ev = lad_template_match(set, h.start[5], h.len[5]);
    for (int k = 1; ev >= 0 && k <= LAD_SYNTH_MAX_KEY; k++)
        if (strcmp(want[k].event, set->items[ev].id) == 0)
            return k;
    return -1;
}

struct id_index {
    int64_t id, block;
};

static int cmp_id(const void *a, const void *b)
{
    return cmp_i64(&((const struct id_index *)a)->id, &((const struct id_index *)b)->id);
}

/*
 * The plan's log as one window at 1 thread must equal one window at 3 threads and windows of uneven
 * lengths (down to one second) at 2 threads; it has every session's events, in time order, each
 * block's lines replaying its session in order.
 */
static void check_windows(const struct lad_sessions *s, const struct lad_synth_plan *p)
{
    struct lad_buf whole = {0}, threaded = {0}, cut = {0};
    int64_t lines = 0, lines3 = 0, cut_lines = 0, part;
    CU_ASSERT_EQUAL_FATAL(lad_synth_window(&lad_test_ctx, p, 0, p->span, 1, &whole, &lines), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_synth_window(&lad_test_ctx, p, -5, p->span + 5, 3, &threaded, &lines3), LAD_OK);
    const int64_t steps[] = {1, 7, 300, 2, 130, 45, 3, 601, 1199};
    int64_t lo = 0;
    for (int i = 0; lo < p->span; i++) {
        int64_t hi = lo + steps[i % 9];
        CU_ASSERT_EQUAL_FATAL(lad_synth_window(&lad_test_ctx, p, lo, hi, 2, &cut, &part), LAD_OK);
        cut_lines += part;
        lo = hi;
    }
    CU_ASSERT_EQUAL(lines, lines3);
    CU_ASSERT_EQUAL(lines, cut_lines);
    CU_ASSERT_EQUAL_FATAL(whole.len, threaded.len);
    CU_ASSERT_EQUAL(memcmp(whole.data, threaded.data, whole.len), 0);
    CU_ASSERT_EQUAL_FATAL(whole.len, cut.len);
    CU_ASSERT_EQUAL(memcmp(whole.data, cut.data, whole.len), 0);
    CU_ASSERT_EQUAL(lad_synth_window(&lad_test_ctx, p, p->span, p->span + 100, 2, &cut, &part), LAD_OK);
    CU_ASSERT_EQUAL(part, 0);

    int64_t expect_lines = 0;
    struct id_index *index = malloc(sizeof *index * (size_t)p->n_blocks);
    int64_t *done = calloc((size_t)p->n_blocks, sizeof *done); /* events of block b seen so far */
    CU_ASSERT_FATAL(index != NULL && done != NULL);
    for (int64_t b = 0; b < p->n_blocks; b++) {
        struct lad_synth_block blk;
        lad_synth_block_at(p, b, &blk);
        expect_lines += s->offset[blk.session + 1] - s->offset[blk.session];
        index[b] = (struct id_index){blk.id, b};
    }
    CU_ASSERT_EQUAL(lines, expect_lines);
    qsort(index, (size_t)p->n_blocks, sizeof *index, cmp_id);
    struct lad_template_set set;
    CU_ASSERT_EQUAL_FATAL(lad_template_set_load(&lad_test_ctx, TEMPLATES, &set), LAD_OK);
    struct lad_logformat *fmt = hdfs_format();
    char last_stamp[14] = "";
    int64_t counted = 0, out_of_order = 0, wrong_key = 0, unknown = 0;
    for (size_t at = 0; at < whole.len; counted++) {
        const char *line = whole.data + at;
        size_t n = (size_t)((const char *)memchr(line, '\n', whole.len - at) - line);
        at += n + 1;
        out_of_order += memcmp(line, last_stamp, 13) < 0;
        memcpy(last_stamp, line, 13);
        struct id_index key = {0, 0};
        CU_ASSERT_EQUAL_FATAL(lad_blockid_extract(line, n, &key.id, 1, NULL, NULL), 1);
        const struct id_index *hit = bsearch(&key, index, (size_t)p->n_blocks, sizeof *index, cmp_id);
        if (hit == NULL) {
            unknown++;
            continue;
        }
        struct lad_synth_block blk;
        lad_synth_block_at(p, hit->block, &blk);
        const uint8_t *keys = s->keys + s->offset[blk.session];
        wrong_key += key_of_line(&set, fmt, line, n) != keys[done[hit->block]++];
    }
    CU_ASSERT_EQUAL(counted, lines);
    CU_ASSERT_EQUAL(unknown, 0);
    CU_ASSERT_EQUAL(out_of_order, 0);
    CU_ASSERT_EQUAL(wrong_key, 0);
    free(index);
    free(done);
    lad_logformat_free(&fmt);
    lad_template_set_free(&set);
    lad_buf_free(&whole);
    lad_buf_free(&threaded);
    lad_buf_free(&cut);
}

static void test_windows(void)
{
    CU_ASSERT_EQUAL_FATAL(read_readme_table(), LAD_SYNTH_MAX_KEY);
    struct lad_sessions s;
    struct lad_synth_plan p;
    /* Real sessions, resampled: enough lines in one window for 3 threads to share. */
    CU_ASSERT_EQUAL_FATAL(lad_sessions_load(&lad_test_ctx, SESSIONS, &s), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_synth_plan_init(&lad_test_ctx, &s, 1500, 500, 4.0, 21, &p), LAD_OK);
    check_windows(&s, &p);
    /* A sparse log: its whole span is one window of more than 2^16 seconds. */
    CU_ASSERT_EQUAL_FATAL(lad_synth_plan_init(&lad_test_ctx, &s, 150, 50, 0.002, 22, &p), LAD_OK);
    CU_ASSERT_TRUE(p.span > 65536);
    check_windows(&s, &p);
    lad_sessions_free(&s);
    /* Sessions that last the whole span (replication timeouts): the blocks that start long before a
     * window must still be found. */
    lad_test_write_file("sessions_long.tsv", "Anomaly\t22 5 5 25 18 17 25 17 25 17 17 23 21\nNormal\t22 5 5 5 11 9 26 26 26\n");
    CU_ASSERT_EQUAL_FATAL(lad_sessions_load(&lad_test_ctx, "sessions_long.tsv", &s), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_synth_plan_init(&lad_test_ctx, &s, 300, 300, 0.5, 4, &p), LAD_OK);
    check_windows(&s, &p);
    lad_sessions_free(&s);
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
    {"resampling and block ids", test_resampling},
    {"session timelines", test_timeline},
    {"windows and threads give the same log", test_windows},
    {"keyed permutation", test_permutation},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"synth", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
