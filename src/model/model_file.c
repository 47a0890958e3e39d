/*
 * model_file.c - trained models on disk: written collectively under a temporary name, read with checks.
 *
 * Everything in a model is small and replicated (n events, n x k components), so rank 0 writes each
 * dataset (lad_h5_write_small) and every rank reads all of it; all ranks still make every HDF5 call,
 * as parallel HDF5 requires. A model file is untrusted input. lad_h5_open first checks the file's
 * integrity header and digest (a damaged file never reaches libhdf5). Then reading checks, in order:
 * that the file is a logad model at all, its format version, its kind, the size of every dataset
 * against the event count (before any buffer is sized), and every value's range (finite weights,
 * eigenvalues and thresholds, k <= n, known transform flags, document frequencies within the training
 * rows), so that a wrong, old or damaged file, or one a buggy program wrote with a valid checksum,
 * stops with one LAD_ERR_MODEL line that names the problem.
 */
#include "lad_model_file.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_assign_file.h"
#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_escape.h"
#include "lad_h5.h"
#include "lad_hash.h"
#include "lad_mem.h"
#include "lad_schema.h"
#include "lad_version.h"
#include "model_internal.h"

const char *lad_model_type_name(enum lad_model_type type)
{
    const struct lad_detector *d = lad_detector_find(type);
    return d ? d->name : "unknown";
}

/* A row's hash mixes its key and every (column, count) pair; the sum over rows does not depend on
 * which rank holds a row, and unsigned addition wraps modulo 2^64 in any order. */
uint64_t lad_model_fingerprint(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use)
{
    uint64_t acc[2] = {0, 0}; /* sum of row hashes, rows */
    for (int64_t i = 0; i < f->n_local; i++) {
        if (use && !use[i])
            continue;
        uint64_t h = lad_hash_u64((uint64_t)f->keys[i] ^ 0x6c6f6761642d6d64ULL);
        const struct lad_row x = lad_features_row(f, i); /* the non-zero counts identify the row */
        for (int q = 0; q < x.n; q++)
            h = lad_hash_u64(h ^ lad_hash_u64((uint64_t)x.vals[q] + 0x9e3779b97f4a7c15ULL * (uint64_t)(x.cols[q] + 1)));
        acc[0] += h;
        acc[1]++;
    }
    if (MPI_Allreduce(MPI_IN_PLACE, acc, 2, MPI_UINT64_T, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        return 0;
    return lad_hash_u64(acc[0] ^ lad_hash_u64(acc[1] * 0xd1b54a32d192ed03ULL + (uint64_t)f->n_events));
}

void lad_model_free(struct lad_model *m)
{
    if (m == NULL)
        return;
    lad_events_free(&m->events);
    lad_free(&m->event_source);
    lad_free(&m->options);
    lad_transform_free(&m->transform);
    lad_pca_free(&m->pca);
    lad_logreg_free(&m->logreg);
    lad_assign_free(&m->assigner);
}

/* Local. The model must be self-consistent before it is written: every rank checks the same fields. */
static enum lad_status check_model(struct lad_ctx *ctx, const struct lad_model *m)
{
    const int e = m->events.n;
    if (e < 1 || m->transform.n != e)
        return lad_fail(ctx, LAD_ERR_MODEL, "model has %d events but a transform of %d columns", e, m->transform.n);
    const struct lad_detector *d = lad_detector_find(m->type);
    if (d == NULL)
        return lad_fail(ctx, LAD_ERR_MODEL, "unknown model type %d", (int)m->type);
    return d->check(ctx, m);
}

/* Local. Only called for a model check_model passed: its type has a detector. */
static enum lad_status write_contents(struct lad_ctx *ctx, struct lad_h5 *h, const void *arg)
{
    const struct lad_model *m = arg;
    const struct lad_detector *d = lad_detector_find(m->type);
    /* The transform is stored as its canonical spec (parsed back on read), the fingerprint as hex text:
     * h5dump shows both as they appear in logs and summaries, with no signedness question. */
    char spec[64], fp[32];
    lad_transform_format(m->transform.flags, spec, sizeof spec);
    snprintf(fp, sizeof fp, "%016" PRIx64, m->fingerprint);
    enum lad_status st = lad_schema_put_str(ctx, h, LAD_MODEL_H5_FORMAT, LAD_MODEL_FORMAT);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_MODEL_H5_FORMAT_VERSION, LAD_MODEL_FORMAT_VERSION);
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_MODEL_H5_KIND, d->name);
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_MODEL_H5_CREATED_BY, "logad " LAD_VERSION);
    if (st == LAD_OK)
        st = lad_schema_put_str(ctx, h, LAD_MODEL_H5_SESSION_KIND,
                                lad_session_kind_name(m->session_kind));
    if (st == LAD_OK)
        st = lad_schema_put_str(ctx, h, LAD_MODEL_H5_EVENT_SOURCE, m->event_source ? m->event_source : "");
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_MODEL_H5_TRANSFORM, spec);
    if (st == LAD_OK) st = lad_schema_put_i64(ctx, h, LAD_MODEL_H5_N_TRAIN, m->n_train);
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_MODEL_H5_FINGERPRINT, fp);
    if (st == LAD_OK) st = lad_schema_put_str(ctx, h, LAD_MODEL_H5_OPTIONS, m->options ? m->options : "");
    if (st == LAD_OK)
        st = lad_h5_write_events(ctx, h, &m->events);
    if (st == LAD_OK && m->assigner)
        st = lad_assign_write(ctx, h, m->assigner);
    if (st == LAD_OK) /* check_model made the transform's width the events' */
        st = lad_transform_write(ctx, h, &m->transform);
    if (st != LAD_OK)
        return st;
    /* The detector's own part: arrays as datasets, scalars as attributes of its group. */
    return d->write(ctx, h, m);
}

enum lad_status lad_model_write(struct lad_ctx *ctx, const char *path, const struct lad_model *m)
{
    /* An inconsistent model is refused before any file is created; then temporary name + rename. */
    enum lad_status st = lad_status_agree(ctx, check_model(ctx, m));
    if (st != LAD_OK)
        return st;
    return lad_h5_write_atomic(ctx, path, write_contents, m);
}

static void format_shape(char *buf, size_t cap, int64_t rows, int64_t cols)
{
    if (cols == 0)
        snprintf(buf, cap, "[%lld]", (long long)rows);
    else
        snprintf(buf, cap, "[%lld x %lld]", (long long)rows, (long long)cols);
}

enum lad_status lad__model_check_dims(struct lad_ctx *ctx, struct lad_h5 *h, enum lad_schema_key key, int64_t rows,
                                      int64_t cols)
{
    const char *name = lad_schema[key].path;
    int64_t r = 0, c = 0;
    enum lad_status st = lad_schema_dims(ctx, h, key, &r, &c);
    if (st == LAD_OK && (r != rows || c != cols)) {
        char got[48], want[48];
        format_shape(got, sizeof got, r, c);
        format_shape(want, sizeof want, rows, cols);
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s: dataset '%s' is %s, but the model's %lld events and attributes need %s "
                      "(damaged or edited model file: retrain it)", h->path, name, got, (long long)rows, want);
    }
    return lad_status_agree(ctx, st);
}

/* Local. The root attributes: what kind of file this is (its kind picks the detector), and the
 * training metadata. */
static enum lad_status read_header(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_model *m)
{
    char *format = NULL, *kind = NULL, *session = NULL, *spec = NULL, *fp = NULL;
    int64_t version = 0;
    enum lad_status st = LAD_OK;
    /* Asked first, so that an HDF5 file of another program gets "not a logad model", not "attribute
     * missing". */
    const struct lad_schema_entry *fmt = &lad_schema[LAD_MODEL_H5_FORMAT];
    htri_t has_format = H5Aexists_by_name(h->file, fmt->path, fmt->attr, H5P_DEFAULT);
    if (has_format < 0)
        st = lad_fail(ctx, LAD_ERR_HDF5, "HDF5: cannot look up attributes of %s", h->path);
    else if (has_format == 0)
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s is not a logad model (no '%s' attribute)", h->path, fmt->attr);
    if (st == LAD_OK)
        st = lad_schema_get_str(ctx, h, LAD_MODEL_H5_FORMAT, &format);
    char shown[64]; /* attribute text from the file, escaped for the message */
    if (st == LAD_OK && strcmp(format, LAD_MODEL_FORMAT) != 0)
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s is a '%s' file, not a logad model (%s)%s", h->path,
                      lad_escape_str(shown, sizeof shown, format), LAD_MODEL_FORMAT,
                      strcmp(format, "logad-features") == 0 ? ": pass features with --features, models with --model-in" : "");
    if (st == LAD_OK)
        st = lad_schema_get_i64(ctx, h, LAD_MODEL_H5_FORMAT_VERSION, &version);
    if (st == LAD_OK && version != LAD_MODEL_FORMAT_VERSION)
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s has model format version %lld; this logad reads version %d (retrain the model)",
                      h->path, (long long)version, LAD_MODEL_FORMAT_VERSION);
    if (st == LAD_OK)
        st = lad_schema_get_str(ctx, h, LAD_MODEL_H5_KIND, &kind);
    if (st == LAD_OK) {
        const struct lad_detector *d = lad_detector_find_name(kind);
        if (d) {
            m->type = d->type;
        } else {
            char names[64];
            lad_detector_format_names(names, sizeof names);
            st = lad_fail(ctx, LAD_ERR_MODEL, "%s: unknown model kind '%s' (expected %s)", h->path,
                          lad_escape_str(shown, sizeof shown, kind), names);
        }
    }
    if (st == LAD_OK)
        st = lad_schema_get_str(ctx, h, LAD_MODEL_H5_SESSION_KIND, &session);
    if (st == LAD_OK) {
        if (!lad_session_kind_parse(session, &m->session_kind))
            st = lad_fail(ctx, LAD_ERR_MODEL, "%s: unknown session kind '%s'", h->path,
                          lad_escape_str(shown, sizeof shown, session));
    }
    if (st == LAD_OK) st = lad_schema_get_str(ctx, h, LAD_MODEL_H5_EVENT_SOURCE, &m->event_source);
    if (st == LAD_OK) st = lad_schema_get_str(ctx, h, LAD_MODEL_H5_TRANSFORM, &spec);
    if (st == LAD_OK) st = lad_schema_get_i64(ctx, h, LAD_MODEL_H5_N_TRAIN, &m->n_train);
    if (st == LAD_OK) st = lad_schema_get_str(ctx, h, LAD_MODEL_H5_FINGERPRINT, &fp);
    if (st == LAD_OK) st = lad_schema_get_str(ctx, h, LAD_MODEL_H5_OPTIONS, &m->options);
    if (st == LAD_OK && lad_transform_parse(ctx, spec, &m->transform.flags) != LAD_OK)
        st = LAD_ERR_INPUT;
    if (st == LAD_OK && m->n_train < 1)
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s: n_train = %lld; a model is trained on at least one row", h->path,
                      (long long)m->n_train);
    if (st == LAD_OK) {
        char *end = NULL;
        errno = 0;
        m->fingerprint = strtoull(fp, &end, 16);
        if (end == fp || *end != '\0' || errno != 0 || fp[0] == '-' || fp[0] == '+')
            st = lad_fail(ctx, LAD_ERR_MODEL, "%s: fingerprint '%s' is not a 64-bit hexadecimal number", h->path,
                          lad_escape_str(shown, sizeof shown, fp));
    }
    free(format);
    free(kind);
    free(session);
    free(spec);
    free(fp);
    return st;
}

/* Local. The first entry of v[0, n) that is not finite, or -1. */
static int64_t first_not_finite(const double *v, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return i;
    return -1;
}

enum lad_status lad__model_check_finite(struct lad_ctx *ctx, const char *path, enum lad_schema_key key,
                                        const double *v, int64_t n)
{
    int64_t bad = first_not_finite(v, n);
    if (bad < 0)
        return LAD_OK;
    char name[128];
    return lad_fail(ctx, LAD_ERR_MODEL, "%s: %s[%lld] is %g, not a finite number (damaged model file: %s)", path,
                    lad_schema_label(key, name, sizeof name), (long long)bad, v[bad], LAD__MODEL_REMEDY);
}

enum lad_status lad__model_check_range(struct lad_ctx *ctx, const char *path, enum lad_schema_key key, double v,
                                       double lo, double hi)
{
    if (isfinite(v) && v >= lo && v <= hi)
        return LAD_OK;
    char name[128];
    return lad_fail(ctx, LAD_ERR_MODEL, "%s: %s = %g is outside [%g, %g] (damaged model file: %s)", path,
                    lad_schema_label(key, name, sizeof name), v, lo, hi, LAD__MODEL_REMEDY);
}

/*
 * Local. Every value a detector uses, in the range training produces: the same bits on every rank, so
 * every rank reaches the same verdict. Sizes were checked before the arrays were read.
 */
static enum lad_status check_values(struct lad_ctx *ctx, const char *path, const struct lad_model *m)
{
    const struct lad_transform *t = &m->transform;
    const int64_t e = m->events.n;
    enum lad_status st = lad__model_check_finite(ctx, path, LAD_TRANSFORM_H5_WEIGHT, t->weight, e);
    if (st == LAD_OK) st = lad__model_check_finite(ctx, path, LAD_TRANSFORM_H5_MEAN, t->mean, e);
    for (int64_t j = 0; j < e && st == LAD_OK; j++) {
        /* Without TF-IDF every weight is 1; without centering every mean is 0; df counts training rows. */
        if (t->df[j] < 0 || t->df[j] > m->n_train || t->weight[j] <= 0 ||
            (!(t->flags & LAD_TF_TFIDF) && t->weight[j] != 1.0) || (!(t->flags & LAD_TF_CENTER) && t->mean[j] != 0.0))
            st = lad_fail(ctx, LAD_ERR_MODEL, "%s: transform column %lld (df %lld, weight %g, mean %g) does not fit its "
                          "transform and %lld training rows (damaged model file: %s)", path, (long long)j,
                          (long long)t->df[j], t->weight[j], t->mean[j], (long long)m->n_train,
                          LAD__MODEL_REMEDY);
    }
    if (st == LAD_OK)
        st = lad_detector_find(m->type)->check_values(ctx, path, m);
    return st;
}

/* Collective. The event table, the transform and the detector's arrays, with every size checked. */
static enum lad_status read_arrays(struct lad_ctx *ctx, struct lad_h5 *h, struct lad_model *m)
{
    unsigned flags = m->transform.flags;
    enum lad_status st = lad_h5_read_events(ctx, h, &m->events);
    if (st == LAD_OK && m->events.n < 1)
        st = lad_status_agree(ctx, lad_fail(ctx, LAD_ERR_MODEL, "%s: the model has no events", h->path));
    if (st == LAD_OK && lad_assign_in_file(h)) /* untrusted: every count and length is checked */
        st = lad_assign_read(ctx, h, &m->events, true, &m->assigner);
    /* The event table fixes E; every other array is checked against it before it is read. */
    const int64_t e = m->events.n;
    if (st == LAD_OK) st = lad__model_check_dims(ctx, h, LAD_TRANSFORM_H5_WEIGHT, e, 0);
    if (st == LAD_OK) st = lad__model_check_dims(ctx, h, LAD_TRANSFORM_H5_MEAN, e, 0);
    if (st == LAD_OK) st = lad__model_check_dims(ctx, h, LAD_TRANSFORM_H5_DF, e, 0);
    if (st == LAD_OK) st = lad_status_agree(ctx, lad_transform_alloc(ctx, &m->transform, (int)e));
    if (st != LAD_OK)
        return st;
    m->transform.flags = flags;
    m->transform.n_train = m->n_train;
    struct lad_transform *t = &m->transform;
    st = lad_h5_read_small(ctx, h, lad_schema[LAD_TRANSFORM_H5_WEIGHT].path, H5T_NATIVE_DOUBLE, e, 0, t->weight);
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, lad_schema[LAD_TRANSFORM_H5_MEAN].path, H5T_NATIVE_DOUBLE, e, 0, t->mean);
    if (st == LAD_OK)
        st = lad_h5_read_small(ctx, h, lad_schema[LAD_TRANSFORM_H5_DF].path, H5T_NATIVE_INT64, e, 0, t->df);
    if (st != LAD_OK)
        return st;

    /* The detector's own part; read_header took m->type from a kind that names a detector. */
    st = lad_detector_find(m->type)->read(ctx, h, m);
    if (st == LAD_OK)
        st = check_values(ctx, h->path, m);
    return lad_status_agree(ctx, st);
}

enum lad_status lad_model_read(struct lad_ctx *ctx, const char *path, struct lad_model *m)
{
    memset(m, 0, sizeof *m);
    struct lad_h5 h;
    enum lad_status st = lad_h5_open(ctx, path, LAD__MODEL_REMEDY, &h);
    /* A file that fails the integrity check already has its one line naming the file and the remedy. */
    if (st == LAD_ERR_INPUT) {
        ctx->err_status = st = LAD_ERR_MODEL;
        return st;
    }
    if (st == LAD_OK) {
        st = lad_status_agree(ctx, read_header(ctx, &h, m));
        if (st == LAD_OK)
            st = read_arrays(ctx, &h, m);
        enum lad_status cst = lad_h5_close(ctx, &h);
        if (st == LAD_OK)
            st = cst;
    }
    /*
     * A file that opens but lacks what a model has (an attribute, a dataset, a parsable transform) is
     * the wrong file, not bad log input: report it as a model error, keeping the helper's message,
     * which names the missing piece. Every rank holds the agreed message, so all convert alike.
     */
    if (st == LAD_ERR_INPUT || st == LAD_ERR_USAGE) {
        char msg[LAD_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", ctx->err_msg);
        lad_ctx_clear_error(ctx);
        st = lad_fail(ctx, LAD_ERR_MODEL, "%s is not a usable logad model: %s", path, msg);
    }
    if (st != LAD_OK)
        lad_model_free(m);
    return st;
}
