/*
 * lad_top.h - the features that contribute most to a block's score, ranked the same at any rank count.
 *
 * Contributions come out of floating-point sums whose order depends on the rank count (eigenvectors,
 * Newton steps), so two contributions that are equal in exact arithmetic can differ in the last bits
 * and swap places from one run to the next. Contributions within LAD_TOP_TIE_REL of the row's largest
 * magnitude of each other are therefore ties, and ties go to the lower feature index.
 */
#ifndef LAD_TOP_H
#define LAD_TOP_H

/* Round-off is ~1e-15 relative; real differences between contributions are far above this. */
#define LAD_TOP_TIE_REL 1e-9

/*
 * Local. top[0, n_top): the indices of the n_top largest c_j = a[j] * b[j] (b NULL: c_j = a[j]), j < n,
 * largest first; -1 past n. The product form scores w_j y_j without a buffer per block.
 */
void lad_top_indices(const double *a, const double *b, int n, int *top, int n_top);

/*
 * Local. As lad_top_indices, but only features whose c_j is clearly positive, above LAD_TOP_TIE_REL
 * times the row's largest |c_j|: those that raise the score. A contribution of 0 (an event absent from
 * a block, with an uncentered transform) or of round-off size is never named; -1 fills the rest.
 */
void lad_top_positive(const double *a, const double *b, int n, int *top, int n_top);

#endif
