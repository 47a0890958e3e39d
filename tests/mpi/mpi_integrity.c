/*
 * mpi_integrity.c - the integrity header of logad's HDF5 files at every rank count (np 1 2 3 4 7).
 *
 * - The digest does not depend on the rank count or the piece split: a file sealed by all ranks, with
 *   pieces of 4 KiB so that every rank hashes several, verifies on rank 0 alone (MPI_COMM_SELF), and a
 *   file sealed on rank 0 alone verifies on all ranks; changing the piece size changes the header
 *   but not the verdict.
 * - Seeded random damage (byte flips, truncations, appended bytes, zeroed ranges) of a PCA model, a
 *   logistic model (100 each) and a features file (50): every damaged file is refused with one message
 *   that names the file, by lad_model_read / lad_featfile_read on all ranks alike, and no damage
 *   escapes. A mutation that changes no byte (zeroing zeros) is skipped, not counted.
 *
 * With LAD_INTEGRITY_BENCH_MB=N set, it instead writes an N MB features-like file and prints the time
 * of lad_h5_write_atomic (which seals) and of lad_h5_verify, best of 3 (README: cost of verification).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_featfile.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_hash.h"
#include "lad_model_file.h"
#include "lad_test.h"

#define PCA_PATH "mpi_integrity_pca.h5"
#define LR_PATH "mpi_integrity_logreg.h5"
#define FEAT_PATH "mpi_integrity_features.h5"
#define MUT_PATH "mpi_integrity_mutant.h5"

static void make_model(struct lad_model *m, enum lad_model_type type, int e)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    memset(m, 0, sizeof *m);
    m->type = type;
    for (int j = 0; j < e; j++) {
        char id[16], tpl[64];
        snprintf(id, sizeof id, "E%d", j + 1);
        snprintf(tpl, sizeof tpl, "event <*> number %d of the test", j + 1);
        CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, &m->events, id, tpl), LAD_OK);
    }
    m->event_source = lad_strdup("mined");
    m->options = lad_strdup("test");
    m->n_train = 1000;
    CU_ASSERT_EQUAL_FATAL(lad_transform_alloc(ctx, &m->transform, e), LAD_OK);
    m->transform.flags = LAD_TF_TFIDF | (type == LAD_MODEL_TYPE_PCA ? LAD_TF_CENTER : 0);
    for (int j = 0; j < e; j++) {
        m->transform.df[j] = 1 + 37 * j % 999;
        m->transform.weight[j] = 1.0 + log(1001.0 / (1.0 + (double)m->transform.df[j]));
        m->transform.mean[j] = type == LAD_MODEL_TYPE_PCA ? 0.01 * j : 0.0;
    }
    if (type == LAD_MODEL_TYPE_PCA) {
        int k = e / 2;
        CU_ASSERT_EQUAL_FATAL(lad_pca_alloc(ctx, &m->pca, e, k), LAD_OK);
        m->pca.alpha = 0.001;
        m->pca.variance = 0.95;
        m->pca.threshold = 7.25;
        for (int j = 0; j < e; j++)
            m->pca.eigenvalues[j] = 100.0 / (j + 1);
        for (int j = 0; j < e * k; j++)
            m->pca.components[j] = sin(0.37 * j);
    } else {
        CU_ASSERT_EQUAL_FATAL(lad_logreg_alloc(ctx, &m->logreg, e), LAD_OK);
        for (int j = 0; j < e; j++)
            m->logreg.w[j] = cos(0.5 * j);
        m->logreg.bias = -2.0;
        m->logreg.lambda = 1e-5;
        m->logreg.threshold = 0.5;
        m->logreg.iterations = 12;
        m->logreg.converged = true;
    }
}

/* A features file of n rows x e events, the row block of each rank filled from the global row. */
static void write_features(const char *path, int64_t n, int e)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_features f;
    memset(&f, 0, sizeof f);
    CU_ASSERT_EQUAL_FATAL(lad_features_alloc(ctx, &f, n, e), LAD_OK);
    lad_test_add_events(ctx, &f.events, e, "M", "a template <*>");
    for (int j = 0; j < e; j++)
        f.events.lines[j] = 10 * j;
    f.event_source = lad_strdup("mined");
    int64_t *dense = calloc((size_t)(f.n_local > 0 ? f.n_local : 1) * (size_t)e, sizeof *dense);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dense);
    for (int64_t i = 0; i < f.n_local; i++) {
        f.keys[i] = 3 * (f.row_begin + i) - 50;
        for (int j = 0; j < e; j++)
            dense[i * e + j] = (int64_t)(lad_hash_u64((uint64_t)((f.row_begin + i) * e + j)) % 7);
    }
    CU_ASSERT_EQUAL_FATAL(lad_features_set_dense(ctx, &f, dense), LAD_OK);
    free(dense);
    CU_ASSERT_EQUAL_FATAL(lad_featfile_write(ctx, path, &f), LAD_OK);
    lad_features_free(&f);
}

/* Verifies path on rank 0 alone (a context on MPI_COMM_SELF); returns its status there, 0 elsewhere. */
static int verify_alone(const char *path)
{
    int st = 0;
    if (lad_test_ctx.rank == 0) {
        struct lad_ctx self;
        CU_ASSERT_EQUAL_FATAL(lad_ctx_init(&self, MPI_COMM_SELF), LAD_OK);
        self.log_level = 0;
        st = (int)lad_h5_verify(&self, path, "test");
        if (st != LAD_OK)
            fprintf(stderr, "\nverify on one rank: %s\n", self.err_msg);
        lad_ctx_free(&self);
    }
    MPI_Bcast(&st, 1, MPI_INT, 0, lad_test_ctx.comm);
    return st;
}

static void test_rank_independent_digest(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    /* 4 KiB pieces: the ~70 KB file is cut into many, and every rank hashes several. */
    lad_h5_set_piece_bytes(4096);
    write_features(FEAT_PATH, 2000, 4);
    CU_ASSERT_EQUAL(lad_h5_verify(ctx, FEAT_PATH, "test"), LAD_OK);
    CU_ASSERT_EQUAL(verify_alone(FEAT_PATH), LAD_OK);
    /* Sealed again by rank 0 alone, it still verifies on every rank. */
    if (ctx->rank == 0) {
        struct lad_ctx self;
        CU_ASSERT_EQUAL_FATAL(lad_ctx_init(&self, MPI_COMM_SELF), LAD_OK);
        CU_ASSERT_EQUAL(lad_h5_seal(&self, FEAT_PATH, FEAT_PATH), LAD_OK);
        lad_ctx_free(&self);
    }
    MPI_Barrier(ctx->comm);
    CU_ASSERT_EQUAL(lad_h5_verify(ctx, FEAT_PATH, "test"), LAD_OK);
    /* The default piece size (one piece for a small file) verifies as well, at any rank count. */
    lad_h5_set_piece_bytes(0);
    write_features(FEAT_PATH, 2000, 4);
    CU_ASSERT_EQUAL(lad_h5_verify(ctx, FEAT_PATH, "test"), LAD_OK);
    CU_ASSERT_EQUAL(verify_alone(FEAT_PATH), LAD_OK);
    lad_ctx_clear_error(ctx);
}

/* Rank 0 reads a whole file. */
static unsigned char *slurp(const char *path, long *len)
{
    FILE *fp = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fseek(fp, 0, SEEK_END);
    *len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)*len + 1);
    CU_ASSERT_EQUAL_FATAL(fread(b, 1, (size_t)*len, fp), (size_t)*len);
    fclose(fp);
    return b;
}

/*
 * Rank 0 writes mutation `i` (seeded) of orig[0, len) to MUT_PATH: a flipped byte, a truncation, bytes
 * appended, or a zeroed range. Returns whether the file differs from orig (broadcast).
 */
static int mutate(const unsigned char *orig, long len, uint64_t seed, int i)
{
    int changed = 0;
    if (lad_test_ctx.rank == 0) {
        struct lad_rng rng;
        lad_rng_init(&rng, seed, (uint64_t)i);
        unsigned char *b = malloc((size_t)len + 4096);
        memcpy(b, orig, (size_t)len);
        long n = len;
        long at = (long)lad_rng_below(&rng, (uint64_t)len);
        switch (i % 4) {
        case 0:
            b[at] ^= (unsigned char)(1 + lad_rng_below(&rng, 255));
            break;
        case 1:
            n = at;
            break;
        case 2:
            for (long k = 0, extra = 1 + (long)lad_rng_below(&rng, 4096); k < extra; k++)
                b[n++] = (unsigned char)lad_rng_next(&rng);
            break;
        default: {
            long span = 1 + (long)lad_rng_below(&rng, 512);
            memset(b + at, 0, (size_t)(at + span <= len ? span : len - at));
        }
        }
        changed = n != len || memcmp(b, orig, (size_t)len) != 0;
        FILE *fp = fopen(MUT_PATH, "wb");
        CU_ASSERT_EQUAL(fwrite(b, 1, (size_t)n, fp), (size_t)n);
        fclose(fp);
        free(b);
    }
    MPI_Bcast(&changed, 1, MPI_INT, 0, lad_test_ctx.comm);
    return changed;
}

/* Reads MUT_PATH as a model (model != 0) or as features; true when refused with the expected line. */
static bool refused(int model)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    lad_ctx_clear_error(ctx);
    enum lad_status st;
    if (model) {
        struct lad_model m;
        st = lad_model_read(ctx, MUT_PATH, &m);
        if (st == LAD_OK)
            lad_model_free(&m);
    } else {
        struct lad_features f;
        st = lad_featfile_read(ctx, MUT_PATH, &f);
        if (st == LAD_OK)
            lad_features_free(&f);
    }
    bool ok = st != LAD_OK && strstr(ctx->err_msg, MUT_PATH) != NULL &&
              (strstr(ctx->err_msg, "is corrupted or") != NULL) && strchr(ctx->err_msg, '\n') == NULL;
    if (!ok && ctx->rank == 0)
        fprintf(stderr, "\nmutation not refused as expected (status %d): %s\n", (int)st, ctx->err_msg);
    lad_ctx_clear_error(ctx);
    return ok;
}

static void run_mutations(const char *path, int model, int count, uint64_t seed)
{
    long len = 0;
    unsigned char *orig = lad_test_ctx.rank == 0 ? slurp(path, &len) : NULL;
    int tried = 0, escaped = 0;
    for (int i = 0; i < count; i++) {
        if (!mutate(orig, len, seed, i))
            continue;
        tried++;
        escaped += !refused(model);
    }
    CU_ASSERT_EQUAL(escaped, 0);
    CU_ASSERT_TRUE(tried >= count * 2 / 3); /* zeroing a range of zeros changes nothing: skipped */
    free(orig);
    if (lad_test_ctx.rank == 0)
        unlink(MUT_PATH);
}

static void test_mutations(void)
{
    struct lad_model m;
    make_model(&m, LAD_MODEL_TYPE_PCA, 12);
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, PCA_PATH, &m), LAD_OK);
    lad_model_free(&m);
    make_model(&m, LAD_MODEL_TYPE_LOGREG, 12);
    CU_ASSERT_EQUAL_FATAL(lad_model_write(&lad_test_ctx, LR_PATH, &m), LAD_OK);
    lad_model_free(&m);
    lad_h5_set_piece_bytes(4096);
    write_features(FEAT_PATH, 3000, 6);
    lad_h5_set_piece_bytes(0);
    run_mutations(PCA_PATH, 1, 100, 11);
    run_mutations(LR_PATH, 1, 100, 12);
    run_mutations(FEAT_PATH, 0, 50, 13);
    if (lad_test_ctx.rank == 0) {
        unlink(PCA_PATH);
        unlink(LR_PATH);
        unlink(FEAT_PATH);
    }
}

static CU_TestInfo tests[] = {
    {"digest is the same at any rank count and piece split", test_rank_independent_digest},
    {"damaged models and features are refused", test_mutations},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"integrity", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

/* Rows of 32 int64 columns that make a file of about LAD_INTEGRITY_BENCH_MB MB; times the sealed write,
 * the seal alone and the check (a CUnit test of its own, so that the helpers' assertions work). */
static void bench(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    double mb = atof(getenv("LAD_INTEGRITY_BENCH_MB"));
    const char *path = getenv("LAD_INTEGRITY_BENCH_PATH") ? getenv("LAD_INTEGRITY_BENCH_PATH") : FEAT_PATH;
    int64_t n = (int64_t)(mb * 1e6 / (8.0 * 33));
    MPI_Barrier(ctx->comm);
    double t0 = MPI_Wtime();
    write_features(path, n, 32);
    double write_s = MPI_Wtime() - t0, seal_s = 1e30, verify_s = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        MPI_Barrier(ctx->comm);
        t0 = MPI_Wtime();
        if (lad_h5_seal(ctx, path, path) != LAD_OK)
            MPI_Abort(MPI_COMM_WORLD, 1);
        double t = MPI_Wtime() - t0;
        seal_s = t < seal_s ? t : seal_s;
        MPI_Barrier(ctx->comm);
        t0 = MPI_Wtime();
        if (lad_h5_verify(ctx, path, "bench") != LAD_OK)
            MPI_Abort(MPI_COMM_WORLD, 1);
        t = MPI_Wtime() - t0;
        verify_s = t < verify_s ? t : verify_s;
    }
    if (ctx->rank == 0) {
        FILE *fp = fopen(path, "rb");
        fseek(fp, 0, SEEK_END);
        double bytes = (double)ftell(fp);
        fclose(fp);
        printf("ranks %d file %.0f MB: write (incl. seal) %.3f s, seal %.3f s, verify %.3f s (%.2f GB/s), best of 3\n",
               ctx->size, bytes / 1e6, write_s, seal_s, verify_s, bytes / verify_s / 1e9);
        if (getenv("LAD_INTEGRITY_BENCH_KEEP") == NULL)
            unlink(path);
    }
}

static CU_TestInfo bench_tests[] = {{"cost of seal and verify", bench}, CU_TEST_INFO_NULL};
static CU_SuiteInfo bench_suites[] = {{"integrity bench", NULL, NULL, NULL, NULL, bench_tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, getenv("LAD_INTEGRITY_BENCH_MB") ? bench_suites : suites);
}
