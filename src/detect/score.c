/* score.c - a model applied to the local rows of a feature matrix. */
#include "lad_score.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_detector.h"
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

/*
 * Equal rows get equal verdicts: a session's row of counts is all that its score and explanation
 * depend on, and HDFS blocks repeat a few thousand distinct rows over millions of blocks. Each group of
 * equal rows (lad_features_group_rows) is one case, scored once from its first row; the rows copy its
 * score. The same computation on the same numbers, so the bits are those of scoring every row, at any
 * rank count.
 */
enum lad_status lad_score_rows(struct lad_ctx *ctx, const struct lad_model *m, const struct lad_features *f,
                               const struct lad_column_map *map, int n_top, struct lad_verdicts *v)
{
    const int n = m->events.n;
    const struct lad_detector *d = lad_detector_find(m->type);
    if (d == NULL)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "scoring a model of unknown type %d", (int)m->type);
    if (f->group_of == NULL && f->n_local > 0)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "scoring rows that were not grouped (lad_features_group_rows)");
    enum lad_status st = lad_verdicts_alloc(ctx, v, f->n_local, f->n_groups, n_top, n);
    int64_t *x = lad_malloc_array((size_t)n, sizeof *x);
    int64_t *dense = lad_malloc_array((size_t)f->n_events, sizeof *dense);
    double *y = lad_malloc_array((size_t)n, sizeof *y);
    double *buf = lad_malloc_array((size_t)n, sizeof *buf);
    double *case_score = lad_malloc_array((size_t)(f->n_groups > 0 ? f->n_groups : 1), sizeof *case_score);
    int top[LAD_TOP_EVENTS_MAX];
    if (st == LAD_OK && (x == NULL || y == NULL || buf == NULL || dense == NULL || case_score == NULL))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory scoring");
    v->detector = d;
    v->events = &m->events;
    v->case_of = f->group_of;
    v->case_first = f->group_first;
    v->threshold = d->threshold(m);
    if (st == LAD_OK)
        memcpy(v->columns, map->model_to_feature, (size_t)n * sizeof *v->columns);
    for (int64_t g = 0; st == LAD_OK && g < f->n_groups; g++) {
        const size_t at = (size_t)g * (size_t)n_top;
        lad_features_row_dense(f, f->group_first[g], dense);
        for (int j = 0; j < n; j++)
            x[j] = map->model_to_feature[j] >= 0 ? dense[map->model_to_feature[j]] : 0;
        lad_transform_apply(&m->transform, x, y);
        /* The detector explains the score (lad_detector.h); the counts it names are the row's own. */
        case_score[g] = d->score_row(m, y, buf, n_top, top, v->contribution + at, v->expected + at);
        for (int t = 0; t < n_top; t++) {
            v->top[at + t] = top[t];
            v->observed[at + t] = top[t] >= 0 ? x[top[t]] : 0;
        }
    }
    for (int64_t r = 0; st == LAD_OK && r < f->n_local; r++) {
        const double s = case_score[f->group_of[r]];
        v->score[r] = s;
        v->anomaly[r] = s > v->threshold;
    }
    free(case_score);
    free(x);
    free(dense);
    free(y);
    free(buf);
    return st;
}
