/*
 * model_unknown.c - the UNKNOWN column of a model trained on mined events (why and how:
 * lad_model_unknown.h).
 */
#include "lad_model_unknown.h"

#include <math.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_ctx.h"
#include "lad_mem.h"
#include "lad_model_file.h"

/* Grows a double array of n to n + 1, inserting v at position at. */
static bool insert_double(double **a, int n, int at, double v)
{
    double *p = lad_realloc_array(*a, (size_t)n + 1, sizeof *p);
    if (p == NULL)
        return false;
    memmove(p + at + 1, p + at, (size_t)(n - at) * sizeof *p);
    p[at] = v;
    *a = p;
    return true;
}

static enum lad_status extend(struct lad_ctx *ctx, struct lad_model *m)
{
    const int n = m->events.n;
    struct lad_transform *t = &m->transform;
    enum lad_status st = lad_events_add(ctx, &m->events, LAD_EVENT_UNKNOWN_ID, LAD_EVENT_UNKNOWN_TEXT);
    if (st != LAD_OK)
        return st;
    int64_t *df = lad_realloc_array(t->df, (size_t)n + 1, sizeof *df);
    if (df)
        t->df = df;
    double idf = (t->flags & LAD_TF_TFIDF) ? log((1.0 + (double)t->n_train) / 1.0) + 1.0 : 1.0;
    bool ok = df && insert_double(&t->weight, n, n, idf) && insert_double(&t->mean, n, n, 0.0);
    if (ok) {
        t->df[n] = 0;
        t->n = n + 1;
    }
    if (ok && m->type == LAD_MODEL_TYPE_PCA) {
        struct lad_pca_model *p = &m->pca;
        /* eigenvalue 0 where it belongs in the descending list, never among the k kept */
        int at = p->k;
        while (at < n && p->eigenvalues[at] >= 0.0)
            at++;
        ok = insert_double(&p->eigenvalues, n, at, 0.0);
        double *c = ok ? lad_realloc_array(p->components, (size_t)(n + 1) * (size_t)p->k, sizeof *c) : NULL;
        if (c) {
            memset(c + (size_t)n * (size_t)p->k, 0, (size_t)p->k * sizeof *c); /* row n: the unknown event */
            p->components = c;
            p->n = n + 1;
        }
        ok = c != NULL;
    } else if (ok) {
        struct lad_logreg_model *l = &m->logreg;
        double w = 0.0;
        for (int j = 0; j < n; j++)
            w = fmax(w, l->w[j]);
        ok = insert_double(&l->w, n, n, w);
        if (ok)
            l->n = n + 1;
    }
    return ok ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory adding the unknown-event column");
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
