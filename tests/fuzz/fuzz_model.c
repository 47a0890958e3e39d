/*
 * fuzz_model.c - the model-file reader on damaged and on edited files, on MPI_COMM_SELF.
 *
 * The first byte picks the model kind (bit 0) and the mode (bit 1):
 *   - raw: the rest of the input is the file. Almost every such file fails the integrity header, so
 *     this exercises the header check that stands before libhdf5.
 *   - edit: a valid model is edited through HDF5 as the rest of the input says (10-byte records: an
 *     operation, a target, 8 bytes of value: set an attribute or one element of a dataset to any bits,
 *     resize or delete a dataset, turn an attribute into an array or a string, replace a string), then
 *     re-sealed, so the checksum is valid, as for a file a buggy program wrote. This exercises every
 *     check lad_model_read makes beyond the checksum. A model that is accepted is then used to score a
 *     row, as detect would.
 */
#include "fuzz_common.h"

#include <hdf5.h>
#include <math.h>

#include "lad_h5.h"
#include "lad_model_file.h"

static unsigned char *base[2];
static size_t base_len[2];

static void make_base(int kind)
{
    struct lad_model m;
    memset(&m, 0, sizeof m);
    m.type = kind ? LAD_MODEL_TYPE_LOGREG : LAD_MODEL_TYPE_PCA;
    static const char *const tpl[4] = {"Receiving block <*> src: <*>", "PacketResponder <*> terminating",
                                       "Deleting block <*> file <*>", "<unmatched>"};
    static const char *const ids[4] = {"E1", "E2", "E3", "UNMATCHED"};
    for (int j = 0; j < 4; j++)
        if (lad_events_add(&fuzz_ctx, &m.events, ids[j], tpl[j]) != LAD_OK)
            abort();
    m.event_source = lad_strdup("mined");
    m.options = lad_strdup("fuzz");
    m.n_train = 100;
    m.fingerprint = 0x0123456789abcdefULL;
    if (lad_transform_alloc(&fuzz_ctx, &m.transform, 4) != LAD_OK)
        abort();
    m.transform.flags = LAD_TF_TFIDF | (kind ? 0 : LAD_TF_CENTER);
    for (int j = 0; j < 4; j++) {
        m.transform.df[j] = 10 * (j + 1);
        m.transform.weight[j] = 1.0 + log(101.0 / (1.0 + m.transform.df[j]));
        m.transform.mean[j] = kind ? 0.0 : 0.25 * j;
    }
    if (kind == 0) {
        if (lad_pca_alloc(&fuzz_ctx, &m.pca, 4, 2) != LAD_OK)
            abort();
        m.pca.alpha = 0.001;
        m.pca.variance = 0.9;
        m.pca.threshold = 2.5;
        for (int j = 0; j < 4; j++)
            m.pca.eigenvalues[j] = 4.0 - j;
        for (int j = 0; j < 8; j++)
            m.pca.components[j] = j % 3 == 0 ? 1.0 : 0.0;
    } else {
        if (lad_logreg_alloc(&fuzz_ctx, &m.logreg, 4) != LAD_OK)
            abort();
        for (int j = 0; j < 4; j++)
            m.logreg.w[j] = 0.5 - j;
        m.logreg.bias = -1.0;
        m.logreg.lambda = 1e-5;
        m.logreg.threshold = 0.5;
        m.logreg.iterations = 9;
        m.logreg.converged = true;
    }
    char path[300];
    snprintf(path, sizeof path, "%s.base%d", fuzz_path, kind);
    if (lad_model_write(&fuzz_ctx, path, &m) != LAD_OK)
        abort();
    lad_model_free(&m);
    FILE *fp = fopen(path, "rb");
    fseek(fp, 0, SEEK_END);
    base_len[kind] = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    base[kind] = malloc(base_len[kind]);
    if (fread(base[kind], 1, base_len[kind], fp) != base_len[kind])
        abort();
    fclose(fp);
    unlink(path);
}

static const char *const int_attrs[][2] = {{"/pca", "k"},          {"/", "format_version"}, {"/", "n_train"},
                                           {"/logreg", "iterations"}, {"/logreg", "balanced"},    {"/logreg", "converged"}};
static const char *const dbl_attrs[][2] = {{"/pca", "alpha"},    {"/pca", "variance"},    {"/pca", "threshold"},
                                           {"/logreg", "bias"}, {"/logreg", "lambda"}, {"/logreg", "threshold"}};
static const char *const str_attrs[][2] = {{"/", "format"},      {"/", "kind"},         {"/", "transform"},
                                           {"/", "fingerprint"}, {"/", "session_kind"}, {"/", "options"}};
static const char *const datasets[] = {"/transform/weight", "/transform/mean", "/pca/eigenvalues",  "/pca/components",
                                       "/logreg/weights",   "/transform/df",   "/events/templates", "/events/ids"};
#define N_OF(a) (sizeof(a) / sizeof(a)[0])

/* Replaces attribute (obj, name) by one of type `type` over `space`, holding `value`. */
static void put_attr(hid_t file, const char *obj, const char *name, hid_t type, hid_t space, const void *value)
{
    hid_t o = H5Oopen(file, obj, H5P_DEFAULT);
    if (o < 0)
        return;
    H5Adelete(o, name);
    hid_t a = H5Acreate2(o, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        H5Awrite(a, type, value);
        H5Aclose(a);
    }
    H5Oclose(o);
}

/* Replaces dataset name by a 1-D (or, with cols, 2-D) dataset of type with the given values. */
static void put_dataset(hid_t file, const char *name, hid_t type, hsize_t rows, hsize_t cols, const void *values)
{
    H5Ldelete(file, name, H5P_DEFAULT);
    hsize_t dims[2] = {rows, cols};
    hid_t space = H5Screate_simple(cols ? 2 : 1, dims, NULL);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t d = H5Dcreate2(file, name, type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    if (d >= 0 && values != NULL)
        H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
    if (d >= 0)
        H5Dclose(d);
    H5Pclose(lcpl);
    H5Sclose(space);
}

static void apply_edit(hid_t file, uint8_t op, uint8_t target, const uint8_t v[8])
{
    int64_t i64;
    double f64;
    memcpy(&i64, v, 8);
    memcpy(&f64, v, 8);
    hid_t scalar = H5Screate(H5S_SCALAR);
    switch (op % 8) {
    case 0: /* an integer attribute set to any value */
        put_attr(file, int_attrs[target % N_OF(int_attrs)][0], int_attrs[target % N_OF(int_attrs)][1],
                 H5T_NATIVE_INT64, scalar, &i64);
        break;
    case 1: /* a double attribute set to any bits (NaN, infinities, subnormals) */
        put_attr(file, dbl_attrs[target % N_OF(dbl_attrs)][0], dbl_attrs[target % N_OF(dbl_attrs)][1],
                 H5T_NATIVE_DOUBLE, scalar, &f64);
        break;
    case 2: { /* one element of a numeric dataset set to any bits */
        const char *name = datasets[target % 6];
        hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
        if (d >= 0) {
            hid_t fs = H5Dget_space(d);
            hssize_t n = H5Sget_simple_extent_npoints(fs);
            if (n > 0) {
                hsize_t at = (hsize_t)(v[0] % n), one = 1;
                int nd = H5Sget_simple_extent_ndims(fs);
                hsize_t start[2] = {nd == 2 ? at / 2 : at, nd == 2 ? at % 2 : 0}, count[2] = {1, 1};
                hid_t ms = H5Screate_simple(1, &one, NULL);
                if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0)
                    H5Dwrite(d, target % 6 == 5 ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, v);
                H5Sclose(ms);
            }
            H5Sclose(fs);
            H5Dclose(d);
        }
        break;
    }
    case 3: { /* a dataset replaced by one of another shape, or one that stores nothing */
        double vals[64];
        for (int k = 0; k < 64; k++)
            vals[k] = v[k % 8] - 128.0;
        hsize_t rows = v[1] % 9, cols = (v[2] & 1) ? v[2] % 4 : 0;
        put_dataset(file, datasets[target % 6], H5T_NATIVE_DOUBLE, rows, cols, (v[3] & 1) ? vals : NULL);
        break;
    }
    case 4: { /* a string attribute replaced by up to 8 arbitrary bytes */
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, (size_t)(v[0] % 8) + 1);
        H5Tset_strpad(t, (v[0] & 8) ? H5T_STR_NULLPAD : H5T_STR_NULLTERM);
        put_attr(file, str_attrs[target % N_OF(str_attrs)][0], str_attrs[target % N_OF(str_attrs)][1], t, scalar,
                 v);
        H5Tclose(t);
        break;
    }
    case 5: { /* an attribute turned into an array, or given another type */
        hsize_t n = (hsize_t)(v[0] % 6) + 1;
        hid_t sp = H5Screate_simple(1, &n, NULL);
        double vals[6] = {f64, f64, f64, f64, f64, f64};
        const char *const *a = (v[1] & 1) ? int_attrs[target % N_OF(int_attrs)] : str_attrs[target % N_OF(str_attrs)];
        put_attr(file, a[0], a[1], (v[1] & 2) ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, (v[1] & 4) ? sp : scalar, vals);
        H5Sclose(sp);
        break;
    }
    case 6: /* an object or attribute deleted */
        if (target & 1)
            H5Ldelete(file, datasets[(target >> 1) % N_OF(datasets)], H5P_DEFAULT);
        else
            H5Adelete_by_name(file, int_attrs[(target >> 1) % N_OF(int_attrs)][0],
                              int_attrs[(target >> 1) % N_OF(int_attrs)][1], H5P_DEFAULT);
        break;
    default: { /* the event table replaced by n strings of the value's bytes */
        hsize_t n = v[0] % 7;
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, 4);
        char strs[7][4];
        for (hsize_t k = 0; k < n; k++)
            memcpy(strs[k], v + 1 + k % 4, 4);
        put_dataset(file, datasets[6 + (target & 1)], t, n, 0, strs);
        H5Tclose(t);
    }
    }
    H5Sclose(scalar);
}

/* Uses an accepted model as detect would: a row of counts through the transform and the score. */
static void score_row(const struct lad_model *m)
{
    int n = m->events.n;
    int64_t *x = calloc((size_t)n, sizeof *x);
    double *y = calloc((size_t)n, sizeof *y);
    for (int j = 0; j < n; j++)
        x[j] = j + 1;
    lad_transform_apply(&m->transform, x, y);
    int top[3];
    if (m->type == LAD_MODEL_TYPE_PCA) {
        (void)lad_pca_score(&m->pca, y, top, 3);
        (void)lad_pca_decision_threshold(&m->pca);
    } else
        (void)lad_logreg_score(&m->logreg, y, top, 3);
    free(x);
    free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    fuzz_reset();
    int kind = data[0] & 1, edit = (data[0] >> 1) & 1;
    if (base[kind] == NULL) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        make_base(kind);
    }
    if (!edit)
        fuzz_write_file(data + 1, size - 1);
    else {
        fuzz_write_file(base[kind], base_len[kind]);
        hid_t file = H5Fopen(fuzz_path, H5F_ACC_RDWR, H5P_DEFAULT);
        if (file < 0)
            abort();
        for (size_t at = 1; at + 10 <= size && at < 1 + 10 * 8; at += 10)
            apply_edit(file, data[at], data[at + 1], data + at + 2);
        H5Fclose(file);
        if (lad_h5_seal(&fuzz_ctx, fuzz_path, fuzz_path) != LAD_OK)
            abort();
    }
    struct lad_model m;
    if (lad_model_read(&fuzz_ctx, fuzz_path, &m) == LAD_OK) {
        score_row(&m);
        lad_model_free(&m);
    }
    return 0;
}
