#!/usr/bin/env bash
# sanitize.sh - builds logad and its tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (LAD_SANITIZE=ON, gcc) in build-asan/ and runs the test suite there. tests/run-tests.sh calls it
# after the main suite (CI); extra arguments go to ctest.
#
# What runs: every ctest case except the `slurm` label (Slurm daemons and batch scripts: no logad
# code beyond what the other tests run) and e2e_report_render (a headless browser renders a file the
# other report tests already check byte for byte). Undefined behaviour and every ASan error fail the
# test (halt_on_error); leaks are reported at exit, except the MPI stack's own (tests/sanitize/lsan.supp,
# which needs full stacks: fast_unwind_on_malloc=0). Environment: ASAN_BUILD_DIR (default build-asan),
# SANITIZE_JOBS (ctest -j, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${ASAN_BUILD_DIR:-build-asan}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAD_SANITIZE=ON >/dev/null
cmake --build "$BUILD" -j "$(nproc)" >/dev/null
echo "sanitize: built $BUILD (ASan + UBSan)"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitize/lsan.supp:fast_unwind_on_malloc=0:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd "$BUILD"
ctest --output-on-failure -j "${SANITIZE_JOBS:-2}" -LE slurm -E '^e2e_report_render$' "$@"
