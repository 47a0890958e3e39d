/*
 * mpi_hdfs_truth.c - per-block event counts of HDFS_2k against external truth: loghub's ground-truth
 * structured CSV. Each line's ground-truth event (local ids E1..E14 of the 2k sample) is mapped by hand
 * onto loghub's full HDFS template ids, the blocks it names are read from its Content, and the counts
 * must equal what logad's ingest computes from the raw log, at every rank count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_csv.h"
#include "lad_features.h"
#include "lad_ingest.h"
#include "lad_options.h"
#include "lad_test.h"

/* The 2k sample's templates (HDFS_2k.log_templates.csv) and the full-log template each one is. */
static const struct {
    const char *local, *loghub;
} event_map[] = {
    {"E1", "E3"},   /* <*>:<*> Served block blk_<*> to /<*> */
    {"E2", "E18"},  /* <*>:<*> Starting thread to transfer block blk_<*> to <*>:<*> */
    {"E3", "E4"},   /* <*>:<*>:Got exception while serving blk_<*> to /<*>: */
    {"E4", "E30"},  /* BLOCK* ask <*>:<*> to delete  blk_<*> */
    {"E5", "E25"},  /* BLOCK* ask <*>:<*> to replicate blk_<*> to datanode(s) <*>:<*> */
    {"E6", "E26"},  /* BLOCK* NameSystem.addStoredBlock: blockMap updated: ... is added to blk_<*> size <*> */
    {"E7", "E22"},  /* BLOCK* NameSystem.allocateBlock: /<*>/part-<*>. blk_<*> */
    {"E8", "E23"},  /* BLOCK* NameSystem.delete: blk_<*> is added to invalidSet of <*>:<*> */
    {"E9", "E21"},  /* Deleting block blk_<*> file /<*>/blk_<*> */
    {"E10", "E11"}, /* PacketResponder <*> for block blk_<*> terminating */
    {"E11", "E9"},  /* Received block blk_<*> of size <*> from /<*> */
    {"E12", "E6"},  /* Received block blk_<*> src: /<*>:<*> dest: /<*>:<*> of size <*> */
    {"E13", "E5"},  /* Receiving block blk_<*> src: /<*>:<*> dest: /<*>:<*> */
    {"E14", "E2"},  /* Verification succeeded for blk_<*> */
};

struct truth_row {
    int64_t block;
    int event; /* index in the feature event table */
};

static int compare_rows(const void *a, const void *b)
{
    const struct truth_row *x = a, *y = b;
    if (x->block != y->block)
        return x->block < y->block ? -1 : 1;
    return x->event - y->event;
}

/* The distinct blk_-?[0-9]+ ids of a text, found independently of lad_blockid (strtoll). */
static int truth_blocks(const char *s, int64_t *ids, int max)
{
    int n = 0;
    for (const char *p = strstr(s, "blk_"); p; p = strstr(p + 1, "blk_")) {
        const char *d = p + 4;
        if (!(d[0] >= '0' && d[0] <= '9') && !(d[0] == '-' && d[1] >= '0' && d[1] <= '9'))
            continue;
        int64_t id = strtoll(d, NULL, 10);
        int seen = 0;
        for (int i = 0; i < n; i++)
            seen |= ids[i] == id;
        if (!seen && n < max)
            ids[n++] = id;
    }
    return n;
}

/* Reads the ground truth into (block, event) pairs, one per (line, distinct block). */
static size_t read_truth(const struct lad_events *ev, struct truth_row **rows)
{
    FILE *fp = fopen(LAD_SOURCE_DIR "/data/raw/HDFS_2k.log_structured.csv", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    char line[4096];
    size_t n = 0, cap = 4096;
    *rows = malloc(cap * sizeof **rows);
    int event_col = -1, content_col = -1;
    while (fgets(line, sizeof line, fp)) {
        char *f[16];
        int nf = lad_csv_split(line, strlen(line), f, 16);
        CU_ASSERT_TRUE_FATAL(nf > 0);
        if (event_col < 0) {
            for (int i = 0; i < nf; i++) {
                if (strcmp(f[i], "EventId") == 0) event_col = i;
                if (strcmp(f[i], "Content") == 0) content_col = i;
            }
            continue;
        }
        const char *loghub = NULL;
        for (size_t m = 0; m < sizeof event_map / sizeof event_map[0]; m++)
            if (strcmp(f[event_col], event_map[m].local) == 0)
                loghub = event_map[m].loghub;
        CU_ASSERT_PTR_NOT_NULL_FATAL(loghub);
        int e = lad_events_find_id(ev, loghub);
        CU_ASSERT_TRUE_FATAL(e >= 0);
        int64_t ids[512];
        int k = truth_blocks(f[content_col], ids, 512);
        for (int i = 0; i < k; i++) {
            if (n == cap)
                *rows = realloc(*rows, (cap *= 2) * sizeof **rows);
            (*rows)[n++] = (struct truth_row){ids[i], e};
        }
    }
    fclose(fp);
    qsort(*rows, n, sizeof **rows, compare_rows);
    return n;
}

static void test_counts_equal_ground_truth(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_options o;
    lad_options_defaults(&o);
    const char *log = LAD_SOURCE_DIR "/data/raw/HDFS_2k.log";
    o.logs.items = &log;
    o.logs.n = 1;
    o.templates_path = LAD_SOURCE_DIR "/data/templates/HDFS_templates.csv";
    struct lad_features f;
    CU_ASSERT_EQUAL_FATAL(lad_ingest_logs(ctx, &o, NULL, NULL, NULL, &f), LAD_OK);
    o.logs.items = NULL; /* not owned */
    CU_ASSERT_EQUAL(f.summary.lines, 2000);
    CU_ASSERT_EQUAL(f.summary.unmatched_lines, 0);
    CU_ASSERT_EQUAL(f.summary.malformed_lines, 0);

    /* Gather the whole matrix on rank 0 (it is small) in row order. */
    int E = f.n_events, n_local = (int)f.n_local, *counts = NULL, *displs = NULL;
    int64_t *keys = NULL, *mat = NULL;
    if (ctx->rank == 0) {
        counts = calloc((size_t)ctx->size, sizeof *counts);
        displs = calloc((size_t)ctx->size, sizeof *displs);
        keys = malloc((size_t)f.n_global * sizeof *keys);
        mat = malloc((size_t)f.n_global * (size_t)E * sizeof *mat);
    }
    MPI_Gather(&n_local, 1, MPI_INT, counts, 1, MPI_INT, 0, ctx->comm);
    if (ctx->rank == 0)
        for (int r = 1; r < ctx->size; r++)
            displs[r] = displs[r - 1] + counts[r - 1];
    MPI_Gatherv(f.keys, n_local, MPI_INT64_T, keys, counts, displs, MPI_INT64_T, 0, ctx->comm);
    int n_cells = n_local * E;
    MPI_Gather(&n_cells, 1, MPI_INT, counts, 1, MPI_INT, 0, ctx->comm);
    if (ctx->rank == 0)
        for (int r = 1; r < ctx->size; r++)
            displs[r] = displs[r - 1] + counts[r - 1];
    int64_t *dense = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_features_get_dense(ctx, &f, &dense), LAD_OK);
    MPI_Gatherv(dense, n_cells, MPI_INT64_T, mat, counts, displs, MPI_INT64_T, 0, ctx->comm);
    free(dense);

    if (ctx->rank == 0) {
        struct truth_row *truth;
        size_t n = read_truth(&f.events, &truth);
        int64_t *expect = calloc((size_t)f.n_global * (size_t)E, sizeof *expect);
        int64_t row = -1, blocks = 0;
        for (size_t i = 0; i < n; i++) {
            if (i == 0 || truth[i].block != truth[i - 1].block) {
                row++;
                blocks++;
                CU_ASSERT_TRUE_FATAL(row < f.n_global);
                CU_ASSERT_EQUAL(keys[row], truth[i].block);
            }
            expect[row * E + truth[i].event]++;
        }
        CU_ASSERT_EQUAL(blocks, f.n_global);
        int64_t mismatches = 0;
        for (int64_t i = 0; i < f.n_global * E; i++)
            mismatches += expect[i] != mat[i];
        CU_ASSERT_EQUAL(mismatches, 0);
        printf("HDFS_2k: %lld blocks, %zu (block, line) pairs, %lld mismatching cells\n", (long long)blocks, n,
               (long long)mismatches);
        free(expect);
        free(truth);
        free(counts);
        free(displs);
        free(keys);
        free(mat);
    }
    lad_features_free(&f);
}

static CU_TestInfo tests[] = {
    {"per-block counts equal loghub's ground truth", test_counts_equal_ground_truth},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"hdfs_truth", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
