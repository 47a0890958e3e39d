/*
 * main.c - MPI and the context up, signal handlers, parse the command line, open the command's output
 * transaction (outputs checked and locked before any input is read), run the command, commit or
 * discard its outputs, report, finalize.
 */
#include <mpi.h>
#include <stdbool.h>
#include <stdio.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "lad_cli.h"
#include "lad_ctx.h"
#include "lad_mem.h"
#include "lad_options.h"
#include "lad_outset.h"
#include "lad_signals.h"
#include "lad_stages.h"
#include "lad_summary.h"
#include "lad_timer.h"

/* OpenBLAS's thread control, when the BLAS behind libblas.so.3 is OpenBLAS (weak: absent otherwise). */
extern void openblas_set_num_threads(int n) __attribute__((weak));

int main(int argc, char **argv)
{
    /* logad's parallelism is MPI ranks and OpenMP threads; a threaded BLAS inside every rank would
     * oversubscribe the cores, and is not bound to keep its summation order, which the models'
     * bit-identical results rely on. */
    if (openblas_set_num_threads)
        openblas_set_num_threads(1);
    lad_mem_keep_freed();

    int provided = 0;
    /* Threads parse lines; only the master thread calls MPI. */
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "logad: error: MPI_Init_thread failed\n");
        return 1;
    }
    struct lad_ctx ctx;
    struct lad_options opts;
    lad_options_defaults(&opts);
    enum lad_status st = lad_ctx_init(&ctx, MPI_COMM_WORLD);
    /* After MPI_Init, so no handler of the MPI library's replaces ours. */
    lad_signals_install(ctx.rank);
    if (st == LAD_OK && provided < MPI_THREAD_FUNNELED)
        st = lad_fail(&ctx, LAD_ERR_MPI, "the MPI library does not support MPI_THREAD_FUNNELED");

    enum lad_cli_result cli = LAD_CLI_ERROR;
    if (st == LAD_OK) {
        cli = lad_cli_parse(&ctx, argc, argv, &opts, stdout);
        if (cli == LAD_CLI_ERROR)
            st = LAD_ERR_USAGE;
    }
    if (st == LAD_OK && cli == LAD_CLI_RUN) {
        ctx.opts = &opts;
        ctx.log_level = opts.log_level;
        ctx.progress_seconds = opts.progress_seconds;
#ifdef _OPENMP
        omp_set_dynamic(0);
        if (opts.threads > 0)
            omp_set_num_threads(opts.threads);
        ctx.nthreads = omp_get_max_threads();
#endif
        static struct lad_outset outset; /* large (paths); one per process, like the command */
        struct lad_timer_stats timings;
        st = lad_outset_begin(&ctx, &opts, &outset);
        bool ran = st == LAD_OK;
        if (ran)
            st = lad_run(&ctx, &opts, &timings);
        st = lad_outset_settle(&ctx, &opts, &outset, st);
        /* The summary reports the outcome and the committed files, so it follows the commit; it is
         * written on failure too, under the locks the run still holds. */
        if (ran && opts.summary_path) {
            enum lad_status sst = lad_summary_write(&ctx, &opts, &timings, st);
            if (st == LAD_OK)
                st = sst;
        }
        lad_outset_release(&ctx, &outset, st);
    }
    lad_signals_restore(); /* nothing is left to clean up: a late signal adds no second line */
    if (st != LAD_OK && ctx.rank == 0)
        fprintf(stderr, "logad: error: %s\n", ctx.err_msg[0] ? ctx.err_msg : lad_status_str(st));
    lad_options_free(&opts);
    lad_ctx_free(&ctx);
    MPI_Finalize();
    return lad_status_exit_code(st);
}
