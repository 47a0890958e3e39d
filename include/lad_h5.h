/*
 * lad_h5.h - thin, checked helpers over parallel HDF5, shared by features, model and verdict files.
 *
 * All functions are collective over the communicator the file was opened with, unless marked Local:
 * parallel HDF5 requires every rank to create datasets and attributes with identical arguments, and to
 * join every raw-data transfer (a rank with no rows selects nothing, but still calls H5Dwrite). Every
 * HDF5 return value is checked; errors are recorded in ctx as LAD_ERR_HDF5 with the object's name.
 * Handles start as H5I_INVALID_HID.
 */
#ifndef LAD_H5_H
#define LAD_H5_H

#include <hdf5.h>
#include <stdbool.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_events;

/* An HDF5 file opened by all ranks of ctx->comm, with a collective transfer property list. */
struct lad_h5 {
    hid_t file;
    hid_t dxpl;       /* collective transfers (reads) */
    hid_t wxpl;       /* independent transfers (writes): see lad_h5_write_rows */
    char path[4096];  /* the file opened (a temporary name while writing) */
    const char *name; /* the name messages give: path, or the final name of a file being written */
};

/*
 * Every HDF5 file logad writes starts with a user block of LAD_H5_USERBLOCK bytes holding an integrity
 * header: the length of the rest of the file and a digest of every byte of it (h5_seal.c). Readers
 * check it before HDF5 parses anything, because a damaged file can crash libhdf5 itself.
 */
#define LAD_H5_USERBLOCK 4096

/* Collective. Creates (truncating) path for writing, with the user block; lad_h5_write_atomic is the
 * way to use it. */
enum lad_status lad_h5_create(struct lad_ctx *ctx, const char *path, struct lad_h5 *h);
/*
 * Collective. Opens path read-only, after lad_h5_verify(ctx, path, remedy): a missing file, one that
 * is not a logad HDF5 file, an older one without the header, or a damaged one is a clear error that
 * ends with remedy ("retrain the model or restore the file"), and HDF5 never sees it. Rank 0 also
 * checks that the file was not replaced between the check and the open.
 */
enum lad_status lad_h5_open(struct lad_ctx *ctx, const char *path, const char *remedy, struct lad_h5 *h);

/*
 * Collective. Writes the integrity header of the closed HDF5 file path (created by lad_h5_create):
 * every rank hashes a share of the file, rank 0 writes the header. Messages name `name` (the final
 * name of a temporary file). lad_h5_write_atomic calls it before the rename; tests call it to re-seal
 * a file they edited on purpose. A failed write is LAD_ERR_IO naming the cause.
 */
enum lad_status lad_h5_seal(struct lad_ctx *ctx, const char *path, const char *name);

/*
 * Collective. Checks path's integrity header and digest, reading the file once in parallel (each rank
 * a contiguous share). LAD_ERR_INPUT with one line "<path> is corrupted or was not written by logad:
 * <what>; <remedy>" (or, for an HDF5 file without the header, that an older logad or another program
 * wrote it); LAD_ERR_IO when the file cannot be read. The result is the same at any rank count.
 */
enum lad_status lad_h5_verify(struct lad_ctx *ctx, const char *path, const char *remedy);

/* Local, for tests only: the digest piece size of files sealed from now on (0: the default, 1 MiB).
 * Every rank must set the same. Readers take the size from the header. */
void lad_h5_set_piece_bytes(int64_t bytes);
/*
 * Collective. Closes. A failed close ends the job (lad_comm_fatal on rank 0): HDF5 1.10 cannot recover
 * from it, and MPI_Finalize would crash in it. Returns LAD_OK otherwise.
 */
enum lad_status lad_h5_close(struct lad_ctx *ctx, struct lad_h5 *h);

/* What lad_h5_write_atomic puts into the file; arg is the caller's. */
typedef enum lad_status (*lad_h5_fill_fn)(struct lad_ctx *ctx, struct lad_h5 *h, const void *arg);

/*
 * Collective. Writes path as one unit: a temporary name beside it (lad_outfile), filled by fill,
 * closed, then renamed. On any failure the temporary file is removed and path is left as it was.
 * Rank 0 holds 256 KiB of disk beside the temporary file while it is filled and frees it just before
 * the close (and empties the temporary file first after a failure), so a full disk never makes
 * HDF5's closing metadata flush fail; a disk without that much room fails at once. Messages name
 * path, not the temporary file.
 */
enum lad_status lad_h5_write_atomic(struct lad_ctx *ctx, const char *path, lad_h5_fill_fn fill, const void *arg);

/* Collective. Creates a group (and its parents). */
enum lad_status lad_h5_group(struct lad_ctx *ctx, struct lad_h5 *h, const char *name);

/*
 * Collective. A 1-D (n_cols == 0) or 2-D (rows x n_cols) dataset of int64/double/int32/int8 of
 * n_global rows, to which each rank writes its n_local rows starting at global row `begin`.
 * Every rank joins the same number of H5Dwrite calls, each moving at most h5_bytes of this rank's
 * rows (lad_comm_limits), with an agreement after each. The raw data goes out as independent MPI-IO
 * writes: Open MPI 4.1's collective write (OMPIO, fcoll vulcan, 3 or more ranks) reports success when
 * the disk is full, independent writes report the short write. A full disk is LAD_ERR_IO with
 * "No space left on device"; other failures LAD_ERR_HDF5.
 */
enum lad_status lad_h5_write_rows(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                  int64_t n_global, int64_t n_cols, int64_t begin, int64_t n_local, const void *data);
/* Collective. Reads rows [begin, begin + n_local) of a dataset written as above (collective
 * transfers, split like the writes). The dataset's type class and element size must be mem_type's,
 * it must have n_cols columns (0: 1-D) and hold the rows asked for, and store every element;
 * otherwise LAD_ERR_INPUT naming it, before any transfer. */
enum lad_status lad_h5_read_rows(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                 int64_t n_cols, int64_t begin, int64_t n_local, void *data);
/* Collective. The dimensions of a dataset (dims[1] = 0 for 1-D). LAD_ERR_INPUT when it is absent, not
 * 1-D or 2-D, or does not store as many elements as its shape claims (so a shape read from an
 * untrusted file never sizes a buffer beyond what the file holds). */
enum lad_status lad_h5_dims(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, int64_t *rows, int64_t *cols);
/* Collective. True when the object exists (no error recorded). */
bool lad_h5_exists(struct lad_h5 *h, const char *name);

/* Collective. A small dataset replicated on every rank: rank 0 writes all of it. */
enum lad_status lad_h5_write_small(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                   int64_t rows, int64_t cols, const void *data);
/* Collective. Reads a whole small dataset on every rank (data must hold rows*cols elements); its shape
 * must be exactly [rows] (cols 0) or [rows x cols], with the checks of lad_h5_read_rows. */
enum lad_status lad_h5_read_small(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                  int64_t rows, int64_t cols, void *data);

/* Collective. A 1-D dataset of n strings (fixed length, NUL-terminated), replicated. */
enum lad_status lad_h5_write_strings(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, int n,
                                     const char *const *strings);
/* Longest string and most strings logad reads from a file (an edited file cannot make it allocate
 * more); far above what it writes (templates of at most --max-line, tens to thousands of events). */
#define LAD_H5_MAX_STRING (16 << 20)
#define LAD_H5_MAX_STRINGS (1 << 24)

/* Collective. Reads such a dataset: *n strings, each malloc'd, in a malloc'd array. Each string ends at
 * its first NUL or at the stored width; more than LAD_H5_MAX_STRINGS, or wider than LAD_H5_MAX_STRING,
 * is LAD_ERR_INPUT. */
enum lad_status lad_h5_read_strings(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, int *n,
                                    char ***strings);

/* Collective. The event table as /events/ids and /events/templates (string [E] each). */
enum lad_status lad_h5_write_events(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_events *ev);
/* Collective. Reads that pair into the empty table ev; lists of different lengths are LAD_ERR_INPUT. */
enum lad_status lad_h5_read_events(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_events *ev);

/* Collective. Attributes on an object ("/" for the file). */
enum lad_status lad_h5_attr_i64(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, int64_t v);
enum lad_status lad_h5_attr_f64(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, double v);
enum lad_status lad_h5_attr_str(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name,
                                const char *v);
enum lad_status lad_h5_get_i64(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, int64_t *v);
enum lad_status lad_h5_get_f64(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, double *v);
/* *v is malloc'd. The readers check that the attribute holds exactly one value of the expected class
 * and size (a string: fixed length, at most LAD_H5_MAX_STRING bytes) before reading it: LAD_ERR_INPUT
 * otherwise. */
enum lad_status lad_h5_get_str(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, char **v);

#endif
