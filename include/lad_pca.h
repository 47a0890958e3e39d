/*
 * lad_pca.h - the PCA detector of Xu et al. (SOSP'09): normal subspace of the top k principal
 * components, squared prediction error (SPE) in the residual subspace, Q-statistic threshold.
 */
#ifndef LAD_PCA_H
#define LAD_PCA_H

#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_features;
struct lad_transform;

/* The transform PCA is trained with unless told otherwise: smoothed TF-IDF with centering, which keeps
 * the common events in the normal subspace (plain idf gives them weight ~0) and makes rare events stand
 * out in the residual. The numeric defaults (variance 0.95, alpha 0.001) are the CLI's. */
#define LAD_PCA_DEFAULT_TRANSFORM "tfidf,center"

struct lad_pca_options {
    double variance; /* explained variance that fixes k (used when k == 0) */
    int k;           /* normal-subspace dimension, 0: from variance */
    double alpha;    /* Q-statistic significance level */
};

struct lad_pca_model {
    int n;             /* features */
    int k;             /* kept components */
    double alpha;
    double variance;   /* explained variance of the k components */
    double threshold;  /* Q_alpha */
    double *eigenvalues; /* n, descending (covariance of the transformed training rows) */
    double *components;  /* n x k, row-major: column j is principal axis j */
};

/*
 * Collective. Fits on the rows of f selected by use (NULL: all), transformed by t. The covariance
 * D (Z^T Z - N mu mu^T) D / N comes from the exact Gram matrix of Z = phi(counts) (lad_gram_exact)
 * and is decomposed with lad_distmat_eigh. Eigenvalues below the solver's round-off (64 n eps
 * lambda_max) count as zero for k and Q, and the threshold is at least that level, so directions with no
 * training variance do not turn round-off into verdicts. LAD_ERR_USAGE for k > n or options out of range.
 */
enum lad_status lad_pca_fit(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use,
                            const struct lad_transform *t, const struct lad_pca_options *opt,
                            struct lad_pca_model *m);

/*
 * Local. SPE of one transformed row y[0, n), and its residual r[0, n) = y - P P^T y (r_j^2 sums to the
 * SPE; y - r is the row's projection onto the normal subspace). NaN when out of memory (k > 512).
 */
double lad_pca_residual(const struct lad_pca_model *m, const double *y, double *r);

/*
 * Local. SPE of one transformed row y[0, n); also the indices of the n_top features with the largest
 * squared residual components, largest first (top may be NULL).
 */
double lad_pca_score(const struct lad_pca_model *m, const double *y, int *top, int n_top);

/*
 * Local. The SPE above which a block is anomalous: the Q threshold, but never below 1e-9 of the total
 * training variance. A model whose residual subspace had no variance at all (Q = 0) would otherwise
 * flag the round-off SPE of points that lie in the normal subspace.
 */
double lad_pca_decision_threshold(const struct lad_pca_model *m);

/* Local. */
enum lad_status lad_pca_alloc(struct lad_ctx *ctx, struct lad_pca_model *m, int n, int k);
void lad_pca_free(struct lad_pca_model *m);

#endif
