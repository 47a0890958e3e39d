/*
 * order.c - global session order by sample sort, then rows to their row block.
 *
 * Positions: every rank sends up to `size` evenly spaced samples of its sorted keys to all ranks
 * (MPI_Allgatherv); the sorted samples give size-1 splitters that cut the key space into buckets of
 * similar size. Each key travels to its bucket's rank, which sorts what it received; a key's global
 * position is the number of keys in earlier buckets (an exclusive scan) plus its index in its bucket.
 * The positions travel back along the same route (the reverse exchange), so each owner learns where
 * its rows go without any rank holding all keys. The result depends only on the keys, never on the
 * rank count: splitters only balance the work.
 */
#include "lad_order.h"

#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_mem.h"

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

struct keyed {
    int64_t key;
    int64_t index;
};

static int compare_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* Chooses size-1 splitters from evenly spaced samples of every rank's keys. */
static enum lad_status choose_splitters(struct lad_ctx *ctx, const int64_t *keys, size_t n, int64_t *splitters,
                                        int *n_splitters)
{
    int size = ctx->size;
    int n_samples = n < (size_t)size ? (int)n : size;
    int64_t *mine = lad_malloc_array((size_t)n_samples, sizeof *mine);
    int *counts = lad_malloc_array((size_t)size, sizeof *counts);
    int *displs = lad_malloc_array((size_t)size, sizeof *displs);
    int64_t *all = NULL;
    enum lad_status st = (mine && counts && displs) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for samples");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    for (int i = 0; i < n_samples; i++)
        mine[i] = keys[(size_t)(((unsigned long long)(i + 1) * n) / (unsigned long long)(n_samples + 1))];
    MPI_Allgather(&n_samples, 1, MPI_INT, counts, 1, MPI_INT, ctx->comm);
    int total = 0;
    for (int r = 0; r < size; r++) {
        displs[r] = total;
        total += counts[r];
    }
    all = lad_malloc_array((size_t)total, sizeof *all);
    st = lad_status_agree(ctx, all ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for samples"));
    if (st != LAD_OK)
        goto out;
    MPI_Allgatherv(mine, n_samples, MPI_INT64_T, all, counts, displs, MPI_INT64_T, ctx->comm);
    qsort(all, (size_t)total, sizeof *all, compare_i64);
    *n_splitters = 0;
    if (total > 0)
        for (int j = 1; j < size; j++)
            splitters[(*n_splitters)++] = all[(size_t)j * (size_t)total / (size_t)size];
out:
    free(mine);
    free(counts);
    free(displs);
    free(all);
    return st;
}

enum lad_status lad_order_positions(struct lad_ctx *ctx, const int64_t *keys, size_t n, int64_t *pos,
                                    int64_t *n_global)
{
    int size = ctx->size;
    int64_t n_local = (int64_t)n;
    MPI_Allreduce(&n_local, n_global, 1, MPI_INT64_T, MPI_SUM, ctx->comm);

    int64_t *splitters = lad_malloc_array((size_t)size, sizeof *splitters);
    int64_t *scount = lad_calloc_array((size_t)size, sizeof *scount), *rcount = lad_calloc_array((size_t)size, sizeof *rcount);
    int64_t *recv = NULL, *recv_pos = NULL, n_recv = 0;
    struct keyed *sorted = NULL;
    enum lad_status st = (splitters && scount && rcount) ? LAD_OK
                                                        : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory ordering sessions");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    int n_split = 0;
    st = choose_splitters(ctx, keys, n, splitters, &n_split);
    if (st != LAD_OK)
        goto out;

    /* Keys are sorted, so each bucket is a contiguous run. Bucket = number of splitters <= key. */
    for (size_t i = 0, b = 0; i < n; i++) {
        while ((int)b < n_split && splitters[b] <= keys[i])
            b++;
        scount[b]++;
    }
    void *got = NULL;
    st = lad_comm_alltoallv_alloc(ctx, keys, scount, sizeof *keys, "the exchange of session keys", &got, rcount,
                                  &n_recv);
    recv = got;
    if (st != LAD_OK)
        goto out;
    recv_pos = lad_malloc_array((size_t)n_recv, sizeof *recv_pos);
    sorted = lad_malloc_array((size_t)n_recv, sizeof *sorted);
    st = lad_status_agree(ctx, (recv_pos && sorted) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory ordering sessions"));
    if (st != LAD_OK)
        goto out;

    for (int64_t i = 0; i < n_recv; i++)
        sorted[i] = (struct keyed){recv[i], i};
    qsort(sorted, (size_t)n_recv, sizeof *sorted, compare_keyed);
    int64_t base = lad_comm_exscan_i64(ctx, n_recv);
    for (int64_t i = 0; i < n_recv; i++)
        recv_pos[sorted[i].index] = base + i;
    /* Back along the same route: positions arrive in the order the keys were sent. */
    st = lad_comm_alltoallv(ctx, recv_pos, rcount, pos, scount, sizeof *pos, "the return of session positions");
out:
    free(splitters);
    free(scount);
    free(rcount);
    free(recv);
    free(recv_pos);
    free(sorted);
    return st;
}

struct row_entry {
    int64_t pos;
    int64_t key;
    int64_t column;
    int64_t count;
};

enum lad_status lad_order_rows(struct lad_ctx *ctx, const struct lad_triplet *t, size_t n, struct lad_features *f)
{
    int size = ctx->size;
    int n_events = f->events.n;
    size_t n_keys = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || t[i].session != t[i - 1].session)
            n_keys++;
    int64_t *keys = lad_malloc_array(n_keys, sizeof *keys);
    int64_t *pos = lad_malloc_array(n_keys, sizeof *pos);
    int64_t *scount = lad_calloc_array((size_t)size, sizeof *scount), *fill = lad_calloc_array((size_t)size, sizeof *fill);
    struct row_entry *sendbuf = lad_malloc_array(n, sizeof *sendbuf), *recvbuf = NULL;
    enum lad_status st = (keys && pos && scount && fill && sendbuf) ? LAD_OK
                         : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory ordering rows");
    for (size_t i = 0; st == LAD_OK && i < n; i++)
        if (t[i].column < 0 || t[i].column >= n_events)
            st = lad_fail(ctx, LAD_ERR_INTERNAL, "count column %lld outside the %d events", (long long)t[i].column,
                          n_events);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    for (size_t i = 0, k = 0; i < n; i++)
        if (i == 0 || t[i].session != t[i - 1].session)
            keys[k++] = t[i].session;

    int64_t n_global = 0;
    st = lad_order_positions(ctx, keys, n_keys, pos, &n_global);
    if (st != LAD_OK)
        goto out;
    st = lad_status_agree(ctx, lad_features_alloc(ctx, f, n_global, n_events));
    if (st != LAD_OK)
        goto out;

    /* Each triplet goes to the rank whose row block holds its session's position. */
    int64_t mb = f->block_rows;
    for (size_t i = 0, k = 0; i < n; i++) {
        if (i > 0 && t[i].session != t[i - 1].session)
            k++;
        scount[pos[k] / mb]++;
    }
    for (int r = 1; r < size; r++)
        fill[r] = fill[r - 1] + scount[r - 1];
    for (size_t i = 0, k = 0; i < n; i++) {
        if (i > 0 && t[i].session != t[i - 1].session)
            k++;
        sendbuf[fill[pos[k] / mb]++] = (struct row_entry){pos[k], t[i].session, t[i].column, t[i].count};
    }
    void *got = NULL;
    int64_t n_recv = 0;
    st = lad_comm_alltoallv_alloc(ctx, sendbuf, scount, sizeof *sendbuf, "the exchange of feature rows", &got, NULL,
                                  &n_recv);
    recvbuf = got;
    if (st != LAD_OK)
        goto out;

    for (int64_t i = 0; i < n_recv; i++) {
        const struct row_entry *e = &recvbuf[i];
        int64_t row = e->pos - f->row_begin;
        if (row < 0 || row >= f->n_local) {
            st = lad_fail(ctx, LAD_ERR_INTERNAL, "row %lld sent to the wrong rank", (long long)e->pos);
            break;
        }
        f->keys[row] = e->key;
        f->counts[row * n_events + e->column] += e->count;
    }
    st = lad_status_agree(ctx, st);
out:
    free(keys);
    free(pos);
    free(scount);
    free(fill);
    free(sendbuf);
    free(recvbuf);
    return st;
}
