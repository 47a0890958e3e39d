/*
 * distmat.c - the feature matrix as a ScaLAPACK matrix: BLACS grids, descriptors, redistribution, and
 * the two dense kernels the models need (Gram matrix, symmetric eigen-decomposition).
 *
 * Why ScaLAPACK layouts line up with lad_features: rank r holds global rows [r * mb, (r + 1) * mb) with
 * mb = ceil(m / size), which is exactly the block-cyclic layout of a size x 1 grid with row block mb
 * (every rank gets at most one block, so "cyclic" never wraps). Such a matrix is a valid source for
 * Cpdgemr2d, which moves it to a 2-D block-cyclic grid where PBLAS/ScaLAPACK do the work.
 *
 * All BLACS contexts come from ctx->comm via Csys2blacs_handle, never from Cblacs_get(-1, 0, ...) (the
 * world communicator): the models then run on MPI_COMM_SELF in tests, or on any split communicator.
 * Ranks that do not fit in a grid (7 ranks on a 2 x 3 grid) get context -1, skip the local work, and
 * still join every collective on ctx->comm, so the control flow is the same on every rank.
 *
 * Results that every rank needs (Gram matrix, eigenpairs) are assembled by an MPI_Allreduce(SUM) of an
 * array where each entry is written by exactly one rank and is 0.0 everywhere else: x + 0.0 == x, so
 * the sum is exact and identical on every rank, whatever the reduction order.
 */
#include "lad_distmat.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_mem.h"
#include "distmat_internal.h"

/* The most nearly square nprow x npcol <= size with nprow <= npcol: 4 -> 2x2, 7 -> 2x3 (one rank idle),
 * 3 -> 1x3. Square grids balance the row and column broadcasts inside PBLAS. */
void lad__square_shape(int size, int *nprow, int *npcol)
{
    int r = (int)sqrt((double)size);
    while (r > 1 && r * r > size)
        r--;
    while ((r + 1) * (r + 1) <= size)
        r++;
    *nprow = r < 1 ? 1 : r;
    *npcol = size / *nprow;
}

/*
 * Collective over ctx->comm. A row-major BLACS grid over the first nprow * npcol ranks of ctx->comm.
 * Cblacs_gridinit is collective over the system handle's communicator, so every rank calls it, also
 * the ones left out, which get context -1 and coordinates -1.
 */
void lad__grid_create(struct lad_ctx *ctx, int nprow, int npcol, struct lad_blacs_grid *g)
{
    int handle = Csys2blacs_handle(ctx->comm);
    int context = handle;
    Cblacs_gridinit(&context, "Row", nprow, npcol);
    /* The grid holds its own communicator, so the system handle can go right away. */
    Cfree_blacs_system_handle(handle);
    g->context = -1;
    g->nprow = nprow;
    g->npcol = npcol;
    g->myrow = g->mycol = -1;
    if (ctx->rank < nprow * npcol && context >= 0) {
        int pr, pc;
        Cblacs_gridinfo(context, &pr, &pc, &g->myrow, &g->mycol);
        if (g->myrow >= 0 && g->mycol >= 0)
            g->context = context;
    }
}

void lad__grid_free(struct lad_blacs_grid *g)
{
    /* Only members may exit a grid; BLACS complains about a context it never gave out. */
    if (g->context >= 0)
        Cblacs_gridexit(g->context);
    g->context = -1;
}

bool lad__in_grid(const struct lad_blacs_grid *g)
{
    return g->context >= 0;
}

/* Global index of local index l in a block-cyclic dimension with block nb over np processes (ScaLAPACK's
 * INDXL2G with source process 0), in int64 so that large row counts cannot overflow. */
int64_t lad__local_to_global(int64_t l, int nb, int p, int np)
{
    return ((l / nb) * np + p) * nb + l % nb;
}

/*
 * Local. A descriptor for an m x n matrix with mb x nb blocks on grid g, and the local piece's size.
 * Ranks outside the grid get a descriptor whose context is -1: the convention Cpdgemr2d understands.
 */
enum lad_status lad__make_desc(struct lad_ctx *ctx, const struct lad_blacs_grid *g, int m, int n, int mb, int nb,
                                 int *desc, int *local_rows, int *local_cols)
{
    memset(desc, 0, 9 * sizeof *desc);
    desc[DESC_CTXT] = -1;
    *local_rows = *local_cols = 0;
    if (!lad__in_grid(g))
        return LAD_OK;
    int zero = 0, info = 0;
    *local_rows = numroc_(&m, &mb, &g->myrow, &zero, &g->nprow);
    *local_cols = numroc_(&n, &nb, &g->mycol, &zero, &g->npcol);
    int lld = *local_rows > 1 ? *local_rows : 1;
    descinit_(desc, &m, &n, &mb, &nb, &zero, &zero, &g->context, &lld, &info);
    if (info != 0)
        return lad_fail(ctx, LAD_ERR_NUMERIC, "ScaLAPACK descinit failed (info %d) for a %d x %d matrix", info, m, n);
    return LAD_OK;
}

/*
 * Writes the entries of a distributed n x n matrix that this rank owns into the replicated row-major
 * array full (zero elsewhere); upper_only keeps gi <= gj, for a triangle that PBLAS filled alone.
 */
void lad__scatter_local(const struct lad_blacs_grid *g, int n, int nb, const double *a, int lld, int local_rows,
                          int local_cols, bool upper_only, double *full)
{
    for (int lj = 0; lj < local_cols; lj++) {
        int64_t gj = lad__local_to_global(lj, nb, g->mycol, g->npcol);
        for (int li = 0; li < local_rows; li++) {
            int64_t gi = lad__local_to_global(li, nb, g->myrow, g->nprow);
            if (!upper_only || gi <= gj)
                full[gi * n + gj] = a[(size_t)lj * (size_t)lld + (size_t)li];
        }
    }
}

static double phi(int64_t x, bool log_counts)
{
    return log_counts ? log1p((double)x) : (double)x;
}

/* Length of the intersection of the row ranges [a, a + na) and [b, b + nb). */
static int64_t overlap(int64_t a, int64_t na, int64_t b, int64_t nb)
{
    int64_t lo = a > b ? a : b, hi = a + na < b + nb ? a + na : b + nb;
    return hi > lo ? hi - lo : 0;
}

/*
 * Collective. Moves the selected rows, transformed, to the compact row-block layout of the m selected
 * rows with block mb1 (the layout lad_features would give an m-row matrix), column-major into a1.
 *
 * Selection keeps the global order, so the compacted index of rank r's first selected row is the sum
 * of the selected counts of lower ranks (an exclusive scan, read off the gathered counts sel), and
 * rank r's rows form the contiguous compacted range [off_r, off_r + sel_r). That range overlaps a few
 * consecutive destination blocks [d mb1, (d + 1) mb1): one exchange of whole rows (counts are rows)
 * moves everything, and since received pieces are placed by source rank, they land in global order.
 * Ranks with no selected rows, or none to receive, take part with zero counts.
 */
static enum lad_status compact_rows(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use,
                                    bool log_counts, const int64_t *sel, int64_t m, int64_t mb1, double *a1,
                                    int lld1)
{
    const int n = f->n_events, size = ctx->size, me = ctx->rank;
    int64_t off_me = 0, begin = 0, rows = 0;
    for (int r = 0; r < me; r++)
        off_me += sel[r];
    lad_features_local_range(m, mb1, me, &begin, &rows);
    int64_t *counts = lad_calloc_array((size_t)size * 2, sizeof *counts);
    double *sendbuf = lad_malloc_array((size_t)(sel[me] > 0 ? sel[me] : 1) * (size_t)n, sizeof *sendbuf);
    double *recvbuf = lad_malloc_array((size_t)(rows > 0 ? rows : 1) * (size_t)n, sizeof *recvbuf);
    enum lad_status st = (counts && sendbuf && recvbuf) ? LAD_OK
                         : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory redistributing %lld rows", (long long)sel[me]);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;

    /* Send: my compacted range against each destination block. Receive: each source's compacted
     * range against my block. */
    int64_t *scount = counts, *rcount = counts + size;
    int64_t off_src = 0;
    for (int r = 0; r < size; r++) {
        int64_t d_begin, d_rows;
        lad_features_local_range(m, mb1, r, &d_begin, &d_rows);
        scount[r] = overlap(off_me, sel[me], d_begin, d_rows);
        rcount[r] = overlap(off_src, sel[r], begin, rows);
        off_src += sel[r];
    }
    for (int64_t i = 0, k = 0; i < f->n_local; i++) {
        if (use && !use[i])
            continue;
        double *row = sendbuf + k * n;
        const struct lad_row x = lad_features_row(f, i);
        for (int j = 0; j < n; j++)
            row[j] = 0.0; /* phi(0) */
        for (int q = 0; q < x.n; q++)
            row[x.cols[q]] = phi(x.vals[q], log_counts);
        k++;
    }

    st = lad_comm_alltoallv(ctx, sendbuf, scount, recvbuf, rcount, (size_t)n * sizeof(double),
                            "redistributing the selected rows");
    /* Row-major rows become the column-major local piece ScaLAPACK expects. */
    for (int64_t i = 0; st == LAD_OK && i < rows; i++)
        for (int j = 0; j < n; j++)
            a1[(size_t)j * (size_t)lld1 + (size_t)i] = recvbuf[i * n + j];
    st = lad_status_agree(ctx, st);

out_free:
    lad_free(&counts);
    lad_free(&sendbuf);
    lad_free(&recvbuf);
    return st;
}

/*
 * Three steps: (1) every rank learns every rank's selected count (one Allgather), from which the
 * compacted layout follows without further talk; (2) compact_rows builds the selected rows in the
 * row-block layout of a size x 1 grid; (3) Cpdgemr2d moves them to nb x nb blocks on the square grid.
 * Step (2) always runs, also when every row is selected (then it is a copy to self), so that one code
 * path serves both cases.
 */
enum lad_status lad_distmat_create(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use,
                                   bool log_counts, int nb, struct lad_distmat *z)
{
    memset(z, 0, sizeof *z);
    z->grid.context = -1;
    z->desc[DESC_CTXT] = -1;
    struct lad_blacs_grid g1 = {.context = -1};
    double *a1 = NULL;
    const int n = f->n_events;
    nb = nb > 0 ? nb : DEFAULT_NB;

    int64_t sel_local = 0, m = 0;
    for (int64_t i = 0; i < f->n_local; i++)
        sel_local += use == NULL || use[i] != 0;
    int64_t *sel = lad_calloc_array((size_t)ctx->size, sizeof *sel);
    enum lad_status st = lad_status_agree(ctx, sel ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st != LAD_OK)
        return st;
    if (MPI_Allgather(&sel_local, 1, MPI_INT64_T, sel, 1, MPI_INT64_T, ctx->comm) != MPI_SUCCESS) {
        st = lad_fail(ctx, LAD_ERR_MPI, "gathering the selected row counts failed");
        goto out_free;
    }
    for (int r = 0; r < ctx->size; r++)
        m += sel[r];
    /* These checks read replicated values only, so every rank takes the same branch. */
    const int64_t mb1 = lad_features_block_rows(m, ctx->size);
    if (n < 1 || m < 1)
        st = lad_fail(ctx, LAD_ERR_INPUT, "the model needs rows and events: %lld rows selected, %d events",
                      (long long)m, n);
    else if (m > INT_MAX || (int64_t)n * mb1 > INT_MAX / 2)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%lld x %d is too large for ScaLAPACK's 32-bit indices", (long long)m, n);
    if (st != LAD_OK)
        goto out_free;
    z->m = m;
    z->n = n;
    z->mb = z->nb = nb;

    int64_t begin1, rows1;
    lad_features_local_range(m, mb1, ctx->rank, &begin1, &rows1);
    const int lld1 = rows1 > 1 ? (int)rows1 : 1;
    a1 = lad_calloc_array((size_t)lld1 * (size_t)n, sizeof *a1);
    st = lad_status_agree(ctx, a1 ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld rows", (long long)rows1));
    if (st == LAD_OK)
        st = compact_rows(ctx, f, use, log_counts, sel, m, mb1, a1, lld1);
    if (st != LAD_OK)
        goto out_free;

    /* The size x 1 grid describes the compact layout (one column block of width n); the square grid
     * receives. Both contexts come from the same communicator, so every rank builds both. */
    int nprow, npcol, desc1[9], r1, c1;
    lad__grid_create(ctx, ctx->size, 1, &g1);
    lad__square_shape(ctx->size, &nprow, &npcol);
    lad__grid_create(ctx, nprow, npcol, &z->grid);
    st = lad__make_desc(ctx, &g1, (int)m, n, (int)mb1, n, desc1, &r1, &c1);
    if (st == LAD_OK)
        st = lad__make_desc(ctx, &z->grid, (int)m, n, nb, nb, z->desc, &z->local_rows, &z->local_cols);
    /* numroc must agree with the layout compact_rows built, or the data would be misread. */
    if (st == LAD_OK && r1 != rows1)
        st = lad_fail(ctx, LAD_ERR_INTERNAL, "row-block layout mismatch: %d rows vs %lld", r1, (long long)rows1);
    if (st == LAD_OK) {
        z->a = lad_calloc_array((size_t)(z->local_rows > 1 ? z->local_rows : 1) * (size_t)(z->local_cols > 0 ? z->local_cols : 1),
                                sizeof *z->a);
        if (z->a == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the 2-D matrix piece");
    }
    st = lad_status_agree(ctx, st);
    /* Cpdgemr2d needs a context that spans both grids: the size x 1 grid holds every rank. Ranks
     * outside the square grid pass a descriptor with context -1 and only send. */
    if (st == LAD_OK)
        Cpdgemr2d((int)m, n, a1, 1, 1, desc1, z->a, 1, 1, z->desc, g1.context);

out_free:
    lad__grid_free(&g1);
    lad_free(&a1);
    lad_free(&sel);
    if (st != LAD_OK)
        lad_distmat_free(z);
    return st;
}

/* Collective over the grid's members (Cblacs_gridexit frees the grid's communicators). */
void lad_distmat_free(struct lad_distmat *z)
{
    if (z == NULL)
        return;
    lad_free(&z->a);
    lad__grid_free(&z->grid);
    z->local_rows = z->local_cols = 0;
}

/*
 * pdsyrk on the 2-D grid, then the replicated assembly. For a tall, narrow count matrix lad_gram_exact
 * (each rank's own rows, summed exactly) is what PCA uses; pdsyrk serves wide event spaces (thousands
 * of mined events), where it splits the flops over both grid dimensions and no rank holds an n x n
 * partial sum of its own. The price is the redistribution in lad_distmat_create.
 */
enum lad_status lad_distmat_gram(struct lad_ctx *ctx, const struct lad_distmat *z, double *g)
{
    const int n = (int)z->n, k = (int)z->m, one = 1;
    const double alpha = 1.0, beta = 0.0;
    int descc[9], cr = 0, cc = 0;
    double *c = NULL;
    memset(g, 0, (size_t)n * (size_t)n * sizeof *g);
    /* The replicated n x n result travels in one MPI call, whose count is an int. */
    if (n > MAX_REPLICATED_N)
        return lad_fail(ctx, LAD_ERR_INPUT, "%d events: too many for a replicated %d x %d Gram matrix", n, n, n);

    /* C has the same square blocks on the same grid as Z, which is what pdsyrk expects of its operands. */
    enum lad_status st = lad__make_desc(ctx, &z->grid, n, n, z->nb, z->nb, descc, &cr, &cc);
    if (st == LAD_OK && lad__in_grid(&z->grid)) {
        c = lad_calloc_array((size_t)(cr > 1 ? cr : 1) * (size_t)(cc > 0 ? cc : 1), sizeof *c);
        if (c == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the Gram matrix");
    }
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;

    /* C = Z^T Z, upper triangle. With integer entries every partial sum of products is an integer; as
     * long as those stay below 2^53 (e.g. counts below 2^26 and G's diagonal below 2^53), every
     * floating-point addition is exact, so G is exact whatever the grid and the summation order. */
    if (lad__in_grid(&z->grid))
        pdsyrk_("U", "T", &n, &k, &alpha, z->a, &one, &one, z->desc, &beta, c, &one, &one, descc);

    if (lad__in_grid(&z->grid))
        lad__scatter_local(&z->grid, n, z->nb, c, descc[DESC_LLD], cr, cc, true, g);
    if (MPI_Allreduce(MPI_IN_PLACE, g, n * n, MPI_DOUBLE, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "assembling the Gram matrix (MPI_Allreduce) failed");
    /* pdsyrk touched only the upper triangle: mirror it. */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
            g[i * n + j] = g[j * n + i];
    st = lad_status_agree(ctx, st);

out_free:
    lad_free(&c);
    return st;
}

