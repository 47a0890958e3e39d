/*
 * test_schema.c - the file schema table (lad_schema.h) against itself and against the writers: every
 * entry is well formed and unique in each file it belongs to; features.h5, both kinds of model,
 * verdicts.h5 and matrix.h5, as written, hold exactly the attributes and datasets their parts list,
 * each of the listed type class, and read back; a reader's message about a missing entry names what it
 * holds.
 */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_assign.h"
#include "lad_detector.h"
#include "lad_featfile.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_mask.h"
#include "lad_mem.h"
#include "lad_model_file.h"
#include "lad_model_unknown.h"
#include "lad_options.h"
#include "lad_schema.h"
#include "lad_stages.h"
#include "lad_test.h"
#include "lad_test_model.h"
#include "lad_verdict.h"

#define FEAT_PATH "test_schema_features.h5"
#define PCA_PATH "test_schema_pca.h5"
#define LR_PATH "test_schema_logreg.h5"
#define VERDICTS_PATH "test_schema_verdicts.h5"
#define MATRIX_PATH "test_schema_matrix.h5"

/* The parts of each kind of file (lad_schema.h); LAD_SCHEMA_N_PARTS ends a list. */
static const struct {
    const char *file;
    enum lad_schema_part parts[6];
} kinds[] = {
    {"features.h5", {LAD_SCHEMA_PART_FEATURES, LAD_SCHEMA_PART_EVENTS, LAD_SCHEMA_PART_ASSIGNER, LAD_SCHEMA_N_PARTS}},
    {"pca.h5",
     {LAD_SCHEMA_PART_MODEL, LAD_SCHEMA_PART_EVENTS, LAD_SCHEMA_PART_TRANSFORM, LAD_SCHEMA_PART_PCA,
      LAD_SCHEMA_PART_ASSIGNER, LAD_SCHEMA_N_PARTS}},
    {"logreg.h5",
     {LAD_SCHEMA_PART_MODEL, LAD_SCHEMA_PART_EVENTS, LAD_SCHEMA_PART_TRANSFORM, LAD_SCHEMA_PART_LOGREG,
      LAD_SCHEMA_PART_ASSIGNER, LAD_SCHEMA_N_PARTS}},
    {"verdicts.h5", {LAD_SCHEMA_PART_VERDICTS, LAD_SCHEMA_PART_VERDICT_MODEL, LAD_SCHEMA_N_PARTS}},
    {"matrix.h5", {LAD_SCHEMA_PART_MATRIX, LAD_SCHEMA_PART_EVENTS, LAD_SCHEMA_PART_TRANSFORM, LAD_SCHEMA_N_PARTS}},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])
enum { KIND_FEATURES, KIND_PCA, KIND_LOGREG, KIND_VERDICTS, KIND_MATRIX };

/* The models verdicts.h5 holds here: a /<model> group each. */
static const char *const verdict_models[] = {"pca", "logreg"};

static bool in_kind(size_t kind, enum lad_schema_part part)
{
    for (int i = 0; kinds[kind].parts[i] != LAD_SCHEMA_N_PARTS; i++)
        if (kinds[kind].parts[i] == part)
            return true;
    return false;
}

/* An attribute (attr non-empty), dataset or group, found in a file or expected there. */
struct item {
    char path[192];
    char attr[64];
    int cls; /* enum lad_schema_class, or -1 for a type the schema has no class for */
};

struct items {
    int n;
    struct item v[256];
};

static void add(struct items *s, const char *path, const char *attr, int cls)
{
    CU_ASSERT_TRUE_FATAL(s->n < (int)(sizeof s->v / sizeof s->v[0]));
    struct item *it = &s->v[s->n++];
    snprintf(it->path, sizeof it->path, "%s", path);
    snprintf(it->attr, sizeof it->attr, "%s", attr ? attr : "");
    it->cls = cls;
}

static const struct item *find(const struct items *s, const char *path, const char *attr)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->v[i].path, path) == 0 && strcmp(s->v[i].attr, attr) == 0)
            return &s->v[i];
    return NULL;
}

/* What the schema says a file of this kind holds. */
static void expected(size_t kind, struct items *want)
{
    want->n = 0;
    for (int k = 0; k < LAD_SCHEMA_N; k++) {
        const struct lad_schema_entry *e = &lad_schema[k];
        if (!in_kind(kind, e->part))
            continue;
        if (e->part != LAD_SCHEMA_PART_VERDICT_MODEL) {
            add(want, e->path, e->attr, (int)e->cls);
            continue;
        }
        for (size_t m = 0; m < sizeof verdict_models / sizeof verdict_models[0]; m++) {
            char path[192];
            snprintf(path, sizeof path, "/%s%s%s", verdict_models[m], e->path[0] ? "/" : "", e->path);
            add(want, path, e->attr, (int)e->cls);
        }
    }
}

static int class_of(hid_t type)
{
    H5T_class_t c = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;
    if (type >= 0)
        H5Tclose(type);
    return c == H5T_INTEGER  ? LAD_SCHEMA_INT
           : c == H5T_FLOAT  ? LAD_SCHEMA_FLOAT
           : c == H5T_STRING ? LAD_SCHEMA_STRING
                             : -1;
}

struct walk {
    struct items *found;
    const char *obj;
};

static herr_t on_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    struct walk *w = data;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    add(w->found, w->obj, name, class_of(a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID));
    if (a >= 0)
        H5Aclose(a);
    return 0;
}

static herr_t on_link(hid_t root, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    char path[192];
    snprintf(path, sizeof path, "/%s", name);
    hid_t o = H5Oopen(root, name, H5P_DEFAULT);
    H5I_type_t t = o >= 0 ? H5Iget_type(o) : H5I_BADID;
    add(data, path, "", t == H5I_GROUP ? LAD_SCHEMA_GROUP : t == H5I_DATASET ? class_of(H5Dget_type(o)) : -1);
    struct walk w = {data, path};
    if (o >= 0) {
        H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_INC, NULL, on_attr, &w);
        H5Oclose(o);
    }
    return 0;
}

/* Every attribute, dataset and group of path (serial HDF5). */
static void walk(const char *path, struct items *found)
{
    found->n = 0;
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT_TRUE_FATAL(file >= 0);
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    struct walk w = {found, "/"};
    CU_ASSERT_TRUE(H5Aiterate2(root, H5_INDEX_NAME, H5_ITER_INC, NULL, on_attr, &w) >= 0);
    CU_ASSERT_TRUE(H5Lvisit(root, H5_INDEX_NAME, H5_ITER_INC, on_link, found) >= 0);
    H5Gclose(root);
    H5Fclose(file);
}

static const char *class_name(int cls)
{
    static const char *const names[] = {"group", "int", "float", "string"};
    return cls >= 0 && cls < 4 ? names[cls] : "other";
}

/* Differences between path as written and the schema of its kind, each told on stderr if `tell`.
 * Groups the schema does not list are allowed where they hold something it lists. */
static int differences(const char *path, size_t kind, bool tell)
{
    struct items *found = calloc(1, sizeof *found), *want = calloc(1, sizeof *want);
    CU_ASSERT_PTR_NOT_NULL_FATAL(found && want ? found : NULL);
    walk(path, found);
    expected(kind, want);
    int bad = 0;
    for (int i = 0; i < found->n; i++) {
        const struct item *f = &found->v[i], *w = find(want, f->path, f->attr);
        if (w && w->cls == f->cls)
            continue;
        bool parent = false;
        for (int j = 0; j < want->n && !w && f->cls == LAD_SCHEMA_GROUP && !f->attr[0]; j++)
            parent = parent || (strncmp(want->v[j].path, f->path, strlen(f->path)) == 0 &&
                                want->v[j].path[strlen(f->path)] == '/');
        if (parent)
            continue;
        if (tell)
            fprintf(stderr, "\n%s: %s%s%s (%s) %s\n", kinds[kind].file, f->path, f->attr[0] ? " attribute " : "",
                    f->attr, class_name(f->cls), w ? "has another class in the schema" : "is not in the schema");
        bad++;
    }
    for (int j = 0; j < want->n; j++)
        if (!find(found, want->v[j].path, want->v[j].attr)) {
            if (tell)
                fprintf(stderr, "\n%s: %s%s%s of the schema is not in the file\n", kinds[kind].file,
                        want->v[j].path, want->v[j].attr[0] ? " attribute " : "", want->v[j].attr);
            bad++;
        }
    free(found);
    free(want);
    return bad;
}

static void test_table_well_formed(void)
{
    for (int k = 0; k < LAD_SCHEMA_N; k++) {
        const struct lad_schema_entry *e = &lad_schema[k];
        CU_ASSERT_PTR_NOT_NULL_FATAL(e->path); /* every key has an entry */
        CU_ASSERT_TRUE(e->meaning && e->meaning[0]);
        CU_ASSERT_TRUE(e->part < LAD_SCHEMA_N_PARTS);
        CU_ASSERT_TRUE(e->attr == NULL || (e->attr[0] && !strchr(e->attr, '/') && e->cls != LAD_SCHEMA_GROUP));
        /* datasets and groups have a name; paths are absolute except under /<model> of verdicts.h5 */
        CU_ASSERT_TRUE(e->attr != NULL || e->path[0]);
        CU_ASSERT_EQUAL(e->path[0] == '/', e->part != LAD_SCHEMA_PART_VERDICT_MODEL);
        size_t len = strlen(e->path); /* "" is the /<model> group itself */
        CU_ASSERT_TRUE(len <= 1 || e->path[len - 1] != '/');
    }
    /* Unique within every file: no two entries name the same attribute, or the same object. */
    for (size_t kind = 0; kind < N_KINDS; kind++) {
        struct items *want = calloc(1, sizeof *want);
        CU_ASSERT_PTR_NOT_NULL_FATAL(want);
        expected(kind, want);
        for (int i = 0; i < want->n; i++)
            for (int j = i + 1; j < want->n; j++)
                if (strcmp(want->v[i].path, want->v[j].path) == 0 && strcmp(want->v[i].attr, want->v[j].attr) == 0) {
                    fprintf(stderr, "\n%s: %s %s listed twice\n", kinds[kind].file, want->v[i].path, want->v[i].attr);
                    CU_FAIL("an entry is listed twice");
                }
        free(want);
    }
    /* Every part belongs to some kind of file. */
    for (int p = 0; p < LAD_SCHEMA_N_PARTS; p++) {
        bool used = false;
        for (size_t kind = 0; kind < N_KINDS; kind++)
            used = used || in_kind(kind, (enum lad_schema_part)p);
        CU_ASSERT_TRUE(used);
    }
    char buf[64];
    CU_ASSERT_STRING_EQUAL(lad_schema_label(LAD_PCA_H5_ALPHA, buf, sizeof buf), "/pca alpha");
    CU_ASSERT_STRING_EQUAL(lad_schema_label(LAD_PCA_H5_COMPONENTS, buf, sizeof buf), "/pca/components");
    CU_ASSERT_STRING_EQUAL(lad_schema_label(LAD_MODEL_H5_N_TRAIN, buf, sizeof buf), "n_train");
}

/* Three mined events (and UNKNOWN), in windows: every optional part of a file is written. */
static const char *const templates[] = {"a k1 <*>", "b k2 <*>", "c k3 <*>"};
static const char *const ids[] = {"M1", "M2", "M3"};
#define ROWS 6

static struct lad_assigner *make_assigner(void)
{
    static const uint32_t key_len[] = {8, 8, 8};
    static const int32_t key_event[] = {0, 1, 2};
    return lad_test_make_assigner(ids, templates, 3, templates, key_len, key_event);
}

static void make_features(struct lad_features *f, struct lad_assigner *a)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    memset(f, 0, sizeof *f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(ctx, f, ROWS, 3), LAD_OK);
    for (int e = 0; e < 3; e++)
        CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, &f->events, ids[e], templates[e]), LAD_OK);
    f->session_kind = LAD_SESSION_WINDOW;
    f->window_spec = lad_strdup("sliding:60,30");
    f->event_source = lad_strdup("mined");
    f->summary.lines = 3 * ROWS;
    f->assigner = lad_assign_ref(a);
    int64_t dense[ROWS * 3];
    for (int64_t i = 0; i < ROWS * 3; i++)
        dense[i] = (i * 7) % 4;
    for (int64_t i = 0; i < f->n_local; i++)
        f->keys[i] = 100 + 10 * (f->row_begin + i);
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(ctx, f, dense + f->row_begin * 3), LAD_OK);
}

static void make_model(struct lad_model *m, enum lad_model_type type, struct lad_assigner *a)
{
    lad_test_make_model(m, type, ids, templates);
    m->session_kind = LAD_SESSION_WINDOW;
    free(m->event_source);
    m->event_source = lad_strdup("mined");
    CU_ASSERT_EQUAL_FATAL(lad_model_attach_assigner(&lad_test_ctx, a, m), LAD_OK);
}

/* Both models' verdicts, every other block anomalous, two events named each. */
static void write_verdicts(const struct lad_features *f, const struct lad_model *models)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_verdicts v[2];
    int64_t case_of[ROWS];
    for (int64_t i = 0; i < ROWS; i++)
        case_of[i] = i;
    for (int m = 0; m < 2; m++) {
        memset(&v[m], 0, sizeof v[m]);
        CU_ASSERT_EQUAL_FATAL(lad_verdicts_alloc(ctx, &v[m], f->n_local, f->n_local, 2, models[m].events.n), LAD_OK);
        v[m].detector = lad_detector_find_name(verdict_models[m]);
        v[m].threshold = 1.0;
        v[m].case_of = case_of;
        v[m].events = &models[m].events;
        for (int64_t i = 0; i < f->n_local; i++) {
            v[m].score[i] = (double)((f->row_begin + i) % 2) * 2.0;
            v[m].anomaly[i] = (f->row_begin + i) % 2 == 1;
            for (int t = 0; t < 2; t++) {
                v[m].top[i * 2 + t] = t;
                v[m].observed[i * 2 + t] = 1;
                v[m].expected[i * 2 + t] = 0.5;
                v[m].contribution[i * 2 + t] = 1.0 - t * 0.5;
            }
        }
    }
    CU_ASSERT_EQUAL(lad_verdict_write_h5(ctx, f, v, 2, VERDICTS_PATH), LAD_OK);
    lad_verdicts_free(&v[0]);
    lad_verdicts_free(&v[1]);
}

/* matrix.h5, written by the features stage from FEAT_PATH. */
static void write_matrix(void)
{
    struct lad_options o;
    lad_options_defaults(&o);
    o.command = LAD_CMD_FEATURES;
    o.features_path = FEAT_PATH;
    o.out_path = MATRIX_PATH;
    CU_ASSERT_EQUAL(lad_stage_features(&lad_test_ctx, &o), LAD_OK);
}

/* Rank 0 counts the differences of path from its kind's schema; every rank gets the count. */
static int differences_on_rank0(const char *path, size_t kind, bool tell)
{
    int bad = lad_test_ctx.rank == 0 ? differences(path, kind, tell) : 0;
    MPI_Bcast(&bad, 1, MPI_INT, 0, lad_test_ctx.comm);
    return bad;
}

static void test_files_hold_their_schema(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_assigner *a = make_assigner();
    struct lad_features f, fr;
    struct lad_model models[2], r;
    make_features(&f, a);
    make_model(&models[0], LAD_MODEL_TYPE_PCA, a);
    make_model(&models[1], LAD_MODEL_TYPE_LOGREG, a);
    CU_ASSERT_EQUAL_FATAL(lad_featfile_write(ctx, FEAT_PATH, &f), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_model_write(ctx, PCA_PATH, &models[0]), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_model_write(ctx, LR_PATH, &models[1]), LAD_OK);
    write_verdicts(&f, models);
    write_matrix();

    CU_ASSERT_EQUAL(differences_on_rank0(FEAT_PATH, KIND_FEATURES, true), 0);
    CU_ASSERT_EQUAL(differences_on_rank0(PCA_PATH, KIND_PCA, true), 0);
    CU_ASSERT_EQUAL(differences_on_rank0(LR_PATH, KIND_LOGREG, true), 0);
    CU_ASSERT_EQUAL(differences_on_rank0(VERDICTS_PATH, KIND_VERDICTS, true), 0);
    CU_ASSERT_EQUAL(differences_on_rank0(MATRIX_PATH, KIND_MATRIX, true), 0);
    /* The readers take what the writers wrote. */
    CU_ASSERT_EQUAL(lad_featfile_read(ctx, FEAT_PATH, &fr), LAD_OK);
    CU_ASSERT_PTR_NOT_NULL(fr.assigner);
    lad_features_free(&fr);
    CU_ASSERT_EQUAL(lad_model_read(ctx, PCA_PATH, &r), LAD_OK);
    lad_model_free(&r);
    CU_ASSERT_EQUAL(lad_model_read(ctx, LR_PATH, &r), LAD_OK);
    lad_model_free(&r);

    /* The comparison sees an attribute the schema lacks, and a dataset of another class. */
    if (ctx->rank == 0) {
        hid_t file = H5Fopen(FEAT_PATH, H5F_ACC_RDWR, H5P_DEFAULT);
        hid_t space = H5Screate(H5S_SCALAR), root = H5Gopen2(file, "/", H5P_DEFAULT);
        hid_t attr = H5Acreate2(root, "stray", H5T_NATIVE_INT64, space, H5P_DEFAULT, H5P_DEFAULT);
        CU_ASSERT_TRUE(attr >= 0);
        H5Aclose(attr);
        CU_ASSERT_TRUE(H5Ldelete(file, lad_schema[LAD_FEATURES_H5_EVENT_LINES].path, H5P_DEFAULT) >= 0);
        hid_t dset = H5Dcreate2(file, lad_schema[LAD_FEATURES_H5_EVENT_LINES].path, H5T_NATIVE_DOUBLE, space,
                                H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        CU_ASSERT_TRUE(dset >= 0);
        H5Dclose(dset);
        H5Gclose(root);
        H5Sclose(space);
        H5Fclose(file);
    }
    CU_ASSERT_EQUAL(differences_on_rank0(FEAT_PATH, KIND_FEATURES, false), 2);

    lad_features_free(&f);
    lad_model_free(&models[0]);
    lad_model_free(&models[1]);
    lad_assign_free(&a);
    if (ctx->rank == 0) {
        unlink(FEAT_PATH);
        unlink(PCA_PATH);
        unlink(LR_PATH);
        unlink(VERDICTS_PATH);
        unlink(MATRIX_PATH);
    }
}

/* Rank 0 removes attribute attr of obj, or the dataset obj (attr NULL), from PCA_PATH; then re-seal. */
static void remove_from_model(const char *obj, const char *attr)
{
    if (lad_test_ctx.rank == 0) {
        hid_t file = H5Fopen(PCA_PATH, H5F_ACC_RDWR, H5P_DEFAULT);
        CU_ASSERT_TRUE_FATAL(file >= 0);
        hid_t o = attr ? H5Oopen(file, obj, H5P_DEFAULT) : H5I_INVALID_HID;
        CU_ASSERT_TRUE(attr ? H5Adelete(o, attr) >= 0 : H5Ldelete(file, obj, H5P_DEFAULT) >= 0);
        if (o >= 0)
            H5Oclose(o);
        H5Fclose(file);
    }
    CU_ASSERT_EQUAL(lad_h5_seal(&lad_test_ctx, PCA_PATH, PCA_PATH), LAD_OK);
}

static void expect_model_error(const char *needle)
{
    struct lad_model r;
    CU_ASSERT_EQUAL(lad_model_read(&lad_test_ctx, PCA_PATH, &r), LAD_ERR_MODEL);
    if (strstr(lad_test_ctx.err_msg, needle) == NULL) {
        fprintf(stderr, "\nmessage '%s' lacks '%s'\n", lad_test_ctx.err_msg, needle);
        CU_FAIL("the message does not say what is missing");
    }
    lad_ctx_clear_error(&lad_test_ctx);
}

static void test_missing_entry_named(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_assigner *a = make_assigner();
    struct lad_model m;
    make_model(&m, LAD_MODEL_TYPE_PCA, a);
    const struct lad_schema_entry *k = &lad_schema[LAD_PCA_H5_K], *mean = &lad_schema[LAD_TRANSFORM_H5_MEAN];
    char needle[256];

    CU_ASSERT_EQUAL_FATAL(lad_model_write(ctx, PCA_PATH, &m), LAD_OK);
    remove_from_model(k->path, k->attr);
    snprintf(needle, sizeof needle, "attribute '%s' of '%s' (%s) is missing", k->attr, k->path, k->meaning);
    expect_model_error(needle);

    CU_ASSERT_EQUAL_FATAL(lad_model_write(ctx, PCA_PATH, &m), LAD_OK);
    remove_from_model(mean->path, NULL);
    snprintf(needle, sizeof needle, "has no dataset '%s' (%s)", mean->path, mean->meaning);
    expect_model_error(needle);

    lad_model_free(&m);
    lad_assign_free(&a);
    if (ctx->rank == 0)
        unlink(PCA_PATH);
}

static CU_TestInfo tests[] = {
    {"every entry well formed and unique in its files", test_table_well_formed},
    {"each file as written holds exactly its schema", test_files_hold_their_schema},
    {"a missing entry is named with its meaning", test_missing_entry_named},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"schema", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
