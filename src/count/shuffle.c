/*
 * shuffle.c - the reduce step: every session's partial counts meet on its owner rank.
 *
 * One MPI_Alltoallv moves all triplets. Counts per destination are exchanged first (MPI_Alltoall) so
 * each rank can size its receive buffer exactly. Triplets are pre-merged locally before sending, so
 * a session's row crosses the network once per rank that saw it, not once per line.
 */
#include "lad_shuffle.h"

#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_mem.h"

MPI_Datatype lad_triplet_mpi_type(void)
{
    static MPI_Datatype type = MPI_DATATYPE_NULL;
    if (type == MPI_DATATYPE_NULL) {
        MPI_Type_contiguous(3, MPI_INT64_T, &type);
        MPI_Type_commit(&type);
    }
    return type;
}

/* Counts are MPI ints: refuse exchanges that would not fit rather than truncate. */
static bool fits_int(size_t n)
{
    return n <= (size_t)2147483647;
}

enum lad_status lad_shuffle_to_owners(struct lad_ctx *ctx, struct lad_triplet *in, size_t n_in,
                                      struct lad_triplet **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    int size = ctx->size;
    int *send_counts = lad_calloc_array((size_t)size, sizeof(int));
    int *recv_counts = lad_calloc_array((size_t)size, sizeof(int));
    int *send_displs = lad_calloc_array((size_t)size, sizeof(int));
    int *recv_displs = lad_calloc_array((size_t)size, sizeof(int));
    int *owner = lad_malloc_array(n_in, sizeof(int));
    struct lad_triplet *sendbuf = lad_malloc_array(n_in, sizeof *sendbuf);
    struct lad_triplet *recvbuf = NULL;
    enum lad_status st = LAD_OK;
    if (!send_counts || !recv_counts || !send_displs || !recv_displs || !owner || !sendbuf)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the shuffle (%zu triplets)", n_in);
    if (st == LAD_OK && !fits_int(n_in))
        st = lad_fail(ctx, LAD_ERR_INPUT, "too many (session, event) pairs on one rank (%zu): use more ranks", n_in);

    /* Bucket by owner (counting sort keeps the local order within each bucket). */
    if (st == LAD_OK) {
        for (size_t i = 0; i < n_in; i++) {
            owner[i] = lad_hash_owner(in[i].session, size);
            send_counts[owner[i]]++;
        }
        for (int r = 1; r < size; r++)
            send_displs[r] = send_displs[r - 1] + send_counts[r - 1];
        int *fill = recv_displs; /* borrowed as a cursor; reset below */
        memcpy(fill, send_displs, (size_t)size * sizeof(int));
        for (size_t i = 0; i < n_in; i++)
            sendbuf[fill[owner[i]]++] = in[i];
        memset(recv_displs, 0, (size_t)size * sizeof(int));
    }
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;

    if (MPI_Alltoall(send_counts, 1, MPI_INT, recv_counts, 1, MPI_INT, ctx->comm) != MPI_SUCCESS) {
        st = lad_fail(ctx, LAD_ERR_MPI, "MPI_Alltoall of shuffle counts failed");
        goto out_free;
    }
    size_t total = 0;
    for (int r = 0; r < size; r++) {
        recv_displs[r] = (int)total;
        total += (size_t)recv_counts[r];
        if (!fits_int(total))
            break;
    }
    if (!fits_int(total))
        st = lad_fail(ctx, LAD_ERR_INPUT, "too many (session, event) pairs for one owner rank: use more ranks");
    else if ((recvbuf = lad_malloc_array(total, sizeof *recvbuf)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory receiving %zu triplets", total);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out_free;

    if (MPI_Alltoallv(sendbuf, send_counts, send_displs, lad_triplet_mpi_type(), recvbuf, recv_counts, recv_displs,
                      lad_triplet_mpi_type(), ctx->comm) != MPI_SUCCESS) {
        st = lad_fail(ctx, LAD_ERR_MPI, "MPI_Alltoallv of session counts failed");
        goto out_free;
    }
    /* Integer sums: the merged counts are the same in any arrival order. */
    *n_out = lad_triplets_sort_merge(recvbuf, total);
    *out = recvbuf;
    recvbuf = NULL;

out_free:
    free(recvbuf);
    free(sendbuf);
    free(owner);
    free(send_counts);
    free(recv_counts);
    free(send_displs);
    free(recv_displs);
    return st;
}
