/* detect.c - the detect stage: a trained model scores every block of new logs (or features.h5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_ctx.h"
#include "lad_events.h"
#include "lad_features.h"
#include "lad_ingest.h"
#include "lad_labels.h"
#include "lad_mem.h"
#include "lad_model_file.h"
#include "lad_options.h"
#include "lad_outset.h"
#include "lad_stages.h"
#include "lad_template.h"
#include "stages_internal.h"

/* New logs are parsed with the model's own event templates, so their counts land in its columns. */
static enum lad_status model_templates(struct lad_ctx *ctx, const struct lad_model *m, struct lad_template_set *set)
{
    const char **ids = lad_malloc_array((size_t)m->events.n, sizeof *ids);
    const char **texts = lad_malloc_array((size_t)m->events.n, sizeof *texts);
    enum lad_status st = (ids && texts) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    int n = 0;
    for (int i = 0; st == LAD_OK && i < m->events.n; i++)
        if (strcmp(m->events.ids[i], LAD_EVENT_UNMATCHED_ID) != 0) {
            ids[n] = m->events.ids[i];
            texts[n++] = m->events.templates[i];
        }
    if (st == LAD_OK && n == 0)
        st = lad_fail(ctx, LAD_ERR_MODEL, "the model has no event templates");
    if (st == LAD_OK)
        st = lad_template_set_build(ctx, n, ids, texts, set);
    free(ids);
    free(texts);
    return lad_status_agree(ctx, st);
}

enum lad_status lad_stage_detect(struct lad_ctx *ctx, const struct lad_options *o)
{
    struct lad_model m;
    struct lad_template_set set;
    struct lad_features f;
    struct lad_label_stats label_stats;
    int8_t *label = NULL;
    memset(&set, 0, sizeof set);
    memset(&f, 0, sizeof f);
    lad_timer_start(ctx, LAD_PHASE_LOAD);
    enum lad_status st = lad_model_read(ctx, o->model_in, &m);
    lad_timer_stop(ctx, LAD_PHASE_LOAD);
    if (st != LAD_OK)
        return st;
    char source[PATH_MAX + 16];
    snprintf(source, sizeof source, "model:%s", o->model_in);
    /* A mined model assigns events itself (lad_assign.h); others match their template text. */
    bool mined = m.assigner && m.assigner->kind == LAD_ASSIGN_MINED;
    if (o->features_path == NULL && !mined)
        st = model_templates(ctx, &m, &set);
    if (st == LAD_OK)
        st = lad__load_features(ctx, o, o->features_path || mined ? NULL : &set, o->features_path ? NULL : m.assigner,
                                source, &f);
    if (st == LAD_OK && o->labels_path)
        st = lad__load_labels(ctx, o->labels_path, &f, &label, &label_stats);
    else if (st == LAD_OK && o->line_labels)
        st = lad_ingest_line_labels(ctx, &f, &label, &label_stats);
    if (st == LAD_OK)
        st = lad__detect(ctx, o, &m, 1, &f, label, &label_stats, lad_outset_path(o, "--out"));
    free(label);
    lad_features_free(&f);
    lad_template_set_free(&set);
    lad_model_free(&m);
    return st;
}
