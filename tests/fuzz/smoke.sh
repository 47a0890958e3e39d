#!/usr/bin/env bash
# The CI smoke run of the fuzzers (ctest fuzz_smoke, label fuzz): builds them with clang in build-fuzz/
# (once; later runs rebuild what changed) and runs every harness for 4 s after its regression inputs.
# Skipped (77), with the reason, when clang or its libFuzzer runtime is missing.
source "$(dirname "$0")/../lib_test.sh"
FUZZ_BUILD=${FUZZ_BUILD:-$LAD_SOURCE_DIR/build-fuzz} bash "$LAD_SOURCE_DIR/scripts/fuzz.sh" "${LAD_FUZZ_SECONDS:-4}"
