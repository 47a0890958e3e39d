/* synth.c - the synth stage: labelled sessions -> a synthetic raw HDFS log and its labels. */
#include "lad_stages.h"
#include "lad_synth.h"

enum lad_status lad_stage_synth(struct lad_ctx *ctx, const struct lad_options *o)
{
    return lad_synth_run(ctx, o);
}
