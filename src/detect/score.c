/* score.c - a model applied to the local rows of a feature matrix. */
#include "lad_score.h"

#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_events.h"
#include "lad_features.h"
#include "lad_mem.h"
#include "lad_model_file.h"
#include "lad_verdict.h"

enum lad_status lad_score_map_columns(struct lad_ctx *ctx, const struct lad_events *model,
                                      const struct lad_events *features, struct lad_column_map *map)
{
    memset(map, 0, sizeof *map);
    map->model_to_feature = lad_malloc_array((size_t)model->n, sizeof(int));
    bool *used = lad_calloc_array((size_t)features->n, sizeof *used);
    if (map->model_to_feature == NULL || used == NULL) {
        free(used);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory mapping events");
    }
    /* When the features' events are the model's own, position by position (detect with the model's
     * event assigner; run, whose models add the UNKNOWN column after them), column j is event j, even
     * where two mined events share a template. Otherwise template text is the identity of an event:
     * ids differ between runs, templates do not. */
    bool own = features->n <= model->n;
    for (int j = 0; own && j < features->n; j++)
        own = strcmp(model->ids[j], features->ids[j]) == 0 && strcmp(model->templates[j], features->templates[j]) == 0;
    for (int j = 0; j < model->n; j++) {
        int c = own ? (j < features->n ? j : -1) : lad_events_find_template(features, model->templates[j]);
        map->model_to_feature[j] = c;
        if (c < 0)
            map->missing_events++;
        else
            used[c] = true;
    }
    for (int c = 0; c < features->n; c++)
        if (!used[c] && features->lines[c] > 0) {
            map->unseen_events++;
            map->unseen_lines += features->lines[c];
        }
    free(used);
    return LAD_OK;
}

void lad_score_map_free(struct lad_column_map *map)
{
    lad_free(&map->model_to_feature);
}

enum lad_status lad_score_rows(struct lad_ctx *ctx, const struct lad_model *m, const struct lad_features *f,
                               const struct lad_column_map *map, int n_top, struct lad_verdicts *v)
{
    int n = m->events.n;
    enum lad_status st = lad_verdicts_alloc(ctx, v, f->n_local, n_top);
    int64_t *x = lad_malloc_array((size_t)n, sizeof *x);
    double *y = lad_malloc_array((size_t)n, sizeof *y);
    int top[LAD_TOP_EVENTS_MAX];
    if (st == LAD_OK && (x == NULL || y == NULL))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory scoring");
    v->model_name = lad_model_type_name(m->type);
    v->events = &m->events;
    v->threshold = m->type == LAD_MODEL_TYPE_PCA ? lad_pca_decision_threshold(&m->pca) : m->logreg.threshold;
    for (int64_t r = 0; st == LAD_OK && r < f->n_local; r++) {
        const int64_t *row = f->counts + r * f->n_events;
        for (int j = 0; j < n; j++)
            x[j] = map->model_to_feature[j] >= 0 ? row[map->model_to_feature[j]] : 0;
        lad_transform_apply(&m->transform, x, y);
        for (int t = 0; t < n_top; t++)
            top[t] = -1;
        double s = m->type == LAD_MODEL_TYPE_PCA ? lad_pca_score(&m->pca, y, top, n_top)
                                                 : lad_logreg_score(&m->logreg, y, top, n_top);
        v->score[r] = s;
        v->anomaly[r] = s > v->threshold;
        for (int t = 0; t < n_top; t++)
            v->top[r * n_top + t] = top[t];
    }
    free(x);
    free(y);
    return st;
}
