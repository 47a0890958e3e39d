#!/usr/bin/env bash
# run-tests.sh - the whole test suite: sets up and builds first when needed, then ctest.
# Extra arguments go to ctest (e.g. -R mpi_ -j2 --output-on-failure).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure "$@"
