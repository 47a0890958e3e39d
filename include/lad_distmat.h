/*
 * lad_distmat.h - the feature matrix as a ScaLAPACK block-cyclic matrix, and the dense kernels the
 * models need from it.
 *
 * The row-block layout of lad_features is itself a ScaLAPACK layout: a size x 1 process grid with row
 * block `block_rows` and one column block. lad_distmat_create builds the transformed matrix in that
 * layout and redistributes it (Cpdgemr2d) onto a 2-D block-cyclic grid as square as the rank count
 * allows, where pdsyrk forms the Gram matrix. The BLACS contexts come from ctx->comm
 * (Csys2blacs_handle), so the models run on any communicator.
 */
#ifndef LAD_DISTMAT_H
#define LAD_DISTMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_features;

struct lad_blacs_grid {
    int context;    /* BLACS context, -1 when this rank is not in the grid */
    int nprow, npcol;
    int myrow, mycol;
};

struct lad_distmat {
    int64_t m, n;          /* global rows, columns */
    int mb, nb;            /* block sizes */
    struct lad_blacs_grid grid;
    int desc[9];           /* ScaLAPACK array descriptor */
    int local_rows, local_cols;
    double *a;             /* column-major local piece, leading dimension desc[8] */
};

/*
 * Collective. Z = phi(counts) of the rows of f selected by use (NULL: all), where phi is log(1 + x)
 * when log_counts is set, else the identity, redistributed to a 2-D block-cyclic matrix with square
 * blocks of nb (0: 64). Selected rows keep their global order.
 */
enum lad_status lad_distmat_create(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use,
                                   bool log_counts, int nb, struct lad_distmat *z);

/* Collective. Frees the local piece and the BLACS contexts. */
void lad_distmat_free(struct lad_distmat *z);

/*
 * Collective. G = Z^T Z (n x n, pdsyrk on the 2-D grid), returned complete and identical on every
 * rank (row-major, both triangles filled). Exact when Z holds integers below 2^26 per entry.
 */
enum lad_status lad_distmat_gram(struct lad_ctx *ctx, const struct lad_distmat *z, double *g);

/* Rows per process row below which spreading the eigenproblem costs more than it saves. */
#define LAD_EIGH_MIN_ROWS 512

/*
 * Local. The side of the square grid lad_distmat_eigh uses by default: the largest p with p * p <= size
 * and p * LAD_EIGH_MIN_ROWS <= n. It depends on the rank count only where n is large, so a model's
 * event space (tens to hundreds of events) is always decomposed on one process, with the same
 * arithmetic at any rank count: the PCA model is then bit-identical whenever its covariance is.
 */
int lad_distmat_eigh_grid_side(int size, int n);

/*
 * Collective. Eigen-decomposition of the symmetric n x n matrix c (row-major, identical on every
 * rank) with pdsyevd on a grid_side x grid_side block-cyclic grid (grid_side <= 0: the default above;
 * clamped to the ranks there are): eigenvalues in descending order in w, the matching eigenvectors as
 * columns of v (row-major n x n), identical on every rank (broadcast from the grid). Each
 * eigenvector's largest-magnitude entry is positive (the first on ties), so the result does not
 * depend on the grid's sign choices. The eigenpairs are verified (|C v - w v| <= 1e-8 |C|): ScaLAPACK
 * failures that report info = 0 become LAD_ERR_NUMERIC instead of a wrong basis.
 */
enum lad_status lad_distmat_eigh(struct lad_ctx *ctx, int n, const double *c, int grid_side, double *w, double *v);

#endif
