#!/usr/bin/env bash
# sanitize.sh - builds logad and its tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DLAD_SANITIZE=ON, gcc) in build-asan/ and runs tests there. Any ASan report and any undefined
# behaviour fails the test (halt_on_error).
#   bash scripts/sanitize.sh          the CI set (tests/run-tests.sh runs it after the main suite)
#   bash scripts/sanitize.sh --all    every test but the slurm label and e2e_report_render
# Extra arguments go to ctest.
#
# The CI set, in two passes:
#   1. with leak detection, the programs that read untrusted text and files (unit_model_file,
#      unit_digest, unit_fuzz_regress, unit_csv, unit_template, unit_blockid, unit_logformat,
#      unit_mask, mpi_integrity at 2 ranks, mpi_labels at 3): a leak fails the test, except the MPI
#      stack's own (tests/sanitize/lsan.supp). The suppressions match library names, which needs full
#      stacks (fast_unwind_on_malloc=0); with the leak check at exit that costs about 8 s per process,
#      so this pass is kept small.
#   2. without leak detection (about 2 s per process): the other unit tests, mpi_comm, mpi_models and
#      mpi_mine at one rank count, the command-line tests that feed logad bad and damaged input
#      (cli_*, fault_corrupt_files with 3 mutations per file and rank count) and e2e_run_hdfs2k.
# --all runs everything in pass 1's mode. Left out: slurm (the batch scripts and daemons run the
# same logad code as the other tests) and e2e_report_render (a browser reads a page that
# e2e_report_html already checks). Environment: ASAN_BUILD_DIR (default build-asan), SANITIZE_JOBS
# (ctest -j, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${ASAN_BUILD_DIR:-build-asan}
ALL=0
if [ "${1:-}" = "--all" ]; then
    ALL=1
    shift
fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAD_SANITIZE=ON >/dev/null
cmake --build "$BUILD" -j "$(nproc)" >/dev/null
echo "sanitize: built $BUILD (ASan + UBSan)"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
LEAKS="suppressions=$PWD/tests/sanitize/lsan.supp:fast_unwind_on_malloc=0:print_suppressions=0"
cd "$BUILD"
JOBS=${SANITIZE_JOBS:-2}
if [ "$ALL" -eq 1 ]; then
    ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" LSAN_OPTIONS=$LEAKS \
        ctest --output-on-failure -j "$JOBS" -LE slurm -E '^e2e_report_render$' "$@"
    exit
fi
READERS='unit_(model_file|digest|fuzz_regress|csv|template|blockid|logformat|mask)|mpi_integrity_np2|mpi_labels_np3'
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" LSAN_OPTIONS=$LEAKS ctest --output-on-failure -j "$JOBS" \
    -R "^($READERS)\$" "$@"
ASAN_OPTIONS="detect_leaks=0:halt_on_error=1" LAD_FAULT_MUTATIONS=${LAD_FAULT_MUTATIONS:-3} ctest --output-on-failure -j "$JOBS" \
    -R '^(unit_.*|mpi_comm_np3|mpi_models_np2|mpi_mine_np2|cli_.*|fault_corrupt_files|e2e_run_hdfs2k)$' \
    -E "^($READERS)\$" "$@"
