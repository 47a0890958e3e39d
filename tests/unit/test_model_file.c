/*
 * test_model_file.c - model files: exact round trips of both kinds, and clear LAD_ERR_MODEL errors for
 * files that are not models, other format versions, damaged bytes (the integrity header), and edits
 * that a valid checksum covers (the file re-sealed after the edit): dimensions, versions, kinds, values
 * out of range, attributes that are arrays, datasets that do not store their shape.
 */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lad_featfile.h"
#include "lad_h5.h"
#include "lad_mem.h"
#include "lad_model_file.h"
#include "lad_outfile.h"
#include "lad_test.h"
#include "lad_test_model.h"

#define PCA_PATH "test_model_file_pca.h5"
#define LR_PATH "test_model_file_logreg.h5"
#define FEAT_PATH "test_model_file_features.h5"
#define TEXT_PATH "test_model_file_text.h5"

static const char *const model_ids[3] = {"E1", "E2", "E3"};
static const char *const model_templates[3] = {"Receiving block <*> src: <*>", "PacketResponder <*> terminating",
                                               "<unmatched>"};

static void make_model(struct lad_model *m, enum lad_model_type type)
{
    lad_test_make_model(m, type, model_ids, model_templates);
}

static void assert_common_equal(const struct lad_model *a, const struct lad_model *b)
{
    CU_ASSERT_EQUAL(a->type, b->type);
    CU_ASSERT_EQUAL_FATAL(a->events.n, b->events.n);
    for (int j = 0; j < a->events.n; j++) {
        CU_ASSERT_STRING_EQUAL(a->events.ids[j], b->events.ids[j]);
        CU_ASSERT_STRING_EQUAL(a->events.templates[j], b->events.templates[j]);
    }
    CU_ASSERT_EQUAL(a->session_kind, b->session_kind);
    CU_ASSERT_STRING_EQUAL(a->event_source, b->event_source);
    CU_ASSERT_STRING_EQUAL(a->options, b->options);
    CU_ASSERT_EQUAL(a->n_train, b->n_train);
    CU_ASSERT_EQUAL(a->fingerprint, b->fingerprint);
    CU_ASSERT_EQUAL(a->transform.flags, b->transform.flags);
    CU_ASSERT_EQUAL(a->transform.n, b->transform.n);
    CU_ASSERT_EQUAL(b->transform.n_train, 42);
    for (int j = 0; j < a->transform.n; j++) {
        CU_ASSERT_EQUAL(a->transform.df[j], b->transform.df[j]);
        CU_ASSERT_EQUAL(a->transform.weight[j], b->transform.weight[j]);
        CU_ASSERT_EQUAL(a->transform.mean[j], b->transform.mean[j]);
    }
}

static void test_round_trip_pca(void)
{
    struct lad_model m, r;
    make_model(&m, LAD_MODEL_TYPE_PCA);
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_model_read(&lad_test_ctx, PCA_PATH, &r), LAD_OK);
    assert_common_equal(&m, &r);
    CU_ASSERT_EQUAL(r.pca.n, 3);
    CU_ASSERT_EQUAL_FATAL(r.pca.k, 2);
    CU_ASSERT_EQUAL(r.pca.alpha, 0.001);
    CU_ASSERT_EQUAL(r.pca.variance, 0.875);
    CU_ASSERT_EQUAL(r.pca.threshold, 3.5);
    CU_ASSERT_EQUAL(memcmp(r.pca.eigenvalues, m.pca.eigenvalues, 3 * sizeof(double)), 0);
    CU_ASSERT_EQUAL(memcmp(r.pca.components, m.pca.components, 6 * sizeof(double)), 0);
    CU_ASSERT_PTR_NULL(r.logreg.w);
    lad_model_free(&r);
    lad_model_free(&m);
}

static void test_round_trip_logreg(void)
{
    struct lad_model m, r;
    make_model(&m, LAD_MODEL_TYPE_LOGREG);
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, LR_PATH, &m), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_model_read(&lad_test_ctx, LR_PATH, &r), LAD_OK);
    assert_common_equal(&m, &r);
    CU_ASSERT_EQUAL_FATAL(r.logreg.n, 3);
    CU_ASSERT_EQUAL(memcmp(r.logreg.w, m.logreg.w, 3 * sizeof(double)), 0);
    CU_ASSERT_EQUAL(r.logreg.bias, -3.75);
    CU_ASSERT_EQUAL(r.logreg.lambda, 0.01);
    CU_ASSERT_EQUAL(r.logreg.threshold, 0.5);
    CU_ASSERT_TRUE(r.logreg.balanced);
    CU_ASSERT_EQUAL(r.logreg.iterations, 7);
    CU_ASSERT_TRUE(r.logreg.converged);
    CU_ASSERT_PTR_NULL(r.pca.eigenvalues);
    lad_model_free(&r);
    lad_model_free(&m);
    unlink(LR_PATH);
}

/* Reads path expecting `want`, with a message that contains `needle`. */
static void expect_read_error(const char *path, enum lad_status want, const char *needle)
{
    struct lad_model r;
    lad_ctx_clear_error(&lad_test_ctx);
    CU_ASSERT_EQUAL(lad_model_read(&lad_test_ctx, path, &r), want);
    CU_ASSERT_EQUAL(lad_test_ctx.err_status, want);
    if (strstr(lad_test_ctx.err_msg, needle) == NULL) {
        fprintf(stderr, "\nmessage '%s' lacks '%s'\n", lad_test_ctx.err_msg, needle);
        CU_FAIL("error message does not name the problem");
    }
    CU_ASSERT_PTR_NULL(r.events.ids);
    lad_ctx_clear_error(&lad_test_ctx);
}

static void test_features_file_is_not_a_model(void)
{
    struct lad_features f;
    memset(&f, 0, sizeof f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, &f, 2, 1), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_events_add(&lad_test_ctx, &f.events, "E1", "x"), LAD_OK);
    f.event_source = lad_strdup("mined");
    for (int64_t i = 0; i < f.n_local; i++)
        f.keys[i] = f.row_begin + i;
    CU_ASSERT_EQUAL_FATAL(lad_featfile_write(&lad_test_ctx, FEAT_PATH, &f), LAD_OK);
    lad_features_free(&f);
    expect_read_error(FEAT_PATH, LAD_ERR_MODEL, "logad-features");
    unlink(FEAT_PATH);

    if (lad_test_ctx.rank == 0) {
        FILE *fp = fopen(TEXT_PATH, "w");
        fputs("EventId,EventTemplate\n", fp);
        fclose(fp);
    }
    MPI_Barrier(lad_test_ctx.comm);
    expect_read_error(TEXT_PATH, LAD_ERR_MODEL, "not an HDF5 file");
    unlink(TEXT_PATH);
    expect_read_error("no_such_dir/no_such_model.h5", LAD_ERR_IO, "no_such_model.h5");
}

/* Every rank re-seals the PCA model after rank 0 edited it: the edit now has a valid checksum, as a
 * file written by a buggy program would, and only the reader's own checks stand in its way. */
static void reseal(void)
{
    MPI_Barrier(lad_test_ctx.comm);
    CU_ASSERT_EQUAL(lad_h5_seal(&lad_test_ctx, PCA_PATH, PCA_PATH), LAD_OK);
}

/* Rank 0 rewrites one attribute of the written PCA model (serial HDF5, default driver). */
static void edit_attr(const char *obj, const char *name, hid_t type, const void *value)
{
    if (lad_test_ctx.rank == 0) {
        hid_t file = H5Fopen(PCA_PATH, H5F_ACC_RDWR, H5P_DEFAULT);
        CU_ASSERT_TRUE_FATAL(file >= 0);
        /* Through the object: HDF5 1.10's H5Awrite fails on attributes opened by path from the file. */
        hid_t o = H5Oopen(file, obj, H5P_DEFAULT);
        hid_t attr = o >= 0 ? H5Aopen(o, name, H5P_DEFAULT) : H5I_INVALID_HID;
        CU_ASSERT_TRUE(attr >= 0 && H5Awrite(attr, type, value) >= 0);
        H5Aclose(attr);
        H5Oclose(o);
        CU_ASSERT_TRUE(H5Fclose(file) >= 0);
    }
    reseal();
}

static void tamper_attr(const char *obj, const char *name, int64_t value)
{
    edit_attr(obj, name, H5T_NATIVE_INT64, &value);
}

/* Rank 0 replaces a double dataset of the PCA model by one of n values v (not resealed). */
static void replace_dataset(const char *name, hsize_t n, const double *v)
{
    if (lad_test_ctx.rank == 0) {
        hid_t file = H5Fopen(PCA_PATH, H5F_ACC_RDWR, H5P_DEFAULT);
        CU_ASSERT_TRUE(H5Ldelete(file, name, H5P_DEFAULT) >= 0);
        hid_t space = H5Screate_simple(1, &n, NULL);
        hid_t dset = H5Dcreate2(file, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        CU_ASSERT_TRUE(dset >= 0 && (v == NULL || H5Dwrite(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0));
        H5Dclose(dset);
        H5Sclose(space);
        H5Fclose(file);
    }
}

static void test_tampered_pca_model(void)
{
    struct lad_model m;
    make_model(&m, LAD_MODEL_TYPE_PCA);

    /* k = 3 while /pca/components is still 3 x 2: the checksum catches the edit first. */
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    if (lad_test_ctx.rank == 0) {
        hid_t file = H5Fopen(PCA_PATH, H5F_ACC_RDWR, H5P_DEFAULT);
        hid_t o = H5Oopen(file, "/pca", H5P_DEFAULT);
        hid_t attr = H5Aopen(o, "k", H5P_DEFAULT);
        int64_t three = 3;
        CU_ASSERT_TRUE(H5Awrite(attr, H5T_NATIVE_INT64, &three) >= 0);
        H5Aclose(attr);
        H5Oclose(o);
        H5Fclose(file);
    }
    MPI_Barrier(lad_test_ctx.comm);
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "is corrupted or was not written by logad: checksum mismatch");
    /* Re-sealed, the dimension check catches it. */
    reseal();
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "/pca/components");

    /* k outside 1..E. */
    tamper_attr("/pca", "k", 0);
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "k = 0");

    /* /transform/mean shortened to 2 entries for 3 events. */
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    double two[2] = {0, 0};
    replace_dataset("/transform/mean", 2, two);
    reseal();
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "/transform/mean");

    /* A dataset of the right shape that stores nothing (never written): its shape is not believed. */
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    replace_dataset("/pca/eigenvalues", 3, NULL);
    reseal();
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "/pca/eigenvalues");

    /* A NaN eigenvalue, an infinite threshold, an alpha out of range, a negative df. */
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    double nan3[3] = {4.0, NAN, 1.0};
    replace_dataset("/pca/eigenvalues", 3, nan3);
    reseal();
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "/pca/eigenvalues[1] is nan");
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    double inf = INFINITY, big_alpha = 0.75;
    edit_attr("/pca", "threshold", H5T_NATIVE_DOUBLE, &inf);
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "threshold = inf");
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    edit_attr("/pca", "alpha", H5T_NATIVE_DOUBLE, &big_alpha);
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "alpha = 0.75");
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    tamper_attr("/", "n_train", 5); /* df of 10..12 training rows out of 5 */
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "transform column 0");

    /* An attribute turned into an array: reading it into one variable would overrun it. */
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    if (lad_test_ctx.rank == 0) {
        hid_t file = H5Fopen(PCA_PATH, H5F_ACC_RDWR, H5P_DEFAULT);
        hid_t o = H5Oopen(file, "/pca", H5P_DEFAULT);
        CU_ASSERT_TRUE(H5Adelete(o, "k") >= 0);
        hsize_t n = 64;
        int64_t many[64] = {2};
        hid_t space = H5Screate_simple(1, &n, NULL);
        hid_t attr = H5Acreate2(o, "k", H5T_NATIVE_INT64, space, H5P_DEFAULT, H5P_DEFAULT);
        CU_ASSERT_TRUE(attr >= 0 && H5Awrite(attr, H5T_NATIVE_INT64, many) >= 0);
        H5Aclose(attr);
        H5Sclose(space);
        H5Oclose(o);
        H5Fclose(file);
    }
    reseal();
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "attribute 'k' of '/pca' is not one 64-bit integer");

    /* A kind no detector has (lad_detector.h): named, with the kinds there are. */
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    hid_t str4 = H5Tcopy(H5T_C_S1); /* the stored "pca": 3 characters and the terminator */
    CU_ASSERT_TRUE_FATAL(str4 >= 0 && H5Tset_size(str4, 4) >= 0);
    edit_attr("/", "kind", str4, "svm");
    H5Tclose(str4);
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "unknown model kind 'svm' (expected pca or logreg)");

    /* A future format version. */
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    tamper_attr("/", "format_version", 99);
    expect_read_error(PCA_PATH, LAD_ERR_MODEL, "version 99");
    unlink(PCA_PATH);

    /* An inconsistent model is refused before anything is written. */
    m.pca.k = 4;
    lad_ctx_clear_error(&lad_test_ctx);
    CU_ASSERT_EQUAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_ERR_MODEL);
    CU_ASSERT_FALSE(lad_path_exists(PCA_PATH));
    lad_ctx_clear_error(&lad_test_ctx);
    m.pca.k = 2;
    lad_model_free(&m);
}

/* Rank 0 changes the written logistic model's bytes: len bytes at offset set to value, or the file cut
 * to offset (len < 0), or len bytes of value appended (offset < 0). */
static void damage(long offset, long len, int value)
{
    if (lad_test_ctx.rank == 0) {
        FILE *fp = fopen(LR_PATH, "r+b");
        CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
        if (len < 0) {
            CU_ASSERT_EQUAL(ftruncate(fileno(fp), offset), 0);
        } else {
            fseek(fp, offset < 0 ? 0 : offset, offset < 0 ? SEEK_END : SEEK_SET);
            for (long i = 0; i < len; i++)
                fputc(value, fp);
        }
        fclose(fp);
    }
    MPI_Barrier(lad_test_ctx.comm);
}

/* The integrity header: every kind of damage gets its own one line, and an HDF5 file without the
 * header (as logad wrote before format version 2) is named as such. */
static void test_damaged_bytes(void)
{
    struct lad_model m;
    make_model(&m, LAD_MODEL_TYPE_LOGREG);
    struct { long offset, len; int value; const char *needle; } cases[] = {
        {LAD_H5_USERBLOCK + 200, 1, 0x5a, "checksum mismatch"},     /* inside HDF5's metadata */
        {-1, 3, 0, "(truncated or appended to)"},                    /* appended bytes */
        {LAD_H5_USERBLOCK + 100, -1, 0, "(truncated or appended to)"}, /* truncated */
        {100, -1, 0, "shorter than its header"},
        {20, 1, 0xff, "its checksum header is damaged"},             /* the piece size field */
        {LAD_H5_USERBLOCK - 1, 1, 0x01, "its checksum header is damaged"},
        {0, 1, 'X', "is not an HDF5 file written by logad"},          /* the magic */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, LR_PATH, &m), LAD_OK);
        damage(cases[c].offset, cases[c].len, cases[c].value);
        expect_read_error(LR_PATH, LAD_ERR_MODEL, cases[c].needle);
    }
    /* The case: one flipped exponent bit in a weight (w[0] = 1.5 becomes 2^-1023 * 1.5 ...)
     * made detect flag nothing. Found by its bytes, flipped, refused. */
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, LR_PATH, &m), LAD_OK);
    if (lad_test_ctx.rank == 0) {
        FILE *fp = fopen(LR_PATH, "r+b");
        unsigned char buf[65536];
        size_t n = fread(buf, 1, sizeof buf, fp);
        const unsigned char w0[8] = {0, 0, 0, 0, 0, 0, 0xf8, 0x3f}; /* 1.5, little-endian */
        unsigned char *at = memmem(buf, n, w0, sizeof w0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        fseek(fp, (long)(at - buf) + 7, SEEK_SET);
        fputc(at[7] ^ 0x40, fp); /* the top exponent bit */
        fclose(fp);
    }
    MPI_Barrier(lad_test_ctx.comm);
    expect_read_error(LR_PATH, LAD_ERR_MODEL, "checksum mismatch; retrain the model or restore the file");

    /* A model of format version 1: plain HDF5, no user block. */
    if (lad_test_ctx.rank == 0) {
        hid_t file = H5Fcreate(LR_PATH, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        CU_ASSERT_TRUE(file >= 0 && H5Fclose(file) >= 0);
    }
    MPI_Barrier(lad_test_ctx.comm);
    expect_read_error(LR_PATH, LAD_ERR_MODEL, "has no logad checksum header: it was written by a logad older than "
                                              "file format version 2");
    unlink(LR_PATH);
    lad_model_free(&m);
}

static void test_fingerprint(void)
{
    /* Five rows; the fingerprint of rows {0, 1, 3, 4} selected by `use` equals that of a matrix holding
     * only those rows, and it changes with any count. */
    static const int64_t keys[5] = {11, 12, 13, 14, 15};
    static const int64_t counts[5][2] = {{1, 0}, {2, 3}, {9, 9}, {0, 4}, {5, 5}};
    static const uint8_t use[5] = {1, 1, 0, 1, 1};
    struct lad_features f, g;
    memset(&f, 0, sizeof f);
    memset(&g, 0, sizeof g);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, &f, 5, 2), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, &g, 4, 2), LAD_OK);
    int64_t dense_f[5][2], dense_g[4][2];
    for (int64_t i = 0; i < f.n_local; i++) {
        f.keys[i] = keys[f.row_begin + i];
        memcpy(dense_f[i], counts[f.row_begin + i], sizeof counts[0]);
    }
    static const int kept[4] = {0, 1, 3, 4};
    for (int64_t i = 0; i < g.n_local; i++) {
        g.keys[i] = keys[kept[g.row_begin + i]];
        memcpy(dense_g[i], counts[kept[g.row_begin + i]], sizeof counts[0]);
    }
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(&lad_test_ctx, &f, &dense_f[0][0]), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(&lad_test_ctx, &g, &dense_g[0][0]), LAD_OK);
    uint64_t a = lad_model_fingerprint(&lad_test_ctx, &f, use + f.row_begin);
    CU_ASSERT_EQUAL(a, lad_model_fingerprint(&lad_test_ctx, &g, NULL));
    CU_ASSERT_NOT_EQUAL(a, lad_model_fingerprint(&lad_test_ctx, &f, NULL));
    if (g.n_local > 0) {
        dense_g[0][0]++;
        CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(&lad_test_ctx, &g, &dense_g[0][0]), LAD_OK);
    }
    uint64_t changed = lad_model_fingerprint(&lad_test_ctx, &g, NULL);
    CU_ASSERT_NOT_EQUAL(a, changed);
    lad_features_free(&f);
    lad_features_free(&g);
}

static CU_TestInfo tests[] = {
    {"PCA model round trip", test_round_trip_pca},
    {"logistic model round trip", test_round_trip_logreg},
    {"features.h5 or text as a model: LAD_ERR_MODEL", test_features_file_is_not_a_model},
    {"edited and re-sealed: dimensions, values, attributes, kind, version", test_tampered_pca_model},
    {"damaged bytes and files without the header", test_damaged_bytes},
    {"fingerprint of selected rows", test_fingerprint},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"model_file", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
