/*
 * lad_window.h - time windows as session keys, for logs without block ids (loglizer's BGL setting).
 *
 * A fixed window of S seconds numbers each line by floor(t / S); a sliding window of SIZE seconds moving
 * by STEP puts a line in every window [k*STEP, k*STEP + SIZE) that holds t, so a line can count in
 * several sessions (as an HDFS line can name several blocks). t comes from the header fields.
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

#endif
