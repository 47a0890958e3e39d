/*
 * order.c - global session order by sample sort, then rows to their row block.
 *
 * Positions: every rank sends up to `size` evenly spaced samples of its sorted keys to all ranks
 * (MPI_Allgatherv); the sorted samples give size-1 splitters that cut the key space into buckets of
 * similar size. Each key travels to its bucket's rank, which sorts what it received; a key's global
 * position is the number of keys in earlier buckets (MPI_Exscan) plus its index in its bucket. The
 * positions travel back along the same route (the reverse MPI_Alltoallv), so each owner learns where
 * its rows go without any rank holding all keys. The result depends only on the keys, never on the
 * rank count: splitters only balance the work.
 */
#include "lad_order.h"

#include <stdlib.h>
#include <string.h>

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
    int *scount = lad_calloc_array((size_t)size, sizeof(int)), *sdispl = lad_calloc_array((size_t)size, sizeof(int));
    int *rcount = lad_calloc_array((size_t)size, sizeof(int)), *rdispl = lad_calloc_array((size_t)size, sizeof(int));
    int64_t *recv = NULL, *recv_pos = NULL;
    struct keyed *sorted = NULL;
    enum lad_status st = (splitters && scount && sdispl && rcount && rdispl)
                             ? LAD_OK
                             : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory ordering sessions");
    if (n > 2147483647u)
        st = lad_fail(ctx, LAD_ERR_INPUT, "too many sessions on one rank (%zu): use more ranks", n);
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
    for (int r = 1; r < size; r++)
        sdispl[r] = sdispl[r - 1] + scount[r - 1];
    MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, ctx->comm);
    size_t n_recv = 0;
    for (int r = 0; r < size; r++) {
        rdispl[r] = (int)n_recv;
        n_recv += (size_t)rcount[r];
    }
    recv = lad_malloc_array(n_recv, sizeof *recv);
    recv_pos = lad_malloc_array(n_recv, sizeof *recv_pos);
    sorted = lad_malloc_array(n_recv, sizeof *sorted);
    st = (recv && recv_pos && sorted) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory ordering sessions");
    if (n_recv > 2147483647u)
        st = lad_fail(ctx, LAD_ERR_INPUT, "too many sessions in one bucket: use more ranks");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    MPI_Alltoallv(keys, scount, sdispl, MPI_INT64_T, recv, rcount, rdispl, MPI_INT64_T, ctx->comm);

    for (size_t i = 0; i < n_recv; i++)
        sorted[i] = (struct keyed){recv[i], (int64_t)i};
    qsort(sorted, n_recv, sizeof *sorted, compare_keyed);
    int64_t bucket_size = (int64_t)n_recv, base = 0;
    MPI_Exscan(&bucket_size, &base, 1, MPI_INT64_T, MPI_SUM, ctx->comm);
    if (ctx->rank == 0)
        base = 0; /* MPI_Exscan leaves rank 0's result undefined */
    for (size_t i = 0; i < n_recv; i++)
        recv_pos[sorted[i].index] = base + (int64_t)i;
    /* Back along the same route: positions arrive in the order the keys were sent. */
    MPI_Alltoallv(recv_pos, rcount, rdispl, MPI_INT64_T, pos, scount, sdispl, MPI_INT64_T, ctx->comm);
out:
    free(splitters);
    free(scount);
    free(sdispl);
    free(rcount);
    free(rdispl);
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
    int *scount = lad_calloc_array((size_t)size, sizeof(int)), *sdispl = lad_calloc_array((size_t)size, sizeof(int));
    int *rcount = lad_calloc_array((size_t)size, sizeof(int)), *rdispl = lad_calloc_array((size_t)size, sizeof(int));
    struct row_entry *sendbuf = lad_malloc_array(n, sizeof *sendbuf), *recvbuf = NULL;
    MPI_Datatype entry_type = MPI_DATATYPE_NULL;
    enum lad_status st = (keys && pos && scount && sdispl && rcount && rdispl && sendbuf)
                             ? LAD_OK
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
        sdispl[r] = sdispl[r - 1] + scount[r - 1];
    int *fill = rdispl;
    memcpy(fill, sdispl, (size_t)size * sizeof(int));
    for (size_t i = 0, k = 0; i < n; i++) {
        if (i > 0 && t[i].session != t[i - 1].session)
            k++;
        sendbuf[fill[pos[k] / mb]++] = (struct row_entry){pos[k], t[i].session, t[i].column, t[i].count};
    }
    MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, ctx->comm);
    size_t n_recv = 0;
    for (int r = 0; r < size; r++) {
        rdispl[r] = (int)n_recv;
        n_recv += (size_t)rcount[r];
    }
    recvbuf = lad_malloc_array(n_recv, sizeof *recvbuf);
    st = lad_status_agree(ctx, recvbuf ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory receiving rows"));
    if (st != LAD_OK)
        goto out;
    MPI_Type_contiguous(4, MPI_INT64_T, &entry_type);
    MPI_Type_commit(&entry_type);
    MPI_Alltoallv(sendbuf, scount, sdispl, entry_type, recvbuf, rcount, rdispl, entry_type, ctx->comm);

    for (size_t i = 0; i < n_recv; i++) {
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
    if (entry_type != MPI_DATATYPE_NULL)
        MPI_Type_free(&entry_type);
    free(keys);
    free(pos);
    free(scount);
    free(sdispl);
    free(rcount);
    free(rdispl);
    free(sendbuf);
    free(recvbuf);
    return st;
}
