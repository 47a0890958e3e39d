/*
 * top.c - ranking of score contributions with a round-off tolerance (see lad_top.h).
 */
#include "lad_top.h"

#include <math.h>
#include <stdbool.h>

static inline double contribution(const double *a, const double *b, int j)
{
    return b ? a[j] * b[j] : a[j];
}

/* The ranking of both entry points; with positive, only c_j > tie enters the list. */
static void rank(const double *a, const double *b, int n, int *top, int n_top, bool positive)
{
    double scale = 0.0;
    for (int j = 0; j < n; j++)
        scale = fmax(scale, fabs(contribution(a, b, j)));
    const double tie = LAD_TOP_TIE_REL * scale;

    /* Insertion into a list of at most n_top, scanning j upwards: an entry moves ahead of another
     * only when clearly larger, so among ties the lower index, seen first, stays ahead. */
    int filled = 0;
    for (int j = 0; j < n && n_top > 0; j++) {
        const double c = contribution(a, b, j);
        if (positive && !(c > tie))
            continue;
        int pos = filled;
        while (pos > 0 && c > contribution(a, b, top[pos - 1]) + tie)
            pos--;
        if (pos >= n_top)
            continue;
        int last = filled < n_top ? filled : n_top - 1;
        for (int q = last; q > pos; q--)
            top[q] = top[q - 1];
        top[pos] = j;
        if (filled < n_top)
            filled++;
    }
    for (int q = filled; q < n_top; q++)
        top[q] = -1;
}

void lad_top_indices(const double *a, const double *b, int n, int *top, int n_top)
{
    rank(a, b, n, top, n_top, false);
}

void lad_top_positive(const double *a, const double *b, int n, int *top, int n_top)
{
    rank(a, b, n, top, n_top, true);
}
