/*
 * h5.c - checked parallel-HDF5 helpers: datasets, their transfers, strings and attributes. Every call
 * is collective and every return value checked. Files are opened and closed in h5_file.c.
 */
#include "lad_h5.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_events.h"
#include "lad_mem.h"
#include "lad_schema.h"
#include "h5_internal.h"

bool lad_h5_exists(struct lad_h5 *h, const char *name)
{
    if (strcmp(name, "/") == 0)
        return true;
    /* H5Lexists needs every intermediate group to exist: walk the path. */
    char buf[512];
    snprintf(buf, sizeof buf, "%s", name);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (H5Lexists(h->file, buf, H5P_DEFAULT) <= 0)
                return false;
            if (saved == '\0')
                return true;
            *p = saved;
        }
    }
}

enum lad_status lad_h5_group(struct lad_ctx *ctx, struct lad_h5 *h, const char *name)
{
    if (lad_h5_exists(h, name))
        return LAD_OK;
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE), gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    H5Pset_obj_track_times(gcpl, 0); /* no creation times: the same input gives the same bytes */
    hid_t g = H5Gcreate2(h->file, name, lcpl, gcpl, H5P_DEFAULT);
    H5Pclose(lcpl);
    H5Pclose(gcpl);
    enum lad_status st = g < 0 ? lad__h5_error(ctx, h, "create group", name) : LAD_OK;
    if (g >= 0)
        H5Gclose(g);
    return lad_status_agree(ctx, st);
}

/* Creates intermediate groups of a dataset name. */
static hid_t link_props(void)
{
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (lcpl >= 0)
        H5Pset_create_intermediate_group(lcpl, 1);
    return lcpl;
}

/*
 * Collective. The number of transfers that move every rank's n_local rows in pieces of at most
 * h5_bytes per rank (HDF5 1.10 over MPI-IO fails on collective transfers of 2 GiB or more per rank):
 * the largest count over the ranks, so that every rank joins every transfer. *per gets the rows per
 * piece. At least one transfer whenever any rank has rows.
 */
static int64_t transfers(struct lad_ctx *ctx, hid_t mem_type, int64_t n_cols, int64_t n_local, int64_t *per)
{
    int64_t row_bytes = (int64_t)H5Tget_size(mem_type) * (n_cols > 0 ? n_cols : 1);
    *per = lad_comm_limits()->h5_bytes / (row_bytes > 0 ? row_bytes : 1);
    if (*per < 1)
        *per = 1;
    int64_t mine = (n_local + *per - 1) / *per, most = 0;
    lad_comm_check(ctx, MPI_Allreduce(&mine, &most, 1, MPI_INT64_T, MPI_MAX, ctx->comm), "sizing HDF5 transfers");
    return most;
}

/*
 * Selects transfer k of a rank's rows [begin, begin + n_local): rows [begin + k per, ...) of at most
 * per, or nothing once the rank's rows are done (it still joins the collective call). *at is the
 * first local row of the piece.
 */
static herr_t select_piece(hid_t fspace, hid_t *mspace, int nd, int64_t n_cols, int64_t begin, int64_t n_local,
                           int64_t k, int64_t per, int64_t *at)
{
    *at = k * per;
    int64_t rows = n_local - *at < per ? n_local - *at : per;
    if (rows < 0)
        rows = 0;
    hsize_t start[2] = {(hsize_t)(begin + *at), 0}, count[2] = {(hsize_t)rows, (hsize_t)n_cols};
    if (*mspace >= 0)
        H5Sclose(*mspace);
    *mspace = H5Screate_simple(nd, count, NULL);
    if (*mspace < 0)
        return -1;
    if (rows > 0)
        return H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL);
    return H5Sselect_none(fspace) < 0 || H5Sselect_none(*mspace) < 0 ? -1 : 0;
}

/*
 * Collective. Moves this rank's rows [begin, begin + n_local) between data and dset in the agreed
 * number of pieces, with an agreement after each: a rank whose transfer failed never leaves the
 * others waiting in the next one. Writes go out as independent transfers (wxpl), reads collective.
 */
static enum lad_status move_rows(struct lad_ctx *ctx, struct lad_h5 *h, hid_t dset, hid_t fspace, const char *name,
                                 hid_t mem_type, int64_t n_cols, int64_t begin, int64_t n_local, void *data, bool write)
{
    int64_t per = 1, n_transfers = transfers(ctx, mem_type, n_cols, n_local, &per);
    size_t row_bytes = H5Tget_size(mem_type) * (size_t)(n_cols > 0 ? n_cols : 1);
    hid_t mspace = H5I_INVALID_HID;
    enum lad_status st = LAD_OK;
    for (int64_t k = 0; k < n_transfers && st == LAD_OK; k++) {
        int64_t at;
        herr_t rc = select_piece(fspace, &mspace, n_cols > 0 ? 2 : 1, n_cols, begin, n_local, k, per, &at);
        /* HDF5 refuses a NULL buffer even when nothing is selected: an empty rank passes a dummy one. */
        char nothing[16] = {0};
        char *buf = data && at < n_local ? (char *)data + (size_t)at * row_bytes : nothing;
        errno = 0;
        if (rc < 0)
            st = lad__h5_error(ctx, h, "select rows of", name);
        else if (write && H5Dwrite(dset, mem_type, mspace, fspace, h->wxpl, buf) < 0)
            st = lad__h5_write_error(ctx, h, "write dataset", name, errno);
        else if (!write && H5Dread(dset, mem_type, mspace, fspace, h->dxpl, buf) < 0)
            st = lad__h5_error(ctx, h, "read dataset", name);
        st = lad_status_agree(ctx, st);
    }
    if (mspace >= 0)
        H5Sclose(mspace);
    return st;
}

static enum lad_status write_selection(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                       int64_t n_global, int64_t n_cols, int64_t begin, int64_t n_local,
                                       const void *data)
{
    hsize_t dims[2] = {(hsize_t)n_global, (hsize_t)n_cols};
    hid_t fspace = H5Screate_simple(n_cols > 0 ? 2 : 1, dims, NULL);
    hid_t lcpl = link_props(), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t dset = H5I_INVALID_HID;
    enum lad_status st = LAD_OK;
    /* Every element is written by exactly one rank: writing fill values first would write it twice. */
    if (fspace < 0 || lcpl < 0 || dcpl < 0 || H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER) < 0 ||
        H5Pset_obj_track_times(dcpl, 0) < 0) /* no creation times: the same input gives the same bytes */
        st = lad__h5_error(ctx, h, "create dataspace for", name);
    if (st == LAD_OK && (dset = H5Dcreate2(h->file, name, mem_type, fspace, lcpl, dcpl, H5P_DEFAULT)) < 0)
        st = lad__h5_error(ctx, h, "create dataset", name);
    st = lad_status_agree(ctx, st);
    /* An empty dataset has no storage to write to (HDF5 fails on it); every rank knows n_global. */
    if (st == LAD_OK && n_global > 0)
        st = move_rows(ctx, h, dset, fspace, name, mem_type, n_cols, begin, n_local, (void *)data, true);
    if (dset >= 0)
        H5Dclose(dset);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (lcpl >= 0)
        H5Pclose(lcpl);
    if (fspace >= 0)
        H5Sclose(fspace);
    return lad_status_agree(ctx, st);
}

enum lad_status lad_h5_write_rows(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                  int64_t n_global, int64_t n_cols, int64_t begin, int64_t n_local, const void *data)
{
    return write_selection(ctx, h, name, mem_type, n_global, n_cols, begin, n_local, data);
}

enum lad_status lad_h5_write_small(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                   int64_t rows, int64_t cols, const void *data)
{
    return write_selection(ctx, h, name, mem_type, rows, cols, 0, ctx->rank == 0 ? rows : 0, data);
}

/*
 * Local. The shape of a dataset, its type class and element size, when it is a 1-D or 2-D array that
 * stores exactly the elements its shape claims (*cols = 0 for 1-D); false otherwise. Callers size
 * buffers from the shape, so it is only believed when the file holds that much data: a dataset edited
 * to claim more rows than it stores, or compressed, or never written, does not pass.
 */
static bool stored_shape(hid_t dset, int64_t *rows, int64_t *cols, H5T_class_t *cls, size_t *elem)
{
    hid_t space = H5Dget_space(dset), ftype = H5Dget_type(dset);
    hsize_t dims[2] = {0, 0};
    int nd = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    bool ok = (nd == 1 || nd == 2) && H5Sget_simple_extent_dims(space, dims, NULL) >= 0 && dims[0] <= INT64_MAX &&
              dims[1] <= INT64_MAX && ftype >= 0;
    *elem = ok ? H5Tget_size(ftype) : 0;
    *cls = ok ? H5Tget_class(ftype) : H5T_NO_CLASS;
    hsize_t points = dims[0] * (nd == 2 ? dims[1] : 1);
    ok = ok && *elem > 0 && (nd == 1 || dims[1] == 0 || points / dims[1] == dims[0]) && points <= UINT64_MAX / *elem &&
         H5Dget_storage_size(dset) == points * *elem;
    *rows = (int64_t)dims[0];
    *cols = nd == 2 ? (int64_t)dims[1] : 0;
    if (ftype >= 0)
        H5Tclose(ftype);
    if (space >= 0)
        H5Sclose(space);
    return ok;
}

enum lad_status lad_h5_dims(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, int64_t *rows, int64_t *cols)
{
    *rows = *cols = 0;
    if (!lad_h5_exists(h, name))
        return lad_fail(ctx, LAD_ERR_INPUT, "%s has no dataset '%s'", h->path, name);
    hid_t dset = H5Dopen2(h->file, name, H5P_DEFAULT);
    H5T_class_t cls;
    size_t elem;
    int64_t r = 0, c = 0;
    enum lad_status st = LAD_OK;
    if (dset < 0 || !stored_shape(dset, &r, &c, &cls, &elem))
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s: dataset '%s' is not a 1-D or 2-D array holding all its elements", h->path,
                      name);
    else {
        *rows = r;
        *cols = c;
    }
    if (dset >= 0)
        H5Dclose(dset);
    return st;
}

/*
 * Local. Whether dataset dset can be read as asked: a stored shape (above) of [rows] or [rows x cols]
 * (rows < 0: any row count) that holds rows [begin, begin + n_local), and a type of mem_type's class
 * and, for numbers, size. Records LAD_ERR_INPUT naming the dataset.
 */
static bool stored_signed(hid_t dset)
{
    hid_t t = H5Dget_type(dset);
    bool sgn = t >= 0 && H5Tget_sign(t) == H5T_SGN_2;
    if (t >= 0)
        H5Tclose(t);
    return sgn;
}

static enum lad_status check_dataset(struct lad_ctx *ctx, struct lad_h5 *h, hid_t dset, const char *name,
                                     hid_t mem_type, int64_t rows, int64_t cols, int64_t begin, int64_t n_local)
{
    int64_t r, c;
    H5T_class_t cls;
    size_t elem;
    bool stored = stored_shape(dset, &r, &c, &cls, &elem);
    /* Integers may be stored narrower than they are read (HDF5 widens them), when signed: an unsigned
     * 64-bit value would not fit. */
    bool type_ok = cls == H5Tget_class(mem_type) &&
                   (cls == H5T_STRING || elem == H5Tget_size(mem_type) ||
                    (cls == H5T_INTEGER && elem < H5Tget_size(mem_type) && stored_signed(dset)));
    bool shape_ok = c == cols && (rows < 0 || r == rows) && begin >= 0 && n_local >= 0 && begin <= r &&
                    n_local <= r - begin;
    if (stored && type_ok && shape_ok)
        return LAD_OK;
    return lad_fail(ctx, LAD_ERR_INPUT, "%s: dataset '%s' has the wrong %s", h->path, name,
                    !stored ? "storage for its shape" : !type_ok ? "type" : "shape");
}

static enum lad_status read_selection(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                      int64_t rows, int64_t n_cols, int64_t begin, int64_t n_local, void *data)
{
    enum lad_status st = LAD_OK;
    hid_t dset = lad_h5_exists(h, name) ? H5Dopen2(h->file, name, H5P_DEFAULT) : H5I_INVALID_HID;
    hid_t fspace = dset >= 0 ? H5Dget_space(dset) : H5I_INVALID_HID;
    hssize_t total = fspace >= 0 ? H5Sget_simple_extent_npoints(fspace) : -1;
    if (dset < 0 || fspace < 0 || total < 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s has no readable dataset '%s'", h->path, name);
    if (st == LAD_OK)
        st = check_dataset(ctx, h, dset, name, mem_type, rows, n_cols, begin, n_local);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK && total > 0)
        st = move_rows(ctx, h, dset, fspace, name, mem_type, n_cols, begin, n_local, data, false);
    if (fspace >= 0)
        H5Sclose(fspace);
    if (dset >= 0)
        H5Dclose(dset);
    return lad_status_agree(ctx, st);
}

enum lad_status lad_h5_read_rows(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                 int64_t n_cols, int64_t begin, int64_t n_local, void *data)
{
    return read_selection(ctx, h, name, mem_type, -1, n_cols, begin, n_local, data);
}

enum lad_status lad_h5_read_small(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, hid_t mem_type,
                                  int64_t rows, int64_t cols, void *data)
{
    return read_selection(ctx, h, name, mem_type, rows, cols, 0, rows, data);
}

enum lad_status lad_h5_write_strings(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, int n,
                                     const char *const *strings)
{
    size_t width = 1;
    for (int i = 0; i < n; i++)
        if (strlen(strings[i]) + 1 > width)
            width = strlen(strings[i]) + 1;
    char *buf = lad_calloc_array((size_t)(n > 0 ? n : 1), width);
    enum lad_status st = buf ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory writing %s", name);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;
    for (int i = 0; i < n; i++)
        memcpy(buf + (size_t)i * width, strings[i], strlen(strings[i]));
    hid_t type = H5Tcopy(H5T_C_S1);
    if (type < 0 || H5Tset_size(type, width) < 0 || H5Tset_strpad(type, H5T_STR_NULLTERM) < 0)
        st = lad__h5_error(ctx, h, "make a string type for", name);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_h5_write_small(ctx, h, name, type, n, 0, buf);
    if (type >= 0)
        H5Tclose(type);
    free(buf);
    return st;
}

enum lad_status lad_h5_read_strings(struct lad_ctx *ctx, struct lad_h5 *h, const char *name, int *n,
                                    char ***strings)
{
    *n = 0;
    *strings = NULL;
    int64_t rows, cols;
    enum lad_status st = lad_status_agree(ctx, lad_h5_dims(ctx, h, name, &rows, &cols));
    if (st != LAD_OK)
        return st;
    hid_t dset = H5Dopen2(h->file, name, H5P_DEFAULT);
    hid_t ftype = dset >= 0 ? H5Dget_type(dset) : H5I_INVALID_HID;
    size_t width = ftype >= 0 ? H5Tget_size(ftype) : 0;
    if (ftype < 0 || H5Tget_class(ftype) != H5T_STRING || H5Tis_variable_str(ftype) != 0 || width == 0 || cols != 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s: '%s' is not an array of fixed-length strings", h->path, name);
    else if (rows > LAD_H5_MAX_STRINGS || width > LAD_H5_MAX_STRING)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s: '%s' holds %lld strings of %zu bytes, more than logad writes (%d of %d)",
                      h->path, name, (long long)rows, width, LAD_H5_MAX_STRINGS, LAD_H5_MAX_STRING);
    if (ftype >= 0)
        H5Tclose(ftype);
    if (dset >= 0)
        H5Dclose(dset);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, width);
    H5Tset_strpad(type, H5T_STR_NULLTERM);
    char *buf = lad_calloc_array((size_t)(rows > 0 ? rows : 1), width + 1);
    char **out = lad_calloc_array((size_t)(rows > 0 ? rows : 1), sizeof *out);
    st = (buf && out) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", name);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, name, type, rows, 0, buf);
    for (int64_t i = 0; st == LAD_OK && i < rows; i++) {
        out[i] = lad_strndup(buf + (size_t)i * width, strnlen(buf + (size_t)i * width, width));
        if (out[i] == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", name);
    }
    st = lad_status_agree(ctx, st);
    H5Tclose(type);
    free(buf);
    if (st != LAD_OK) {
        for (int64_t i = 0; out && i < rows; i++)
            free(out[i]);
        free(out);
        return st;
    }
    *n = (int)rows;
    *strings = out;
    return LAD_OK;
}

static enum lad_status write_attr(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name,
                                  hid_t type, const void *value)
{
    enum lad_status st = LAD_OK;
    hid_t space = H5Screate(H5S_SCALAR);
    if (H5Aexists_by_name(h->file, obj, name, H5P_DEFAULT) > 0)
        H5Adelete_by_name(h->file, obj, name, H5P_DEFAULT);
    hid_t attr = H5Acreate_by_name(h->file, obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, type, value) < 0)
        st = lad__h5_error(ctx, h, "write attribute", name);
    if (attr >= 0)
        H5Aclose(attr);
    H5Sclose(space);
    return lad_status_agree(ctx, st);
}

enum lad_status lad_h5_attr_i64(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, int64_t v)
{
    return write_attr(ctx, h, obj, name, H5T_NATIVE_INT64, &v);
}

enum lad_status lad_h5_attr_f64(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, double v)
{
    return write_attr(ctx, h, obj, name, H5T_NATIVE_DOUBLE, &v);
}

enum lad_status lad_h5_attr_str(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name,
                                const char *v)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, strlen(v) + 1);
    H5Tset_strpad(type, H5T_STR_NULLTERM);
    enum lad_status st = write_attr(ctx, h, obj, name, type, v);
    H5Tclose(type);
    return st;
}

/*
 * Local. Opens attribute name of obj after checking that it holds exactly one value of type class
 * `cls` (and, for numbers, the size of the memory type): H5Aread writes every element of the
 * attribute, so an attribute edited into an array would overrun the caller's variable.
 */
static hid_t open_attr(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, H5T_class_t cls,
                       size_t size, enum lad_status *st)
{
    *st = LAD_OK;
    if (!lad_h5_exists(h, obj) || H5Aexists_by_name(h->file, obj, name, H5P_DEFAULT) <= 0) {
        *st = lad_fail(ctx, LAD_ERR_INPUT, "%s: attribute '%s' of '%s' is missing", h->path, name, obj);
        return H5I_INVALID_HID;
    }
    hid_t attr = H5Aopen_by_name(h->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    hid_t space = attr >= 0 ? H5Aget_space(attr) : H5I_INVALID_HID;
    hid_t ftype = attr >= 0 ? H5Aget_type(attr) : H5I_INVALID_HID;
    bool ok = space >= 0 && ftype >= 0 && H5Sget_simple_extent_npoints(space) == 1 && H5Tget_class(ftype) == cls;
    if (ok && cls == H5T_STRING)
        ok = H5Tis_variable_str(ftype) == 0 && H5Tget_size(ftype) <= LAD_H5_MAX_STRING;
    else if (ok)
        ok = H5Tget_size(ftype) == size;
    if (!ok) {
        *st = lad_fail(ctx, LAD_ERR_INPUT, "%s: attribute '%s' of '%s' is not one %s", h->path, name, obj,
                       cls == H5T_STRING ? "fixed-length string" : cls == H5T_FLOAT ? "double" : "64-bit integer");
        if (attr >= 0)
            H5Aclose(attr);
        attr = H5I_INVALID_HID;
    }
    if (ftype >= 0)
        H5Tclose(ftype);
    if (space >= 0)
        H5Sclose(space);
    return attr;
}

static enum lad_status read_attr(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name,
                                 hid_t type, void *value)
{
    enum lad_status st;
    hid_t attr = open_attr(ctx, h, obj, name, H5Tget_class(type), H5Tget_size(type), &st);
    if (st == LAD_OK && H5Aread(attr, type, value) < 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s: cannot read attribute '%s' of '%s'", h->path, name, obj);
    if (attr >= 0)
        H5Aclose(attr);
    return st;
}

enum lad_status lad_h5_get_i64(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, int64_t *v)
{
    return read_attr(ctx, h, obj, name, H5T_NATIVE_INT64, v);
}

enum lad_status lad_h5_get_f64(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, double *v)
{
    return read_attr(ctx, h, obj, name, H5T_NATIVE_DOUBLE, v);
}

enum lad_status lad_h5_get_str(struct lad_ctx *ctx, struct lad_h5 *h, const char *obj, const char *name, char **v)
{
    *v = NULL;
    enum lad_status st;
    hid_t attr = open_attr(ctx, h, obj, name, H5T_STRING, 0, &st);
    hid_t ftype = st == LAD_OK ? H5Aget_type(attr) : H5I_INVALID_HID;
    if (st == LAD_OK && ftype < 0)
        st = lad__h5_error(ctx, h, "read the type of attribute", name);
    if (st == LAD_OK) {
        /* Read as a NUL-terminated string of the stored width into width + 1 zeroed bytes: whatever
         * the padding in the file, the result ends within the buffer. */
        size_t width = H5Tget_size(ftype);
        hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, width);
        H5Tset_strpad(type, H5T_STR_NULLTERM);
        char *buf = calloc(1, width + 1);
        if (buf == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory");
        else if (H5Aread(attr, type, buf) < 0)
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s: cannot read attribute '%s'", h->path, name);
        H5Tclose(type);
        if (st == LAD_OK)
            *v = buf;
        else
            free(buf);
    }
    if (ftype >= 0)
        H5Tclose(ftype);
    if (attr >= 0)
        H5Aclose(attr);
    return st;
}

enum lad_status lad_h5_write_events(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_events *ev)
{
    enum lad_status st = lad_h5_write_strings(ctx, h, lad_schema[LAD_EVENTS_H5_IDS].path, ev->n,
                                              (const char *const *)ev->ids);
    if (st == LAD_OK)
        st = lad_h5_write_strings(ctx, h, lad_schema[LAD_EVENTS_H5_TEMPLATES].path, ev->n,
                                  (const char *const *)ev->templates);
    return st;
}

enum lad_status lad_h5_read_events(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_events *ev)
{
    int n_ids = 0, n_tpl = 0;
    char **ids = NULL, **tpl = NULL;
    enum lad_status st = lad_h5_read_strings(ctx, h, lad_schema[LAD_EVENTS_H5_IDS].path, &n_ids, &ids);
    if (st == LAD_OK)
        st = lad_h5_read_strings(ctx, h, lad_schema[LAD_EVENTS_H5_TEMPLATES].path, &n_tpl, &tpl);
    if (st == LAD_OK && n_ids != n_tpl)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s: %d event ids but %d templates", h->path, n_ids, n_tpl);
    for (int i = 0; i < n_ids && st == LAD_OK; i++)
        st = lad_events_add(ctx, ev, ids[i], tpl[i]);
    for (int i = 0; i < n_ids; i++)
        free(ids[i]);
    for (int i = 0; i < n_tpl; i++)
        free(tpl[i]);
    free(ids);
    free(tpl);
    return lad_status_agree(ctx, st);
}
