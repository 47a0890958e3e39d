/*
 * lad_test.h - the shared main of every CUnit program: MPI up (some units need a communicator), run
 * the suite table, exit non-zero when any assertion failed (CU_basic_run_tests alone returns 0 even
 * then). With more than one rank, failures are summed to rank 0 and every rank exits non-zero.
 */
#ifndef LAD_TEST_H
#define LAD_TEST_H

#include <CUnit/Basic.h>
#include <mpi.h>
#include <stdio.h>
#include <time.h>

#include "lad_ctx.h"
#include "lad_events.h"

/* Monotonic seconds, for tests that bound how long something takes. */
static inline double lad_test_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A context on MPI_COMM_WORLD for tests that call collective functions. */
static struct lad_ctx lad_test_ctx;

/* Adds n events <prefix>1 .. <prefix>n, all with template tpl, to events: the columns of a test
 * matrix whose templates do not matter. A failure ends the calling test (CUnit's FATAL). */
static inline void lad_test_add_events(struct lad_ctx *ctx, struct lad_events *events, int n, const char *prefix,
                                       const char *tpl)
{
    for (int j = 0; j < n; j++) {
        char id[32];
        snprintf(id, sizeof id, "%s%d", prefix, j + 1);
        CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, events, id, tpl), LAD_OK);
    }
}

/* Writes text to path (created or replaced): the input files of tests that read files. A failure
 * ends the calling test. */
static inline void lad_test_write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fputs(text, fp);
    CU_ASSERT_EQUAL_FATAL(fclose(fp), 0);
}

static inline int lad_test_main(int argc, char **argv, CU_SuiteInfo *suites)
{
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    if (lad_ctx_init(&lad_test_ctx, MPI_COMM_WORLD) != LAD_OK) {
        fprintf(stderr, "cannot set up the test context\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    lad_test_ctx.log_level = 1;
    unsigned failures = 1;
    if (CU_initialize_registry() == CUE_SUCCESS && CU_register_suites(suites) == CUE_SUCCESS) {
        CU_basic_set_mode(lad_test_ctx.rank == 0 ? CU_BRM_VERBOSE : CU_BRM_SILENT);
        CU_basic_run_tests();
        failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    }
    CU_cleanup_registry();
    unsigned total = failures;
    MPI_Allreduce(&failures, &total, 1, MPI_UNSIGNED, MPI_SUM, MPI_COMM_WORLD);
    if (lad_test_ctx.rank == 0 && total)
        fprintf(stderr, "%u failure(s)\n", total);
    lad_ctx_free(&lad_test_ctx);
    MPI_Finalize();
    return total ? 1 : 0;
}

#endif
