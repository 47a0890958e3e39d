/* preprocess.c - the preprocess stage: logs -> features.h5. */
#include "lad_ctx.h"
#include "lad_featfile.h"
#include "lad_features.h"
#include "lad_ingest.h"
#include "lad_log.h"
#include "lad_options.h"
#include "lad_outset.h"
#include "lad_stages.h"

enum lad_status lad_stage_preprocess(struct lad_ctx *ctx, const struct lad_options *o)
{
    struct lad_features f;
    enum lad_status st = lad_ingest_logs(ctx, o, NULL, NULL, NULL, &f);
    if (st != LAD_OK)
        return st;
    lad_ingest_report(ctx, &f);
    const char *out = lad_outset_path(o, "--out");
    lad_timer_start(ctx, LAD_PHASE_WRITE);
    st = lad_featfile_write(ctx, out, &f);
    lad_timer_stop(ctx, LAD_PHASE_WRITE);
    if (st == LAD_OK)
        lad_log(ctx, LAD_LOG_INFO, "wrote %s (%lld x %d counts)", out, (long long)f.n_global, f.n_events);
    lad_features_free(&f);
    return st;
}
