/*
 * test_assign_file.c - a model with its event assigner: the UNKNOWN column it gains (transform, PCA,
 * logreg), the exact round trip through the model file (keys with any byte included), and damaged
 * files - counts, lengths, event indices, flags, settings - refused with one LAD_ERR_MODEL line.
 */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_assign.h"
#include "lad_h5.h"
#include "lad_hash.h"
#include "lad_mask.h"
#include "lad_mem.h"
#include "lad_model_file.h"
#include "lad_model_unknown.h"
#include "lad_test.h"
#include "lad_test_model.h"

#define PATH "test_assign_file.h5"

/* Keys of equal length, and one with a NUL and a high byte in it. */
static const char *const key_text[] = {"a k1 <*>", "b k2 <*>", "c k3 <*>", "d\0e\xff"};
static const uint32_t key_len[] = {8, 8, 8, 4};
static const int32_t key_event[] = {0, 1, 2, 2};

static const char *const event_ids[3] = {"M1", "M2", "M3"};

static struct lad_assigner *make_assigner(void)
{
    return lad_test_make_assigner(event_ids, key_text, 4, key_text, key_len, key_event);
}

/* A trained model of the assigner's three events, before the UNKNOWN column; w: logreg's weights. */
static void make_model(struct lad_model *m, enum lad_model_type type, const double *w)
{
    lad_test_make_model(m, type, event_ids, key_text);
    m->session_kind = LAD_SESSION_WINDOW;
    free(m->event_source);
    m->event_source = lad_strdup("mined");
    if (type == LAD_MODEL_TYPE_LOGREG)
        memcpy(m->logreg.w, w, 3 * sizeof *w);
}

static void test_unknown_column(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_assigner *a = make_assigner();
    struct lad_model m;
    make_model(&m, LAD_MODEL_TYPE_PCA, NULL);
    CU_ASSERT_EQUAL_FATAL(lad_model_attach_assigner(ctx, a, &m), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(m.events.n, 4);
    CU_ASSERT_STRING_EQUAL(m.events.ids[3], LAD_EVENT_UNKNOWN_ID);
    CU_ASSERT_EQUAL(m.transform.n, 4);
    CU_ASSERT_EQUAL(m.transform.df[3], 0);
    CU_ASSERT_EQUAL(m.transform.mean[3], 0.0);
    CU_ASSERT_DOUBLE_EQUAL(m.transform.weight[3], log(43.0) + 1.0, 1e-15); /* ln((1 + N) / (1 + 0)) + 1 */
    CU_ASSERT_EQUAL(m.transform.weight[2], 3.25);                         /* the others untouched */
    CU_ASSERT_EQUAL(m.pca.n, 4);
    CU_ASSERT_EQUAL(m.pca.eigenvalues[3], 0.0);
    CU_ASSERT_EQUAL(m.pca.eigenvalues[2], 4.0 / 3);
    CU_ASSERT(m.pca.components[6] == 0.0 && m.pca.components[7] == 0.0);
    CU_ASSERT_EQUAL(m.pca.components[5], 0.75);
    /* a row with one unknown line: its whole transformed count is residual */
    double y[4] = {0, 0, 0, 2.0};
    CU_ASSERT_DOUBLE_EQUAL(lad_pca_score(&m.pca, y, NULL, 0), 4.0, 1e-15);
    CU_ASSERT_PTR_EQUAL(m.assigner, a);
    lad_model_free(&m);

    /* logreg: the largest positive weight, 0 when none is positive */
    const double w1[3] = {1.5, -2.25, 0.0625}, w2[3] = {-1.0, -0.5, -3.0};
    make_model(&m, LAD_MODEL_TYPE_LOGREG, w1);
    CU_ASSERT_EQUAL_FATAL(lad_model_attach_assigner(ctx, a, &m), LAD_OK);
    CU_ASSERT(m.logreg.n == 4 && m.logreg.w[3] == 1.5 && m.logreg.w[1] == -2.25);
    lad_model_free(&m);
    make_model(&m, LAD_MODEL_TYPE_LOGREG, w2);
    CU_ASSERT_EQUAL_FATAL(lad_model_attach_assigner(ctx, a, &m), LAD_OK);
    CU_ASSERT_EQUAL(m.logreg.w[3], 0.0);
    lad_model_free(&m);

    /* a model of other events is refused */
    make_model(&m, LAD_MODEL_TYPE_PCA, NULL);
    free(m.events.templates[1]);
    m.events.templates[1] = lad_strdup("something else");
    CU_ASSERT_EQUAL(lad_model_attach_assigner(ctx, a, &m), LAD_ERR_INTERNAL);
    lad_ctx_clear_error(ctx);
    lad_model_free(&m);
    lad_assign_free(&a);
}

static void write_model(void)
{
    struct lad_assigner *a = make_assigner();
    struct lad_model m;
    make_model(&m, LAD_MODEL_TYPE_PCA, NULL);
    CU_ASSERT_EQUAL_FATAL(lad_model_attach_assigner(&lad_test_ctx, a, &m), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PATH, &m), LAD_OK);
    lad_model_free(&m);
    lad_assign_free(&a);
}

static void test_round_trip(void)
{
    write_model();
    struct lad_model r;
    CU_ASSERT_EQUAL_FATAL(lad_model_read(&lad_test_ctx, PATH, &r), LAD_OK);
    const struct lad_assigner *a = r.assigner;
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_EQUAL(a->kind, LAD_ASSIGN_MINED);
    CU_ASSERT_STRING_EQUAL(a->preset, "bgl");
    CU_ASSERT_STRING_EQUAL(a->log_format, "<Label> <Timestamp> <Content>");
    CU_ASSERT_STRING_EQUAL(a->window, "sliding:60,30");
    CU_ASSERT(a->n_masks == 1 && strcmp(a->masks[0], "core\\.\\d+") == 0);
    CU_ASSERT_EQUAL(a->builtin_masks, LAD_MASK_ALL);
    CU_ASSERT(a->drain.depth == 4 && a->drain.similarity == 0.5 && a->drain.max_children == 100);
    CU_ASSERT_EQUAL_FATAL(a->keys.n, 4);
    for (int k = 0; k < 4; k++) {
        CU_ASSERT_EQUAL(a->keys.text_len[k], key_len[k]);
        CU_ASSERT(memcmp(lad_keytab_text(&a->keys, k), key_text[k], key_len[k]) == 0);
        CU_ASSERT_EQUAL(a->keys.event[k], key_event[k]);
    }
    CU_ASSERT_EQUAL_FATAL(a->n_groups, 3);
    CU_ASSERT(strcmp(a->group_template[2], "c k3 <*>") == 0 && strcmp(a->group_flags[2], "kkd") == 0);
    CU_ASSERT_EQUAL(a->group_event[2], 2);
    CU_ASSERT_EQUAL(a->events.n, 4);
    CU_ASSERT_EQUAL(r.events.n, 4);
    CU_ASSERT_EQUAL(r.pca.n, 4);
    enum lad_assign_how how;
    CU_ASSERT_EQUAL(lad_assign_event(a, "d\0e\xff", 4, lad_hash_bytes("d\0e\xff", 4, LAD_KEYTAB_SEED), &how), 2);
    lad_model_free(&r);
}

/* Re-seals PATH after its edit, so that the checksum is valid, as in a file written by a buggy
 * program, and only the assigner's own checks stand in the way; then reads it expecting
 * LAD_ERR_MODEL with `needle` in the message. */
static void expect_damaged(const char *what, const char *needle)
{
    struct lad_model r;
    MPI_Barrier(lad_test_ctx.comm);
    CU_ASSERT_EQUAL(lad_h5_seal(&lad_test_ctx, PATH, PATH), LAD_OK);
    lad_ctx_clear_error(&lad_test_ctx);
    CU_ASSERT_EQUAL(lad_model_read(&lad_test_ctx, PATH, &r), LAD_ERR_MODEL);
    if (strstr(lad_test_ctx.err_msg, needle) == NULL) {
        fprintf(stderr, "\n%s: message '%s' lacks '%s'\n", what, lad_test_ctx.err_msg, needle);
        CU_FAIL("error message does not name the problem");
    }
    CU_ASSERT_PTR_NULL(r.assigner);
    lad_ctx_clear_error(&lad_test_ctx);
}

/* Rank 0 replaces dataset `name` by n elements of data (serial HDF5). */
static void replace_dataset(const char *name, hid_t type, hsize_t n, const void *data)
{
    if (lad_test_ctx.rank == 0) {
        hid_t file = H5Fopen(PATH, H5F_ACC_RDWR, H5P_DEFAULT);
        CU_ASSERT_TRUE_FATAL(file >= 0);
        CU_ASSERT_TRUE(H5Ldelete(file, name, H5P_DEFAULT) >= 0);
        hid_t space = H5Screate_simple(1, &n, NULL);
        hid_t dset = H5Dcreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        CU_ASSERT_TRUE(dset >= 0 && (n == 0 || H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0));
        H5Dclose(dset);
        H5Sclose(space);
        CU_ASSERT_TRUE(H5Fclose(file) >= 0);
    }
    MPI_Barrier(lad_test_ctx.comm);
}

/* Rank 0 replaces an attribute of /assigner: an int64 (text NULL) or a string. */
static void replace_attr(const char *name, int64_t value, const char *text)
{
    if (lad_test_ctx.rank == 0) {
        hid_t file = H5Fopen(PATH, H5F_ACC_RDWR, H5P_DEFAULT);
        hid_t g = H5Oopen(file, "/assigner", H5P_DEFAULT);
        CU_ASSERT_TRUE_FATAL(g >= 0 && H5Adelete(g, name) >= 0);
        hid_t type = text ? H5Tcopy(H5T_C_S1) : H5Tcopy(H5T_NATIVE_INT64);
        if (text)
            H5Tset_size(type, strlen(text) + 1);
        hid_t space = H5Screate(H5S_SCALAR);
        hid_t attr = H5Acreate2(g, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
        CU_ASSERT_TRUE(attr >= 0 && H5Awrite(attr, type, text ? (const void *)text : (const void *)&value) >= 0);
        H5Aclose(attr);
        H5Sclose(space);
        H5Tclose(type);
        H5Oclose(g);
        CU_ASSERT_TRUE(H5Fclose(file) >= 0);
    }
    MPI_Barrier(lad_test_ctx.comm);
}

static void test_damaged(void)
{
    const int64_t longer[4] = {8, 8, 9, 4}, negative[4] = {8, 8, -1, 4}, fewer[3] = {8, 8, 8};
    const int32_t past[4] = {0, 1, 3, 2}, negative_ev[4] = {0, -1, 2, 2}, three[3] = {0, 1, 2};
    struct {
        const char *what, *name;
        hid_t type;
        hsize_t n;
        const void *data;
        const char *needle;
    } cases[] = {
        {"a length past the bytes", "/assigner/keys/lengths", H5T_NATIVE_INT64, 4, longer, "past its"},
        {"a negative length", "/assigner/keys/lengths", H5T_NATIVE_INT64, 4, negative, "length -1"},
        {"lengths short of the bytes", "/assigner/keys/lengths", H5T_NATIVE_INT64, 3, fewer, "add up to"},
        {"an event past the trained ones", "/assigner/keys/events", H5T_NATIVE_INT32, 4, past, "names event 3"},
        {"a negative event", "/assigner/keys/events", H5T_NATIVE_INT32, 4, negative_ev, "names event -1"},
        {"events for fewer keys", "/assigner/keys/events", H5T_NATIVE_INT32, 3, three, "3 entries for 4"},
        {"a key twice", "/assigner/keys/bytes", H5T_NATIVE_UINT8, 28, "a k1 <*>a k1 <*>c k3 <*>d\0e\xff", "twice"},
        {"flags not k or d", "/assigner/groups/flags/bytes", H5T_NATIVE_UINT8, 9, "kkdkkdkkx", "skeleton flags"},
        {"flags of another length", "/assigner/groups/flags/lengths", H5T_NATIVE_INT64, 3, (int64_t[]){2, 3, 4},
         "skeleton flags"},
        {"a NUL in a template", "/assigner/groups/templates/bytes", H5T_NATIVE_UINT8, 24, "a k1 <*>b k2\0<*>c k3 <*>",
         "NUL byte"},
        {"groups without flags", "/assigner/groups/flags/lengths", H5T_NATIVE_INT64, 2, (int64_t[]){3, 6},
         "3 group templates but 2"},
        {"a pattern that does not compile", "/assigner/masks/bytes", H5T_NATIVE_UINT8, 9, "core\\.(\\d", "mask pattern"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_model();
        replace_dataset(cases[i].name, cases[i].type, cases[i].n, cases[i].data);
        expect_damaged(cases[i].what, cases[i].needle);
    }
    struct {
        const char *what, *name;
        int64_t value;
        const char *text, *needle;
    } attrs[] = {
        {"a Drain depth out of range", "drain_depth", 99, NULL, "settings are damaged"},
        {"mask kinds out of range", "builtin_masks", 1024, NULL, "settings are damaged"},
        {"an unknown kind", "kind", 0, "clustered", "settings are damaged"},
        {"an unknown preset", "preset", 0, "nosuch", "settings are damaged"},
        {"a format without <Content>", "log_format", 0, "<Label> <Timestamp>", "log format is unusable"},
        {"a bad window", "window", 0, "sliding:60", "window is unusable"},
        {"a window without time fields", "log_format", 0, "<Label> <Node> <Content>", "window is unusable"},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        write_model();
        replace_attr(attrs[i].name, attrs[i].value, attrs[i].text);
        expect_damaged(attrs[i].what, attrs[i].needle);
    }
    unlink(PATH);
}

static CU_TestInfo tests[] = {
    {"unknown column", test_unknown_column},
    {"round trip", test_round_trip},
    {"damaged files: LAD_ERR_MODEL", test_damaged},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"assign_file", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
