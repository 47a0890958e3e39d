#!/usr/bin/env bash
# fuzz.sh - builds the libFuzzer harnesses (clang, LAD_FUZZ=ON, in build-fuzz/) and runs each for a while.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 30 s, every target)
# Targets: logformat blockid mask template labels model (tests/fuzz/fuzz_<target>.c).
# Each target first runs its regression inputs (tests/fuzz/regress/<target>/: inputs that once failed,
# which must pass), then fuzzes from its corpus: seeds made from tests/data and data/, kept and grown
# in build-fuzz/corpus/<target>/ so that longer runs go on where the last one stopped. A failing input
# is written to build-fuzz/artifacts/<target>/ (emptied of earlier findings first) and the script exits 1. Environment: FUZZ_BUILD (build
# directory), FUZZ_JOBS (parallel fuzzing processes per target, default 1), FUZZ_ARGS (more libFuzzer
# options). Run as root, it installs clang and libclang-rt-14-dev when they are missing; otherwise it
# exits 77 (skipped) without them.
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${1:-30}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(logformat blockid mask template labels model)
BUILD=${FUZZ_BUILD:-$SRC/build-fuzz}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
# The harnesses start MPI with LeakSanitizer off (fuzz_common.h); what MPI allocates later is matched
# by tests/sanitize/lsan.supp. UB stops the run.
export LSAN_OPTIONS="suppressions=$SRC/tests/sanitize/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
# Open MPI's own SIGSEGV/SIGABRT handler would print its backtrace and exit before libFuzzer saves the input.
export OMPI_MCA_opal_signal=""

# ---- can this machine build a fuzzer at all? (as root on Debian, the packages are installed) ----
probe=$(mktemp -d)
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
can_fuzz() { command -v clang >/dev/null && clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; }
if ! can_fuzz && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "fuzz: installing clang and libclang-rt-14-dev"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null 2>&1; }
fi
if ! can_fuzz; then
    echo "SKIP: clang cannot build a libFuzzer target here (apt-get install clang libclang-rt-14-dev): $(head -n 2 "$probe/err" 2>/dev/null)"
    rm -rf "$probe"; exit 77
fi
rm -rf "$probe"

# ---- build (incremental after the first time) ----
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    mkdir -p "$BUILD"
    CC=clang cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAD_FUZZ=ON -DLAD_BUILD_TESTS=OFF \
        >"$BUILD/configure.log" 2>&1 || { echo "FAIL: configuring $BUILD (see $BUILD/configure.log)"; exit 1; }
fi
cmake --build "$BUILD" -j "$(nproc)" >"$BUILD/build.log" 2>&1 || { tail -n 20 "$BUILD/build.log"; echo "FAIL: build"; exit 1; }

# ---- seed corpora from the repository's own logs, templates and labels ----
settings=$SRC/tests/data/loghub_2k/SETTINGS.md
presets=(HDFS Hadoop Spark Zookeeper BGL HPC Thunderbird Windows Linux Android HealthApp Apache Proxifier OpenSSH OpenStack Mac)
seed() { # seed TARGET NAME < content
    mkdir -p "$BUILD/corpus/$1"
    cat >"$BUILD/corpus/$1/seed-$2"
}
for i in "${!presets[@]}"; do
    sys=${presets[$i]}
    log=$SRC/tests/data/loghub_2k/$sys/${sys}_2k.log
    [ -f "$log" ] || continue
    fmt=$(grep "^| $sys |" "$settings" | sed 's/^| [A-Za-z]* | `\([^`]*\)`.*/\1/; s/\\|/|/g')
    { printf '%s\n' "$fmt"; head -n 20 "$log"; } | seed logformat "$sys"
    { printf "\\x$(printf %02x "$i")"; sed -n '1,20p' "$log" | cut -c 1-300; } | seed mask "$sys"
    seed template "$sys" <"$SRC/tests/data/loghub_2k/$sys/${sys}_2k.log_templates.csv"
done
seed template hdfs-full <"$SRC/data/templates/HDFS_templates.csv"
grep -o 'blk_-\?[0-9]*.*' "$SRC/data/raw/HDFS_2k.log" | head -n 40 | awk -v d="$BUILD/corpus/blockid" \
    'BEGIN { system("mkdir -p " d) } { f = d "/seed-" NR; print > f; close(f) }'
printf 'BlockId,Label\nblk_1,Normal\nblk_-8,Anomaly\nblk_1000,Normal\n' | seed labels basic
printf '\xef\xbb\xbfBlockId,Label\r\nblk_2,anomaly\r\n"blk_3","Normal"\r\n\r\n' | seed labels bom-crlf-quoted
printf 'BlockId,Label\nblk_2,Anomaly\nblk_2,Normal\nblk_99999999999999999999,Normal\n' | seed labels conflict
printf '\x02\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00' | seed model pca-k
printf '\x03\x02\x04\x00\x00\x00\x00\x00\x00\xf8\x7f' | seed model logreg-nan-weight
printf '\x00' | seed model raw-empty

# ---- run ----
status=0
for t in "${TARGETS[@]}"; do
    bin=$BUILD/tests/fuzz/fuzz_$t
    [ -x "$bin" ] || { echo "FAIL: no fuzzer $bin"; status=1; continue; }
    mkdir -p "$BUILD/artifacts/$t" "$BUILD/corpus/$t" "$BUILD/tmp"
    # Findings of earlier runs are not this run's: what matters of them is in tests/fuzz/regress.
    rm -f "$BUILD/artifacts/$t"/crash-* "$BUILD/artifacts/$t"/leak-* "$BUILD/artifacts/$t"/timeout-* "$BUILD/artifacts/$t"/oom-*
    export LAD_FUZZ_TMP=$BUILD/tmp
    reg=$SRC/tests/fuzz/regress/$t
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
        if ! "$bin" "$reg"/* >"$BUILD/artifacts/$t/regress.log" 2>&1; then
            tail -n 30 "$BUILD/artifacts/$t/regress.log"
            echo "FAIL: $t: a regression input fails again (tests/fuzz/regress/$t)"; status=1; continue
        fi
    fi
    jobs=()
    [ "${FUZZ_JOBS:-1}" -le 1 ] || jobs=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
    # shellcheck disable=SC2086
    (cd "$BUILD/artifacts/$t" && "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 "${jobs[@]}" -artifact_prefix="$BUILD/artifacts/$t/" ${FUZZ_ARGS:-} "$BUILD/corpus/$t" \
        >"$BUILD/artifacts/$t/fuzz.log" 2>&1)
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD/artifacts/$t/fuzz.log" | awk '{s += $2} END {print s + 0}')
    cov=$(grep -o 'cov: [0-9]*' "$BUILD/artifacts/$t/fuzz.log" | tail -n 1)
    if [ "$rc" -ne 0 ] || ls "$BUILD/artifacts/$t/" | grep -q -E '^(crash|leak|timeout|oom)-'; then
        grep -E 'ERROR|SUMMARY|runtime error' "$BUILD/artifacts/$t/fuzz.log" | head -n 5
        echo "FAIL: $t: $(ls "$BUILD/artifacts/$t/" | grep -E '^(crash|leak|timeout|oom)-' | head -n 3)"
        status=1
    else
        echo "ok: $t: $runs inputs in ${SECONDS_EACH}s, $cov, corpus $(ls "$BUILD/corpus/$t" | wc -l)"
    fi
done
exit $status
