/* synth.c - PLACEHOLDER: the synth stage lands with src/synth/. */
#include "lad_ctx.h"
#include "lad_stages.h"

enum lad_status lad_stage_synth(struct lad_ctx *ctx, const struct lad_options *o)
{
    (void)o;
    return lad_fail(ctx, LAD_ERR_USAGE, "'synth' is not available yet");
}
