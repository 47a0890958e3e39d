/*
 * lad_logreg.h - L2-regularized logistic regression, trained by a distributed Newton method.
 *
 * Each Newton step needs the gradient X^T (p - y) + lambda w and the Hessian X^T S X + lambda I
 * (S = diag(c_i p_i (1 - p_i)), c_i the class weight); every rank forms the shares of its chunks of
 * rows and one integer MPI_Allreduce adds them exactly (lad_exactsum.h), so the model is the same bits
 * at any rank and thread count. The bias is not regularized. The step is solved with a Cholesky
 * factorization (LAPACK dposv) on every rank, identically.
 */
#ifndef LAD_LOGREG_H
#define LAD_LOGREG_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_features;
struct lad_transform;

/* The transform logistic regression is trained with unless told otherwise (centering would change
 * nothing: the bias is not regularized). The numeric defaults are the CLI's. */
#define LAD_LOGREG_DEFAULT_TRANSFORM "tfidf"

struct lad_logreg_options {
    double lambda;      /* L2 strength (per training row: the objective is the mean loss + lambda/2 |w|^2) */
    bool balanced;      /* weight classes by N / (2 N_class) */
    double threshold;   /* probability above which a row is anomalous */
    int max_iter;       /* Newton iterations at most */
    double tol;         /* stop when the Newton decrement sqrt(g^T H^-1 g) falls below tol (0: 1e-10) */
    bool full_line_search; /* for tests: every line-search trial from the rows, no stored margins */
};

struct lad_logreg_model {
    int n;
    double *w;          /* n weights */
    double bias;
    double lambda;
    double threshold;
    bool balanced;
    int iterations;     /* Newton steps taken */
    bool converged;
    int row_passes;     /* passes over the rows: one per Newton step, one per line search (not stored) */
    int trials;         /* line-search trials, all (not stored) */
};

/*
 * Collective. Fits on the rows of f where label[i] is 0 (normal) or 1 (anomaly); rows with any other
 * label value are ignored. Rows are transformed by t. Needs both classes among the labelled rows
 * (LAD_ERR_LABELS otherwise).
 */
enum lad_status lad_logreg_fit(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *label,
                               const struct lad_transform *t, const struct lad_logreg_options *opt,
                               struct lad_logreg_model *m);

/* Local. P(anomaly) of one transformed row y; the n_top features with the largest w_j y_j (top may be NULL). */
double lad_logreg_score(const struct lad_logreg_model *m, const double *y, int *top, int n_top);

/* Local. */
enum lad_status lad_logreg_alloc(struct lad_ctx *ctx, struct lad_logreg_model *m, int n);
void lad_logreg_free(struct lad_logreg_model *m);

#endif
