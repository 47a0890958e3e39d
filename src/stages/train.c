/* train.c - the train stage: features (from logs or features.h5) -> models/<model>.h5. */
#include <stdlib.h>

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_labels.h"
#include "lad_model_file.h"
#include "lad_options.h"
#include "lad_stages.h"
#include "stages_internal.h"

enum lad_status lad_stage_train(struct lad_ctx *ctx, const struct lad_options *o)
{
    struct lad_features f;
    struct lad_label_stats label_stats;
    int8_t *label = NULL;
    enum lad_status st = lad__check_model_options(ctx, o);
    if (st != LAD_OK)
        return st;
    st = lad__load_training_input(ctx, o, &f, &label, &label_stats);
    enum lad_model_type types[LAD_N_MODEL_CHOICES];
    const int n_types = lad__model_types(o->model_kind, types);
    for (int k = 0; k < n_types && st == LAD_OK; k++) {
        struct lad_model m;
        st = lad__train_and_write(ctx, o, &f, label, types[k], &m);
        lad_model_free(&m);
    }
    free(label);
    lad_features_free(&f);
    return st;
}
