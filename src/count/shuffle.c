/*
 * shuffle.c - the reduce step: every session's partial counts meet on its owner rank.
 *
 * One all-to-all exchange (lad_comm_alltoallv_alloc) moves all triplets; counts per destination go
 * first, so each rank sizes its receive buffer exactly. Triplets are pre-merged locally before sending, so
 * a session's row crosses the network once per rank that saw it, not once per line.
 */
#include "lad_shuffle.h"

#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_mem.h"

enum lad_status lad_shuffle_to_owners(struct lad_ctx *ctx, struct lad_triplet *in, size_t n_in,
                                      struct lad_triplet **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    int size = ctx->size;
    int64_t *send_counts = lad_calloc_array((size_t)size, sizeof *send_counts);
    int64_t *fill = lad_calloc_array((size_t)size, sizeof *fill);
    int *owner = lad_malloc_array(n_in, sizeof(int));
    struct lad_triplet *sendbuf = lad_malloc_array(n_in, sizeof *sendbuf);
    enum lad_status st = LAD_OK;
    if (!send_counts || !fill || !owner || !sendbuf)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the shuffle (%zu triplets)", n_in);

    /* Bucket by owner (counting sort keeps the local order within each bucket). */
    if (st == LAD_OK) {
        for (size_t i = 0; i < n_in; i++) {
            owner[i] = lad_hash_owner(in[i].session, size);
            send_counts[owner[i]]++;
        }
        for (int r = 1; r < size; r++)
            fill[r] = fill[r - 1] + send_counts[r - 1];
        for (size_t i = 0; i < n_in; i++)
            sendbuf[fill[owner[i]]++] = in[i];
    }
    st = lad_status_agree(ctx, st);
    void *recvbuf = NULL;
    int64_t total = 0;
    if (st == LAD_OK)
        st = lad_comm_alltoallv_alloc(ctx, sendbuf, send_counts, sizeof *sendbuf, "the shuffle of session counts",
                                      &recvbuf, NULL, &total);
    if (st == LAD_OK) {
        /* Integer sums: the merged counts are the same in any arrival order. */
        *n_out = lad_triplets_sort_merge(recvbuf, (size_t)total);
        *out = recvbuf;
    }
    free(sendbuf);
    free(owner);
    free(send_counts);
    free(fill);
    return st;
}
