#!/usr/bin/env bash
# Template mining on all 16 loghub 2k systems: grouping accuracy at least Drain's published figure on
# every system, the same at 1 and 4 ranks (bench/parse_accuracy.sh does the work and the checks).
source "$(dirname "$0")/../lib_test.sh"
OUT=$LAD_TEST_TMP MPIEXEC=$MPIEXEC bash "$LAD_SOURCE_DIR/bench/parse_accuracy.sh" "$LOGAD" \
    "$LAD_SOURCE_DIR/tests/data/loghub_2k" || fail "grouping accuracy below Drain's, or ranks disagree (table above)"
finish
