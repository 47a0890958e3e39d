/*
 * featfile.c - features.h5 written and read collectively, one row block per rank.
 *
 * A features file is untrusted input: lad_h5_open checks its integrity header and digest before HDF5
 * reads it, and reading then checks what the rest of logad relies on: the attributes' kinds and
 * ranges, shapes that agree with the event table, counts that are not negative, and session keys
 * that ascend strictly across all ranks (the row layout, the label join and the outputs' order
 * assume it).
 */
#include "lad_featfile.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_assign_file.h"
#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_escape.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_mem.h"
#include "lad_schema.h"
#include "lad_version.h"

/* What a rejected features file's message tells the user to do. */
#define REMEDY "run preprocess again or restore the file"

/* The ingest counters: each attribute and the field it stores. */
struct counter_attr {
    enum lad_schema_key key;
    size_t offset;
};

#define SUMMARY(key, f) {key, offsetof(struct lad_ingest_summary, f)}
static const struct counter_attr summary_attrs[] = {
    SUMMARY(LAD_FEATURES_H5_FILES, files),
    SUMMARY(LAD_FEATURES_H5_BYTES, bytes),
    SUMMARY(LAD_FEATURES_H5_LINES, lines),
    SUMMARY(LAD_FEATURES_H5_MALFORMED_LINES, malformed_lines),
    SUMMARY(LAD_FEATURES_H5_FIRST_MALFORMED_LINE, first_malformed_line),
    SUMMARY(LAD_FEATURES_H5_NO_SESSION_LINES, no_session_lines),
    SUMMARY(LAD_FEATURES_H5_UNMATCHED_LINES, unmatched_lines),
    SUMMARY(LAD_FEATURES_H5_OVERSIZE_LINES, oversize_lines),
    SUMMARY(LAD_FEATURES_H5_BLOCKID_OVERFLOW, blockid_overflow),
    SUMMARY(LAD_FEATURES_H5_EMPTY_MESSAGES, empty_messages),
};
#define N_SUMMARY_ATTRS (sizeof summary_attrs / sizeof summary_attrs[0])

/*
 * Collective. /counts, dense, in the narrowest signed integer type that holds the largest count of
 * any rank (readers get int64 back: HDF5 widens). Why: HDFS counts are small, and an int64 matrix of
 * 2M blocks x 37 events is 580 MB to build and write, against 145 MB as int16; the type depends on
 * the data alone, so the bytes are the same at any rank count.
 */
static enum lad_status write_counts(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_features *f)
{
    int64_t most = 0;
    for (int64_t k = 0; k < f->row_start[f->n_local]; k++)
        most = f->vals[k] > most ? f->vals[k] : most;
    lad_comm_check(ctx, MPI_Allreduce(MPI_IN_PLACE, &most, 1, MPI_INT64_T, MPI_MAX, ctx->comm), "the largest count");
    const size_t width = most <= INT8_MAX ? 1 : most <= INT16_MAX ? 2 : most <= INT32_MAX ? 4 : 8;
    const hid_t type = width == 1   ? H5T_NATIVE_INT8
                       : width == 2 ? H5T_NATIVE_INT16
                       : width == 4 ? H5T_NATIVE_INT32
                                    : H5T_NATIVE_INT64;
    const size_t n = (size_t)f->n_events;
    char *dense = lad_calloc_big((size_t)(f->n_local > 0 ? f->n_local : 1) * (n > 0 ? n : 1), width);
    enum lad_status st = lad_status_agree(ctx, dense ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory "
                                                                         "writing the counts"));
    for (int64_t i = 0; st == LAD_OK && i < f->n_local; i++) {
        const struct lad_row x = lad_features_row(f, i);
        char *row = dense + (size_t)i * n * width;
        for (int q = 0; q < x.n; q++) {
            const int64_t v = x.vals[q];
            char *at = row + (size_t)x.cols[q] * width;
            if (width == 1)
                *(int8_t *)at = (int8_t)v;
            else if (width == 2)
                memcpy(at, &(int16_t){(int16_t)v}, 2);
            else if (width == 4)
                memcpy(at, &(int32_t){(int32_t)v}, 4);
            else
                memcpy(at, &v, 8);
        }
    }
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, lad_schema[LAD_FEATURES_H5_COUNTS].path, type, f->n_global, f->n_events,
                               f->row_begin, f->n_local, dense);
    free(dense);
    return st;
}

static enum lad_status write_contents(struct lad_ctx *ctx, struct lad_h5 *h, const void *arg)
{
    const struct lad_features *f = arg;
    enum lad_status st = lad_schema_put_str(ctx, h, LAD_FEATURES_H5_FORMAT, LAD_FEATFILE_FORMAT);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_FEATURES_H5_FORMAT_VERSION, LAD_FEATURES_FORMAT_VERSION);
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_FEATURES_H5_CREATED_BY, "logad " LAD_VERSION);
    if (st == LAD_OK)
        st = lad_schema_put_str(ctx, h, LAD_FEATURES_H5_SESSION_KIND,
                                lad_session_kind_name(f->session_kind));
    if (st == LAD_OK && f->window_spec) st = lad_schema_put_str(ctx, h, LAD_FEATURES_H5_WINDOW, f->window_spec);
    if (st == LAD_OK)
        st = lad_schema_put_str(ctx, h, LAD_FEATURES_H5_EVENT_SOURCE, f->event_source ? f->event_source : "");
    for (size_t i = 0; i < N_SUMMARY_ATTRS && st == LAD_OK; i++)
        st = lad_schema_put_i64(ctx, h, summary_attrs[i].key,
                                *(const int64_t *)((const char *)&f->summary + summary_attrs[i].offset));
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, lad_schema[LAD_FEATURES_H5_SESSIONS].path, H5T_NATIVE_INT64, f->n_global, 0,
                               f->row_begin, f->n_local, f->keys);
    if (st == LAD_OK)
        st = write_counts(ctx, h, f);
    if (st == LAD_OK)
        st = lad_h5_write_events(ctx, h, &f->events);
    if (st == LAD_OK)
        st = lad_h5_write_small(ctx, h, lad_schema[LAD_FEATURES_H5_EVENT_LINES].path, H5T_NATIVE_INT64, f->events.n, 0,
                                f->events.lines);
    if (st == LAD_OK && f->assigner) /* train --features passes it on to the models */
        st = lad_assign_write(ctx, h, f->assigner);
    return st;
}

enum lad_status lad_featfile_write(struct lad_ctx *ctx, const char *path, const struct lad_features *f)
{
    return lad_h5_write_atomic(ctx, path, write_contents, f);
}

/*
 * Collective. Counts and line totals are not negative, and session keys ascend strictly within each
 * rank and from each rank holding rows to the next (rows are a prefix of ranks in the layout: the
 * first and last key of every rank are gathered). LAD_ERR_INPUT naming the row otherwise.
 */
/* Collective. dense: this rank's rows of /counts as read, before they are compressed into f. */
static enum lad_status check_values(struct lad_ctx *ctx, const char *path, const struct lad_features *f,
                                    const int64_t *dense)
{
    const char *sessions = lad_schema[LAD_FEATURES_H5_SESSIONS].path;
    enum lad_status st = LAD_OK;
    for (int j = 0; j < f->events.n && st == LAD_OK; j++)
        if (f->events.lines[j] < 0)
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s: %s[%d] is negative (damaged file: %s)", path,
                          lad_schema[LAD_FEATURES_H5_EVENT_LINES].path, j, REMEDY);
    for (int64_t i = 0; i < f->n_local && st == LAD_OK; i++) {
        for (int j = 0; j < f->n_events && st == LAD_OK; j++)
            if (dense[i * f->n_events + j] < 0)
                st = lad_fail(ctx, LAD_ERR_INPUT, "%s: %s[%lld, %d] is negative (damaged file: %s)", path,
                              lad_schema[LAD_FEATURES_H5_COUNTS].path, (long long)(f->row_begin + i), j, REMEDY);
        if (st == LAD_OK && i > 0 && f->keys[i] <= f->keys[i - 1])
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s: %s is not strictly ascending at row %lld (damaged file: %s)", path,
                          sessions, (long long)(f->row_begin + i), REMEDY);
    }
    int64_t mine[3] = {f->n_local > 0, f->n_local > 0 ? f->keys[0] : 0, f->n_local > 0 ? f->keys[f->n_local - 1] : 0};
    int64_t *all = lad_malloc_array((size_t)ctx->size * 3, sizeof *all);
    if (all == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory checking %s", path);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        lad_comm_check(ctx, MPI_Allgather(mine, 3, MPI_INT64_T, all, 3, MPI_INT64_T, ctx->comm), "checking sessions");
        /* This rank's first key against the last key of the nearest lower rank holding rows. */
        for (int r = ctx->rank - 1; r >= 0 && f->n_local > 0; r--)
            if (all[3 * r]) {
                if (f->keys[0] <= all[3 * r + 2])
                    st = lad_fail(ctx, LAD_ERR_INPUT,
                                  "%s: %s is not strictly ascending at row %lld (damaged file: %s)", path, sessions,
                                  (long long)f->row_begin, REMEDY);
                break;
            }
    }
    free(all);
    return lad_status_agree(ctx, st);
}

static enum lad_status read_contents(struct lad_ctx *ctx, struct lad_h5 *h, const char *path, struct lad_features *f)
{
    char *format = NULL, *kind = NULL;
    char shown[64]; /* attribute text from the file, escaped for the message */
    int64_t version = 0;
    enum lad_status st = lad_schema_get_str(ctx, h, LAD_FEATURES_H5_FORMAT, &format);
    if (st == LAD_OK && strcmp(format, LAD_FEATFILE_FORMAT) != 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s is a '%s' file, not logad features (%s)", path,
                      lad_escape_str(shown, sizeof shown, format), LAD_FEATFILE_FORMAT);
    if (st == LAD_OK)
        st = lad_schema_get_i64(ctx, h, LAD_FEATURES_H5_FORMAT_VERSION, &version);
    if (st == LAD_OK && version != LAD_FEATURES_FORMAT_VERSION)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s has features format version %lld; this logad reads version %d", path,
                      (long long)version, LAD_FEATURES_FORMAT_VERSION);
    if (st == LAD_OK)
        st = lad_schema_get_str(ctx, h, LAD_FEATURES_H5_SESSION_KIND, &kind);
    if (st == LAD_OK) {
        if (!lad_session_kind_parse(kind, &f->session_kind))
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s: unknown session kind '%s'", path, lad_escape_str(shown, sizeof shown, kind));
    }
    if (st == LAD_OK && f->session_kind == LAD_SESSION_WINDOW)
        st = lad_schema_get_str(ctx, h, LAD_FEATURES_H5_WINDOW, &f->window_spec);
    if (st == LAD_OK)
        st = lad_schema_get_str(ctx, h, LAD_FEATURES_H5_EVENT_SOURCE, &f->event_source);
    for (size_t i = 0; i < N_SUMMARY_ATTRS && st == LAD_OK; i++) {
        int64_t *v = (int64_t *)((char *)&f->summary + summary_attrs[i].offset);
        st = lad_schema_get_i64(ctx, h, summary_attrs[i].key, v);
        if (st == LAD_OK && *v < 0)
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s: counter %s = %lld is negative (damaged file: %s)", path,
                          lad_schema[summary_attrs[i].key].attr, (long long)*v, REMEDY);
    }
    free(format);
    free(kind);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;

    int64_t rows = 0, cols = 0, srows = 0, scols = 0;
    st = lad_h5_read_events(ctx, h, &f->events);
    if (st == LAD_OK)
        st = lad_status_agree(ctx, lad_schema_dims(ctx, h, LAD_FEATURES_H5_COUNTS, &rows, &cols));
    if (st == LAD_OK)
        st = lad_status_agree(ctx, lad_schema_dims(ctx, h, LAD_FEATURES_H5_SESSIONS, &srows, &scols));
    if (st == LAD_OK && (cols != f->events.n || srows != rows || scols != 0))
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s is inconsistent: %lld x %lld counts, %lld sessions, %d events", path,
                      (long long)rows, (long long)cols, (long long)srows, f->events.n);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, lad_schema[LAD_FEATURES_H5_EVENT_LINES].path, H5T_NATIVE_INT64, f->events.n, 0,
                               f->events.lines);
    if (st == LAD_OK && lad_assign_in_file(h))
        st = lad_assign_read(ctx, h, &f->events, false, &f->assigner);
    if (st == LAD_OK)
        st = lad_status_agree(ctx, lad_features_alloc(ctx, f, rows, (int)cols));
    if (st == LAD_OK)
        st = lad_h5_read_rows(ctx, h, lad_schema[LAD_FEATURES_H5_SESSIONS].path, H5T_NATIVE_INT64, 0, f->row_begin,
                              f->n_local, f->keys);
    int64_t *dense = NULL;
    if (st == LAD_OK && (dense = lad_malloc_big((size_t)f->n_local * (size_t)(cols > 0 ? cols : 1), sizeof *dense)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld feature rows", (long long)f->n_local);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_h5_read_rows(ctx, h, lad_schema[LAD_FEATURES_H5_COUNTS].path, H5T_NATIVE_INT64, cols, f->row_begin,
                              f->n_local, dense);
    if (st == LAD_OK)
        st = check_values(ctx, path, f, dense);
    if (st == LAD_OK)
        st = lad_status_agree(ctx, lad_features_set_dense(ctx, f, dense));
    free(dense);
    return st;
}

enum lad_status lad_featfile_read(struct lad_ctx *ctx, const char *path, struct lad_features *f)
{
    memset(f, 0, sizeof *f);
    struct lad_h5 h;
    enum lad_status st = lad_h5_open(ctx, path, REMEDY, &h);
    if (st != LAD_OK)
        return st;
    st = read_contents(ctx, &h, path, f);
    enum lad_status cst = lad_h5_close(ctx, &h);
    if (st == LAD_OK)
        st = cst;
    if (st != LAD_OK)
        lad_features_free(f);
    return st;
}
