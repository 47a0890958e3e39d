/*
 * logreg.c - L2-regularized logistic regression by a distributed, damped Newton method.
 *
 * Objective: F(w, b) = (1/N) sum_i c_i [softplus(z_i) - y_i z_i] + lambda/2 |w|^2, z_i = w.x_i + b, over
 * the N labelled rows (c_i = 1, or N / (2 N_class) when balanced). The rows come from the compressed
 * feature matrix, transformed, with a trailing 1 for the bias, a chunk at a time (logreg_rows.c). A
 * Newton step needs one pass over them (BLAS dgemv and dsyrk) and one reduction of [loss, gradient,
 * Hessian]; the line search one more pass at most, for the margins of the full step (the loss of
 * shorter steps comes from stored margins, see objective).
 *
 * Equal rows of a chunk form a group and are computed once, weighted by their multiplicity: a chunk's
 * share is sum_g m_g c_g (softplus(z_g) - y_g z_g), its gradient X_g^T (m_g c_g (p_g - y_g)) and its
 * Hessian a dsyrk of sqrt(m_g c_g p_g (1 - p_g)) x_g. On HDFS logs that is ~50 times fewer rows.
 *
 * Determinism: the same bits at any rank and thread count. Chunks are cut in global row order and each
 * lies on one rank; a chunk's groups depend only on its rows; so each chunk's partial sums are computed
 * by the same BLAS calls on the same numbers whatever the rank count. The chunks' partials are then
 * added exactly (lad_exactsum: fixed-point digits against bounds every rank derives alike), so the
 * reduced loss, gradient and Hessian, and everything after them, are identical bits.
 */
#include "lad_logreg.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_exactsum.h"
#include "lad_features.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_top.h"
#include "lad_transform.h"
#include "logreg_internal.h"

/* LAPACK/BLAS Fortran entry points (no hidden string lengths needed for one-character flags). */
extern void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda, double *b,
                   const int *ldb, int *info);
extern void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k, const double *alpha,
                   const double *a, const int *lda, const double *beta, double *c, const int *ldc);
extern void dgemv_(const char *trans, const int *m, const int *n, const double *alpha, const double *a,
                   const int *lda, const double *x, const int *incx, const double *beta, double *y, const int *incy);

#define ARMIJO 1e-4          /* sufficient-decrease constant of the line search */
#define MIN_STEP 1e-12       /* line search gives up below this step length */
#define MAX_DAMPING_TRIES 12 /* Levenberg damping attempts when the Hessian is not positive definite */

/* The rows (grouped), the Newton method's scratch and its exact sums. */
struct lr_data {
    struct lad__lr_rows rows;
    int p;
    double c_pos, c_neg;   /* class weights */
    double *z, *z1;        /* per group: margins X theta of the last derivatives, X (theta + step) of the line search */
    double *r, *block, *hess; /* scratch: residual weights, sqrt(s_g) x_g of a chunk, dsyrk's p x p */
    double *part;          /* one chunk's partial [loss, g, upper triangle of H] */
    double *bound;         /* bounds of those partials, the same on every rank */
    double c_max;          /* largest class weight */
    struct lad_exactsum sum;      /* [loss, g, H upper] */
    struct lad_exactsum loss_sum; /* loss alone, for the line search */
    int64_t n_global;      /* labelled rows over all ranks */
};

/* Entries of [loss, g, upper triangle of H]. */
static size_t n_sums(int p)
{
    return 1 + (size_t)p + (size_t)p * (size_t)(p + 1) / 2;
}

static double softplus(double z)
{
    return (z > 0.0 ? z : 0.0) + log1p(exp(-fabs(z)));
}

static double sigmoid(double z)
{
    if (z >= 0.0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

/* Local. z[0, nb) = X theta for the nb groups loaded in rows.x. */
static void chunk_margins(struct lr_data *d, int nb, const double *theta, double *z)
{
    const int one = 1;
    const double a = 1.0, b = 0.0;
    dgemv_("T", &d->p, &nb, &a, d->rows.x, &d->p, theta, &one, &b, z, &one);
}

/* Local. The largest |z_i| theta allows: sum_j |theta_j| max|x_j|; every rank gets the same bits. */
static double margin_bound(const struct lr_data *d, const double *theta)
{
    double zmax = 0.0;
    for (int j = 0; j < d->p; j++)
        zmax += fabs(theta[j]) * d->rows.col_max[j];
    return zmax;
}

/* Local. The bound of a chunk's loss: c (softplus(z) - y z) <= c (|z| + log 2) per row. */
static double loss_bound(const struct lr_data *d, const double *theta)
{
    return d->rows.chunk_rows * d->c_max * (margin_bound(d, theta) + log(2.0));
}

/* Local. Group g's weight: its multiplicity times its class weight. */
static inline double weight_of(const struct lr_data *d, int64_t g)
{
    return d->rows.mult[g] * (d->rows.label[g] ? d->c_pos : d->c_neg);
}

/*
 * Collective. F(theta) for theta = theta_0 + t step on the line search's ray from theta_0, the last
 * derivatives' point (whose margins are in d->z). from_rows: the margins X theta are computed from the
 * rows, and kept in d->z1. Otherwise they are interpolated, z + ratio (z1 - z), ratio = t over the t of
 * z1: margins move linearly along the step, so such a trial needs no pass over the rows.
 */
static enum lad_status objective(struct lad_ctx *ctx, struct lr_data *d, const double *theta, double lambda,
                                 bool from_rows, double ratio, double *f)
{
    const double bound = loss_bound(d, theta);
    lad_exactsum_reset(&d->loss_sum, &bound);
    for (int64_t c = 0; c < d->rows.n_chunks; c++) {
        const int64_t g0 = d->rows.chunk_start[c], g1 = d->rows.chunk_start[c + 1];
        if (from_rows)
            chunk_margins(d, lad__lr_rows_load(&d->rows, c), theta, d->z1 + g0);
        double loss = 0.0;
        for (int64_t g = g0; g < g1; g++) {
            const double zg = from_rows ? d->z1[g] : d->z[g] + ratio * (d->z1[g] - d->z[g]);
            loss += weight_of(d, g) * (softplus(zg) - (double)d->rows.label[g] * zg);
        }
        lad_exactsum_add(&d->loss_sum, &loss);
    }
    double loss = 0.0;
    enum lad_status st = lad_exactsum_reduce(ctx, &d->loss_sum, &loss);
    double reg = 0.0;
    for (int j = 0; j < d->p - 1; j++)
        reg += theta[j] * theta[j];
    *f = loss / (double)d->n_global + 0.5 * lambda * reg;
    return st;
}

/*
 * Local. How far an interpolated F may be from the F of the rows, with a wide margin. The margins of
 * the rows (dgemv) and the interpolation each err by at most ~p eps times the margin bounds; a row's
 * loss moves by at most c_max |dz|; the exact sums and the final division add ~eps |F|. 1e-10 is
 * orders of magnitude above that, and still far below the F differences the search compares (1e-9
 * of F and up on the HDFS data).
 */
static double slack(const struct lr_data *d, double mb_theta, double mb_rows, double f0)
{
    const double coeff = 1e-10 + 64.0 * d->p * DBL_EPSILON;
    return coeff * (fabs(f0) + d->c_max * (mb_theta + mb_rows + 1.0));
}

/*
 * Collective. Objective, gradient g (p) and Hessian h (p x p, both triangles) at theta: buf = [loss, g,
 * h]; the margins X theta stay in d->z for the line search. Per chunk, the gradient is a dgemv and the
 * Hessian a dsyrk of sqrt(s_g) x_g over its groups; the chunks' partials (H: its upper triangle, all
 * that is read) go into the exact sums, bounded by |c (p - y) x_j| <= c max|x_j| and
 * c s x_j x_k <= c max|x_j| max|x_k| / 4 per row. One exp(-|z|) per group serves the loss, p and 1 - p.
 */
static enum lad_status derivatives(struct lad_ctx *ctx, struct lr_data *d, const double *theta, double lambda,
                                   double *buf)
{
    const int p = d->p, one = 1;
    const double a = 1.0, zero = 0.0, rows = d->rows.chunk_rows;
    double *part = d->part, *bound = d->bound, *ph = part + 1 + p, *x = d->rows.x;
    bound[0] = loss_bound(d, theta);
    for (int j = 0, k = 1 + p; j < p; j++) {
        bound[1 + j] = rows * d->c_max * d->rows.col_max[j];
        for (int i = 0; i <= j; i++)
            bound[k++] = rows * d->c_max * 0.25 * d->rows.col_max[j] * d->rows.col_max[i];
    }
    lad_exactsum_reset(&d->sum, bound);
    for (int64_t c = 0; c < d->rows.n_chunks; c++) {
        const int64_t g0 = d->rows.chunk_start[c];
        int nb = lad__lr_rows_load(&d->rows, c);
        chunk_margins(d, nb, theta, d->z + g0);
        part[0] = 0.0;
        for (int q = 0; q < nb; q++) {
            const int64_t g = g0 + q;
            const double zq = d->z[g], w = weight_of(d, g), y = (double)d->rows.label[g];
            /* softplus(z), sigma(z) and sigma(-z) share e = exp(-|z|): sigma(z) = 1 / (1 + e) for
             * z >= 0, e / (1 + e) below. */
            const double e = exp(-fabs(zq));
            const double sp = (zq > 0.0 ? zq : 0.0) + log1p(e);
            const double sig = zq >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            const double sig_neg = -zq >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            part[0] += w * (sp - y * zq);
            d->r[q] = w * (sig - y);
            /* p (1 - p) as sigma(z) sigma(-z): 1 - p cancels to 0 for confident rows. */
            const double s = sqrt(w * sig * sig_neg);
            for (int j = 0; j < p; j++)
                d->block[q * p + j] = s * x[q * p + j];
        }
        dgemv_("N", &p, &nb, &a, x, &p, d->r, &one, &zero, part + 1, &one);
        dsyrk_("U", "N", &p, &nb, &a, d->block, &p, &zero, d->hess, &p);
        for (int j = 0, k = 0; j < p; j++) /* column-major upper triangle: (i, j), i <= j, at j p + i */
            for (int i = 0; i <= j; i++)
                ph[k++] = d->hess[j * p + i];
        lad_exactsum_add(&d->sum, part);
    }
    enum lad_status st = lad_exactsum_reduce(ctx, &d->sum, d->part);
    double *g = buf + 1, *h = buf + 1 + p;
    /* Mean over rows, both triangles of H, regularize w. */
    const double inv_n = 1.0 / (double)d->n_global;
    double reg = 0.0;
    buf[0] = d->part[0] * inv_n;
    for (int j = 0, k = 1 + p; j < p; j++) {
        g[j] = d->part[1 + j] * inv_n;
        for (int i = 0; i <= j; i++)
            h[i * p + j] = h[j * p + i] = d->part[k++] * inv_n;
    }
    for (int j = 0; j < p - 1; j++) {
        g[j] += lambda * theta[j];
        h[j * p + j] += lambda;
        reg += theta[j] * theta[j];
    }
    buf[0] += 0.5 * lambda * reg;
    return st;
}

/*
 * Local (identical on every rank). Solves h step = -g by Cholesky (dposv). A Hessian that is not
 * positive definite (lambda = 0 with an event absent from all labelled rows, or saturated
 * probabilities) gets Levenberg damping mu I, growing by 100 from 1e-12 of its largest diagonal entry.
 */
static bool newton_step(int p, const double *h, const double *g, double *work, double *step)
{
    double maxdiag = 0.0;
    for (int j = 0; j < p; j++)
        maxdiag = fmax(maxdiag, h[j * p + j]);
    double mu = 0.0;
    for (int attempt = 0; attempt <= MAX_DAMPING_TRIES; attempt++) {
        int one = 1, info = 0;
        memcpy(work, h, (size_t)p * (size_t)p * sizeof *work);
        for (int j = 0; j < p; j++) {
            work[j * p + j] += mu;
            step[j] = -g[j];
        }
        dposv_("U", &p, &one, work, &p, step, &p, &info);
        if (info == 0)
            return true;
        mu = mu == 0.0 ? 1e-12 * (maxdiag > 0.0 ? maxdiag : 1.0) : mu * 100.0;
    }
    return false;
}

enum lad_status lad_logreg_alloc(struct lad_ctx *ctx, struct lad_logreg_model *m, int n)
{
    memset(m, 0, sizeof *m);
    if (n < 1)
        return lad_fail(ctx, LAD_ERR_MODEL, "a logistic-regression model needs at least one feature, got %d", n);
    m->n = n;
    m->w = lad_calloc_array((size_t)n, sizeof *m->w);
    if (m->w == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %d weights", n);
    return LAD_OK;
}

void lad_logreg_free(struct lad_logreg_model *m)
{
    if (m == NULL)
        return;
    lad_free(&m->w);
    m->n = 0;
}

/* Collective. The grouped rows, the scratch and the exact sums; *counts = [labelled rows, positives]
 * of this rank (the caller sums them). */
static enum lad_status setup(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *label,
                             const struct lad_transform *t, struct lr_data *d, int64_t *counts)
{
    enum lad_status st = lad__lr_rows_collect(ctx, f, label, t, &d->rows, &counts[0], &counts[1]);
    if (st != LAD_OK)
        return st;
    const int p = d->rows.p;
    const size_t sums = n_sums(p), n_groups = (size_t)(d->rows.n_groups > 0 ? d->rows.n_groups : 1);
    d->p = p;
    d->z = lad_malloc_big(n_groups, sizeof *d->z);
    d->z1 = lad_malloc_big(n_groups, sizeof *d->z1);
    d->block = lad_malloc_array((size_t)d->rows.chunk_rows * (size_t)p, sizeof *d->block);
    d->r = lad_malloc_array((size_t)d->rows.chunk_rows, sizeof *d->r);
    d->hess = lad_malloc_array((size_t)p * (size_t)p, sizeof *d->hess);
    d->part = lad_malloc_array(sums, sizeof *d->part);
    d->bound = lad_malloc_array(sums, sizeof *d->bound);
    if (!d->z || !d->z1 || !d->block || !d->r || !d->hess || !d->part || !d->bound)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for logistic regression");
    if (st == LAD_OK)
        st = lad_exactsum_init(ctx, &d->sum, (int)sums);
    if (st == LAD_OK)
        st = lad_exactsum_init(ctx, &d->loss_sum, 1);
    return lad_status_agree(ctx, st);
}

static void free_data(struct lr_data *d)
{
    lad__lr_rows_free(&d->rows);
    lad_free(&d->z);
    lad_free(&d->z1);
    lad_free(&d->r);
    lad_free(&d->block);
    lad_free(&d->hess);
    lad_free(&d->part);
    lad_free(&d->bound);
    lad_exactsum_free(&d->sum);
    lad_exactsum_free(&d->loss_sum);
}

/*
 * Collective. The damped Newton loop. The Newton decrement is delta = sqrt(g^T H^-1 g) (Boyd and
 * Vandenberghe, 9.5.1: delta^2 / 2 predicts F - F*). The loop stops once delta <= tol; that last step
 * is still taken, which under Newton's quadratic convergence leaves the iterate at round-off distance
 * from the optimum (delta^2 ~ 1e-11 before it gave gradients ~1e-11; after it, ~1e-17).
 *
 * Far from the optimum a backtracking (Armijo) line search on F keeps the steps safe. Close to it the
 * predicted decrease delta^2 / 2 drops below what F, a sum of N terms, can resolve (here: 64 ulps of
 * F), and comparing F values is noise: the line search would then accept only vanishing steps and stall
 * with a real gradient left. In that regime the full Newton step is taken unconditionally (it is the
 * region of quadratic convergence). Should delta stop contracting there (round-off in the gradient),
 * the iterate is as good as double precision allows and the fit counts as converged.
 */
static enum lad_status newton(struct lad_ctx *ctx, struct lr_data *d, double lambda, double tol, int max_iter,
                              bool full_line_search, double *theta, struct lad_logreg_model *m)
{
    const int p = d->p;
    double *buf = lad_malloc_array((size_t)(1 + p + p * p), sizeof *buf);
    double *work = lad_malloc_array((size_t)p * (size_t)p, sizeof *work);
    double *step = lad_malloc_array((size_t)p, sizeof *step);
    double *trial = lad_malloc_array((size_t)p, sizeof *trial);
    enum lad_status st = (buf && work && step && trial) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    st = lad_status_agree(ctx, st);
    double prev_dec2 = INFINITY;
    bool prev_unresolved = false;
    for (int it = 0; st == LAD_OK && it < max_iter; it++) {
        st = lad_status_agree(ctx, derivatives(ctx, d, theta, lambda, buf));
        m->row_passes++;
        if (st != LAD_OK)
            break;
        const double f0 = buf[0], *g = buf + 1, *h = buf + 1 + p;
        if (!newton_step(p, h, g, work, step)) {
            lad_log(ctx, LAD_LOG_WARN, "logistic regression: Hessian not positive definite even with damping");
            break;
        }
        double dec2 = 0.0; /* delta^2 = -g . step */
        for (int j = 0; j < p; j++)
            dec2 -= g[j] * step[j];
        if (!isfinite(dec2)) {
            st = lad_fail(ctx, LAD_ERR_NUMERIC, "logistic regression: the Newton step is not finite (overflow?)");
            break;
        }
        const bool last = dec2 <= tol * tol;
        const bool unresolved = 0.5 * dec2 <= 64.0 * DBL_EPSILON * fabs(f0);
        if (last || unresolved) {
            for (int j = 0; j < p; j++)
                theta[j] += step[j];
            m->iterations = it + 1;
            if (last || (prev_unresolved && dec2 > 0.25 * prev_dec2)) {
                m->converged = true;
                break;
            }
            prev_dec2 = dec2;
            prev_unresolved = true;
            continue;
        }
        /*
         * The first trial computes its margins from the rows (into z1, at t_rows = t); later trials
         * interpolate them, z + (t / t_rows) (z1 - z). The interpolated F differs from F computed from
         * the rows by round-off, far below `slack`; only when it lands within slack of the Armijo
         * bound is the trial computed from the rows after all. So every decision, and every iterate,
         * is the one the rows give.
         */
        double t = 1.0, t_rows = 1.0, f1 = f0, mb_rows = 0.0;
        const double mb_theta = margin_bound(d, theta);
        bool decreased = false;
        for (bool first = true;; first = false) {
            for (int j = 0; j < p; j++)
                trial[j] = theta[j] + t * step[j];
            const double bound = f0 - ARMIJO * t * dec2;
            bool from_rows = first || full_line_search;
            st = lad_status_agree(ctx, objective(ctx, d, trial, lambda, from_rows, t / t_rows, &f1));
            if (st == LAD_OK && !from_rows && fabs(f1 - bound) <= slack(d, mb_theta, mb_rows, f0)) {
                from_rows = true;
                st = lad_status_agree(ctx, objective(ctx, d, trial, lambda, true, 1.0, &f1));
            }
            if (from_rows) {
                t_rows = t;
                mb_rows = margin_bound(d, trial);
            }
            m->row_passes += from_rows;
            m->trials++;
            decreased = f1 <= bound;
            if (st != LAD_OK || decreased || t < MIN_STEP)
                break;
            t *= 0.5;
        }
        if (st != LAD_OK || !decreased)
            break;
        memcpy(theta, trial, (size_t)p * sizeof *theta);
        m->iterations = it + 1;
        prev_dec2 = dec2;
        prev_unresolved = false;
    }
    lad_free(&buf);
    lad_free(&work);
    lad_free(&step);
    lad_free(&trial);
    return st;
}

enum lad_status lad_logreg_fit(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *label,
                               const struct lad_transform *t, const struct lad_logreg_options *opt,
                               struct lad_logreg_model *m)
{
    memset(m, 0, sizeof *m);
    const int n = f->n_events;
    struct lr_data d = {0};
    double *theta = NULL;
    if (t->n != n)
        return lad_fail(ctx, LAD_ERR_MODEL, "the transform has %d columns, the features %d", t->n, n);
    if (!(opt->lambda >= 0.0))
        return lad_fail(ctx, LAD_ERR_USAGE, "--lr-lambda must be >= 0, got %g", opt->lambda);

    int64_t counts[2] = {0, 0}; /* labelled rows, positives */
    enum lad_status st = setup(ctx, f, label, t, &d, counts);
    if (st == LAD_OK)
        st = lad_logreg_alloc(ctx, m, n);
    theta = lad_calloc_array((size_t)n + 1, sizeof *theta);
    if (st == LAD_OK && theta == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK && MPI_Allreduce(MPI_IN_PLACE, counts, 2, MPI_INT64_T, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "counting labelled rows failed");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;
    const int64_t n_all = counts[0], n_pos = counts[1], n_neg = n_all - n_pos;
    if (n_pos == 0 || n_neg == 0) {
        st = lad_fail(ctx, LAD_ERR_LABELS, "logistic regression needs both classes: %lld normal and %lld anomalous "
                      "labelled rows", (long long)n_neg, (long long)n_pos);
        goto out_free;
    }
    d.n_global = n_all;

    /* Class weights; the start is the optimum of the bias-only model, logit of the weighted base rate. */
    double c_pos = opt->balanced ? (double)n_all / (2.0 * (double)n_pos) : 1.0;
    double c_neg = opt->balanced ? (double)n_all / (2.0 * (double)n_neg) : 1.0;
    d.c_pos = c_pos;
    d.c_neg = c_neg;
    d.c_max = fmax(c_pos, c_neg);
    theta[n] = log((c_pos * (double)n_pos) / (c_neg * (double)n_neg));

    double tol = opt->tol > 0.0 ? opt->tol : 1e-10;
    int max_iter = opt->max_iter > 0 ? opt->max_iter : 50;
    st = newton(ctx, &d, opt->lambda, tol, max_iter, opt->full_line_search, theta, m);
    if (st != LAD_OK)
        goto out_free;
    memcpy(m->w, theta, (size_t)n * sizeof *theta);
    m->bias = theta[n];
    m->lambda = opt->lambda;
    m->threshold = opt->threshold;
    m->balanced = opt->balanced;
    if (!m->converged)
        lad_log(ctx, LAD_LOG_WARN,
                "logistic regression did not converge in %d Newton steps (separable data with --lr-lambda 0?)",
                max_iter);
    lad_log(ctx, LAD_LOG_VERBOSE, "logistic regression: %lld rows (%lld anomalous; %lld groups of equal rows on rank "
            "0), %d Newton steps, %d passes over the rows, %d line-search trials", (long long)n_all, (long long)n_pos,
            (long long)d.rows.n_groups, m->iterations, m->row_passes, m->trials);

out_free:
    free_data(&d);
    lad_free(&theta);
    if (st != LAD_OK)
        lad_logreg_free(m);
    return st;
}

double lad_logreg_score(const struct lad_logreg_model *m, const double *y, int *top, int n_top)
{
    double z = m->bias;
    for (int j = 0; j < m->n; j++)
        z += m->w[j] * y[j];
    if (top != NULL && n_top > 0)
        lad_top_indices(m->w, y, m->n, top, n_top); /* the largest contributions w_j y_j */
    return sigmoid(z);
}
