/*
 * mpi_models.c - the model layer at any rank count gives the single-rank answer.
 *
 * Every rank builds its rows of the same synthetic count matrix (each row drawn from lad_rng keyed by
 * its global index, so the matrix does not depend on the rank count) in the row-block layout of
 * lad_features. The distributed kernels are checked against values computed independently here (exact
 * integer Gram matrices, eigenpairs of matrices built from known ones); transform, PCA and logistic
 * regression are checked against a reference fitted on rank 0 alone, with the whole matrix, on
 * MPI_COMM_SELF: the transform bit for bit, thresholds, eigenvalues and weights to 1e-9 relative, and
 * every row's verdict identical. Failures are summed to rank 0 by the harness; every rank exits non-zero.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_distmat.h"
#include "lad_features.h"
#include "lad_gram.h"
#include "lad_hash.h"
#include "lad_logreg.h"
#include "lad_model_file.h"
#include "lad_pca.h"
#include "lad_transform.h"
#include "lad_test.h"

#define N_ROWS 1201
#define N_EV 9
#define SEED 20240917u
#define REL 1e-9

static struct lad_ctx self_ctx; /* rank 0's single-rank reference runs here */

/* -1 unlabelled, 1 anomalous, 0 normal. */
static int8_t label_of(int64_t g)
{
    return g % 13 == 4 ? -1 : g % 29 == 7 ? 1 : 0;
}

/* PCA trains on normal-looking rows, and skips some more so that the selection is ragged. */
static uint8_t pca_use_of(int64_t g)
{
    return label_of(g) != 1 && g % 5 != 3;
}

/* HDFS-like sessions: four workflows (which events, how often), sporadic noise, and anomalies that
 * miss event 3 and show event 8. */
static void row_of(int64_t g, int n_ev, int64_t *x)
{
    struct lad_rng rng;
    lad_rng_init(&rng, SEED, (uint64_t)g);
    for (int j = 0; j < n_ev; j++)
        x[j] = lad_rng_uniform(&rng) < 0.1;
    x[0] += 1;
    switch (lad_rng_below(&rng, 4)) {
    case 0: x[1 % n_ev] += 3; x[2 % n_ev] += 3; x[3 % n_ev] += 3; break;
    case 1: x[1 % n_ev] += 2; x[2 % n_ev] += 2; x[3 % n_ev] += 2; x[4 % n_ev] += 1; break;
    case 2: x[5 % n_ev] += 1 + (int64_t)lad_rng_below(&rng, 2); x[6 % n_ev] += 1; break;
    default: x[1 % n_ev] += 3; x[2 % n_ev] += 3; x[3 % n_ev] += 3; x[7 % n_ev] += (int64_t)lad_rng_below(&rng, 3);
    }
    if (label_of(g) == 1) {
        x[(n_ev - 1)] += 2 + (int64_t)lad_rng_below(&rng, 3);
        x[3 % n_ev] = 0;
    }
}

static void make_features(struct lad_ctx *ctx, struct lad_features *f, int64_t n_rows, int n_ev)
{
    memset(f, 0, sizeof *f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(ctx, f, n_rows, n_ev), LAD_OK);
    for (int j = 0; j < n_ev; j++) {
        char id[16];
        snprintf(id, sizeof id, "E%d", j + 1);
        CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, &f->events, id, id), LAD_OK);
    }
    int64_t *dense = malloc((size_t)(f->n_local > 0 ? f->n_local : 1) * (size_t)n_ev * sizeof *dense);
    for (int64_t i = 0; i < f->n_local; i++) {
        f->keys[i] = 1000 + 3 * (f->row_begin + i);
        row_of(f->row_begin + i, n_ev, dense + i * n_ev);
    }
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(ctx, f, dense), LAD_OK);
    free(dense);
}

/* The mask or labels of this rank's rows (or of all rows for the reference), from the global index. */
static uint8_t *use_array(const struct lad_features *f, uint8_t (*fn)(int64_t))
{
    uint8_t *u = malloc((size_t)(f->n_local > 0 ? f->n_local : 1));
    for (int64_t i = 0; i < f->n_local; i++)
        u[i] = fn(f->row_begin + i);
    return u;
}

static int8_t *label_array(const struct lad_features *f)
{
    int8_t *l = malloc((size_t)(f->n_local > 0 ? f->n_local : 1));
    for (int64_t i = 0; i < f->n_local; i++)
        l[i] = label_of(f->row_begin + i);
    return l;
}

static bool close_rel(double a, double b, double scale)
{
    return fabs(a - b) <= REL * scale;
}

/* Gathers this rank's verdict bytes to rank 0 in global row order (the full array on rank 0). */
static void gather_rows(const struct lad_features *f, const uint8_t *mine, uint8_t *all)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    int n = (int)f->n_local, *counts = NULL, *displs = NULL;
    if (ctx->rank == 0) {
        counts = calloc((size_t)ctx->size, sizeof *counts);
        displs = calloc((size_t)ctx->size, sizeof *displs);
    }
    MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, ctx->comm);
    for (int r = 1; ctx->rank == 0 && r < ctx->size; r++)
        displs[r] = displs[r - 1] + counts[r - 1];
    MPI_Gatherv(mine, n, MPI_UINT8_T, all, counts, displs, MPI_UINT8_T, 0, ctx->comm);
    free(counts);
    free(displs);
}

/* ---- distributed kernels against independent values ---- */

static void check_gram(int64_t n_rows, int n_ev, uint8_t (*use_fn)(int64_t), int nb, bool log_counts)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_features f;
    struct lad_distmat z;
    make_features(ctx, &f, n_rows, n_ev);
    uint8_t *use = use_fn ? use_array(&f, use_fn) : NULL;
    double *g = calloc((size_t)n_ev * n_ev, sizeof *g), *want = calloc((size_t)n_ev * n_ev, sizeof *want);
    CU_ASSERT_EQUAL_FATAL(lad_distmat_create(ctx, &f, use, log_counts, nb, &z), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_distmat_gram(ctx, &z, g), LAD_OK);
    /* Every rank recomputes the whole Gram matrix from the generator, in integers where possible. */
    int64_t selected = 0, x[64];
    for (int64_t r = 0; r < n_rows; r++) {
        if (use_fn && !use_fn(r))
            continue;
        selected++;
        row_of(r, n_ev, x);
        for (int i = 0; i < n_ev; i++)
            for (int j = 0; j < n_ev; j++)
                want[i * n_ev + j] += log_counts ? log1p((double)x[i]) * log1p((double)x[j]) : (double)(x[i] * x[j]);
    }
    CU_ASSERT_EQUAL(z.m, selected);
    CU_ASSERT_EQUAL(z.n, n_ev);
    int bad = 0;
    for (int k = 0; k < n_ev * n_ev; k++)
        bad += log_counts ? !(fabs(g[k] - want[k]) <= 1e-12 * fabs(want[k])) : g[k] != want[k];
    CU_ASSERT_EQUAL(bad, 0);

    /* The Gram matrix from local rows (what PCA uses below 1024 events): exact, so equal to the bit
     * to a reference summed here in 128-bit integers (log-counts: each product on the 2^-52 grid). */
    bool fits = false;
    CU_ASSERT_EQUAL_FATAL(lad_gram_exact(ctx, &f, use, log_counts, g, &fits), LAD_OK);
    CU_ASSERT_TRUE_FATAL(fits);
    for (int i = 0; i < n_ev; i++)
        for (int j = 0; j < n_ev; j++) {
            unsigned __int128 s = 0;
            for (int64_t r = 0; r < n_rows; r++) {
                if (use_fn && !use_fn(r))
                    continue;
                row_of(r, n_ev, x);
                s += log_counts ? (unsigned __int128)(uint64_t)llround(log1p((double)x[i]) * log1p((double)x[j]) *
                                                                       4503599627370496.0)
                                : (unsigned __int128)(uint64_t)(x[i] * x[j]);
            }
            want[i * n_ev + j] = log_counts ? ldexp((double)s, -52) : (double)s;
        }
    CU_ASSERT_EQUAL(memcmp(g, want, (size_t)n_ev * n_ev * sizeof *g), 0);
    lad_distmat_free(&z);
    free(g);
    free(want);
    free(use);
    lad_features_free(&f);
}

static uint8_t only_last_rows(int64_t g)
{
    return g >= 3;
}

static void test_gram_exact(void)
{
    /* The main matrix with all rows and with a ragged selection, at block sizes from 1 to 64. */
    const int nbs[] = {1, 2, 5, 64};
    for (unsigned k = 0; k < 4; k++) {
        check_gram(N_ROWS, N_EV, NULL, nbs[k], false);
        check_gram(N_ROWS, N_EV, pca_use_of, nbs[k], false);
    }
    check_gram(N_ROWS, N_EV, pca_use_of, 3, true);
    /* Fewer rows than ranks; two events; more events than rows; one selected row past the first ranks. */
    check_gram(3, 2, NULL, 1, false);
    check_gram(3, 2, NULL, 0, false);
    check_gram(4, 9, NULL, 2, false);
    check_gram(5, 9, only_last_rows, 2, false);
}

static void test_grid_shape(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_features f;
    struct lad_distmat z;
    make_features(ctx, &f, 20, 4);
    CU_ASSERT_EQUAL_FATAL(lad_distmat_create(ctx, &f, NULL, false, 2, &z), LAD_OK);
    /* As square as possible: 1 -> 1x1, 2 -> 1x2, 3 -> 1x3, 4 -> 2x2, 7 -> 2x3 with rank 6 left out. */
    int want_rows = ctx->size >= 4 ? 2 : 1, want_cols = ctx->size / want_rows;
    CU_ASSERT_EQUAL(z.grid.nprow, want_rows);
    CU_ASSERT_EQUAL(z.grid.npcol, want_cols);
    CU_ASSERT_EQUAL(z.grid.context >= 0, ctx->rank < want_rows * want_cols);
    lad_distmat_free(&z);
    /* No row selected anywhere: an input error on every rank, nothing allocated. */
    uint8_t *none = calloc((size_t)f.n_local + 1, 1);
    CU_ASSERT_EQUAL(lad_distmat_create(ctx, &f, none, false, 2, &z), LAD_ERR_INPUT);
    CU_ASSERT_PTR_NULL(z.a);
    lad_ctx_clear_error(ctx);
    free(none);
    lad_features_free(&f);
}

/* C = H diag(lambda) H with H the Householder reflection of v = (1, 2, ..., n): the eigenvectors are
 * H's columns and the eigenvalues lambda_i = n - i + 0.5 (distinct). */
static void check_eigh(int n, int grid_side)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    double *h = calloc((size_t)n * n, sizeof *h), *c = calloc((size_t)n * n, sizeof *c);
    double *w = calloc((size_t)n, sizeof *w), *v = calloc((size_t)n * n, sizeof *v), vv = 0.0;
    for (int i = 0; i < n; i++)
        vv += (double)(i + 1) * (i + 1);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            h[i * n + j] = (i == j) - 2.0 * (i + 1) * (j + 1) / vv;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
                c[i * n + j] += h[i * n + k] * (n - k - 0.5) * h[j * n + k];
    CU_ASSERT_EQUAL_FATAL(lad_distmat_eigh(ctx, n, c, grid_side, w, v), LAD_OK);
    int bad = 0;
    for (int k = 0; k < n; k++) {
        bad += !(fabs(w[k] - (n - k - 0.5)) <= 1e-12 * n);
        /* eigenvector k is column k of H up to sign; the sign rule makes its largest entry positive */
        double dot = 0.0, big = 0.0;
        for (int i = 0; i < n; i++) {
            dot += v[i * n + k] * h[i * n + k];
            if (fabs(v[i * n + k]) > fabs(big))
                big = v[i * n + k];
        }
        bad += !(fabs(fabs(dot) - 1.0) <= 1e-10) + !(big > 0.0);
    }
    CU_ASSERT_EQUAL(bad, 0);
    free(h);
    free(c);
    free(w);
    free(v);
}

/* On the default grid, on one process, and spread over a 2 x 2 grid (clamped to 1 x 1 below 4 ranks). */
static void test_eigh_known(void)
{
    const int ns[] = {1, 2, 3, 9, 40};
    for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++)
        for (int side = 0; side <= 2; side++)
            check_eigh(ns[k], side);
}

/* The default grid is one process for event spaces of a model's size at any rank count, and square
 * grids only from LAD_EIGH_MIN_ROWS rows per process row. */
static void test_eigh_default_grid(void)
{
    for (int size = 1; size <= 64; size++) {
        CU_ASSERT_EQUAL(lad_distmat_eigh_grid_side(size, 30), 1);
        CU_ASSERT_EQUAL(lad_distmat_eigh_grid_side(size, 2 * LAD_EIGH_MIN_ROWS - 1), 1);
    }
    CU_ASSERT_EQUAL(lad_distmat_eigh_grid_side(4, 2 * LAD_EIGH_MIN_ROWS), 2);
    CU_ASSERT_EQUAL(lad_distmat_eigh_grid_side(3, 2 * LAD_EIGH_MIN_ROWS), 1);
    CU_ASSERT_EQUAL(lad_distmat_eigh_grid_side(64, 5 * LAD_EIGH_MIN_ROWS), 5);
    CU_ASSERT_EQUAL(lad_distmat_eigh_grid_side(16, 5 * LAD_EIGH_MIN_ROWS), 4);
}

/* ---- transform and models against the single-rank reference ---- */

static void test_transform_bitwise(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    const unsigned flag_sets[] = {LAD_TF_TFIDF | LAD_TF_CENTER, LAD_TF_TFIDF | LAD_TF_CENTER | LAD_TF_LOG};
    struct lad_features f, full;
    make_features(ctx, &f, N_ROWS, N_EV);
    if (ctx->rank == 0)
        make_features(&self_ctx, &full, N_ROWS, N_EV);
    uint8_t *use = use_array(&f, pca_use_of), *use_full = ctx->rank == 0 ? use_array(&full, pca_use_of) : NULL;
    for (int s = 0; s < 2; s++) {
        struct lad_transform t = {0}, ref = {0};
        CU_ASSERT_EQUAL_FATAL(lad_transform_fit(ctx, &f, use, flag_sets[s], &t), LAD_OK);
        if (ctx->rank == 0) {
            CU_ASSERT_EQUAL_FATAL(lad_transform_fit(&self_ctx, &full, use_full, flag_sets[s], &ref), LAD_OK);
            CU_ASSERT_EQUAL(t.n_train, ref.n_train);
            CU_ASSERT_EQUAL(memcmp(t.df, ref.df, N_EV * sizeof *t.df), 0);
            CU_ASSERT_EQUAL(memcmp(t.weight, ref.weight, N_EV * sizeof *t.weight), 0);
            CU_ASSERT_EQUAL(memcmp(t.mean, ref.mean, N_EV * sizeof *t.mean), 0);
        }
        lad_transform_free(&t);
        lad_transform_free(&ref);
    }
    /* The training-data fingerprint does not depend on the rank count either. */
    uint64_t fp = lad_model_fingerprint(ctx, &f, use);
    if (ctx->rank == 0)
        CU_ASSERT_EQUAL(fp, lad_model_fingerprint(&self_ctx, &full, use_full));
    free(use);
    free(use_full);
    lad_features_free(&f);
    if (ctx->rank == 0)
        lad_features_free(&full);
}

/* Fits transform + PCA on the selected rows of f; then the verdict (SPE > threshold) of every row. */
static void fit_pca(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use, unsigned flags,
                    const struct lad_pca_options *opt, struct lad_transform *t, struct lad_pca_model *m,
                    uint8_t *verdict)
{
    CU_ASSERT_EQUAL_FATAL(lad_transform_fit(ctx, f, use, flags, t), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_pca_fit(ctx, f, use, t, opt, m), LAD_OK);
    double *y = malloc((size_t)f->n_events * sizeof *y);
    for (int64_t i = 0; i < f->n_local; i++) {
        lad_transform_apply_row(t, lad_features_row(f, i), y);
        verdict[i] = lad_pca_score(m, y, NULL, 0) > m->threshold;
    }
    free(y);
}

static void compare_pca(int64_t n_rows, int n_ev, uint8_t (*use_fn)(int64_t), unsigned flags, int k)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_pca_options opt = {.variance = 0.95, .k = k, .alpha = 0.001};
    struct lad_features f, full;
    struct lad_transform t = {0}, rt = {0};
    struct lad_pca_model m = {0}, rm = {0};
    make_features(ctx, &f, n_rows, n_ev);
    uint8_t *use = use_fn ? use_array(&f, use_fn) : NULL;
    uint8_t *verdict = malloc((size_t)(f.n_local + 1)), *all = malloc((size_t)n_rows);
    fit_pca(ctx, &f, use, flags, &opt, &t, &m, verdict);
    gather_rows(&f, verdict, all);
    if (ctx->rank == 0) {
        make_features(&self_ctx, &full, n_rows, n_ev);
        uint8_t *use_full = use_fn ? use_array(&full, use_fn) : NULL, *ref_verdict = malloc((size_t)n_rows);
        fit_pca(&self_ctx, &full, use_full, flags, &opt, &rt, &rm, ref_verdict);
        CU_ASSERT_EQUAL(m.k, rm.k);
        double top = fabs(rm.eigenvalues[0]);
        int bad = 0, anomalies = 0;
        for (int j = 0; j < n_ev; j++)
            bad += !close_rel(m.eigenvalues[j], rm.eigenvalues[j], top);
        for (int j = 0; j < n_ev * m.k && m.k == rm.k; j++)
            bad += !close_rel(m.components[j], rm.components[j], 1.0);
        CU_ASSERT_EQUAL(bad, 0);
        CU_ASSERT_TRUE(close_rel(m.threshold, rm.threshold, fabs(rm.threshold)));
        CU_ASSERT_TRUE(close_rel(m.variance, rm.variance, 1.0));
        /* The Gram matrix is exact (integer counts, and log-counts on a fixed-point grid), and an event
         * space this small is decomposed on one process at any rank count: the same model to the bit. */
        CU_ASSERT_EQUAL(memcmp(m.eigenvalues, rm.eigenvalues, (size_t)n_ev * sizeof *m.eigenvalues), 0);
        if (m.k == rm.k)
            CU_ASSERT_EQUAL(memcmp(m.components, rm.components, (size_t)n_ev * m.k * sizeof *m.components), 0);
        CU_ASSERT_EQUAL(m.threshold, rm.threshold);
        for (int64_t i = 0; i < n_rows; i++)
            anomalies += ref_verdict[i];
        CU_ASSERT_EQUAL(memcmp(all, ref_verdict, (size_t)n_rows), 0);
        /* The main matrix must flag something and not everything, or the comparison proves little. */
        if (n_rows == N_ROWS)
            CU_ASSERT_TRUE(anomalies > 0 && anomalies < n_rows / 4);
        lad_pca_free(&rm);
        lad_transform_free(&rt);
        lad_features_free(&full);
        free(use_full);
        free(ref_verdict);
    }
    lad_pca_free(&m);
    lad_transform_free(&t);
    lad_features_free(&f);
    free(use);
    free(verdict);
    free(all);
}

static void test_pca_vs_reference(void)
{
    compare_pca(N_ROWS, N_EV, pca_use_of, LAD_TF_TFIDF | LAD_TF_CENTER, 0);
    compare_pca(N_ROWS, N_EV, pca_use_of, LAD_TF_TFIDF | LAD_TF_CENTER | LAD_TF_LOG, 0);
    compare_pca(N_ROWS, N_EV, NULL, LAD_TF_CENTER, 3);
    /* Fewer rows than ranks with two events; more events than rows, rows selected past the first ranks. */
    compare_pca(3, 2, NULL, LAD_TF_CENTER, 1);
    compare_pca(5, 9, only_last_rows, LAD_TF_TFIDF | LAD_TF_CENTER, 1);
}

static void fit_logreg(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *labels, unsigned flags,
                       const struct lad_logreg_options *opt, struct lad_logreg_model *m, uint8_t *verdict)
{
    struct lad_transform t = {0};
    CU_ASSERT_EQUAL_FATAL(lad_transform_fit(ctx, f, NULL, flags, &t), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_logreg_fit(ctx, f, labels, &t, opt, m), LAD_OK);
    double *y = malloc((size_t)f->n_events * sizeof *y);
    for (int64_t i = 0; i < f->n_local; i++) {
        lad_transform_apply_row(&t, lad_features_row(f, i), y);
        verdict[i] = lad_logreg_score(m, y, NULL, 0) > m->threshold;
    }
    free(y);
    lad_transform_free(&t);
}

static void compare_logreg(int64_t n_rows, int n_ev, unsigned flags, bool balanced)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_logreg_options opt = {.lambda = 1e-2, .balanced = balanced, .threshold = 0.5, .max_iter = 50};
    struct lad_features f, full;
    struct lad_logreg_model m = {0}, rm = {0};
    make_features(ctx, &f, n_rows, n_ev);
    int8_t *labels = label_array(&f);
    uint8_t *verdict = malloc((size_t)(f.n_local + 1)), *all = malloc((size_t)n_rows);
    fit_logreg(ctx, &f, labels, flags, &opt, &m, verdict);
    CU_ASSERT_TRUE(m.converged);
    gather_rows(&f, verdict, all);
    if (ctx->rank == 0) {
        make_features(&self_ctx, &full, n_rows, n_ev);
        int8_t *ref_labels = label_array(&full);
        uint8_t *ref_verdict = malloc((size_t)n_rows);
        fit_logreg(&self_ctx, &full, ref_labels, flags, &opt, &rm, ref_verdict);
        double scale = fabs(rm.bias);
        for (int j = 0; j < n_ev; j++)
            scale = fmax(scale, fabs(rm.w[j]));
        int bad = !close_rel(m.bias, rm.bias, scale);
        for (int j = 0; j < n_ev; j++)
            bad += !close_rel(m.w[j], rm.w[j], scale);
        CU_ASSERT_EQUAL(bad, 0);
        /* Chunk-aligned partial sums, added exactly: the same bits at every rank count. */
        CU_ASSERT_EQUAL(memcmp(m.w, rm.w, (size_t)n_ev * sizeof *m.w), 0);
        CU_ASSERT_EQUAL(m.bias, rm.bias);
        CU_ASSERT_EQUAL(m.iterations, rm.iterations);
        CU_ASSERT_EQUAL(memcmp(all, ref_verdict, (size_t)n_rows), 0);
        lad_logreg_free(&rm);
        lad_features_free(&full);
        free(ref_labels);
        free(ref_verdict);
    }
    lad_logreg_free(&m);
    lad_features_free(&f);
    free(labels);
    free(verdict);
    free(all);
}

static void test_logreg_vs_reference(void)
{
    compare_logreg(N_ROWS, N_EV, 0, false);
    compare_logreg(N_ROWS, N_EV, LAD_TF_TFIDF, false);
    compare_logreg(N_ROWS, N_EV, LAD_TF_TFIDF | LAD_TF_LOG, true);
    /* Rows 0..29: one anomaly (row 7), most ranks at np 7 hold a handful of rows. */
    compare_logreg(30, N_EV, 0, true);
    /* Three chunks of 4096 rows: chunk edges fall inside ranks, a chunk spans several ranks. */
    compare_logreg(9001, N_EV, LAD_TF_TFIDF, false);
}

static int init_self(void)
{
    if (lad_test_ctx.rank != 0)
        return 0;
    if (lad_ctx_init(&self_ctx, MPI_COMM_SELF) != LAD_OK)
        return 1;
    self_ctx.log_level = 1;
    return 0;
}

static int free_self(void)
{
    if (lad_test_ctx.rank == 0)
        lad_ctx_free(&self_ctx);
    return 0;
}

static CU_TestInfo tests[] = {
    {"Gram matrix exact: selections, block sizes, tiny shapes", test_gram_exact},
    {"process grid as square as possible; empty selection", test_grid_shape},
    {"eigenpairs of matrices with known spectra", test_eigh_known},
    {"default eigensolver grid", test_eigh_default_grid},
    {"transform and fingerprint bit-identical to one rank", test_transform_bitwise},
    {"PCA equals the single-rank reference", test_pca_vs_reference},
    {"logistic regression equals the single-rank reference", test_logreg_vs_reference},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"models", init_self, free_self, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
