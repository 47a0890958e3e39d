/*
 * order.c - from the shuffle's key-range rows to the row-block layout.
 *
 * The shuffle left rank r with the rows of its key range, sorted, and every key of rank r below every
 * key of rank r + 1. So the global position of rank r's first row is the number of rows on lower ranks
 * (an exclusive scan), and the row-block layout (lad_features_local_range) says where each position
 * belongs. Rows that belong elsewhere are encoded as the shuffle encodes them (count_internal.h) and
 * move in one exchange; they are a rank's first or last rows, few when the splitters balanced the
 * ranges. What arrives from lower ranks precedes the kept rows and what arrives from higher ranks
 * follows them, so the rows stay in key order without a sort. When no row moves (one rank, or
 * splitters that happened to cut exactly) the arrays are taken over as they are.
 */
#include "lad_order.h"

#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_mem.h"
#include "lad_shuffle.h"
#include "count_internal.h"

/* Words row i of r takes in the exchange. */
static size_t row_words(const struct lad_rowset *r, int64_t i)
{
    size_t w = LAD__ROW_HEADER_WORDS;
    for (int64_t k = r->row_start[i]; k < r->row_start[i + 1]; k++)
        w += lad__pair_words(r->vals[k]);
    return w;
}

/* Appends the rows of a received run (words [0, n_words)) to f's arrays at row *row, entry *at. */
static enum lad_status append_run(struct lad_ctx *ctx, const uint64_t *words, int64_t n_words, struct lad_features *f,
                                  int64_t *row, int64_t *at)
{
    struct lad_count_pair *pairs = NULL;
    size_t cap = 0;
    enum lad_status st = LAD_OK;
    for (int64_t k = 0; k < n_words && st == LAD_OK;) {
        size_t n = 0, used = lad__decode_row(words + k, &pairs, &n, &cap);
        if (used == 0) {
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory placing rows");
            break;
        }
        n = lad_count_pairs_merge(pairs, n); /* joins a large count's two halves */
        if (*row >= f->n_local || !lad__columns_valid(pairs, n, f->n_events)) {
            st = lad_fail(ctx, LAD_ERR_INTERNAL, "a row sent to the wrong rank, or a column outside the %d events",
                          f->n_events);
            break;
        }
        f->keys[*row] = (int64_t)words[k];
        f->row_start[(*row)++] = *at;
        for (size_t q = 0; q < n; q++) {
            f->cols[*at] = pairs[q].column;
            f->vals[(*at)++] = pairs[q].count;
        }
        k += (int64_t)used;
    }
    free(pairs);
    return st;
}

/*
 * Local. f's rows: what lower ranks sent (recv, recv_words[r] words from rank r), this rank's rows
 * [keep_lo, keep_hi), then what higher ranks sent. Key order, by construction.
 */
static enum lad_status place_rows(struct lad_ctx *ctx, const struct lad_rowset *rows, int64_t keep_lo, int64_t keep_hi,
                                  const uint64_t *recv, const int64_t *recv_words, struct lad_features *f)
{
    int64_t row = 0, at = 0, off = 0;
    enum lad_status st = LAD_OK;
    for (int r = 0; r < ctx->rank && st == LAD_OK; r++) {
        st = append_run(ctx, recv + off, recv_words[r], f, &row, &at);
        off += recv_words[r];
    }
    if (st == LAD_OK && row + (keep_hi - keep_lo) > f->n_local)
        st = lad_fail(ctx, LAD_ERR_INTERNAL, "rows sent to the wrong rank");
    if (st == LAD_OK && keep_hi > keep_lo) {
        const int64_t first = rows->row_start[keep_lo], n = rows->row_start[keep_hi] - first;
        memcpy(f->keys + row, rows->keys + keep_lo, (size_t)(keep_hi - keep_lo) * sizeof *f->keys);
        memcpy(f->cols + at, rows->cols + first, (size_t)n * sizeof *f->cols);
        memcpy(f->vals + at, rows->vals + first, (size_t)n * sizeof *f->vals);
        for (int64_t i = keep_lo; i < keep_hi; i++)
            f->row_start[row++] = at + rows->row_start[i] - first;
        at += n;
    }
    off += recv_words[ctx->rank];
    for (int r = ctx->rank + 1; r < ctx->size && st == LAD_OK; r++) {
        st = append_run(ctx, recv + off, recv_words[r], f, &row, &at);
        off += recv_words[r];
    }
    if (st == LAD_OK && row != f->n_local)
        st = lad_fail(ctx, LAD_ERR_INTERNAL, "%lld rows placed where the layout has %lld", (long long)row,
                      (long long)f->n_local);
    if (st == LAD_OK)
        f->row_start[row] = at;
    return st;
}

enum lad_status lad_order_rows(struct lad_ctx *ctx, struct lad_rowset *rows, struct lad_features *f)
{
    const int size = ctx->size, me = ctx->rank, n_events = f->events.n;
    int64_t n_global = 0, *send_words = lad_calloc_array((size_t)size, sizeof *send_words);
    int64_t *recv_words = lad_calloc_array((size_t)size, sizeof *recv_words);
    uint64_t *send = NULL, *recv = NULL;
    enum lad_status st = (send_words && recv_words) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory ordering rows");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    lad_comm_check(ctx, MPI_Allreduce(&rows->n, &n_global, 1, MPI_INT64_T, MPI_SUM, ctx->comm), "counting rows");
    const int64_t base = lad_comm_exscan_i64(ctx, rows->n), mb = lad_features_block_rows(n_global, size);

    /* Rows [0, keep_lo) go to lower ranks, [keep_hi, n) to higher ones; positions say which. */
    int64_t my_begin, my_rows;
    lad_features_local_range(n_global, mb, me, &my_begin, &my_rows);
    int64_t keep_lo = my_begin - base, keep_hi = my_begin + my_rows - base;
    keep_lo = keep_lo < 0 ? 0 : keep_lo > rows->n ? rows->n : keep_lo;
    keep_hi = keep_hi < keep_lo ? keep_lo : keep_hi > rows->n ? rows->n : keep_hi;
    size_t total_send = 0;
    for (int64_t i = 0; i < rows->n; i++)
        if (i < keep_lo || i >= keep_hi) {
            size_t w = row_words(rows, i);
            send_words[(base + i) / mb] += (int64_t)w;
            total_send += w;
        }
    lad_comm_exchange_counts(ctx, send_words, recv_words);
    int64_t total_recv = 0;
    for (int r = 0; r < size; r++)
        total_recv += recv_words[r];

    /* Nothing moves to or from this rank: the shuffle's arrays become f's. Every rank still joins
     * the exchange below. */
    const bool steal = total_send == 0 && total_recv == 0 && rows->row_start != NULL;
    const int64_t kept_pairs = rows->row_start ? rows->row_start[keep_hi] - rows->row_start[keep_lo] : 0;
    send = lad_malloc_big(total_send + 1, sizeof *send);
    recv = lad_malloc_big((size_t)total_recv + 1, sizeof *recv);
    st = lad_features_alloc(ctx, f, n_global, n_events);
    if (st == LAD_OK && !steal)
        st = lad_features_reserve(ctx, f, kept_pairs + total_recv);
    if (st == LAD_OK && (send == NULL || recv == NULL))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory ordering rows");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    /* Send order is rank order, and positions ascend with i: low rows first, then high rows. */
    size_t w = 0;
    for (int64_t i = 0; i < rows->n; i++) {
        if (i == keep_lo)
            i = keep_hi;
        if (i >= rows->n)
            break;
        const size_t head = w;
        w += LAD__ROW_HEADER_WORDS;
        for (int64_t k = rows->row_start[i]; k < rows->row_start[i + 1]; k++)
            w += lad__put_pair(send + w, rows->cols[k], rows->vals[k]);
        send[head] = (uint64_t)rows->keys[i];
        send[head + 1] = (uint64_t)(w - head - LAD__ROW_HEADER_WORDS);
    }
    st = lad_comm_alltoallv(ctx, send, send_words, recv, recv_words, sizeof *send, "the exchange of feature rows");
    if (st != LAD_OK)
        goto out;
    lad_free(&send);
    if (steal) {
        free(f->keys);
        free(f->row_start);
        f->keys = rows->keys;
        f->row_start = rows->row_start;
        f->cols = rows->cols;
        f->vals = rows->vals;
        f->nnz_cap = rows->row_start[rows->n];
        if (rows->n != f->n_local)
            st = lad_fail(ctx, LAD_ERR_INTERNAL, "%lld rows kept where the layout has %lld", (long long)rows->n,
                          (long long)f->n_local);
        memset(rows, 0, sizeof *rows);
    } else {
        st = place_rows(ctx, rows, keep_lo, keep_hi, recv, recv_words, f);
    }
    st = lad_status_agree(ctx, st);
out:
    lad_rowset_free(rows);
    free(send);
    free(recv);
    free(send_words);
    free(recv_words);
    return st;
}
