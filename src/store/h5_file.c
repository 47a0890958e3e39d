/*
 * h5_file.c - HDF5 files opened, created and closed by every rank, and written as one unit.
 *
 * A full disk is the hard case. HDF5 over MPI-IO reports it as a plain write failure, and in HDF5
 * 1.10 a failed metadata flush while closing leaves the file's ID dangling, so MPI_Finalize crashes
 * (H5F__close_cb). So the closing flush must never meet a full disk: while a file is written, rank 0
 * holds 256 KiB beside it (the largest file of logad has under 8 KiB of metadata) and frees it just
 * before the close, after emptying the file on failure. Once closed, the file gets its integrity
 * header (h5_seal.c); a file is opened for reading only after that header and digest check out.
 */
#include "lad_h5.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_log.h"
#include "lad_outfile.h"
#include "h5_internal.h"

/* Bytes held free for HDF5's closing flush of a file being written (take_reserve). */
#define H5_RESERVE_BYTES ((off_t)256 << 10)

enum lad_status lad__h5_error(struct lad_ctx *ctx, const struct lad_h5 *h, const char *what, const char *name)
{
    return lad_fail(ctx, LAD_ERR_HDF5, "HDF5: %s '%s' in %s failed", what, name, h ? h->name : "?");
}

/*
 * Why a write to h failed, as an errno, or 0 when unknown. HDF5 over MPI-IO reports a full disk as a
 * plain write failure (errno is often not even set), so a file system with next to no room left is
 * taken as the cause; a disk with room did not fail for want of it.
 */
static int write_cause(const struct lad_h5 *h, int err)
{
    if (err == ENOSPC || err == EDQUOT || err == EFBIG || err == EIO)
        return err;
    char dir[sizeof h->path];
    snprintf(dir, sizeof dir, "%s", h->path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else
        slash[slash == dir] = '\0';
    struct statvfs fs;
    if (statvfs(dir, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize < (uint64_t)H5_RESERVE_BYTES)
        return ENOSPC;
    return 0;
}

/* A failed write of object `name` (raw data, or metadata at a flush or close). */
enum lad_status lad__h5_write_error(struct lad_ctx *ctx, const struct lad_h5 *h, const char *what,
                                      const char *name, int err)
{
    int cause = write_cause(h, err);
    if (cause != 0)
        return lad_fail(ctx, LAD_ERR_IO, "cannot write %s (%s '%s'): %s", h->name, what, name, strerror(cause));
    return lad__h5_error(ctx, h, what, name);
}

static void quiet_hdf5(void)
{
    /* logad reports its own errors in one line; HDF5's stack dumps would bury them. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void h5_init(struct lad_h5 *h, const char *path)
{
    quiet_hdf5();
    memset(h, 0, sizeof *h);
    h->file = H5I_INVALID_HID;
    h->dxpl = H5I_INVALID_HID;
    h->wxpl = H5I_INVALID_HID;
    snprintf(h->path, sizeof h->path, "%s", path);
    h->name = h->path;
}

/* Collective. The transfer property list, and the agreed end of create/open. */
static enum lad_status h5_ready(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_status st)
{
    if (st == LAD_OK) {
        h->dxpl = H5Pcreate(H5P_DATASET_XFER);
        h->wxpl = H5Pcreate(H5P_DATASET_XFER);
        if (h->dxpl < 0 || H5Pset_dxpl_mpio(h->dxpl, H5FD_MPIO_COLLECTIVE) < 0 || h->wxpl < 0 ||
            H5Pset_dxpl_mpio(h->wxpl, H5FD_MPIO_INDEPENDENT) < 0)
            st = lad__h5_error(ctx, h, "set up transfers for", h->path);
    }
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        lad_h5_close(ctx, h);
    return st;
}

enum lad_status lad_h5_create(struct lad_ctx *ctx, const char *path, struct lad_h5 *h)
{
    h5_init(h, path);
    enum lad_status st = LAD_OK;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), fcpl = H5Pcreate(H5P_FILE_CREATE);
    /* The user block is where lad_h5_seal puts the integrity header once the file is complete. */
    if (fapl < 0 || H5Pset_fapl_mpio(fapl, ctx->comm, MPI_INFO_NULL) < 0 || fcpl < 0 ||
        H5Pset_userblock(fcpl, LAD_H5_USERBLOCK) < 0)
        st = lad__h5_error(ctx, h, "set up MPI-IO for", path);
    errno = 0;
    if (st == LAD_OK && (h->file = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl)) < 0)
        st = lad_fail(ctx, LAD_ERR_IO, "cannot create %s (HDF5): %s", path, strerror(errno ? errno : EIO));
    if (fapl >= 0)
        H5Pclose(fapl);
    if (fcpl >= 0)
        H5Pclose(fcpl);
    return h5_ready(ctx, h, st);
}

/* Local. The identity of the file at path: a file replaced or rewritten in between differs. */
static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

enum lad_status lad_h5_open(struct lad_ctx *ctx, const char *path, const char *remedy, struct lad_h5 *h)
{
    h5_init(h, path);
    enum lad_status st = LAD_OK;
    struct stat before = {0}, after = {0};
    if (ctx->rank == 0) {
        FILE *fp = fopen(path, "rb");
        if (fp == NULL || fstat(fileno(fp), &before) != 0)
            st = lad_fail(ctx, LAD_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        else if (!S_ISREG(before.st_mode))
            st = lad_fail(ctx, LAD_ERR_IO, "cannot read %s: not a regular file", path);
        if (fp != NULL)
            fclose(fp);
    }
    st = lad_status_agree(ctx, st);
    /* Untrusted bytes never reach libhdf5: the whole file is checked first (h5_seal.c). */
    if (st == LAD_OK)
        st = lad_h5_verify(ctx, path, remedy);
    if (st != LAD_OK)
        return st;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0 || H5Pset_fapl_mpio(fapl, ctx->comm, MPI_INFO_NULL) < 0)
        st = lad__h5_error(ctx, h, "set up MPI-IO for", path);
    int probe_slot = lad_outfile_track_lock_probe(path, ctx->rank); /* Open MPI's, beside path */
    if (st == LAD_OK && (h->file = H5Fopen(path, H5F_ACC_RDONLY, fapl)) < 0)
        st = lad_fail(ctx, LAD_ERR_IO, "cannot open %s (HDF5)", path);
    lad_outfile_untrack(probe_slot);
    if (fapl >= 0)
        H5Pclose(fapl);
    /* What HDF5 opened is what was checked, unless the file was replaced in between (rank 0 asks). */
    if (st == LAD_OK && ctx->rank == 0 && (stat(path, &after) != 0 || !same_file(&before, &after)))
        st = lad_fail(ctx, LAD_ERR_IO, "%s changed while it was being read; try again", path);
    return h5_ready(ctx, h, st);
}

/*
 * Collective. H5Fclose. In HDF5 1.10 a failed close (a metadata flush that failed) leaves the file's
 * ID pointing at freed memory, and MPI_Finalize then crashes closing it again (H5F__close_cb). Nothing
 * can undo that, so a failed close ends the job (lad_comm.h, error policy): rank 0 removes `remove`
 * (the temporary file, or NULL), prints the agreed message and aborts; the other ranks wait for it.
 */
static enum lad_status close_or_abort(struct lad_ctx *ctx, struct lad_h5 *h, const char *remove)
{
    enum lad_status st = LAD_OK;
    if (h->dxpl >= 0)
        H5Pclose(h->dxpl);
    if (h->wxpl >= 0)
        H5Pclose(h->wxpl);
    errno = 0;
    if (h->file >= 0 && H5Fclose(h->file) < 0)
        st = lad__h5_write_error(ctx, h, "close", "/", errno);
    h->dxpl = h->wxpl = h->file = H5I_INVALID_HID;
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK) {
        if (ctx->rank == 0) {
            if (remove != NULL)
                unlink(remove);
            lad_comm_fatal(ctx, MPI_SUCCESS, "%s (HDF5 cannot recover from a failed close)", ctx->err_msg);
        }
        MPI_Barrier(ctx->comm); /* rank 0 ends the job */
        lad_comm_fatal(ctx, MPI_SUCCESS, "HDF5 could not close %s", h->name);
    }
    return st;
}

enum lad_status lad_h5_close(struct lad_ctx *ctx, struct lad_h5 *h)
{
    return close_or_abort(ctx, h, NULL);
}

/*
 * Room for the metadata HDF5 writes when it closes a file. A full disk must never make that flush
 * fail (see close_or_abort), so rank 0 holds this much beside the temporary file while it is written
 * and frees it just before the close; on failure it also empties the temporary file first. A disk
 * without even this much room fails here, before HDF5 starts, with a plain message.
 */
static enum lad_status take_reserve(struct lad_ctx *ctx, const char *reserve, const char *name)
{
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0) {
        int fd = open(reserve, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int rc = fd < 0 ? errno : posix_fallocate(fd, 0, H5_RESERVE_BYTES);
        if (fd >= 0 && close(fd) != 0 && rc == 0)
            rc = errno;
        if (rc != 0) {
            unlink(reserve);
            st = lad_fail(ctx, LAD_ERR_IO, "cannot write %s: %s", name, strerror(rc));
        }
    }
    return lad_status_agree(ctx, st);
}

enum lad_status lad_h5_write_atomic(struct lad_ctx *ctx, const char *path, lad_h5_fill_fn fill, const void *arg)
{
    char tmp[PATH_MAX], reserve[PATH_MAX + 16];
    enum lad_status st = lad_outfile_collective_begin(ctx, path, tmp);
    if (st != LAD_OK)
        return st;
    snprintf(reserve, sizeof reserve, "%s.reserve", tmp);
    /* Registered before it exists, so a signal at any point removes it with the temporary. */
    int reserve_slot = ctx->rank == 0 ? lad_outfile_track_scratch(reserve) : 0;
    st = take_reserve(ctx, reserve, path);
    struct lad_h5 h;
    if (st == LAD_OK)
        st = lad_h5_create(ctx, tmp, &h);
    if (st == LAD_OK) {
        h.name = path;
        st = lad_status_agree(ctx, fill(ctx, &h, arg));
        /* Every rank is done writing (agreed): free the room the close needs, then close. */
        if (ctx->rank == 0) {
            unlink(reserve);
            if (st != LAD_OK && truncate(tmp, 0) != 0)
                lad_log_rank(ctx, LAD_LOG_VERBOSE, "cannot empty %s: %s", tmp, strerror(errno));
        }
        lad_status_agree(ctx, LAD_OK);
        enum lad_status cst = close_or_abort(ctx, &h, tmp);
        if (st == LAD_OK)
            st = cst;
        /* Complete and closed: the integrity header goes in before the file gets its final name. */
        if (st == LAD_OK)
            st = lad_h5_seal(ctx, tmp, path);
    }
    if (ctx->rank == 0)
        unlink(reserve);
    lad_outfile_untrack(reserve_slot);
    return lad_outfile_collective_end(ctx, path, tmp, st);
}
