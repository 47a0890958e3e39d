/* dispatch.c - lad_run: one command on any communicator, with the closing report. */
#include <stdio.h>

#include "lad_ctx.h"
#include "lad_log.h"
#include "lad_options.h"
#include "lad_stages.h"
#include "lad_timer.h"

typedef enum lad_status (*stage_fn)(struct lad_ctx *, const struct lad_options *);

static const stage_fn stages[LAD_CMD_COUNT] = {
    [LAD_CMD_PREPROCESS] = lad_stage_preprocess, [LAD_CMD_FEATURES] = lad_stage_features,
    [LAD_CMD_TRAIN] = lad_stage_train,           [LAD_CMD_DETECT] = lad_stage_detect,
    [LAD_CMD_RUN] = lad_stage_run,               [LAD_CMD_SYNTH] = lad_stage_synth,
    [LAD_CMD_PARSE_EVAL] = lad_stage_parse_eval,
};

enum lad_status lad_run(struct lad_ctx *ctx, const struct lad_options *o, struct lad_timer_stats *ts)
{
    if (o->command <= LAD_CMD_NONE || o->command >= LAD_CMD_COUNT || stages[o->command] == NULL)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "no stage for command %d", (int)o->command);
    lad_log(ctx, LAD_LOG_VERBOSE, "logad %s on %d rank(s), %d thread(s) each", lad_command_name(o->command), ctx->size,
            ctx->nthreads);
    lad_timer_start(ctx, LAD_PHASE_TOTAL);
    enum lad_status st = stages[o->command](ctx, o);
    lad_timer_stop(ctx, LAD_PHASE_TOTAL);
    /* Timings are reported on failure too: they show where a failing run spent its time. */
    lad_timer_report(ctx, ctx->log_level >= LAD_LOG_INFO ? stdout : NULL, ts);
    return st;
}
