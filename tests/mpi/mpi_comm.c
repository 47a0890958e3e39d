/*
 * mpi_comm.c - the communication layer at any rank count, with the default limits and with limits
 * lowered so that the split paths run (exchanges in rounds of tiny messages, file writes of a few
 * bytes per call, HDF5 transfers of a few rows): every result must be the one computed here
 * independently, whichever path moved it. Counts over INT_MAX cannot be allocated in a test; the
 * lowered limits make the same code take the same branches at small sizes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_comm.h"
#include "lad_h5.h"
#include "lad_mem.h"
#include "lad_test.h"

/* What rank src sends to rank dst: a count that varies by pair, zero for some pairs, and elements
 * that name their origin, so misplaced or reordered elements are caught. */
struct elem {
    int64_t src, dst, index;
    double x;
};

static int64_t pair_count(int src, int dst)
{
    return (src * 7 + dst * 3) % 5 == 0 ? 0 : (int64_t)((src + 1) * 13 + dst * 5) % 41;
}

static const struct lad_comm_limits tiny = {.msg_bytes = 3 * (int64_t)sizeof(struct elem) + 5, .io_bytes = 7,
                                            .h5_bytes = 40};

/* The limit sets each test runs under: the defaults, then the tiny ones. */
static const struct lad_comm_limits *const limit_sets[] = {NULL, &tiny};
#define N_LIMIT_SETS 2

static void exchange_once(bool use_alloc)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    int size = ctx->size, me = ctx->rank;
    int64_t *sc = calloc((size_t)size, sizeof *sc), *rc = calloc((size_t)size, sizeof *rc), n_send = 0, n_recv = 0;
    for (int r = 0; r < size; r++) {
        sc[r] = pair_count(me, r);
        rc[r] = pair_count(r, me);
        n_send += sc[r];
        n_recv += rc[r];
    }
    struct elem *sendbuf = calloc((size_t)n_send + 1, sizeof *sendbuf), *recvbuf = NULL;
    for (int r = 0, k = 0; r < size; r++)
        for (int64_t i = 0; i < sc[r]; i++, k++)
            sendbuf[k] = (struct elem){me, r, i, me + 0.5 * (double)i};
    int64_t got = 0;
    if (use_alloc) {
        void *buf = NULL;
        int64_t *counts = calloc((size_t)size, sizeof *counts);
        CU_ASSERT_EQUAL(lad_comm_alltoallv_alloc(ctx, sendbuf, sc, sizeof *sendbuf, "test", &buf, counts, &got), LAD_OK);
        for (int r = 0; r < size; r++)
            CU_ASSERT_EQUAL(counts[r], rc[r]);
        free(counts);
        recvbuf = buf;
    } else {
        recvbuf = calloc((size_t)n_recv + 1, sizeof *recvbuf);
        CU_ASSERT_EQUAL(lad_comm_alltoallv(ctx, sendbuf, sc, recvbuf, rc, sizeof *recvbuf, "test"), LAD_OK);
        got = n_recv;
    }
    CU_ASSERT_EQUAL(got, n_recv);
    /* Packed in rank order, each source's elements in their order. */
    int bad = 0;
    for (int r = 0, k = 0; r < size && got == n_recv; r++)
        for (int64_t i = 0; i < rc[r]; i++, k++)
            bad += recvbuf[k].src != r || recvbuf[k].dst != me || recvbuf[k].index != i ||
                   recvbuf[k].x != r + 0.5 * (double)i;
    CU_ASSERT_EQUAL(bad, 0);
    free(sc);
    free(rc);
    free(sendbuf);
    free(recvbuf);
}

static void test_exchange(void)
{
    for (int l = 0; l < N_LIMIT_SETS; l++) {
        lad_comm_set_limits(limit_sets[l]);
        exchange_once(false);
        exchange_once(true);
    }
    lad_comm_set_limits(NULL);
}

static void test_exscan_and_bcast(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    int64_t expect = 0;
    for (int r = 0; r < ctx->rank; r++)
        expect += 1000 + r;
    CU_ASSERT_EQUAL(lad_comm_exscan_i64(ctx, 1000 + ctx->rank), expect);
    for (int l = 0; l < N_LIMIT_SETS; l++) {
        lad_comm_set_limits(limit_sets[l]);
        int64_t v[50];
        for (int i = 0; i < 50; i++)
            v[i] = ctx->rank == ctx->size - 1 ? 3 * i + 1 : -1;
        lad_comm_bcast(ctx, v, 50, MPI_INT64_T, ctx->size - 1);
        int bad = 0;
        for (int i = 0; i < 50; i++)
            bad += v[i] != 3 * i + 1;
        CU_ASSERT_EQUAL(bad, 0);
    }
    lad_comm_set_limits(NULL);
}

/* Piece of round k of rank r: its length varies (zero for some), its bytes name (k, r, i). */
static size_t piece_len(int k, int r)
{
    return (size_t)((k * 11 + r * 7) % 9 == 0 ? 0 : (k * 5 + r * 3) % 23 + 1);
}

static void fill_piece(char *p, size_t n, int k, int r)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (char)('a' + (k * 3 + r * 5 + (int)i) % 26);
}

/* Rank 0 reads the whole file back. */
static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    rewind(fp);
    char *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, fp);
    fclose(fp);
    return b;
}

#define ROUNDS 5

static void test_ordered_file(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    char path[64];
    snprintf(path, sizeof path, "mpi_comm_%d.out", ctx->size);
    for (int l = 0; l < N_LIMIT_SETS; l++) {
        lad_comm_set_limits(limit_sets[l]);
        /* Round-robin: ROUNDS appends, then a rank-contiguous region per rank. */
        struct lad_comm_file f;
        CU_ASSERT_EQUAL(lad_comm_file_open(ctx, &f, path, "the test file"), LAD_OK);
        char buf[64];
        for (int k = 0; k < ROUNDS; k++) {
            size_t n = piece_len(k, ctx->rank);
            fill_piece(buf, n, k, ctx->rank);
            CU_ASSERT_EQUAL(lad_comm_file_append(ctx, &f, buf, n, LAD_OK), LAD_OK);
        }
        MPI_Offset at = -1;
        size_t mine = piece_len(ROUNDS, ctx->rank) * 2;
        CU_ASSERT_EQUAL(lad_comm_file_reserve(ctx, &f, (int64_t)mine, LAD_OK, &at), LAD_OK);
        fill_piece(buf, mine, ROUNDS, ctx->rank);
        /* A region is filled in any order: second half first. */
        CU_ASSERT_EQUAL(lad_comm_file_write_at(ctx, &f, at + (MPI_Offset)(mine / 2), buf + mine / 2, mine - mine / 2), LAD_OK);
        CU_ASSERT_EQUAL(lad_comm_file_write_at(ctx, &f, at, buf, mine / 2), LAD_OK);
        MPI_Offset total = f.size;
        CU_ASSERT_EQUAL(lad_comm_file_close(ctx, &f, LAD_OK), LAD_OK);

        if (ctx->rank == 0) {
            /* The expected bytes, built without the writer. */
            struct lad_buf want = {0};
            for (int k = 0; k <= ROUNDS; k++)
                for (int r = 0; r < ctx->size; r++) {
                    size_t n = piece_len(k, r) * (k == ROUNDS ? 2 : 1);
                    fill_piece(buf, n, k, r);
                    lad_buf_append(&want, buf, n);
                }
            size_t n = 0;
            char *got = slurp(path, &n);
            CU_ASSERT_PTR_NOT_NULL(got);
            CU_ASSERT_EQUAL(n, want.len);
            CU_ASSERT_EQUAL((MPI_Offset)want.len, total);
            CU_ASSERT(got != NULL && n == want.len && memcmp(got, want.data, n) == 0);
            free(got);
            lad_buf_free(&want);
            unlink(path);
        }
    }
    lad_comm_set_limits(NULL);
}

/* A producer failure on one rank stops every rank at the same round, with nothing more written. */
static void test_ordered_file_failure(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    char path[64];
    snprintf(path, sizeof path, "mpi_comm_fail_%d.out", ctx->size);
    struct lad_comm_file f;
    CU_ASSERT_EQUAL(lad_comm_file_open(ctx, &f, path, "the test file"), LAD_OK);
    enum lad_status local = LAD_OK;
    if (ctx->rank == ctx->size - 1)
        local = lad_fail(ctx, LAD_ERR_INPUT, "a producer failed on rank %d", ctx->rank);
    CU_ASSERT_EQUAL(lad_comm_file_append(ctx, &f, "abc", 3, local), LAD_ERR_INPUT);
    CU_ASSERT_EQUAL(f.size, 0);
    CU_ASSERT(strstr(ctx->err_msg, "a producer failed") != NULL);
    CU_ASSERT_EQUAL(lad_comm_file_close(ctx, &f, LAD_ERR_INPUT), LAD_ERR_INPUT);
    lad_ctx_clear_error(ctx);
    if (ctx->rank == 0)
        unlink(path);
}

/* The one I/O error formatter: file, what, and the cause from errno or the MPI error class. */
static void test_io_error(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    CU_ASSERT_EQUAL(lad_comm_io_error(ctx, MPI_ERR_IO, ENOSPC, "cannot write", "out.csv"), LAD_ERR_IO);
    CU_ASSERT(strstr(ctx->err_msg, "cannot write out.csv: No space left on device") == ctx->err_msg);
    lad_ctx_clear_error(ctx);
    int no_space_class = MPI_ERR_NO_SPACE;
    lad_comm_io_error(ctx, no_space_class, 0, "cannot write", "out.csv");
    CU_ASSERT(strstr(ctx->err_msg, "No space left on device") != NULL);
    lad_ctx_clear_error(ctx);
    lad_comm_io_error(ctx, MPI_ERR_IO, 0, "cannot read", "in.log");
    CU_ASSERT(strstr(ctx->err_msg, "cannot read in.log: ") == ctx->err_msg && strlen(ctx->err_msg) > 20);
    lad_ctx_clear_error(ctx);
}

struct rows {
    int64_t n_global, begin, n_local, cols;
    int64_t *data;
};

static enum lad_status write_rows(struct lad_ctx *ctx, struct lad_h5 *h, const void *arg)
{
    const struct rows *r = arg;
    enum lad_status st = lad_h5_write_rows(ctx, h, "/m", H5T_NATIVE_INT64, r->n_global, r->cols, r->begin,
                                           r->n_local, r->data);
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, "/v", H5T_NATIVE_INT64, r->n_global, 0, r->begin, r->n_local, r->data);
    return st;
}

/* Rows written under one limit set and read under the other: the bytes are the same. Rank 0 holds
 * no rows (an empty rank joins every transfer), the others uneven shares. */
static void test_h5_split(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    char path[64];
    snprintf(path, sizeof path, "mpi_comm_%d.h5", ctx->size);
    const int64_t cols = 3;
    int64_t n_global = 0, begin = 0, n_local = 0;
    for (int r = 0; r < ctx->size; r++) {
        int64_t n = (ctx->size > 1 && r == 0) ? 0 : 5 + 4 * r;
        if (r == ctx->rank) {
            begin = n_global;
            n_local = n;
        }
        n_global += n;
    }
    struct rows w = {n_global, begin, n_local, cols, calloc((size_t)(n_local * cols + 1), sizeof(int64_t))};
    for (int64_t i = 0; i < n_local * cols; i++)
        w.data[i] = (begin * cols + i) * 7 + 1;
    for (int l = 0; l < N_LIMIT_SETS; l++) {
        lad_comm_set_limits(limit_sets[l]);
        CU_ASSERT_EQUAL(lad_h5_write_atomic(ctx, path, write_rows, &w), LAD_OK);
        lad_comm_set_limits(limit_sets[N_LIMIT_SETS - 1 - l]);
        struct lad_h5 h;
        CU_ASSERT_EQUAL(lad_h5_open(ctx, path, "write it again", &h), LAD_OK);
        int64_t *m = calloc((size_t)(n_local * cols + 1), sizeof *m), *v = calloc((size_t)n_local + 1, sizeof *v);
        CU_ASSERT_EQUAL(lad_h5_read_rows(ctx, &h, "/m", H5T_NATIVE_INT64, cols, begin, n_local, m), LAD_OK);
        CU_ASSERT_EQUAL(lad_h5_read_rows(ctx, &h, "/v", H5T_NATIVE_INT64, 0, begin, n_local, v), LAD_OK);
        int bad = 0;
        for (int64_t i = 0; i < n_local * cols; i++)
            bad += m[i] != (begin * cols + i) * 7 + 1;
        for (int64_t i = 0; i < n_local; i++)
            bad += v[i] != (begin * cols + i) * 7 + 1;
        CU_ASSERT_EQUAL(bad, 0);
        CU_ASSERT_EQUAL(lad_h5_close(ctx, &h), LAD_OK);
        free(m);
        free(v);
    }
    lad_comm_set_limits(NULL);
    if (ctx->rank == 0)
        unlink(path);
    free(w.data);
}

static CU_TestInfo tests[] = {
    {"all-to-all exchange, whole and in rounds", test_exchange},
    {"exclusive scan and chunked broadcast", test_exscan_and_bcast},
    {"ordered file: round-robin and rank-contiguous", test_ordered_file},
    {"ordered file: a producer's failure stops every rank", test_ordered_file_failure},
    {"HDF5 rows in split transfers", test_h5_split},
    {"I/O error messages", test_io_error},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"comm", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
