/*
 * window.c - time windows as session keys.
 *
 * The time of a line is read from its header fields, by shape rather than by system, so every loghub
 * preset works and a user format with the same field names does too:
 *   <Timestamp>  epoch seconds (BGL, Thunderbird)
 *   <Date>       yymmdd (HDFS), yyyy-mm-dd / yyyy.mm.dd / yyyy/mm/dd, yy/mm/dd (Spark), yyyymmdd,
 *                mm-dd (Android), a day number when <Month> holds the month (Linux, Mac), or a
 *                month name when <Day> holds the day (OpenSSH)
 *   <Month>      a month name (Jan..Dec) or number;  <Day>  a day number
 *   <Time>       hh:mm[:ss[.frac]], hhmmss (HDFS), epoch seconds (HPC), yyyymmdd-h:m:s:ms
 *                (HealthApp), yyyy-mm-dd-hh.mm.ss.frac (BGL), "Www Mmm dd hh:mm:ss yyyy" (Apache),
 *                "mm.dd hh:mm:ss" (Proxifier)
 * A date without a year is taken in year 2000, so windows of logs without years (Linux, Mac, OpenSSH,
 * Android, Proxifier) are exact within a year and wrap at New Year. Fractions of seconds are dropped.
 */
#include "lad_window.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lad_counts.h"
#include "lad_ctx.h"
#include "lad_logformat.h"

#define MAX_GROUPS 10
#define DEFAULT_YEAR 2000

/* Digit groups of a field (values and lengths) and a month name if one appears. */
struct shape {
    int n;
    int64_t val[MAX_GROUPS];
    int len[MAX_GROUPS];
    int month; /* 1..12, or 0 */
};

static int month_of(const char *s, size_t n)
{
    static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    if (n < 3)
        return 0;
    for (int m = 0; m < 12; m++)
        if (strncasecmp(s, names + 3 * m, 3) == 0)
            return m + 1;
    return 0;
}

static void shape_of(const char *s, size_t n, struct shape *sh)
{
    memset(sh, 0, sizeof *sh);
    for (size_t i = 0; i < n;) {
        if (s[i] >= '0' && s[i] <= '9') {
            int64_t v = 0;
            int len = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                if (len < 18)
                    v = v * 10 + (s[i] - '0');
                len++, i++;
            }
            if (sh->n < MAX_GROUPS) {
                sh->val[sh->n] = v;
                sh->len[sh->n++] = len;
            }
        } else if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') {
            size_t b = i;
            while (i < n && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
                i++;
            if (!sh->month)
                sh->month = month_of(s + b, i - b);
        } else {
            i++;
        }
    }
}

/* Broken-down time being assembled from the fields; -1 = not given. */
struct when {
    int64_t year, month, day, hour, min, sec;
};

static int64_t year_of(const struct shape *sh, int i)
{
    return sh->len[i] <= 2 ? 2000 + sh->val[i] : sh->val[i];
}

/* The <Date> field; false if its shape is unknown. */
static bool read_date(const struct shape *sh, struct when *w)
{
    if (sh->n == 0 && sh->month) {
        w->month = sh->month;
    } else if (sh->n == 1 && sh->len[0] <= 2) {
        w->day = sh->val[0];
    } else if (sh->n == 1 && (sh->len[0] == 6 || sh->len[0] == 8)) {
        int64_t v = sh->val[0];
        w->day = v % 100;
        w->month = v / 100 % 100;
        w->year = sh->len[0] == 6 ? 2000 + v / 10000 : v / 10000;
    } else if (sh->n == 3 && (sh->len[0] == 4 || sh->len[0] == 2)) {
        w->year = year_of(sh, 0);
        w->month = sh->val[1];
        w->day = sh->val[2];
    } else if (sh->n == 2) {
        w->month = sh->val[0];
        w->day = sh->val[1];
    } else {
        return false;
    }
    return true;
}

static void hms(const struct shape *sh, int i, struct when *w)
{
    w->hour = sh->val[i];
    w->min = i + 1 < sh->n ? sh->val[i + 1] : 0;
    w->sec = i + 2 < sh->n ? sh->val[i + 2] : 0;
}

/* The <Time> field; *epoch is set when the field is itself epoch seconds. */
static bool read_time(const struct shape *sh, struct when *w, bool *epoch, int64_t *t)
{
    *epoch = false;
    if (sh->n == 1 && sh->len[0] >= 9) {
        *epoch = true;
        *t = sh->val[0];
    } else if (sh->n == 1 && sh->len[0] == 6) {
        w->hour = sh->val[0] / 10000;
        w->min = sh->val[0] / 100 % 100;
        w->sec = sh->val[0] % 100;
    } else if (sh->n >= 4 && sh->len[0] == 8) { /* yyyymmdd-h:m:s */
        w->year = sh->val[0] / 10000;
        w->month = sh->val[0] / 100 % 100;
        w->day = sh->val[0] % 100;
        hms(sh, 1, w);
    } else if (sh->n >= 6 && sh->len[0] == 4) { /* yyyy-mm-dd-hh.mm.ss */
        w->year = sh->val[0];
        w->month = sh->val[1];
        w->day = sh->val[2];
        hms(sh, 3, w);
    } else if (sh->n >= 4 && sh->month) { /* Www Mmm dd hh:mm:ss [yyyy] */
        w->month = sh->month;
        w->day = sh->val[0];
        hms(sh, 1, w);
        if (sh->n >= 5 && sh->len[4] == 4)
            w->year = sh->val[4];
    } else if (sh->n >= 5) { /* mm.dd hh:mm:ss */
        w->month = sh->val[0];
        w->day = sh->val[1];
        hms(sh, 2, w);
    } else if (sh->n >= 2) {
        hms(sh, 0, w);
    } else {
        return false;
    }
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool parse_count(const char *s, const char *end, int64_t *v)
{
    if (s == end || *s < '0' || *s > '9')
        return false;
    char *e;
    errno = 0;
    long long x = strtoll(s, &e, 10);
    if (errno || e != end || x <= 0)
        return false;
    *v = (int64_t)x;
    return true;
}

enum lad_status lad_window_parse(struct lad_ctx *ctx, const char *spec, const struct lad_logformat *fmt,
                                 struct lad_window *w)
{
    memset(w, 0, sizeof *w);
    const char *colon = strchr(spec, ':');
    bool ok = false;
    if (colon && strncmp(spec, "fixed:", 6) == 0) {
        ok = parse_count(colon + 1, colon + strlen(colon), &w->size_s);
        w->step_s = w->size_s;
    } else if (colon && strncmp(spec, "sliding:", 8) == 0) {
        const char *comma = strchr(colon, ',');
        w->sliding = true;
        ok = comma && parse_count(colon + 1, comma, &w->size_s) && parse_count(comma + 1, comma + strlen(comma),
                                                                                 &w->step_s);
    }
    if (!ok)
        return lad_fail(ctx, LAD_ERR_USAGE, "--window '%s': expected fixed:SECONDS or sliding:SIZE,STEP with positive "
                                            "whole seconds", spec);
    if (w->sliding && (w->size_s + w->step_s - 1) / w->step_s > LAD_WINDOW_MAX_PER_LINE)
        return lad_fail(ctx, LAD_ERR_USAGE, "--window '%s': a line would fall in more than %d windows; use a larger "
                                            "STEP", spec, LAD_WINDOW_MAX_PER_LINE);
    w->f_timestamp = lad_logformat_field_index(fmt, "Timestamp");
    w->f_date = lad_logformat_field_index(fmt, "Date");
    w->f_time = lad_logformat_field_index(fmt, "Time");
    w->f_month = lad_logformat_field_index(fmt, "Month");
    w->f_day = lad_logformat_field_index(fmt, "Day");
    if (w->f_timestamp < 0 && w->f_date < 0 && w->f_time < 0)
        return lad_fail(ctx, LAD_ERR_USAGE, "--window needs a <Timestamp>, <Date> or <Time> field in the log format");
    return LAD_OK;
}

static bool field(const struct lad_header *hdr, int f, struct shape *sh)
{
    if (f < 0 || f >= hdr->n_fields || hdr->start[f] == NULL)
        return false;
    shape_of(hdr->start[f], hdr->len[f], sh);
    return true;
}

bool lad_window_time(const struct lad_window *w, const struct lad_header *hdr, int64_t *t)
{
    struct shape sh;
    if (field(hdr, w->f_timestamp, &sh) && sh.n == 1 && sh.len[0] >= 9 && !sh.month) {
        *t = sh.val[0];
        return true;
    }
    struct when when = {-1, -1, -1, -1, -1, -1};
    bool any = false;
    if (field(hdr, w->f_month, &sh)) {
        if (sh.month)
            when.month = sh.month;
        else if (sh.n == 1)
            when.month = sh.val[0];
    }
    if (field(hdr, w->f_date, &sh))
        any |= read_date(&sh, &when);
    if (field(hdr, w->f_day, &sh) && sh.n == 1)
        when.day = sh.val[0];
    if (field(hdr, w->f_time, &sh)) {
        bool epoch;
        bool ok = read_time(&sh, &when, &epoch, t);
        if (ok && epoch)
            return true;
        any |= ok;
    }
    if (!any)
        return false;
    int64_t y = when.year >= 0 ? when.year : DEFAULT_YEAR, mo = when.month >= 0 ? when.month : 1;
    int64_t d = when.day >= 0 ? when.day : 1;
    int64_t h = when.hour >= 0 ? when.hour : 0, mi = when.min >= 0 ? when.min : 0;
    int64_t s = when.sec >= 0 ? when.sec : 0;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60)
        return false;
    *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return true;
}

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

int lad_window_keys(const struct lad_window *w, int64_t t, int64_t *keys, int max)
{
    if (!w->sliding) {
        if (max < 1)
            return 0;
        keys[0] = floor_div(t, w->size_s);
        return 1;
    }
    /* Window k covers [k*step, k*step + size): the k with (t - size)/step < k <= t/step. */
    int64_t hi = floor_div(t, w->step_s), lo = floor_div(t - w->size_s, w->step_s) + 1;
    int n = 0;
    for (int64_t k = lo; k <= hi && n < max; k++)
        keys[n++] = k;
    return n;
}

enum lad_status lad_window_use_labels(struct lad_ctx *ctx, struct lad_window *w, const struct lad_logformat *fmt)
{
    w->f_label = lad_logformat_field_index(fmt, "Label");
    w->line_labels = w->f_label >= 0;
    if (!w->line_labels)
        return lad_fail(ctx, LAD_ERR_USAGE, "--line-labels reads each line's <Label> field, and the log format has "
                                            "none (BGL and Thunderbird have one: '-' normal, anything else an alert)");
    return LAD_OK;
}

bool lad_window_note_label(const struct lad_window *w, const struct lad_header *hdr, bool header_ok,
                           const int64_t *keys, int n, struct lad_counts *alerts)
{
    if (w == NULL || !w->line_labels || !header_ok || w->f_label >= hdr->n_fields)
        return true;
    const char *label = hdr->start[w->f_label];
    if (label == NULL || (hdr->len[w->f_label] == 1 && label[0] == '-'))
        return true;
    /* A sliding window holds a line as much as a fixed one: the alert counts in every window it is in. */
    for (int i = 0; i < n; i++)
        if (!lad_counts_add(alerts, keys[i], 0, 1))
            return false;
    return true;
}
