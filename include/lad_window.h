/*
 * lad_window.h - time windows as session keys, for logs without block ids (loglizer's BGL setting).
 *
 * A fixed window of S seconds numbers each line by floor(t / S); a sliding window of SIZE seconds moving
 * by STEP puts a line in every window [k*STEP, k*STEP + SIZE) that holds t, so a line can count in
 * several sessions (as an HDFS line can name several blocks). t comes from the header fields, read by
 * shape, which covers every loghub preset:
 *   <Timestamp>  epoch seconds (BGL, Thunderbird; preferred when present)
 *   <Date>       yymmdd (HDFS), yyyymmdd, yyyy-mm-dd, yyyy.mm.dd, yyyy/mm/dd, yy/mm/dd (Spark),
 *                mm-dd (Android), a day of the month next to <Month> (Linux, Mac), or a month name
 *                next to <Day> (OpenSSH)
 *   <Month>      Jan..Dec (any case, first three letters) or 1..12;   <Day>  day of the month
 *   <Time>       hh:mm[:ss[.,frac]] (most), hhmmss (HDFS), epoch seconds of 9+ digits (HPC),
 *                yyyymmdd-h:m:s:ms (HealthApp), yyyy-mm-dd-hh.mm.ss.frac (BGL),
 *                "Www Mmm dd hh:mm:ss yyyy" (Apache), "mm.dd hh:mm:ss" (Proxifier)
 * Times are UTC-like seconds from the fields as written (no time zones). Where no year is given the year
 * 2000 is assumed, so such windows are exact within a year and wrap at New Year. Fractions of a second
 * are dropped. A line whose fields do not parse (or give month > 12, day > 31, minute > 59, ...) has
 * no time and counts in no window.
 */
#ifndef LAD_WINDOW_H
#define LAD_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_header;
struct lad_logformat;

#define LAD_WINDOW_MAX_PER_LINE 64

struct lad_window {
    bool sliding;
    int64_t size_s;  /* window length in seconds */
    int64_t step_s;  /* step in seconds (== size_s for fixed windows) */
    /* which header fields hold the time, found from the format's field names */
    int f_timestamp; /* epoch seconds (BGL, Thunderbird <Timestamp>), or -1 */
    int f_date;      /* <Date>, or -1 */
    int f_time;      /* <Time>, or -1 */
    int f_month;     /* <Month> (name), or -1 */
    int f_day;       /* <Day> (number) when the date is split, or -1 */
    bool line_labels; /* windows are labelled by their lines (--line-labels, lad_window_use_labels) */
    int f_label;     /* then the <Label> field: '-' a normal line, anything else an alert */
};

/*
 * Local. Parses "fixed:SECONDS" or "sliding:SIZE,STEP" and finds the time fields of fmt. A spec that
 * does not parse, or a format without usable time fields, is a LAD_ERR_USAGE.
 */
enum lad_status lad_window_parse(struct lad_ctx *ctx, const char *spec, const struct lad_logformat *fmt,
                                 struct lad_window *w);

/*
 * Local, thread-safe. The time of a matched header in seconds (any fixed epoch: only differences and
 * window numbers matter); false if the fields do not hold a time this module understands.
 */
bool lad_window_time(const struct lad_window *w, const struct lad_header *hdr, int64_t *t);

/* Local. The window numbers holding time t (at most max); returns how many. */
int lad_window_keys(const struct lad_window *w, int64_t t, int64_t *keys, int max);

/*
 * Local. Labels windows by their lines (loglizer's BGL setting): a window is anomalous when any line
 * in it is an alert, i.e. its <Label> field (the first field of BGL and Thunderbird lines) is not
 * '-'. A format without a <Label> field is a LAD_ERR_USAGE.
 */
enum lad_status lad_window_use_labels(struct lad_ctx *ctx, struct lad_window *w, const struct lad_logformat *fmt);

/*
 * Local, thread-safe with one table per thread. With line labels, counts an alert line once in
 * `alerts` (column 0) for each of its n windows `keys`; a line whose header did not match has no
 * label. Returns true at once when w is NULL or unlabelled; false only on allocation failure.
 */
struct lad_counts;
bool lad_window_note_label(const struct lad_window *w, const struct lad_header *hdr, bool header_ok,
                           const int64_t *keys, int n, struct lad_counts *alerts);

#endif
