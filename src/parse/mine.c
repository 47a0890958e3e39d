/* mine.c - PLACEHOLDER until template mining lands. */
#include "lad_mine.h"

#include "lad_ctx.h"

enum lad_status lad_mine_events(struct lad_ctx *ctx, struct lad_keytab *keys, const struct lad_drain_params *p,
                                struct lad_events *events)
{
    (void)keys;
    (void)p;
    (void)events;
    return lad_status_agree(ctx, lad_fail(ctx, LAD_ERR_USAGE, "template mining is not available yet"));
}
