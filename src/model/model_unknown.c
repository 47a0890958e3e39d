/*
 * model_unknown.c - the UNKNOWN column of a model trained on mined events (why and how:
 * lad_model_unknown.h).
 */
#include "lad_model_unknown.h"

#include <math.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_mem.h"
#include "lad_model_file.h"
#include "model_internal.h"

bool lad__model_insert_double(double **a, int n, int at, double v)
{
    double *p = lad_realloc_array(*a, (size_t)n + 1, sizeof *p);
    if (p == NULL)
        return false;
    memmove(p + at + 1, p + at, (size_t)(n - at) * sizeof *p);
    p[at] = v;
    *a = p;
    return true;
}

/* The generic part of the column here, the detector's part by its operation (lad_detector.h). */
static enum lad_status extend(struct lad_ctx *ctx, struct lad_model *m)
{
    const int n = m->events.n;
    struct lad_transform *t = &m->transform;
    const struct lad_detector *d = lad_detector_find(m->type);
    if (d == NULL)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "unknown model type %d", (int)m->type);
    enum lad_status st = lad_events_add(ctx, &m->events, LAD_EVENT_UNKNOWN_ID, LAD_EVENT_UNKNOWN_TEXT);
    if (st != LAD_OK)
        return st;
    int64_t *df = lad_realloc_array(t->df, (size_t)n + 1, sizeof *df);
    if (df)
        t->df = df;
    double idf = (t->flags & LAD_TF_TFIDF) ? log((1.0 + (double)t->n_train) / 1.0) + 1.0 : 1.0;
    bool ok = df && lad__model_insert_double(&t->weight, n, n, idf) && lad__model_insert_double(&t->mean, n, n, 0.0);
    if (!ok)
        return lad_fail(ctx, LAD_ERR_NOMEM, LAD__UNKNOWN_NOMEM);
    t->df[n] = 0;
    t->n = n + 1;
    return d->add_unknown(ctx, m);
}

enum lad_status lad_model_attach_assigner(struct lad_ctx *ctx, struct lad_assigner *a, struct lad_model *m)
{
    if (a->kind == LAD_ASSIGN_MINED) {
        bool same = a->events.n == m->events.n + 1;
        for (int j = 0; same && j < m->events.n; j++)
            same = strcmp(a->events.ids[j], m->events.ids[j]) == 0 &&
                   strcmp(a->events.templates[j], m->events.templates[j]) == 0;
        if (!same)
            return lad_fail(ctx, LAD_ERR_INTERNAL, "the event assigner's events are not the model's");
        enum lad_status st = extend(ctx, m);
        if (st != LAD_OK)
            return st;
    }
    m->assigner = lad_assign_ref(a);
    return LAD_OK;
}
