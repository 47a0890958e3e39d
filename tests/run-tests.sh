#!/usr/bin/env bash
# run-tests.sh - the whole test suite: sets up and builds first when needed, then ctest, then the
# sanitizer run (scripts/sanitize.sh: ASan + UBSan build in build-asan/, its CI set of tests).
# Extra arguments go to ctest (e.g. -R mpi_ -j2 --output-on-failure) and skip the sanitizer run, as
# does LAD_NO_SANITIZE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure "$@")
if [ $# -eq 0 ] && [ "${LAD_NO_SANITIZE:-0}" != 1 ]; then
    bash scripts/sanitize.sh
fi
