/* window.c - PLACEHOLDER until time windows land. */
#include "lad_window.h"

#include "lad_ctx.h"

enum lad_status lad_window_parse(struct lad_ctx *ctx, const char *spec, const struct lad_logformat *fmt,
                                 struct lad_window *w)
{
    (void)spec;
    (void)fmt;
    (void)w;
    return lad_fail(ctx, LAD_ERR_USAGE, "--window is not available yet");
}

bool lad_window_time(const struct lad_window *w, const struct lad_header *hdr, int64_t *t)
{
    (void)w;
    (void)hdr;
    (void)t;
    return false;
}

int lad_window_keys(const struct lad_window *w, int64_t t, int64_t *keys, int max)
{
    (void)w;
    (void)t;
    (void)keys;
    (void)max;
    return 0;
}
