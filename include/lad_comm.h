/*
 * lad_comm.h - the one communication layer: the variable-size all-to-all exchange, the exclusive
 * prefix sum, chunked broadcasts, the ordered collective file writer, and the MPI error policy.
 *
 * Counts are 64-bit everywhere in this interface. MPI takes int counts and displacements, so every
 * function here splits what would not fit into several calls whose number all ranks agree on, and no
 * caller narrows a count itself.
 *
 * MPI error policy (all of logad follows it):
 *   - ctx->comm and every MPI file use MPI_ERRORS_RETURN (lad_comm_set_error_policy, applied by
 *     lad_ctx_init): a failed call returns its error instead of killing the job without a word.
 *   - Every MPI call whose failure is plausible is checked: all file I/O, every exchange whose size
 *     depends on the data, and the agreement itself (lad_status_agree). Small fixed-size collectives
 *     on a healthy communicator are not expected to fail and are not wrapped.
 *   - File I/O errors are ordinary failures. lad_comm_io_error records one line with the file (the
 *     name the user gave, not the temporary one), what was done, the MPI_Error_string and the errno
 *     where the library left one ("No space left on device"); a short write is reported as a full
 *     disk. The status is agreed, every rank unwinds, rank 0 prints the line, the exit code is 1.
 *     Files written collectively are closed on every rank also after a failure, and every collective
 *     write is followed by an agreement, so a failure on one rank never leaves another rank waiting
 *     in the next collective.
 *   - A failed communication collective cannot be agreed on (the agreement is itself a collective
 *     on the same communicator). lad_comm_fatal then prints one line on the failing rank, tagged
 *     "[rank N]", cleans up what it can, and ends the job with MPI_Abort(comm, 1). The same holds when
 *     HDF5 fails to close a file: its library state is then broken and MPI_Finalize would crash in it.
 *
 * Limits: the largest message of an exchange, the largest MPI-IO call and the largest HDF5 transfer
 * per rank are bounded (INT_MAX bytes, 1 GiB, 1 GiB). For tests only, the environment variable
 * LAD_TEST_COMM_LIMIT=BYTES (read once) or lad_comm_set_limits lowers all three, so that the split
 * paths run in ctest with small data.
 */
#ifndef LAD_COMM_H
#define LAD_COMM_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;

/* ---- limits ---- */

struct lad_comm_limits {
    int64_t msg_bytes; /* largest message of an exchange or broadcast (at least one element) */
    int64_t io_bytes;  /* largest MPI-IO read or write call */
    int64_t h5_bytes;  /* largest HDF5 transfer per rank and call (at least one row) */
};

/* Local. The limits in force: the defaults, LAD_TEST_COMM_LIMIT, or what lad_comm_set_limits set. */
const struct lad_comm_limits *lad_comm_limits(void);

/* Local, for tests only: sets the limits (NULL restores the defaults). Every rank must set the same. */
void lad_comm_set_limits(const struct lad_comm_limits *limits);

/* ---- error policy ---- */

/* Local. Sets MPI_ERRORS_RETURN on comm and as the default of files opened afterwards. */
void lad_comm_set_error_policy(MPI_Comm comm);

/*
 * Local, does not return. For a failed communication collective, where agreement is impossible:
 * prints "[rank N] logad: error: <what>: <MPI_Error_string(rc)>" on stderr (rc may be MPI_SUCCESS
 * when there is no MPI error to name), cleans up, and calls MPI_Abort(ctx->comm, 1).
 */
_Noreturn void lad_comm_fatal(struct lad_ctx *ctx, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Local. Calls lad_comm_fatal(ctx, rc, "%s failed", what) unless rc is MPI_SUCCESS. */
void lad_comm_check(struct lad_ctx *ctx, int rc, const char *what);

/*
 * Local. Records an I/O failure as LAD_ERR_IO: "<what> <name>: <cause>". The cause is strerror(err)
 * when err is an errno value (0: none), then MPI_Error_string(rc) when rc is not MPI_SUCCESS. Returns
 * LAD_ERR_IO.
 */
enum lad_status lad_comm_io_error(struct lad_ctx *ctx, int rc, int err, const char *what, const char *name);

/* ---- collectives on 64-bit counts ---- */

/* Collective. The sum of `local` over the ranks below this one (0 on rank 0, unlike MPI_Exscan). */
int64_t lad_comm_exscan_i64(struct lad_ctx *ctx, int64_t local);

/* Collective. MPI_Bcast of count elements of type from root, in pieces of at most msg_bytes. */
void lad_comm_bcast(struct lad_ctx *ctx, void *buf, int64_t count, MPI_Datatype type, int root);

/*
 * Collective. send_counts[r] elements go to rank r; recv_counts[r] (ctx->size entries) receives what
 * rank r sends here (MPI_Alltoall of the counts).
 */
void lad_comm_exchange_counts(struct lad_ctx *ctx, const int64_t *send_counts, int64_t *recv_counts);

/*
 * Collective. The variable-size all-to-all of elements of elem_size bytes (plain data: a struct of
 * integers and doubles, sent as bytes between ranks of one machine type). sendbuf holds the elements
 * for rank 0, then rank 1, ...; send_counts[r] of them for rank r. What rank r sends lands in recvbuf
 * packed in rank order, recv_counts[r] elements from rank r; the counts must match the senders'
 * (lad_comm_exchange_counts gives them). When every rank's send and receive totals fit one message
 * it is one MPI_Alltoallv; otherwise the elements travel in rounds of point-to-point messages of at
 * most msg_bytes, the number of rounds agreed. The bytes received are the same either way.
 * Returns LAD_OK or an agreed LAD_ERR_NOMEM; a failed transfer is fatal (lad_comm_fatal, naming what).
 */
enum lad_status lad_comm_alltoallv(struct lad_ctx *ctx, const void *sendbuf, const int64_t *send_counts,
                                   void *recvbuf, const int64_t *recv_counts, size_t elem_size, const char *what);

/*
 * Collective. lad_comm_exchange_counts, then a receive buffer of the total (malloc'd, at least one
 * byte; free it with free), then lad_comm_alltoallv. *recv_total is the number of elements received;
 * recv_counts (ctx->size entries) may be NULL. Returns an agreed status; on failure *recvbuf is NULL.
 */
enum lad_status lad_comm_alltoallv_alloc(struct lad_ctx *ctx, const void *sendbuf, const int64_t *send_counts,
                                         size_t elem_size, const char *what, void **recvbuf, int64_t *recv_counts,
                                         int64_t *recv_total);

/* ---- the ordered collective file writer ---- */

/*
 * A file written by all ranks of ctx->comm with MPI-IO, as the concatenation of byte pieces in a
 * defined order. Two orders are built from the calls below:
 *   - round-robin: each lad_comm_file_append is a round; the file gets every rank's piece of the
 *     round in rank order (synth deals chunk c to rank c % size, so the file is in chunk order);
 *   - rank-contiguous: lad_comm_file_reserve gives each rank a region right after the lower ranks'
 *     (sizes learned by a sizing pass or from a buffered share), which the rank fills with
 *     lad_comm_file_write_at.
 * Every write is split into calls of at most io_bytes and checked; a short write is a full disk.
 */
struct lad_comm_file {
    MPI_File fh;
    const char *name;  /* the name for messages: the final name, not the temporary one */
    MPI_Offset size;   /* bytes placed so far, the same on every rank */
    int64_t *placed;   /* scratch: (bytes, failed) of every rank in the last round */
};

/* Collective. Creates path empty (truncating a stale one) for writing; name is for messages. Returns an
 * agreed status; on failure f->fh is MPI_FILE_NULL. */
enum lad_status lad_comm_file_open(struct lad_ctx *ctx, struct lad_comm_file *f, const char *path, const char *name);

/*
 * Collective. One round: this rank's piece data[0, len) goes after the file so far and the pieces of
 * lower ranks. local is this rank's status so far: when any rank passes a failure, nothing is written
 * and the agreed failure is returned. Returns an agreed status (a failed write on any rank included).
 */
enum lad_status lad_comm_file_append(struct lad_ctx *ctx, struct lad_comm_file *f, const void *data, size_t len,
                                     enum lad_status local);

/*
 * Collective. Reserves local_bytes for this rank after the file so far and the regions of lower ranks;
 * *offset is where this rank's region starts. local as for lad_comm_file_append. Agreed status.
 */
enum lad_status lad_comm_file_reserve(struct lad_ctx *ctx, struct lad_comm_file *f, int64_t local_bytes,
                                      enum lad_status local, MPI_Offset *offset);

/* Local. Writes data[0, len) at offset, in calls of at most io_bytes. Records and returns LAD_ERR_IO. */
enum lad_status lad_comm_file_write_at(struct lad_ctx *ctx, struct lad_comm_file *f, MPI_Offset offset,
                                       const void *data, size_t len);

/* Collective. Closes the file on every rank (also after a failure: pass it as local). A failed close is
 * a failed write. Returns an agreed status; safe when the file is not open. */
enum lad_status lad_comm_file_close(struct lad_ctx *ctx, struct lad_comm_file *f, enum lad_status local);

#endif
