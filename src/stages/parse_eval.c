/* parse_eval.c - PLACEHOLDER: the parse-eval stage lands with template mining. */
#include "lad_ctx.h"
#include "lad_stages.h"

enum lad_status lad_stage_parse_eval(struct lad_ctx *ctx, const struct lad_options *o)
{
    (void)o;
    return lad_fail(ctx, LAD_ERR_USAGE, "'parse-eval' is not available yet");
}
