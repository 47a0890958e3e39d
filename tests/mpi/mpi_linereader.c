/*
 * mpi_linereader.c - every line of every input is read exactly once, whole and in order, at any rank
 * count: CRLF, no trailing newline, a file smaller than the rank count, empty files, lines longer than
 * the chunk, oversize lines (skipped and counted), and several files at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_inputs.h"
#include "lad_linereader.h"
#include "lad_test.h"

#define CHUNK 4096
#define MAX_LINE 1500

static const char *const paths[] = {"lr_crlf.log", "lr_nonl.log", "lr_tiny.log", "lr_empty.log", "lr_long.log"};
#define N_FILES 5

static void make_files(void)
{
    FILE *fp = fopen(paths[0], "wb");
    for (int i = 0; i < 500; i++)
        fprintf(fp, "081109 2036%02d %d INFO dfs.X: line %d blk_%d\r\n", i % 60, i, i, i);
    fclose(fp);
    fp = fopen(paths[1], "wb");
    for (int i = 0; i < 333; i++)
        fprintf(fp, "%s%d", i ? "\nmsg " : "msg ", i); /* no newline after the last line */
    fclose(fp);
    fp = fopen(paths[2], "wb");
    fputs("a\nb", fp); /* 3 bytes: fewer bytes than ranks at np 7 */
    fclose(fp);
    fclose(fopen(paths[3], "wb"));
    fp = fopen(paths[4], "wb");
    for (int i = 0; i < 40; i++) {
        int len = (i % 5 == 0) ? 3000 : (i % 3 == 0) ? 1200 : 10 + i; /* 3000 > MAX_LINE: oversize */
        for (int k = 0; k < len; k++)
            fputc('a' + (i + k) % 26, fp);
        fputc('\n', fp);
    }
    fclose(fp);
}

/* The lines a serial reader sees (without '\n'), oversize ones dropped, concatenated with '\n'. */
static char *expected_lines(long *len, long *oversize)
{
    struct lad_buf out = {0};
    *oversize = 0;
    for (int f = 0; f < N_FILES; f++) {
        FILE *fp = fopen(paths[f], "rb");
        struct lad_buf line = {0};
        int c;
        for (;;) {
            c = fgetc(fp);
            if (c == EOF || c == '\n') {
                if (c == '\n' || line.len > 0) {
                    if (line.len > MAX_LINE)
                        (*oversize)++;
                    else {
                        lad_buf_append(&out, line.data ? line.data : "", line.len);
                        lad_buf_append(&out, "\n", 1);
                    }
                }
                line.len = 0;
                if (c == EOF)
                    break;
            } else {
                char ch = (char)c;
                lad_buf_append(&line, &ch, 1);
            }
        }
        lad_buf_free(&line);
        fclose(fp);
    }
    *len = (long)out.len;
    return out.data;
}

static void test_every_line_once(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    if (ctx->rank == 0)
        make_files();
    MPI_Barrier(ctx->comm);
    struct lad_inputs in;
    CU_ASSERT_EQUAL_FATAL(lad_inputs_resolve(ctx, (const char *const *)paths, N_FILES, &in), LAD_OK);
    struct lad_linereader *r;
    CU_ASSERT_EQUAL_FATAL(lad_linereader_open(ctx, &in, CHUNK, MAX_LINE, &r), LAD_OK);
    struct lad_buf mine = {0};
    long consumer_oversize = 0;
    for (;;) {
        struct lad_chunk c;
        bool done;
        CU_ASSERT_EQUAL_FATAL(lad_linereader_next(r, &c, &done), LAD_OK);
        if (done)
            break;
        /* whole lines only */
        CU_ASSERT_TRUE(c.len > 0);
        CU_ASSERT_TRUE(c.data[c.len - 1] == '\n' || c.file_offset + (MPI_Offset)c.len == in.files[c.file_index].size);
        /* A consumer applies the same length limit to the lines it receives. */
        const char *p = c.data, *end = c.data + c.len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (len > MAX_LINE)
                consumer_oversize++;
            else {
                lad_buf_append(&mine, p, len);
                lad_buf_append(&mine, "\n", 1);
            }
            p = nl ? nl + 1 : end;
        }
    }
    long oversize_local = (long)lad_linereader_stats(r)->oversize_lines + consumer_oversize, oversize = 0;
    lad_linereader_close(&r);
    MPI_Reduce(&oversize_local, &oversize, 1, MPI_LONG, MPI_SUM, 0, ctx->comm);

    /* Rank order is input order: gather and compare with a serial read, CRs removed on both sides. */
    int n = (int)mine.len, *counts = NULL, *displs = NULL;
    char *all = NULL;
    if (ctx->rank == 0)
        counts = calloc((size_t)ctx->size, sizeof(int)), displs = calloc((size_t)ctx->size, sizeof(int));
    MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, ctx->comm);
    long total = 0;
    if (ctx->rank == 0) {
        for (int i = 0; i < ctx->size; i++) {
            displs[i] = (int)total;
            total += counts[i];
        }
        all = malloc((size_t)total + 1);
    }
    MPI_Gatherv(mine.data, n, MPI_CHAR, all, counts, displs, MPI_CHAR, 0, ctx->comm);
    if (ctx->rank == 0) {
        long exp_len, exp_oversize;
        char *exp = expected_lines(&exp_len, &exp_oversize);
        CU_ASSERT_EQUAL(total, exp_len);
        CU_ASSERT_TRUE(total == exp_len && memcmp(all, exp, (size_t)total) == 0);
        CU_ASSERT_EQUAL(oversize, exp_oversize);
        CU_ASSERT_EQUAL(exp_oversize, 8);
        free(exp);
        free(all);
        free(counts);
        free(displs);
    }
    lad_buf_free(&mine);
    lad_inputs_free(&in);
}

static void test_missing_and_empty(void)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_inputs in;
    const char *missing[] = {"lr_no_such_file.log"};
    CU_ASSERT_EQUAL(lad_inputs_resolve(ctx, missing, 1, &in), LAD_ERR_IO);
    CU_ASSERT_TRUE(strstr(ctx->err_msg, "lr_no_such_file.log") != NULL);
    lad_ctx_clear_error(ctx);
    const char *empty[] = {"lr_empty.log"};
    CU_ASSERT_EQUAL(lad_inputs_resolve(ctx, empty, 1, &in), LAD_ERR_INPUT);
    CU_ASSERT_TRUE(strstr(ctx->err_msg, "empty") != NULL);
    lad_ctx_clear_error(ctx);
}

static CU_TestInfo tests[] = {
    {"every line exactly once", test_every_line_once},
    {"missing and empty inputs", test_missing_and_empty},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"linereader", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
