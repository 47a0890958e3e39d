/* train.c - the train stage: features (from logs or features.h5) -> models/<model>.h5. */
#include <stdio.h>
#include <stdlib.h>

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_ingest.h"
#include "lad_labels.h"
#include "lad_log.h"
#include "lad_model_file.h"
#include "lad_options.h"
#include "lad_outset.h"
#include "lad_stages.h"
#include "stages_internal.h"

enum lad_status lad_stage_train(struct lad_ctx *ctx, const struct lad_options *o)
{
    struct lad_features f;
    struct lad_label_stats label_stats;
    int8_t *label = NULL;
    enum lad_status st = lad__check_model_options(ctx, o);
    if (st == LAD_OK)
        st = lad__load_features(ctx, o, NULL, NULL, NULL, &f);
    if (st != LAD_OK)
        return st;
    if (o->labels_path)
        st = lad__load_labels(ctx, o->labels_path, &f, &label, &label_stats);
    else if (o->line_labels)
        st = lad_ingest_line_labels(ctx, &f, &label, &label_stats);
    const enum lad_model_type kinds[2] = {LAD_MODEL_TYPE_PCA, LAD_MODEL_TYPE_LOGREG};
    for (int k = 0; k < 2 && st == LAD_OK; k++) {
        if (!(o->model_kind & (k == 0 ? LAD_MODEL_PCA : LAD_MODEL_LOGREG)))
            continue;
        struct lad_model m;
        st = lad__train_model(ctx, o, &f, label, kinds[k], &m);
        char path[PATH_MAX];
        lad_outset_model_path(o, lad_model_type_name(kinds[k]), path, sizeof path);
        lad_timer_start(ctx, LAD_PHASE_WRITE);
        if (st == LAD_OK)
            st = lad_model_write(ctx, path, &m);
        lad_timer_stop(ctx, LAD_PHASE_WRITE);
        if (st == LAD_OK)
            lad_log(ctx, LAD_LOG_INFO, "wrote %s (%s, %lld training blocks, %d events)", path,
                    lad_model_type_name(kinds[k]), (long long)m.n_train, m.events.n);
        lad_model_free(&m);
    }
    free(label);
    lad_features_free(&f);
    return st;
}
