/*
 * test_logformat.c - header formats: HDFS split, CRLF, missing fields, optional groups, escapes; the
 * split of every line of the 16 loghub samples and of random formats against PCRE2 compiled from the
 * same format string (logparser's regex); hostile lines that made the old backtracking matcher run for
 * ever (with it, this test hits its ctest TIMEOUT).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_logformat.h"
#include "lad_preset.h"
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

/*
 * The reference: the regex logparser builds from a format (fields `(.*?)`, space runs `\s+`, `(...)?`
 * groups, anchored), written here independently of logformat.c's compiler; every other byte is a
 * literal, given to PCRE2 as \x{..} so no byte is read as regex syntax.
 */
static pcre2_code *reference_compile(const char *fmt)
{
    char re[4096];
    size_t o = 0;
    for (const char *p = fmt; *p && o + 16 < sizeof re;) {
        const char *close = NULL;
        if (*p == '<') {
            close = p + 1;
            while (*close && *close != '>' && *close != '<')
                close++;
            if (*close != '>' || close == p + 1)
                close = NULL;
        }
        if (close) {
            o += (size_t)snprintf(re + o, sizeof re - o, "(.*?)");
            p = close + 1;
        } else if (*p == ' ') {
            while (*p == ' ')
                p++;
            o += (size_t)snprintf(re + o, sizeof re - o, "\\s+");
        } else if (*p == '\\' && p[1]) {
            o += (size_t)snprintf(re + o, sizeof re - o, "\\x{%02x}", (unsigned char)p[1]);
            p += 2;
        } else if (*p == '(') {
            o += (size_t)snprintf(re + o, sizeof re - o, "(?:");
            p++;
        } else if (*p == ')' && p[1] == '?') {
            o += (size_t)snprintf(re + o, sizeof re - o, ")?");
            p += 2;
        } else {
            o += (size_t)snprintf(re + o, sizeof re - o, "\\x{%02x}", (unsigned char)*p);
            p++;
        }
    }
    int err;
    PCRE2_SIZE off;
    return pcre2_compile((PCRE2_SPTR)re, o, PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_DOTALL, &err, &off, NULL);
}

static bool ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Reference split of line[0, n) (stripped first, as logparser does): 1 match, 0 no match, -1 PCRE2 gave
 * up (its match limit; only a few random formats with nested groups reach it). */
static int reference_match(const pcre2_code *re, pcre2_match_data *md, const char *line, size_t n, int n_fields,
                           struct lad_header *h)
{
    size_t b = 0, e = n;
    while (b < e && ascii_space(line[b]))
        b++;
    while (e > b && ascii_space(line[e - 1]))
        e--;
    static pcre2_match_context *limits; /* PCRE2 backtracks: bound its work on nested random groups */
    if (limits == NULL && (limits = pcre2_match_context_create(NULL)) != NULL)
        pcre2_set_match_limit(limits, 100000);
    int rc = pcre2_match(re, (PCRE2_SPTR)(line + b), e - b, 0, 0, md, limits);
    if (rc < 0)
        return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    for (int i = 0; i < n_fields; i++) {
        bool unset = ov[2 * i + 2] == PCRE2_UNSET;
        h->start[i] = unset ? NULL : line + b + ov[2 * i + 2];
        h->len[i] = unset ? 0 : ov[2 * i + 3] - ov[2 * i + 2];
    }
    return 1;
}

static long reference_gave_up; /* lines the reference could not decide */

/* True when logad's split of line equals the reference's (or the reference gave up). */
static bool agrees(const struct lad_logformat *fmt, const pcre2_code *re, pcre2_match_data *md, const char *line,
                   size_t n)
{
    struct lad_header got, want;
    int nf = lad_logformat_n_fields(fmt);
    bool ok = lad_logformat_match(fmt, line, n, &got);
    int ref = reference_match(re, md, line, n, nf, &want);
    if (ref < 0) {
        reference_gave_up++;
        return true;
    }
    if (ok != (ref == 1))
        return false;
    for (int i = 0; ok && i < nf; i++)
        if (got.start[i] != want.start[i] || got.len[i] != want.len[i])
            return false;
    return true;
}

static char *read_file(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    char *d = NULL;
    long len;
    if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
        (d = malloc((size_t)len + 1)) != NULL && fread(d, 1, (size_t)len, fp) != (size_t)len) {
        free(d);
        d = NULL;
    }
    fclose(fp);
    *n = d ? (size_t)len : 0;
    return d;
}

/* Every line of the 16 loghub samples splits as logparser's regex splits it, with each preset's format. */
static void test_loghub_samples_match_reference(void)
{
    pcre2_match_data *md = pcre2_match_data_create(LAD_LOGFORMAT_MAX_FIELDS + 1, NULL);
    int systems = 0;
    for (int k = 0; lad_preset_at(k) != NULL; k++) {
        const struct lad_preset *pr = lad_preset_at(k);
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/data/loghub_2k/%s/%s_2k.log", LAD_SOURCE_DIR, pr->system, pr->system);
        size_t n;
        char *data = read_file(path, &n);
        CU_ASSERT_PTR_NOT_NULL_FATAL(data);
        struct lad_logformat *fmt = compile(pr->log_format);
        pcre2_code *re = reference_compile(pr->log_format);
        CU_ASSERT_PTR_NOT_NULL_FATAL(re);
        long lines = 0, differ = 0;
        for (const char *p = data, *end = data + n; p < end; lines++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (len > 0 && p[len - 1] == '\r')
                len--;
            if (!agrees(fmt, re, md, p, len) && differ++ < 3)
                fprintf(stderr, "%s line %ld splits differently: %.*s\n", pr->system, lines + 1, (int)len, p);
            p = nl ? nl + 1 : end;
        }
        CU_ASSERT_EQUAL(lines, 2000);
        CU_ASSERT_EQUAL(differ, 0);
        systems++;
        pcre2_code_free(re);
        lad_logformat_free(&fmt);
        free(data);
    }
    CU_ASSERT_EQUAL(systems, 16);
    CU_ASSERT_EQUAL(reference_gave_up, 0);
    pcre2_match_data_free(md);
}

static uint64_t next_random(uint64_t *x) /* xorshift64: a fixed sequence, the same on every run */
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* A random format: fields, space runs, literals that also occur in the lines, nested optional groups. */
static void random_format(uint64_t *rng, char *out, int *n_fields, int depth)
{
    static const char *const literals[] = {":", "\\[", "\\]", "-", "a", "\\|", ": ", "x"};
    char *o = out + strlen(out);
    for (int parts = 1 + (int)(next_random(rng) % 6); parts > 0; parts--) {
        int r = (int)(next_random(rng) % 10);
        if (r < 3 && *n_fields < LAD_LOGFORMAT_MAX_FIELDS - 1)
            o += sprintf(o, "<F%d>", (*n_fields)++);
        else if (r < 5)
            o += sprintf(o, next_random(rng) % 3 ? " " : "  ");
        else if (r < 8 || depth == 2)
            o += sprintf(o, "%s", literals[next_random(rng) % 8]);
        else {
            *o++ = '(';
            *o = '\0';
            random_format(rng, o, n_fields, depth + 1);
            o += strlen(o);
            o += sprintf(o, ")?");
        }
    }
}

/* Random formats and random lines over the bytes they use: logad's split equals PCRE2's. */
static void test_random_formats_match_reference(void)
{
    pcre2_match_data *md = pcre2_match_data_create(LAD_LOGFORMAT_MAX_FIELDS + 1, NULL);
    uint64_t rng = 88172645463325252ULL;
    long checked = 0, differ = 0;
    for (int f = 0; f < 3000; f++) {
        char text[1024] = "";
        int n_fields = 0;
        random_format(&rng, text, &n_fields, 0);
        strcat(text, next_random(&rng) % 4 ? "<Content>" : "<Content> x");
        struct lad_logformat *fmt = compile(text);
        pcre2_code *re = reference_compile(text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(re);
        for (int l = 0; l < 20; l++) {
            static const char alphabet[] = "ab \t:[]-|x";
            char line[64];
            size_t n = (size_t)(next_random(&rng) % 40);
            for (size_t i = 0; i < n; i++)
                line[i] = alphabet[next_random(&rng) % 10];
            if (!agrees(fmt, re, md, line, n) && differ++ < 3)
                fprintf(stderr, "format '%s', line '%.*s': split differs from PCRE2\n", text, (int)n, line);
            checked++;
        }
        pcre2_code_free(re);
        lad_logformat_free(&fmt);
    }
    CU_ASSERT_EQUAL(differ, 0);
    CU_ASSERT_EQUAL(checked, 60000);
    CU_ASSERT(reference_gave_up < checked / 100); /* the comparison covered almost every line */
    pcre2_match_data_free(md);
}

/* prefix, then `unit` (unit_len bytes) `times` times, then suffix; malloc'd, length in *n. */
static char *build_line(const char *prefix, const char *unit, size_t unit_len, size_t times, const char *suffix,
                        size_t *n)
{
    size_t a = strlen(prefix), z = strlen(suffix);
    *n = a + unit_len * times + z;
    char *s = malloc(*n + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, prefix, a);
    size_t body = unit_len * times, done = times ? unit_len : 0;
    if (done)
        memcpy(s + a, unit, unit_len);
    for (; done < body; done *= 2) /* doubling copies: a 64 MB line in a few passes */
        memcpy(s + a + done, s + a, done < body - done ? done : body - done);
    memcpy(s + a + unit_len * times, suffix, z);
    s[*n] = '\0';
    return s;
}

/*
 * Lines from the issue and worse. The HDFS format needs a ':' followed by whitespace after four
 * whitespace-separated fields, so each line below fits it only where it says so. The old matcher took
 * 12.7 s for 50 spaces and grew steeply after; each line here must take well under a second, with
 * every preset's format (the bound is loose for a loaded CI machine: they take milliseconds).
 */
static void test_hostile_lines(void)
{
    static const char nuls[2] = {0, 0};
    const struct {
        const char *prefix, *unit;
        size_t unit_len, times;
        const char *suffix;
        bool hdfs_fits;
    } cases[] = {
        {"081109 203615 148 INFO blk_7", " ", 1, 50, "x", false},
        {"081109 203615 148 INFO blk_7", " ", 1, 80, "x", false},
        {"081109 203615 148 INFO blk_7", " ", 1, 100000, "x", false},
        {"081109 203615 148 INFO ", "w ", 2, 1000, "x", false},
        {"081109 203615 148 INFO ", "w ", 2, 10000, "x", false},
        {"081109 203615 148 INFO blk_7", "\t", 1, 100000, "x", false},
        {"081109 203615 148 INFO blk_7", " \t\v\f\r", 5, 20000, "x", false},
        {"081109 203615 148 INFO blk_7", nuls, 2, 50000, "x", false},
        {"081109 203615 148 INFO blk_7", "w:x ", 4, 20000, "x", false},
        {"081109 203615 148 INFO dfs.X:", " ", 1, 100000, "x", true},   /* fits: Content is "x" */
        {"081109 203615 148 INFO blk_7", " ", 1, (size_t)64 << 20, "x", false}, /* a 64 MB line */
        {"081109 203615 148 INFO dfs.X: ", "w ", 2, (size_t)32 << 20, "x", true},
    };
    struct lad_logformat *hdfs = compile(HDFS_FORMAT);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n;
        char *line = build_line(cases[c].prefix, cases[c].unit, cases[c].unit_len, cases[c].times, cases[c].suffix, &n);
        CU_ASSERT_PTR_NOT_NULL_FATAL(line);
        struct lad_header h;
        double t0 = lad_test_seconds();
        bool fits = lad_logformat_match(hdfs, line, n, &h);
        double worst = lad_test_seconds() - t0;
        CU_ASSERT_EQUAL(fits, cases[c].hdfs_fits);
        if (fits)
            CU_ASSERT_TRUE(field_is(hdfs, &h, "Component", "dfs.X") && h.start[lad_logformat_content_index(hdfs)] != NULL);
        for (int k = 0; lad_preset_at(k) != NULL; k++) {
            struct lad_logformat *fmt = compile(lad_preset_at(k)->log_format);
            t0 = lad_test_seconds();
            (void)lad_logformat_match(fmt, line, n, &h);
            double t = lad_test_seconds() - t0;
            worst = t > worst ? t : worst;
            lad_logformat_free(&fmt);
        }
        if (worst > 10.0)
            fprintf(stderr, "hostile line %zu (%zu bytes): %.3f s\n", c, n, worst);
        CU_ASSERT(worst < 10.0); /* linear vs backtracking (minutes), with room for sanitizers */
        free(line);
    }
    lad_logformat_free(&hdfs);
}

static CU_TestInfo tests[] = {
    {"HDFS header split", test_hdfs_split},
    {"CRLF and space runs", test_crlf_and_spaces},
    {"missing fields do not match", test_missing_fields},
    {"optional groups and escapes", test_optional_group_and_escapes},
    {"bad format strings", test_bad_formats},
    {"16 loghub samples split as logparser's regex", test_loghub_samples_match_reference},
    {"random formats split as logparser's regex", test_random_formats_match_reference},
    {"hostile lines finish fast", test_hostile_lines},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"logformat", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
