/*
 * eigh.c - the symmetric eigen-decomposition of a small replicated matrix with pdsyevd, spread over a
 * square BLACS grid of all ranks, checked, and replicated back (see distmat.c for the grid helpers).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_mem.h"
#include "distmat_internal.h"

/*
 * Column-major ScaLAPACK order (ascending eigenvalues, vectors as columns) to the interface's order:
 * descending eigenvalues, and each vector's sign fixed so that its largest-magnitude entry is positive.
 * Eigenvectors are only defined up to sign; without this rule two grids could return v and -v, and
 * models trained at different rank counts would not compare equal. "Largest" means the first entry
 * within 1e-8 (relative) of the maximum magnitude, so that entries tied up to round-off (u = (1, 1)
 * / sqrt 2) pick the same index on every grid.
 */
static void order_and_sign(int n, const double *w_asc, const double *v_full_asc, double *w, double *v)
{
    for (int c = 0; c < n; c++) {
        int src = n - 1 - c, arg = 0;
        double big = 0.0;
        for (int i = 0; i < n; i++)
            big = fmax(big, fabs(v_full_asc[i * n + src]));
        while (arg < n - 1 && fabs(v_full_asc[arg * n + src]) < (1.0 - 1e-8) * big)
            arg++;
        double sign = v_full_asc[arg * n + src] < 0.0 ? -1.0 : 1.0;
        w[c] = w_asc[src];
        for (int i = 0; i < n; i++)
            v[i * n + c] = sign * v_full_asc[i * n + src];
    }
}

/*
 * Local to the grid (collective over its members). pdsyevd on this member's piece of c; the
 * eigenvector entries this member owns are written into v_full (zero elsewhere). Since c is replicated,
 * each member copies its own blocks out of it, and no scatter from a root is needed. Workspace: see
 * below; the query alone is not enough.
 */
static enum lad_status eigh_local(struct lad_ctx *ctx, const struct lad_blacs_grid *g, int n, int nb, const double *c,
                                  double *w_asc, double *v_full)
{
    int desc[9], lr, lc, one = 1, info = 0, lwork = -1, liwork = -1, iwq = 0;
    double wq = 0.0, *a = NULL, *zv = NULL, *work = NULL;
    int *iwork = NULL;
    enum lad_status st = lad__make_desc(ctx, g, n, n, nb, nb, desc, &lr, &lc);
    if (st != LAD_OK)
        return st;
    size_t piece = (size_t)(lr > 1 ? lr : 1) * (size_t)(lc > 0 ? lc : 1);
    a = lad_calloc_array(piece, sizeof *a);
    zv = lad_calloc_array(piece, sizeof *zv);
    if (!a || !zv) {
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for a %d x %d eigenproblem", n, n);
        goto out_free;
    }
    const int lld = desc[DESC_LLD];
    for (int lj = 0; lj < lc; lj++) {
        int64_t gj = lad__local_to_global(lj, nb, g->mycol, g->npcol);
        for (int li = 0; li < lr; li++)
            a[(size_t)lj * (size_t)lld + (size_t)li] = c[lad__local_to_global(li, nb, g->myrow, g->nprow) * n + gj];
    }
    /* Workspace query (lwork = liwork = -1): sizes come back in wq and iwq. */
    pdsyevd_("V", "U", &n, a, &one, &one, desc, w_asc, zv, &one, &one, desc, &wq, &lwork, &iwq, &liwork, &info);
    if (info != 0) {
        st = lad_fail(ctx, LAD_ERR_NUMERIC, "pdsyevd workspace query failed (info %d)", info);
        goto out_free;
    }
    /*
     * Documented minima: LWORK >= max(1 + 6N + 2 NP NQ, TRILWMIN) + 2N, TRILWMIN = 3N + max(NB (NP + 1), 3 NB),
     * LIWORK >= 7N + 8 NPCOL + 2. Neither they nor the query cover the back-transformation: pdsyevd hands
     * its leftover workspace to PDORMTR, which needs max(NB (NB - 1) / 2, (NQ + NP) NB) + NB^2 of its own
     * (more rows and columns once offsets are counted, hence the 2 NB). When the matrix is a single
     * block, PDORMTR then rejects LWORK (a message on stdout), returns, and pdsyevd still reports
     * info = 0 with wrong eigenvectors. So that term is added on top.
     */
    double trilwmin = 3.0 * n + fmax((double)nb * (lr + 1), 3.0 * nb);
    double lmin = fmax(1.0 + 6.0 * n + 2.0 * (double)lr * lc, trilwmin) + 2.0 * n;
    double ormtr = fmax(0.5 * nb * (nb - 1.0), ((double)lr + lc + 2.0 * nb) * nb) + (double)nb * nb;
    double lw = fmax(wq, lmin) + ormtr;
    double liw = fmax((double)iwq, 7.0 * n + 8.0 * g->npcol + 2.0);
    if (lw > INT_MAX || liw > INT_MAX) {
        st = lad_fail(ctx, LAD_ERR_NUMERIC, "pdsyevd workspace for n = %d exceeds 32-bit sizes", n);
        goto out_free;
    }
    lwork = (int)lw;
    liwork = (int)liw;
    work = lad_malloc_array((size_t)lwork, sizeof *work);
    iwork = lad_malloc_array((size_t)liwork, sizeof *iwork);
    if (!work || !iwork) {
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for pdsyevd workspace (%d doubles)", lwork);
        goto out_free;
    }
    /* info > 0: the divide-and-conquer step failed to converge; the same info on every member. */
    pdsyevd_("V", "U", &n, a, &one, &one, desc, w_asc, zv, &one, &one, desc, work, &lwork, iwork, &liwork, &info);
    if (info != 0)
        st = lad_fail(ctx, LAD_ERR_NUMERIC, "pdsyevd failed (info %d): eigen-decomposition of %d x %d did not converge",
                      info, n, n);
    else
        lad__scatter_local(g, n, nb, zv, lld, lr, lc, false, v_full);

out_free:
    lad_free(&a);
    lad_free(&zv);
    lad_free(&work);
    lad_free(&iwork);
    return st;
}

/*
 * Collective. A posteriori check max_k |C v_k - w_k v_k| <= 1e-8 |C|_2: ScaLAPACK can fail silently
 * (a PBLAS/ScaLAPACK routine that rejects an argument prints a line, returns, and the caller carries on
 * with info = 0, as seen with pdsyevd's workspace), and a wrong eigenbasis would make every PCA verdict
 * wrong without any error. Each rank checks every size-th column, O(n^3 / size) like the solve itself.
 */
static enum lad_status check_eigenpairs(struct lad_ctx *ctx, int n, const double *c, const double *w, const double *v)
{
    double norm = fmax(fabs(w[0]), fabs(w[n - 1])), worst = 0.0;
    for (int k = ctx->rank; k < n; k += ctx->size) {
        double r2 = 0.0;
        for (int i = 0; i < n; i++) {
            double cv = 0.0;
            for (int j = 0; j < n; j++)
                cv += c[i * n + j] * v[j * n + k];
            r2 += (cv - w[k] * v[i * n + k]) * (cv - w[k] * v[i * n + k]);
        }
        worst = fmax(worst, sqrt(r2));
    }
    if (MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_DOUBLE, MPI_MAX, ctx->comm) != MPI_SUCCESS)
        return lad_fail(ctx, LAD_ERR_MPI, "checking the eigenpairs (MPI_Allreduce) failed");
    if (!(worst <= 1e-8 * norm))
        return lad_fail(ctx, LAD_ERR_NUMERIC, "pdsyevd returned wrong eigenpairs (residual %.3g for |C| = %.3g, n = %d)",
                        worst, norm, n);
    return LAD_OK;
}

int lad_distmat_eigh_grid_side(int size, int n)
{
    int side = 1;
    while ((side + 1) * (side + 1) <= size && (side + 1) * LAD_EIGH_MIN_ROWS <= n)
        side++;
    return side;
}

enum lad_status lad_distmat_eigh(struct lad_ctx *ctx, int n, const double *c, int grid_side, double *w, double *v)
{
    struct lad_blacs_grid g = {.context = -1};
    double *w_asc = lad_calloc_array((size_t)(n > 0 ? n : 1), sizeof *w_asc);
    double *v_full = lad_calloc_array((size_t)(n > 0 ? n : 1) * (size_t)(n > 0 ? n : 1), sizeof *v_full);
    enum lad_status st = (w_asc && v_full) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    if (st == LAD_OK && (n < 1 || n > MAX_REPLICATED_N))
        st = lad_fail(ctx, LAD_ERR_INPUT, "eigen-decomposition of a %d x %d matrix is not supported", n, n);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;

    /* The grid and block size depend on n and grid_side only, never on the rank count beyond the
     * clamp, so the same matrix gets the same arithmetic (see lad_distmat.h). The block size spreads
     * the matrix over the whole grid, at most 64 for cache-sized local kernels. */
    int side = grid_side > 0 ? grid_side : lad_distmat_eigh_grid_side(ctx->size, n);
    while (side > 1 && side * side > ctx->size)
        side--;
    int nb = (n + side - 1) / side;
    nb = nb < 1 ? 1 : (nb > DEFAULT_NB ? DEFAULT_NB : nb);
    /* A fresh grid, not the one of a distmat: eigh takes any replicated matrix. Ranks outside the grid
     * wait in the agreement below. */
    lad__grid_create(ctx, side, side, &g);
    if (lad__in_grid(&g))
        st = eigh_local(ctx, &g, n, nb, c, w_asc, v_full);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;

    /* pdsyevd leaves W on every grid member; rank 0 is grid (0, 0), so it is always one of them. */
    if (MPI_Bcast(w_asc, n, MPI_DOUBLE, 0, ctx->comm) != MPI_SUCCESS ||
        MPI_Allreduce(MPI_IN_PLACE, v_full, n * n, MPI_DOUBLE, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "replicating the eigenpairs failed");
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        order_and_sign(n, w_asc, v_full, w, v);
    if (st == LAD_OK)
        st = check_eigenpairs(ctx, n, c, w, v);

out_free:
    lad__grid_free(&g);
    lad_free(&w_asc);
    lad_free(&v_full);
    return st;
}
