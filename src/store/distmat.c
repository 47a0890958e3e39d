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

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_mem.h"

/* BLACS, ScaLAPACK and PBLAS ship no C header on Debian: the prototypes are declared here (STACK.md).
 * Fortran CHARACTER arguments are passed without their hidden lengths, which gfortran tolerates for
 * single-character flags. */
extern int Csys2blacs_handle(MPI_Comm comm);
extern void Cfree_blacs_system_handle(int handle);
extern void Cblacs_gridinit(int *context, const char *order, int nprow, int npcol);
extern void Cblacs_gridinfo(int context, int *nprow, int *npcol, int *myrow, int *mycol);
extern void Cblacs_gridexit(int context);
extern int numroc_(const int *n, const int *nb, const int *iproc, const int *isrcproc, const int *nprocs);
extern void descinit_(int *desc, const int *m, const int *n, const int *mb, const int *nb, const int *irsrc,
                      const int *icsrc, const int *ictxt, const int *lld, int *info);
extern void Cpdgemr2d(int m, int n, double *a, int ia, int ja, int *desca, double *b, int ib, int jb, int *descb,
                      int gcontext);
extern void pdsyrk_(const char *uplo, const char *trans, const int *n, const int *k, const double *alpha,
                    const double *a, const int *ia, const int *ja, const int *desca, const double *beta, double *c,
                    const int *ic, const int *jc, const int *descc);
extern void pdsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *ia, const int *ja,
                     const int *desca, double *w, double *z, const int *iz, const int *jz, const int *descz,
                     double *work, const int *lwork, int *iwork, const int *liwork, int *info);

#define DEFAULT_NB 64
#define DESC_CTXT 1 /* index of the context in a ScaLAPACK descriptor */
#define DESC_LLD 8  /* index of the local leading dimension */
#define MAX_REPLICATED_N 46340 /* n * n still fits an int count */

/* The most nearly square nprow x npcol <= size with nprow <= npcol: 4 -> 2x2, 7 -> 2x3 (one rank idle),
 * 3 -> 1x3. Square grids balance the row and column broadcasts inside PBLAS. */
static void square_shape(int size, int *nprow, int *npcol)
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
static void grid_create(struct lad_ctx *ctx, int nprow, int npcol, struct lad_blacs_grid *g)
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

static void grid_free(struct lad_blacs_grid *g)
{
    /* Only members may exit a grid; BLACS complains about a context it never gave out. */
    if (g->context >= 0)
        Cblacs_gridexit(g->context);
    g->context = -1;
}

static bool in_grid(const struct lad_blacs_grid *g)
{
    return g->context >= 0;
}

/* Global index of local index l in a block-cyclic dimension with block nb over np processes (ScaLAPACK's
 * INDXL2G with source process 0), in int64 so that large row counts cannot overflow. */
static int64_t local_to_global(int64_t l, int nb, int p, int np)
{
    return ((l / nb) * np + p) * nb + l % nb;
}

/*
 * Local. A descriptor for an m x n matrix with mb x nb blocks on grid g, and the local piece's size.
 * Ranks outside the grid get a descriptor whose context is -1: the convention Cpdgemr2d understands.
 */
static enum lad_status make_desc(struct lad_ctx *ctx, const struct lad_blacs_grid *g, int m, int n, int mb, int nb,
                                 int *desc, int *local_rows, int *local_cols)
{
    memset(desc, 0, 9 * sizeof *desc);
    desc[DESC_CTXT] = -1;
    *local_rows = *local_cols = 0;
    if (!in_grid(g))
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
 * consecutive destination blocks [d mb1, (d + 1) mb1): one Alltoallv of whole rows (a contiguous type
 * of n doubles, so counts are rows and stay ints) moves everything, and since received pieces are
 * placed by source rank, they land in global order. Ranks with no selected rows, or none to receive,
 * take part with zero counts.
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
    int *counts = lad_calloc_array((size_t)size * 4, sizeof *counts);
    double *sendbuf = lad_malloc_array((size_t)(sel[me] > 0 ? sel[me] : 1) * (size_t)n, sizeof *sendbuf);
    double *recvbuf = lad_malloc_array((size_t)(rows > 0 ? rows : 1) * (size_t)n, sizeof *recvbuf);
    enum lad_status st = (counts && sendbuf && recvbuf) ? LAD_OK
                         : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory redistributing %lld rows", (long long)sel[me]);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;

    /* Send: my compacted range against each destination block. Receive: each source's compacted
     * range against my block. Counts fit an int because a block does (checked by the caller). */
    int *scount = counts, *sdispl = counts + size, *rcount = counts + 2 * size, *rdispl = counts + 3 * size;
    int64_t off_src = 0;
    for (int r = 0; r < size; r++) {
        int64_t d_begin, d_rows;
        lad_features_local_range(m, mb1, r, &d_begin, &d_rows);
        scount[r] = (int)overlap(off_me, sel[me], d_begin, d_rows);
        rcount[r] = (int)overlap(off_src, sel[r], begin, rows);
        sdispl[r] = r ? sdispl[r - 1] + scount[r - 1] : 0;
        rdispl[r] = r ? rdispl[r - 1] + rcount[r - 1] : 0;
        off_src += sel[r];
    }
    for (int64_t i = 0, k = 0; i < f->n_local; i++) {
        if (use && !use[i])
            continue;
        for (int j = 0; j < n; j++)
            sendbuf[k * n + j] = phi(f->counts[i * n + j], log_counts);
        k++;
    }

    MPI_Datatype row_type;
    if (MPI_Type_contiguous(n, MPI_DOUBLE, &row_type) != MPI_SUCCESS || MPI_Type_commit(&row_type) != MPI_SUCCESS) {
        st = lad_fail(ctx, LAD_ERR_MPI, "cannot build the MPI row type of %d doubles", n);
    } else {
        if (MPI_Alltoallv(sendbuf, scount, sdispl, row_type, recvbuf, rcount, rdispl, row_type, ctx->comm) !=
            MPI_SUCCESS)
            st = lad_fail(ctx, LAD_ERR_MPI, "redistributing the selected rows (MPI_Alltoallv) failed");
        MPI_Type_free(&row_type);
    }
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
    grid_create(ctx, ctx->size, 1, &g1);
    square_shape(ctx->size, &nprow, &npcol);
    grid_create(ctx, nprow, npcol, &z->grid);
    st = make_desc(ctx, &g1, (int)m, n, (int)mb1, n, desc1, &r1, &c1);
    if (st == LAD_OK)
        st = make_desc(ctx, &z->grid, (int)m, n, nb, nb, z->desc, &z->local_rows, &z->local_cols);
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
    grid_free(&g1);
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
    grid_free(&z->grid);
    z->local_rows = z->local_cols = 0;
}

/*
 * Writes the entries of a distributed n x n matrix that this rank owns into the replicated row-major
 * array full (zero elsewhere); upper_only keeps gi <= gj, for a triangle that PBLAS filled alone.
 */
static void scatter_local(const struct lad_blacs_grid *g, int n, int nb, const double *a, int lld, int local_rows,
                          int local_cols, bool upper_only, double *full)
{
    for (int lj = 0; lj < local_cols; lj++) {
        int64_t gj = local_to_global(lj, nb, g->mycol, g->npcol);
        for (int li = 0; li < local_rows; li++) {
            int64_t gi = local_to_global(li, nb, g->myrow, g->nprow);
            if (!upper_only || gi <= gj)
                full[gi * n + gj] = a[(size_t)lj * (size_t)lld + (size_t)li];
        }
    }
}

/*
 * pdsyrk on the 2-D grid, then the replicated assembly. For a tall, narrow count matrix a local dsyrk
 * of each row block plus an Allreduce would be as exact; pdsyrk keeps the work in the one 2-D layout
 * that every ScaLAPACK kernel here shares, and splits the flops over both grid dimensions when n grows
 * (thousands of mined events). The price is the redistribution in lad_distmat_create.
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
    enum lad_status st = make_desc(ctx, &z->grid, n, n, z->nb, z->nb, descc, &cr, &cc);
    if (st == LAD_OK && in_grid(&z->grid)) {
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
    if (in_grid(&z->grid))
        pdsyrk_("U", "T", &n, &k, &alpha, z->a, &one, &one, z->desc, &beta, c, &one, &one, descc);

    if (in_grid(&z->grid))
        scatter_local(&z->grid, n, z->nb, c, descc[DESC_LLD], cr, cc, true, g);
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
    enum lad_status st = make_desc(ctx, g, n, n, nb, nb, desc, &lr, &lc);
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
        int64_t gj = local_to_global(lj, nb, g->mycol, g->npcol);
        for (int li = 0; li < lr; li++)
            a[(size_t)lj * (size_t)lld + (size_t)li] = c[local_to_global(li, nb, g->myrow, g->nprow) * n + gj];
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
        scatter_local(g, n, nb, zv, lld, lr, lc, false, v_full);

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

enum lad_status lad_distmat_eigh(struct lad_ctx *ctx, int n, const double *c, double *w, double *v)
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

    /* Block size: small enough that the matrix spreads over the whole grid (a 29 x 29 covariance with
     * 64-blocks would sit on one process), at most 64 for cache-sized local kernels. */
    int nprow, npcol;
    square_shape(ctx->size, &nprow, &npcol);
    int longest = nprow > npcol ? nprow : npcol;
    int nb = (n + longest - 1) / longest;
    nb = nb < 1 ? 1 : (nb > DEFAULT_NB ? DEFAULT_NB : nb);
    /* A fresh grid, not the one of a distmat: eigh takes any replicated matrix. Ranks outside the grid
     * wait in the agreement below. */
    grid_create(ctx, nprow, npcol, &g);
    if (in_grid(&g))
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
    grid_free(&g);
    lad_free(&w_asc);
    lad_free(&v_full);
    return st;
}
