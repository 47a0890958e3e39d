/* todo_stages.c - PLACEHOLDER stages, replaced one by one as their modules land. */
#include "lad_ctx.h"
#include "lad_options.h"
#include "lad_stages.h"

#define NOT_YET(fn, name)                                                                                      \
    enum lad_status fn(struct lad_ctx *ctx, const struct lad_options *o)                                       \
    {                                                                                                          \
        (void)o;                                                                                               \
        return lad_fail(ctx, LAD_ERR_USAGE, "'%s' is not available yet", name);                                \
    }

NOT_YET(lad_stage_features, "features")
NOT_YET(lad_stage_train, "train")
NOT_YET(lad_stage_detect, "detect")
NOT_YET(lad_stage_run, "run")
