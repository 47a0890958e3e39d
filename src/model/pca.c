/*
 * pca.c - the PCA detector (Xu et al., SOSP'09): normal subspace, SPE, Q-statistic threshold.
 *
 * The fit never forms the transformed matrix Y = (Z - 1 mu^T) D: it takes the exact Gram matrix of the
 * count matrix Z and the exact column means, and builds the second-moment matrix of Y from them. The
 * Gram matrix comes from each rank's own rows, summed exactly (lad_gram_exact: integers, or log-counts
 * on a fixed-point grid), so the covariance handed to the eigensolver is bit-identical for any rank
 * count, and the eigensolver runs on one process below 2 x LAD_EIGH_MIN_ROWS events. Wide event
 * spaces take ScaLAPACK's 2-D path (lad_distmat_gram): exact for integer counts, round-off with logs.
 */
#include "lad_pca.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_distmat.h"
#include "lad_features.h"
#include "lad_gram.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_top.h"
#include "lad_qstat.h"
#include "lad_transform.h"

#define STACK_DOUBLES 512

enum lad_status lad_pca_alloc(struct lad_ctx *ctx, struct lad_pca_model *m, int n, int k)
{
    memset(m, 0, sizeof *m);
    if (n < 1 || k < 0 || k > n)
        return lad_fail(ctx, LAD_ERR_MODEL, "a PCA model needs 0 <= k <= n, got k = %d, n = %d", k, n);
    m->n = n;
    m->k = k;
    m->eigenvalues = lad_calloc_array((size_t)n, sizeof *m->eigenvalues);
    m->components = lad_calloc_array((size_t)n * (size_t)(k > 0 ? k : 1), sizeof *m->components);
    if (!m->eigenvalues || !m->components) {
        lad_pca_free(m);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for a PCA model of %d x %d", n, k);
    }
    return LAD_OK;
}

void lad_pca_free(struct lad_pca_model *m)
{
    if (m == NULL)
        return;
    lad_free(&m->eigenvalues);
    lad_free(&m->components);
    m->n = m->k = 0;
}

/*
 * Removes the eigensolver's round-off from a descending spectrum: eigenvalues below
 * 64 n eps lambda_max (the backward error of a symmetric eigensolver is ~ n eps |C|) become exactly 0.
 * Returns that noise level. Why: directions without variance in the training data (an event that never
 * occurs in normal sessions, fewer rows than events) come out as +-1e-16 instead of 0; if all of the
 * residual spectrum is such noise, Q_alpha of the noise would be a threshold of ~1e-16 that differs
 * between rank counts and flags points at random. With the noise removed Q is 0 there, and the caller
 * floors the threshold at the noise level, far above the SPE round-off (~eps^2 |y|^2) of a point in the
 * normal subspace and far below the SPE of any point that really leaves it.
 */
static double clean_spectrum(double *w, int n)
{
    double noise = 64.0 * n * DBL_EPSILON * (w[0] > 0.0 ? w[0] : 0.0);
    for (int j = 0; j < n; j++)
        if (!(w[j] > noise))
            w[j] = 0.0;
    return noise;
}

/* Smallest k >= 1 whose leading eigenvalues (cleaned, so non-negative) explain at least `variance` of
 * the total. Partial and total sums run in the same order, so variance 1 is reached exactly at the last
 * non-zero eigenvalue. */
static int choose_k(const double *w, int n, double variance)
{
    double total = 0.0, cum = 0.0;
    for (int j = 0; j < n; j++)
        total += w[j];
    if (!(total > 0.0))
        return 1;
    int k = 0;
    while (k < n) {
        cum += w[k];
        k++;
        if (cum >= variance * total)
            break;
    }
    return k;
}

/*
 * The second-moment matrix of the transformed training rows, (1/N) Y^T Y with Y = (Z - 1 mu^T) D:
 *   (1/N) Y^T Y = D [ G/N - m m^T + (m - mu)(m - mu)^T ] D,
 * where G = Z^T Z, m the column means of Z over the same rows, mu the transform's mean (m itself when
 * the transform was centered on these rows, 0 without centering). The second form avoids subtracting
 * two large N mu m^T terms. Fills both triangles from the upper one so C is exactly symmetric.
 */
static void build_covariance(int n, const double *g, double n_rows, const double *m, const struct lad_transform *t,
                             double *c)
{
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++) {
            double di = m[i] - t->mean[i], dj = m[j] - t->mean[j];
            double v = (g[i * n + j] / n_rows - m[i] * m[j] + di * dj) * t->weight[i] * t->weight[j];
            c[i * n + j] = c[j * n + i] = v;
        }
}

enum lad_status lad_pca_fit(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use,
                            const struct lad_transform *t, const struct lad_pca_options *opt,
                            struct lad_pca_model *m)
{
    memset(m, 0, sizeof *m);
    const int n = f->n_events;
    struct lad_distmat z;
    struct lad_transform means = {0};
    double *g = NULL, *w = NULL, *wc = NULL, *v = NULL;
    enum lad_status st = LAD_OK;
    memset(&z, 0, sizeof z);
    z.grid.context = -1;

    /* Replicated arguments: every rank reaches the same verdict, no agreement needed. */
    if (t->n != n)
        return lad_fail(ctx, LAD_ERR_MODEL, "the transform has %d columns, the features %d", t->n, n);
    if (opt->k < 0 || opt->k > n)
        return lad_fail(ctx, LAD_ERR_USAGE, "--pca-k %d is outside 1..%d (the number of events)", opt->k, n);
    if (opt->k == 0 && !(opt->variance > 0.0 && opt->variance <= 1.0))
        return lad_fail(ctx, LAD_ERR_USAGE, "--pca-variance must be in (0, 1], got %g", opt->variance);
    if (!(opt->alpha > 0.0 && opt->alpha < 1.0))
        return lad_fail(ctx, LAD_ERR_USAGE, "--pca-alpha must be in (0, 1), got %g", opt->alpha);

    const bool log_counts = (t->flags & LAD_TF_LOG) != 0;
    g = lad_malloc_array((size_t)n * (size_t)n, sizeof *g);
    st = lad_status_agree(ctx, g ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %d x %d", n, n));
    /* Each rank's own rows, summed exactly; only a wide event space (or huge counts) is redistributed. */
    bool exact = false;
    if (st == LAD_OK)
        st = lad_gram_exact(ctx, f, use, log_counts, g, &exact);
    if (st == LAD_OK && !exact) {
        st = lad_distmat_create(ctx, f, use, log_counts, 0, &z);
        if (st == LAD_OK)
            st = lad_distmat_gram(ctx, &z, g);
        lad_distmat_free(&z);
    }
    /* Exact column means of Z over the same rows: a centering transform fitted on them. */
    if (st == LAD_OK)
        st = lad_transform_fit(ctx, f, use, (t->flags & LAD_TF_LOG) | LAD_TF_CENTER, &means);
    if (st != LAD_OK)
        goto out_free;

    w = lad_malloc_array((size_t)n, sizeof *w);
    wc = lad_malloc_array((size_t)n, sizeof *wc);
    v = lad_malloc_array((size_t)n * (size_t)n, sizeof *v);
    st = lad_status_agree(ctx, (w && wc && v) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %d x %d", n, n));
    if (st != LAD_OK)
        goto out_free;
    /* The covariance overwrites G, which is no longer needed. */
    build_covariance(n, g, (double)means.n_train, means.mean, t, g);
    st = lad_distmat_eigh(ctx, n, g, 0, w, v);
    if (st != LAD_OK)
        goto out_free;

    /* k and Q use the spectrum with its round-off noise removed (wc); the model keeps w as computed. */
    memcpy(wc, w, (size_t)n * sizeof *w);
    const double noise = clean_spectrum(wc, n);
    const int k = opt->k > 0 ? opt->k : choose_k(wc, n, opt->variance);
    st = lad_status_agree(ctx, lad_pca_alloc(ctx, m, n, k));
    if (st != LAD_OK)
        goto out_free;
    double total = 0.0, kept = 0.0;
    for (int j = 0; j < n; j++) {
        total += wc[j];
        kept += j < k ? wc[j] : 0.0;
    }
    m->variance = total > 0.0 ? kept / total : 1.0;
    m->alpha = opt->alpha;
    memcpy(m->eigenvalues, w, (size_t)n * sizeof *w);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < k; c++)
            m->components[i * k + c] = v[i * n + c];
    m->threshold = fmax(lad_qstat_threshold(wc + k, n - k, opt->alpha), noise);
    lad_log(ctx, LAD_LOG_VERBOSE, "PCA: %lld rows, %d events, k = %d (%.4f of the variance), Q threshold %.6g",
            (long long)means.n_train, n, k, m->variance, m->threshold);

out_free:
    lad_transform_free(&means);
    lad_free(&g);
    lad_free(&w);
    lad_free(&wc);
    lad_free(&v);
    if (st != LAD_OK)
        lad_pca_free(m);
    return st;
}

double lad_pca_decision_threshold(const struct lad_pca_model *m)
{
    double total = 0.0;
    for (int j = 0; j < m->n; j++)
        total += m->eigenvalues[j] > 0.0 ? m->eigenvalues[j] : 0.0;
    return fmax(m->threshold, 1e-9 * total);
}

double lad_pca_residual(const struct lad_pca_model *m, const double *y, double *r)
{
    const int n = m->n, k = m->k;
    double stack[STACK_DOUBLES];
    double *proj = (size_t)k <= STACK_DOUBLES ? stack : lad_malloc_array((size_t)k, sizeof *proj);
    if (proj == NULL)
        return NAN;
    /* The residual r = y - P (P^T y), formed explicitly: |y|^2 - |P^T y|^2 would cancel badly for
     * normal rows, whose SPE is tiny compared with |y|^2. */
    for (int c = 0; c < k; c++)
        proj[c] = 0.0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < k; c++)
            proj[c] += m->components[i * k + c] * y[i];
    double spe = 0.0;
    for (int i = 0; i < n; i++) {
        double s = y[i];
        for (int c = 0; c < k; c++)
            s -= m->components[i * k + c] * proj[c];
        r[i] = s;
        spe += s * s;
    }
    if (proj != stack)
        free(proj);
    return spe;
}

double lad_pca_score(const struct lad_pca_model *m, const double *y, int *top, int n_top)
{
    double stack[STACK_DOUBLES];
    double *r = (size_t)m->n <= STACK_DOUBLES ? stack : lad_malloc_array((size_t)m->n, sizeof *r);
    double spe = r ? lad_pca_residual(m, y, r) : NAN;
    if (top && n_top > 0 && !isnan(spe))
        lad_top_indices(r, r, m->n, top, n_top); /* the largest squared residual components */
    else
        for (int q = 0; top && q < n_top; q++)
            top[q] = -1;
    if (r != stack)
        free(r);
    return spe;
}
