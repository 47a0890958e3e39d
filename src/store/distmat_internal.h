/* distmat_internal.h - what distmat.c and eigh.c share: ScaLAPACK prototypes, grid and descriptor
 * helpers (all Local unless a comment says otherwise). */
#ifndef LAD_DISTMAT_INTERNAL_H
#define LAD_DISTMAT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_distmat.h"

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


void lad__square_shape(int size, int *nprow, int *npcol);
void lad__grid_create(struct lad_ctx *ctx, int nprow, int npcol, struct lad_blacs_grid *g);
void lad__grid_free(struct lad_blacs_grid *g);
int64_t lad__local_to_global(int64_t l, int nb, int p, int np);
bool lad__in_grid(const struct lad_blacs_grid *g);
enum lad_status lad__make_desc(struct lad_ctx *ctx, const struct lad_blacs_grid *g, int m, int n, int mb, int nb,
                                 int *desc, int *local_rows, int *local_cols);
void lad__scatter_local(const struct lad_blacs_grid *g, int n, int nb, const double *a, int lld, int local_rows,
                          int local_cols, bool upper_only, double *full);

#endif
