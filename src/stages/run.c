/* run.c - all stages in one job: ingest once, train, keep the models, detect, write results. */
#include <stdlib.h>

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_labels.h"
#include "lad_log.h"
#include "lad_model_file.h"
#include "lad_options.h"
#include "lad_outset.h"
#include "lad_stages.h"
#include "stages_internal.h"

enum lad_status lad_stage_run(struct lad_ctx *ctx, const struct lad_options *o)
{
    struct lad_features f;
    struct lad_label_stats label_stats;
    struct lad_model models[LAD_N_MODEL_CHOICES];
    int n_models = 0;
    int8_t *label = NULL;
    /* Without --model: both detectors when labels allow the supervised one, else PCA. */
    enum lad_model_kind kinds = o->model_kind != LAD_MODEL_NONE ? o->model_kind
                                : o->labels_path || o->line_labels ? LAD_MODEL_BOTH
                                                                : LAD_MODEL_PCA;
    enum lad_status st = lad__check_model_options(ctx, o);
    /* Said before the input is read: a long run's outputs should not have to be searched for. */
    if (st == LAD_OK)
        lad_log(ctx, LAD_LOG_INFO, "run: results go to %s/, models to %s/%s", lad_outset_path(o, "--out"),
                lad_outset_path(o, "--models-dir"), o->models_dir ? "" : " (--models-dir DIR to choose)");
    if (st != LAD_OK)
        return st;
    st = lad__load_training_input(ctx, o, &f, &label, &label_stats);
    enum lad_model_type types[LAD_N_MODEL_CHOICES];
    const int n_types = lad__model_types(kinds, types);
    for (int k = 0; k < n_types && st == LAD_OK; k++) {
        st = lad__train_and_write(ctx, o, &f, label, types[k], &models[n_models]);
        n_models++; /* freed below whatever the result */
    }
    if (st == LAD_OK)
        st = lad__detect(ctx, o, models, n_models, &f, label, &label_stats, lad_outset_path(o, "--out"));
    for (int i = 0; i < n_models; i++)
        lad_model_free(&models[i]);
    free(label);
    lad_features_free(&f);
    return st;
}
