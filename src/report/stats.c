/*
 * stats.c - the report's numbers, computed where the rows are.
 *
 * No rank ever holds all scores: each rank bins its own scores into a fixed number of bins on an
 * axis every rank agrees on (global min and max, exact in any order), and integer bin counts are
 * summed with one MPI_Allreduce, so the histogram and the PR curve are the same at any rank count.
 * The top anomalous blocks are a distributed top-K: each rank proposes its K best, rank 0 keeps the
 * global K by (score desc, block id asc) and only those K rows of counts travel to it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_labels.h"
#include "lad_mem.h"
#include "lad_verdict.h"
#include "report_internal.h"

/* Probabilities closer to 0 or 1 than this all land in the axis's end bins. */
#define LOGIT_CLAMP 1e-15

double lad__axis_value(enum lad_score_axis axis, double score)
{
    if (axis == LAD_SCORE_AXIS_LOG10)
        return score > 0 ? log10(score) : -INFINITY;
    double p = score < LOGIT_CLAMP ? LOGIT_CLAMP : score > 1 - LOGIT_CLAMP ? 1 - LOGIT_CLAMP : score;
    return log(p) - log1p(-p);
}

static int bin_of(const struct lad__hist *h, double x)
{
    if (!(x > h->lo))
        return 0;
    double b = floor((x - h->lo) / (h->hi - h->lo) * LAD__FINE_BINS);
    return b >= LAD__FINE_BINS ? LAD__FINE_BINS - 1 : (int)b;
}

static int class_of(const int8_t *label, int64_t r)
{
    if (label == NULL || label[r] == LAD_LABEL_UNKNOWN)
        return LAD__UNLABELLED;
    return label[r] == LAD_LABEL_ANOMALY ? LAD__ANOMALY : LAD__NORMAL;
}

enum lad_status lad__hist_compute(struct lad_ctx *ctx, const struct lad_verdicts *v, const int8_t *label,
                                  enum lad_score_axis axis, struct lad__hist *h)
{
    memset(h, 0, sizeof *h);
    h->axis = axis;
    h->threshold = lad__axis_value(axis, v->threshold);
    /* The range covers every finite axis value and the threshold; min and max are exact in any order. */
    double ext[2] = {isfinite(h->threshold) ? h->threshold : INFINITY,
                     isfinite(h->threshold) ? -h->threshold : INFINITY};
    for (int64_t r = 0; r < v->n_local; r++) {
        double x = lad__axis_value(axis, v->score[r]);
        if (!isfinite(x))
            continue;
        if (x < ext[0])
            ext[0] = x;
        if (-x < ext[1])
            ext[1] = -x;
    }
    double range[2];
    if (MPI_Allreduce(ext, range, 2, MPI_DOUBLE, MPI_MIN, ctx->comm) != MPI_SUCCESS)
        return lad_fail(ctx, LAD_ERR_MPI, "reduction of the score range failed");
    h->lo = isfinite(range[0]) ? range[0] : -1.0;
    h->hi = isfinite(range[1]) ? -range[1] : 1.0;
    if (!(h->hi > h->lo)) { /* one value: give it a unit-wide axis */
        h->lo -= 0.5;
        h->hi += 0.5;
    }
    int64_t *local = lad_calloc_array(LAD__CLASSES * LAD__FINE_BINS + 1, sizeof *local);
    enum lad_status st = lad_status_agree(ctx, local ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st != LAD_OK) {
        free(local);
        return st;
    }
    for (int64_t r = 0; r < v->n_local; r++) {
        if (isnan(v->score[r])) {
            local[LAD__CLASSES * LAD__FINE_BINS]++;
            continue;
        }
        local[class_of(label, r) * LAD__FINE_BINS + bin_of(h, lad__axis_value(axis, v->score[r]))]++;
    }
    if (MPI_Allreduce(local, &h->count[0][0], LAD__CLASSES * LAD__FINE_BINS, MPI_INT64_T, MPI_SUM, ctx->comm) !=
            MPI_SUCCESS ||
        MPI_Allreduce(&local[LAD__CLASSES * LAD__FINE_BINS], &h->not_finite, 1, MPI_INT64_T, MPI_SUM, ctx->comm) !=
            MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "reduction of the score histogram failed");
    for (int c = 0; c < LAD__CLASSES; c++)
        for (int b = 0; b < LAD__FINE_BINS; b++)
            h->total[c] += h->count[c][b];
    free(local);
    return st;
}

enum lad_status lad__event_hits(struct lad_ctx *ctx, const struct lad_verdicts *v, int n_events, int64_t *hits)
{
    int64_t *local = lad_calloc_array((size_t)n_events + 1, sizeof *local);
    enum lad_status st = lad_status_agree(ctx, local ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st != LAD_OK)
        return st;
    for (int64_t r = 0; r < v->n_local; r++) {
        bool named = false;
        for (int t = 0; v->anomaly[r] && t < v->n_top; t++) {
            int32_t e = v->top[lad_verdicts_cell(v, r) + (size_t)t];
            if (e >= 0 && e < n_events) {
                local[e]++;
                named = true;
            }
        }
        local[n_events] += v->anomaly[r] && !named;
    }
    if (MPI_Allreduce(local, hits, n_events + 1, MPI_INT64_T, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "reduction of the top events failed");
    free(local);
    return st;
}

/* One proposal of a rank for the top blocks. */
struct candidate {
    double score;
    int64_t key;
};

/* Higher score first, then the lower block id: a total order, so the choice is the same anywhere. */
static bool better(const struct candidate *a, const struct candidate *b)
{
    return a->score > b->score || (a->score == b->score && a->key < b->key);
}

/* Keeps best[0, *n) sorted, at most LAD__TOP_BLOCKS long, with c inserted if it belongs. */
static void offer(struct candidate *best, int *n, struct candidate c)
{
    if (*n == LAD__TOP_BLOCKS && !better(&c, &best[*n - 1]))
        return;
    int i = *n < LAD__TOP_BLOCKS ? (*n)++ : *n - 1;
    for (; i > 0 && better(&c, &best[i - 1]); i--)
        best[i] = best[i - 1];
    best[i] = c;
}

/* Local row of a block id, or -1 (keys are ascending on every rank). */
static int64_t find_row(const struct lad_features *f, int64_t key)
{
    int64_t lo = 0, hi = f->n_local;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (f->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->n_local && f->keys[lo] == key ? lo : -1;
}

enum lad_status lad__top_blocks_compute(struct lad_ctx *ctx, const struct lad_features *f,
                                        const struct lad_verdicts *v, const int8_t *label,
                                        struct lad__top_blocks *t)
{
    memset(t, 0, sizeof *t);
    /* Counts in the model's columns, as the model saw them (and as anomalies_explained.csv says). */
    const int n_events = v->events ? v->events->n : 0;
    t->n_events = n_events;
    struct candidate mine[LAD__TOP_BLOCKS];
    int n_mine = 0;
    for (int64_t r = 0; r < v->n_local; r++)
        if (v->anomaly[r] && !isnan(v->score[r]))
            offer(mine, &n_mine, (struct candidate){v->score[r], f->keys[r]});
    /* Unused proposals carry NaN scores, which are never better than anything. */
    for (int i = n_mine; i < LAD__TOP_BLOCKS; i++)
        mine[i] = (struct candidate){NAN, 0};
    const int rec = (int)sizeof mine;
    struct candidate *all = NULL;
    int64_t *rows = NULL;
    const int width = 2 + n_events; /* chosen index, label, counts */
    int *counts = NULL, *displs = NULL;
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0) {
        all = lad_malloc_array((size_t)ctx->size, sizeof mine);
        rows = lad_malloc_array((size_t)LAD__TOP_BLOCKS * (size_t)width, sizeof *rows);
        counts = lad_malloc_array((size_t)ctx->size, sizeof *counts);
        displs = lad_malloc_array((size_t)ctx->size, sizeof *displs);
        t->counts = lad_calloc_array((size_t)LAD__TOP_BLOCKS * (size_t)(n_events ? n_events : 1), sizeof *t->counts);
        if (!all || !rows || !counts || !displs || !t->counts)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the report's top blocks");
    }
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK && MPI_Gather(mine, rec, MPI_BYTE, all, rec, MPI_BYTE, 0, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "gathering the top blocks failed");
    if (st == LAD_OK && ctx->rank == 0) {
        struct candidate best[LAD__TOP_BLOCKS];
        int n = 0;
        for (int i = 0; i < ctx->size * LAD__TOP_BLOCKS; i++)
            if (!isnan(all[i].score))
                offer(best, &n, all[i]);
        t->n = n;
        for (int i = 0; i < n; i++) {
            t->key[i] = best[i].key;
            t->score[i] = best[i].score;
        }
    }
    if (st == LAD_OK && (MPI_Bcast(&t->n, 1, MPI_INT, 0, ctx->comm) != MPI_SUCCESS ||
                         MPI_Bcast(t->key, LAD__TOP_BLOCKS, MPI_INT64_T, 0, ctx->comm) != MPI_SUCCESS))
        st = lad_fail(ctx, LAD_ERR_MPI, "broadcast of the top blocks failed");
    /* The owners send the chosen rows: (index among the chosen, label, counts). */
    int64_t *send = NULL, *dense = NULL;
    int n_send = 0;
    if (st == LAD_OK) {
        send = lad_malloc_array((size_t)(t->n ? t->n : 1) * (size_t)width, sizeof *send);
        dense = lad_malloc_array((size_t)(f->n_events > 0 ? f->n_events : 1), sizeof *dense);
        st = lad_status_agree(ctx, send && dense ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    }
    for (int i = 0; st == LAD_OK && i < t->n; i++) {
        int64_t r = find_row(f, t->key[i]);
        if (r < 0)
            continue;
        int64_t *s = send + (size_t)n_send++ * (size_t)width;
        s[0] = i;
        s[1] = label ? label[r] : LAD_LABEL_UNKNOWN;
        /* Columns in the model's order (v->columns maps them to feature columns), as scoring reads them. */
        lad_features_row_dense(f, r, dense);
        for (int j = 0; j < n_events; j++)
            s[2 + j] = v->columns[j] >= 0 ? dense[v->columns[j]] : 0;
    }
    int n_values = n_send * width;
    if (st == LAD_OK && MPI_Gather(&n_values, 1, MPI_INT, counts, 1, MPI_INT, 0, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "gathering the top blocks failed");
    if (st == LAD_OK && ctx->rank == 0)
        for (int p = 0, total = 0; p < ctx->size; p++) {
            displs[p] = total;
            total += counts[p];
        }
    if (st == LAD_OK &&
        MPI_Gatherv(send, n_values, MPI_INT64_T, rows, counts, displs, MPI_INT64_T, 0, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "gathering the top blocks failed");
    if (st == LAD_OK && ctx->rank == 0)
        for (int k = 0; k < t->n; k++) {
            const int64_t *s = rows + (size_t)k * (size_t)width;
            t->label[s[0]] = (int)s[1];
            memcpy(t->counts + s[0] * n_events, s + 2, (size_t)n_events * sizeof *s);
        }
    free(send);
    free(dense);
    free(all);
    free(rows);
    free(counts);
    free(displs);
    return lad_status_agree(ctx, st);
}

void lad__top_blocks_free(struct lad__top_blocks *t)
{
    lad_free(&t->counts);
    t->n = 0;
}

enum lad_status lad__rank_table_gather(struct lad_ctx *ctx, struct lad__rank_table *t)
{
    memset(t, 0, sizeof *t);
    t->size = ctx->size;
    double mine[LAD_PHASE_COUNT + 1];
    char where[LAD__WHERE_MAX], host[64] = "?", cpus[64];
    lad_timer_snapshot(ctx, mine);
    mine[LAD_PHASE_COUNT] = lad_peak_rss_mib();
    gethostname(host, sizeof host);
    host[sizeof host - 1] = '\0';
    lad_ctx_cpus_allowed(cpus, sizeof cpus);
    memset(where, 0, sizeof where);
    snprintf(where, sizeof where, "%s, CPUs %s", host, cpus);
    double *all = NULL;
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0) {
        all = lad_malloc_array((size_t)ctx->size * (LAD_PHASE_COUNT + 1), sizeof *all);
        t->phase = lad_malloc_array((size_t)ctx->size * LAD_PHASE_COUNT, sizeof *t->phase);
        t->rss_mib = lad_malloc_array((size_t)ctx->size, sizeof *t->rss_mib);
        t->where = lad_malloc_array((size_t)ctx->size, LAD__WHERE_MAX);
        if (!all || !t->phase || !t->rss_mib || !t->where)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the report's rank table");
    }
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK &&
        (MPI_Gather(mine, LAD_PHASE_COUNT + 1, MPI_DOUBLE, all, LAD_PHASE_COUNT + 1, MPI_DOUBLE, 0, ctx->comm) !=
             MPI_SUCCESS ||
         MPI_Gather(where, LAD__WHERE_MAX, MPI_CHAR, t->where, LAD__WHERE_MAX, MPI_CHAR, 0, ctx->comm) != MPI_SUCCESS))
        st = lad_fail(ctx, LAD_ERR_MPI, "gathering the phase times failed");
    if (st == LAD_OK && ctx->rank == 0)
        for (int r = 0; r < ctx->size; r++) {
            memcpy(t->phase + (size_t)r * LAD_PHASE_COUNT, all + (size_t)r * (LAD_PHASE_COUNT + 1),
                   LAD_PHASE_COUNT * sizeof *all);
            t->rss_mib[r] = all[(size_t)r * (LAD_PHASE_COUNT + 1) + LAD_PHASE_COUNT];
        }
    free(all);
    return lad_status_agree(ctx, st);
}

void lad__rank_table_free(struct lad__rank_table *t)
{
    lad_free(&t->phase);
    lad_free(&t->rss_mib);
    lad_free(&t->where);
}
