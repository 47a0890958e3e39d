/*
 * mpi_labels.c - labels joined to feature rows at any rank count: matches, unseen blocks, unlabelled
 * blocks, repeated rows, and every kind of bad row (each an error naming the file and line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_features.h"
#include "lad_labels.h"
#include "lad_test.h"

#define N_BLOCKS 101

/* Features whose keys are -500, -490, ..., 500 (every 10): block ids, negative and positive. */
static void make_features(struct lad_features *f)
{
    memset(f, 0, sizeof *f);
    f->session_kind = LAD_SESSION_BLOCK;
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(&lad_test_ctx, f, N_BLOCKS, 1), LAD_OK);
    for (int64_t r = 0; r < f->n_local; r++)
        f->keys[r] = -500 + 10 * (f->row_begin + r);
}

static void write_file(const char *path, const char *text)
{
    if (lad_test_ctx.rank == 0) {
        FILE *fp = fopen(path, "w");
        fputs(text, fp);
        fclose(fp);
    }
    MPI_Barrier(lad_test_ctx.comm);
}

static void test_join(void)
{
    struct lad_features f;
    make_features(&f);
    /* every block labelled: Anomaly when its id is a multiple of 30; plus unseen ids and repeats */
    char *text = malloc(20000);
    size_t n = (size_t)sprintf(text, "BlockId,Label\r\n");
    for (int i = 0; i < N_BLOCKS; i++) {
        int64_t id = -500 + 10 * i;
        n += (size_t)sprintf(text + n, "blk_%lld,%s\r\n", (long long)id, id % 30 == 0 ? "Anomaly" : "Normal");
    }
    n += (size_t)sprintf(text + n, "blk_5,Anomaly\nblk_-7,Normal\nblk_100000,Normal\n"); /* unseen */
    n += (size_t)sprintf(text + n, "blk_0,Anomaly\nblk_10,Normal\n");                   /* repeats */
    write_file("labels_ok.csv", text);
    free(text);
    int8_t label[N_BLOCKS];
    struct lad_label_stats s;
    CU_ASSERT_EQUAL_FATAL(lad_labels_load(&lad_test_ctx, "labels_ok.csv", &f, label, &s), LAD_OK);
    for (int64_t r = 0; r < f.n_local; r++)
        CU_ASSERT_EQUAL(label[r], f.keys[r] % 30 == 0 ? LAD_LABEL_ANOMALY : LAD_LABEL_NORMAL);
    int anomalies = 0;
    for (int i = 0; i < N_BLOCKS; i++)
        anomalies += (-500 + 10 * i) % 30 == 0;
    CU_ASSERT_EQUAL(s.rows, N_BLOCKS + 5);
    CU_ASSERT_EQUAL(s.anomalies, anomalies);
    CU_ASSERT_EQUAL(s.normals, N_BLOCKS - anomalies);
    CU_ASSERT_EQUAL(s.unseen, 3);
    CU_ASSERT_EQUAL(s.duplicates, 2);
    CU_ASSERT_EQUAL(s.unlabelled, 0);
    lad_features_free(&f);
}

static void test_unlabelled(void)
{
    struct lad_features f;
    make_features(&f);
    write_file("labels_few.csv", "BlockId,Label\nblk_-500,Anomaly\nblk_500,Normal\n");
    int8_t label[N_BLOCKS];
    struct lad_label_stats s;
    CU_ASSERT_EQUAL_FATAL(lad_labels_load(&lad_test_ctx, "labels_few.csv", &f, label, &s), LAD_OK);
    CU_ASSERT_EQUAL(s.unlabelled, N_BLOCKS - 2);
    for (int64_t r = 0; r < f.n_local; r++)
        CU_ASSERT_EQUAL(label[r], f.keys[r] == -500   ? LAD_LABEL_ANOMALY
                                  : f.keys[r] == 500 ? LAD_LABEL_NORMAL
                                                     : LAD_LABEL_UNKNOWN);
    lad_features_free(&f);
}

static void expect_error(const char *text, enum lad_status want, const char *msg)
{
    struct lad_features f;
    make_features(&f);
    write_file("labels_bad.csv", text);
    int8_t label[N_BLOCKS];
    struct lad_label_stats s;
    CU_ASSERT_EQUAL(lad_labels_load(&lad_test_ctx, "labels_bad.csv", &f, label, &s), want);
    if (strstr(lad_test_ctx.err_msg, msg) == NULL) {
        fprintf(stderr, "expected '%s' in '%s'\n", msg, lad_test_ctx.err_msg);
        CU_FAIL("message");
    }
    lad_ctx_clear_error(&lad_test_ctx);
    lad_features_free(&f);
}

static void test_bad_rows(void)
{
    expect_error("BlockId,Label\nblk_0,Normal\nblk_10,Anomalous\n", LAD_ERR_LABELS, "labels_bad.csv:3: expected");
    expect_error("BlockId,Label\nblk_0;Normal\n", LAD_ERR_LABELS, "labels_bad.csv:2:");
    expect_error("BlockId,Label\nblk_x,Normal\n", LAD_ERR_LABELS, "labels_bad.csv:2:");
    expect_error("BlockId,Label\nblk_0,Normal,extra\n", LAD_ERR_LABELS, "labels_bad.csv:2:");
    expect_error("BlockId,Label\nblk_0,Normal\nblk_10,Normal\nblk_0,Anomaly\n", LAD_ERR_LABELS,
                 "labels_bad.csv:4: block labelled both Anomaly and Normal");
    expect_error("BlockId,Label\nblk_1,Normal\nblk_2,Anomaly\n", LAD_ERR_LABELS, "none of the 2 labels");
    expect_error("BlockId,Label\n", LAD_ERR_LABELS, "holds no labels");
    expect_error("", LAD_ERR_INPUT, "is empty");
}

static CU_TestInfo tests[] = {
    {"labels join rows; unseen and repeated rows counted", test_join},
    {"blocks without labels", test_unlabelled},
    {"bad rows are errors with file and line", test_bad_rows},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"labels", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
