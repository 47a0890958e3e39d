/*
 * logreg_rows.c - the labelled rows logistic regression reads: aligned to chunks, grouped, loaded a
 * chunk at a time (see logreg_internal.h).
 *
 * No transformed copy of the rows is kept. A group remembers where its first row lives: a row of the
 * compressed feature matrix, transformed again whenever a pass loads the chunk, or one of the few rows
 * received from a later rank (kept transformed). Both are made by lad_transform_apply_row, with the
 * bias's trailing 1, so a group loads the same bits in every pass and on every rank.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_hash.h"
#include "lad_mem.h"
#include "lad_transform.h"
#include "logreg_internal.h"

int lad__lr_chunk_rows(int p)
{
    int rows = 4096;
    while (rows > 256 && (int64_t)rows * p > ((int64_t)1 << 20))
        rows /= 2;
    return rows;
}

/* Local. Transformed row `src` (as in lad__lr_rows.src) into out[0, p). */
static void load_row(const struct lad__lr_rows *r, int64_t src, double *out)
{
    if (src >= 0) {
        lad_transform_apply_row_from(r->t, r->y0, lad_features_row(r->f, src), out);
        out[r->p - 1] = 1.0;
    } else {
        memcpy(out, r->tail + ~src * r->p, (size_t)r->p * sizeof *out);
    }
}

int lad__lr_rows_load(struct lad__lr_rows *r, int64_t c)
{
    const int64_t g0 = r->chunk_start[c], n = r->chunk_start[c + 1] - g0;
    for (int64_t q = 0; q < n; q++)
        load_row(r, r->src[g0 + q], r->x + q * r->p);
    return (int)n;
}

void lad__lr_rows_free(struct lad__lr_rows *r)
{
    if (r == NULL)
        return;
    lad_free(&r->chunk_start);
    lad_free(&r->src);
    lad_free(&r->mult);
    lad_free(&r->label);
    lad_free(&r->tail);
    lad_free(&r->y0);
    lad_free(&r->x);
    lad_free(&r->col_max);
    r->n_chunks = r->n_groups = 0;
}

/*
 * Collective. Chunks are chunk_rows consecutive labelled rows in global order; a chunk belongs to the
 * rank that holds its first row. Only a chunk's tail can sit on later ranks, so rows only move to
 * lower ranks, fewer than chunk_rows from each: this rank sends its first (first_own - begin) labelled
 * rows, transformed with their label (p + 1 doubles), and receives the rows that complete its last
 * chunk into r->tail, in rank order: global order again. local[0, n_local) are this rank's labelled
 * rows of f. *srcs (malloc'd) and *labels get the rows this rank keeps, then the received ones.
 */
static enum lad_status align_to_chunks(struct lad_ctx *ctx, struct lad__lr_rows *r, const int64_t *local,
                                       int64_t n_local, const int8_t *label, int64_t **srcs, uint8_t **labels,
                                       int64_t *n_rows)
{
    const int p = r->p, w = p + 1, size = ctx->size;
    const int64_t cr = r->chunk_rows;
    const size_t row_bytes = (size_t)w * sizeof(double);
    enum lad_status st = LAD_OK;
    int64_t *starts = lad_malloc_array((size_t)size + 1, sizeof *starts);
    int64_t *scount = lad_calloc_array((size_t)size, sizeof *scount), *rcount = lad_calloc_array((size_t)size, sizeof *rcount);
    double *out = NULL, *in = NULL;
    if (!starts || !scount || !rcount)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK && MPI_Allgather(&n_local, 1, MPI_INT64_T, starts + 1, 1, MPI_INT64_T, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "aligning labelled rows (MPI_Allgather) failed");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    starts[0] = 0;
    for (int q = 0; q < size; q++)
        starts[q + 1] += starts[q];
    const int64_t begin = starts[ctx->rank], end = starts[ctx->rank + 1];
    int64_t first_own = (begin + cr - 1) / cr * cr;
    first_own = first_own < end ? first_own : end;
    for (int64_t g = begin, owner = 0; g < first_own; g++) {
        const int64_t chunk_start = g / cr * cr;
        while (!(starts[owner] <= chunk_start && chunk_start < starts[owner + 1]))
            owner++;
        scount[owner]++;
    }
    for (int q = ctx->rank + 1; q < size && first_own < end; q++) {
        const int64_t last_chunk_end = (end - 1) / cr * cr + cr;
        int64_t lo = starts[q], hi = starts[q + 1] < last_chunk_end ? starts[q + 1] : last_chunk_end;
        if (hi > lo)
            rcount[q] = hi - lo;
    }
    const int64_t n_send = first_own - begin, n_kept = n_local - n_send;
    int64_t received = 0;
    for (int q = 0; q < size; q++)
        received += rcount[q];
    *n_rows = n_kept + received;
    out = lad_malloc_array((size_t)(n_send > 0 ? n_send : 1), row_bytes);
    in = lad_malloc_array((size_t)(received > 0 ? received : 1), row_bytes);
    r->tail = lad_malloc_array((size_t)(received > 0 ? received : 1) * (size_t)p, sizeof *r->tail);
    *srcs = lad_malloc_big((size_t)(*n_rows > 0 ? *n_rows : 1), sizeof **srcs);
    *labels = lad_malloc_big((size_t)(*n_rows > 0 ? *n_rows : 1), sizeof **labels);
    st = lad_status_agree(ctx, (out && in && r->tail && *srcs && *labels)
                                   ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for labelled rows"));
    if (st != LAD_OK)
        goto out;
    for (int64_t k = 0; k < n_send; k++) {
        load_row(r, local[k], out + k * w);
        out[k * w + p] = label[local[k]];
    }
    for (int64_t k = 0; k < n_kept; k++) {
        (*srcs)[k] = local[n_send + k];
        (*labels)[k] = (uint8_t)label[local[n_send + k]];
    }
    st = lad_comm_alltoallv(ctx, out, scount, in, rcount, row_bytes, "aligning labelled rows");
    for (int64_t k = 0; st == LAD_OK && k < received; k++) {
        memcpy(r->tail + k * p, in + k * w, (size_t)p * sizeof *r->tail);
        (*srcs)[n_kept + k] = ~k;
        (*labels)[n_kept + k] = in[k * w + p] > 0.5;
    }
out:
    lad_free(&starts);
    lad_free(&scount);
    lad_free(&rcount);
    lad_free(&out);
    lad_free(&in);
    return st;
}

/*
 * Local. Groups the rows (srcs, labels; n_rows) chunk by chunk: a row joins the group of the first
 * earlier row of its chunk with the same label and the same transformed bits (a hash table of the
 * chunk's groups, checked with memcmp). Also takes every row's column maxima. False on allocation
 * failure.
 */
static bool group_rows(struct lad__lr_rows *r, const int64_t *srcs, const uint8_t *labels, int64_t n_rows)
{
    const int p = r->p, cr = r->chunk_rows;
    const size_t n_slots = 2 * (size_t)cr; /* power of two; at most half full */
    int32_t *slot = lad_malloc_array(n_slots, sizeof *slot);
    double *row = lad_malloc_array((size_t)p, sizeof *row);
    r->n_chunks = (n_rows + cr - 1) / cr;
    r->chunk_start = lad_malloc_array((size_t)r->n_chunks + 1, sizeof *r->chunk_start);
    r->src = lad_malloc_big((size_t)(n_rows > 0 ? n_rows : 1), sizeof *r->src);
    r->mult = lad_malloc_big((size_t)(n_rows > 0 ? n_rows : 1), sizeof *r->mult);
    r->label = lad_malloc_big((size_t)(n_rows > 0 ? n_rows : 1), sizeof *r->label);
    bool ok = slot && row && r->chunk_start && r->src && r->mult && r->label;
    int64_t g = 0;
    for (int64_t c = 0; ok && c < r->n_chunks; c++) {
        const int64_t g0 = g, i_end = (c + 1) * cr < n_rows ? (c + 1) * cr : n_rows;
        r->chunk_start[c] = g0;
        memset(slot, -1, n_slots * sizeof *slot);
        for (int64_t i = c * cr; i < i_end; i++) {
            load_row(r, srcs[i], row);
            for (int j = 0; j < p; j++)
                r->col_max[j] = fmax(r->col_max[j], fabs(row[j]));
            size_t h = (size_t)lad_hash_bytes(row, (size_t)p * sizeof *row, labels[i]) & (n_slots - 1);
            for (;; h = (h + 1) & (n_slots - 1)) {
                const int32_t k = slot[h];
                if (k < 0) { /* a new group: its row is loaded into the chunk scratch */
                    slot[h] = (int32_t)(g - g0);
                    memcpy(r->x + (g - g0) * p, row, (size_t)p * sizeof *row);
                    r->src[g] = srcs[i];
                    r->label[g] = labels[i];
                    r->mult[g++] = 1.0;
                    break;
                }
                if (r->label[g0 + k] == labels[i] && memcmp(r->x + (size_t)k * p, row, (size_t)p * sizeof *row) == 0) {
                    r->mult[g0 + k] += 1.0;
                    break;
                }
            }
        }
    }
    if (ok)
        r->chunk_start[r->n_chunks] = g;
    r->n_groups = g;
    free(slot);
    free(row);
    return ok;
}

enum lad_status lad__lr_rows_collect(struct lad_ctx *ctx, const struct lad_features *f, const int8_t *label,
                                     const struct lad_transform *t, struct lad__lr_rows *r, int64_t *n_rows,
                                     int64_t *n_pos)
{
    memset(r, 0, sizeof *r);
    const int p = f->n_events + 1;
    r->p = p;
    r->chunk_rows = lad__lr_chunk_rows(p);
    r->f = f;
    r->t = t;
    int64_t n_local = 0, n_aligned = 0, *srcs = NULL;
    uint8_t *labels = NULL;
    for (int64_t i = 0; i < f->n_local; i++)
        n_local += label[i] == 0 || label[i] == 1;
    *n_rows = n_local;
    int64_t *local = lad_malloc_big((size_t)(n_local > 0 ? n_local : 1), sizeof *local);
    r->x = lad_malloc_array((size_t)r->chunk_rows * (size_t)p, sizeof *r->x);
    r->col_max = lad_calloc_array((size_t)p, sizeof *r->col_max);
    r->y0 = lad_malloc_array((size_t)p, sizeof *r->y0);
    enum lad_status st = (local && r->x && r->col_max && r->y0) ? LAD_OK
                         : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld labelled rows", (long long)n_local);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    lad_transform_zero_row(t, r->y0);
    *n_pos = 0;
    for (int64_t i = 0, k = 0; i < f->n_local; i++)
        if (label[i] == 0 || label[i] == 1) {
            local[k++] = i;
            *n_pos += label[i];
        }
    st = align_to_chunks(ctx, r, local, n_local, label, &srcs, &labels, &n_aligned);
    if (st == LAD_OK && !group_rows(r, srcs, labels, n_aligned))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory grouping %lld labelled rows", (long long)n_aligned);
    st = lad_status_agree(ctx, st);
    /* A max is the same in any order: over all ranks' rows, whichever rank holds them. */
    if (st == LAD_OK && MPI_Allreduce(MPI_IN_PLACE, r->col_max, p, MPI_DOUBLE, MPI_MAX, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "column maxima (MPI_Allreduce) failed");
    st = lad_status_agree(ctx, st);
out:
    free(local);
    free(srcs);
    free(labels);
    return st;
}
