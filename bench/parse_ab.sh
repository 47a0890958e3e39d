#!/usr/bin/env bash
# parse_ab.sh [LOGAD] - the parse rate (and, with RUN_NP, a whole run) of this build against an older
# commit's, measured in the same run. This VM's speed drifts by 2-4x between hours (wc -l on the same
# cached file: 0.27 s to 3.8 s), so an absolute MB/s says more about the hour than about the code; two
# builds run alternately on the same file see the same hour, and their ratio is what the code changed.
#
# The reference (REF, default f522b44: the code issue #9 was measured on, with its recursive header
# matcher and ~590 ns a line) is exported with git archive and built under OUT. Both builds then run
# `preprocess` at 1 rank x 1 thread on the same log in REPEAT pairs (each build first in every other
# pair), and the parse phase of each run (the phase table's "parse" row) is compared: per pair, and
# the ratio of the medians.
# With RUN_NP=N, both builds then also run `run --model both --labels` on the whole 5.3 GB log of
# bench/scale.sh at N ranks, alternating, and their wall times are compared the same way (this build
# with its defaults, so its report is written too; about a minute a pair on 2 cores).
# Environment:
#   REF      commit to compare with (default f522b44)
#   INPUT    the log (default: the first LINES lines of bench/scale.sh's 5.3 GB log, made with synth if
#            missing); LINES default 3000000 (418 MB)
#   REPEAT   runs of each build (default 5)
#   RUN_NP   ranks of the whole-run comparison (default: none)
#   OUT      where the reference build, the slice and the outputs go (default bench/out/parse_ab)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=bench/scale_log.sh
. "$here/scale_log.sh"
logad=$(realpath "${1:-$root/build/logad}")
ref=${REF:-f522b44}
repeat=${REPEAT:-5}
lines=${LINES:-3000000}
out=${OUT:-$here/out/parse_ab}
mkdir -p "$out"
out=$(realpath "$out")
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
[ -x "$logad" ] || { echo "parse_ab.sh: no logad at $logad (build first)" >&2; exit 2; }
git -C "$root" cat-file -e "$ref^{commit}" 2>/dev/null ||
    { echo "parse_ab.sh: commit $ref is not in this clone's history" >&2; exit 2; }

# The reference build, once per commit.
ref_dir=$out/ref-$(git -C "$root" rev-parse --short "$ref")
ref_logad=$ref_dir/build/logad
if [ ! -x "$ref_logad" ]; then
    echo "building $ref in $ref_dir ..."
    rm -rf "$ref_dir" && mkdir -p "$ref_dir"
    git -C "$root" archive "$ref" | tar -x -C "$ref_dir"
    cmake -S "$ref_dir" -B "$ref_dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$ref_dir/cmake.txt" 2>&1
    cmake --build "$ref_dir/build" -j "$(nproc)" --target logad >>"$ref_dir/cmake.txt" 2>&1 ||
        { tail -20 "$ref_dir/cmake.txt" >&2; exit 1; }
fi

big=$here/out/scale/hdfs_1900000.log
big_labels=${big%.log}_labels.csv
input=${INPUT:-}
if [ -z "$input" ] || [ -n "${RUN_NP:-}" ]; then
    make_scale_log "$logad" "$here/out/scale" 1900000
fi
if [ -z "$input" ]; then
    input=$out/slice_${lines}.log
    [ -s "$input" ] || head -n "$lines" "$big" >"$input"
fi
bytes=$(stat -c %s "$input")
cat "$input" >/dev/null # from the page cache in every run

# parse_seconds LOGAD: one preprocess run; prints the parse phase's seconds (max over ranks).
parse_seconds() {
    local t
    t=$(mpirun -n 1 --bind-to none "$1" preprocess --log "$input" --out "$out/features.h5" 2>&1 |
        awk '$1 == "parse" { print $4 }')
    [ -n "$t" ] || { echo "parse_ab.sh: no parse phase in $1's output" >&2; exit 1; }
    echo "$t"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# alternate FN: REPEAT pairs of `FN LOGAD` (which prints seconds) for the reference and this build,
# the reference first in odd pairs and second in even ones (the second run of a pair was often the
# faster here); prints a row per pair and leaves the medians in ref_s and new_s.
alternate() {
    local r a b ref_t=() new_t=()
    for r in $(seq 1 "$repeat"); do
        if [ $((r % 2)) = 1 ]; then
            a=$("$1" "$ref_logad")
            b=$("$1" "$logad")
        else
            b=$("$1" "$logad")
            a=$("$1" "$ref_logad")
        fi
        ref_t+=("$a")
        new_t+=("$b")
        awk -v r="$r" -v a="$a" -v b="$b" -v n="$bytes" -v rate="$2" 'BEGIN {
            if (rate) printf "| %d | %.3f | %.0f | %.3f | %.0f | %.2f |\n", r, a, n / 1e6 / a, b, n / 1e6 / b, a / b
            else printf "| %d | %.2f | %.2f | %.2f |\n", r, a, b, a / b }'
    done
    ref_s=$(median "${ref_t[@]}")
    new_s=$(median "${new_t[@]}")
}

echo "$input: $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, 1 rank x 1 thread, $repeat runs each, alternating"
echo "| run | $ref parse (s) | MB/s | this build parse (s) | MB/s | ratio |"
echo "|---|---|---|---|---|---|"
alternate parse_seconds 1
awk -v a="$ref_s" -v b="$new_s" -v n="$bytes" -v ref="$ref" 'BEGIN {
    printf "medians: %s %.3f s (%.0f MB/s), this build %.3f s (%.0f MB/s): %.2fx the reference rate\n",
           ref, a, n / 1e6 / a, b, n / 1e6 / b, a / b }'

[ -n "${RUN_NP:-}" ] || exit 0
# run_seconds LOGAD: one whole run at RUN_NP ranks; prints its wall seconds.
run_seconds() {
    local t0 t1 over=()
    [ "$RUN_NP" -gt "$(nproc)" ] && over=(--oversubscribe)
    rm -rf "$out/run" && mkdir -p "$out/run"
    t0=$(date +%s.%N)
    mpirun -n "$RUN_NP" "${over[@]}" --bind-to none "$1" run -q --log "$big" --labels "$big_labels" --model both \
        --out "$out/run/results" --models-dir "$out/run/models" >"$out/run/out.txt" 2>&1 ||
        { tail -5 "$out/run/out.txt" >&2; exit 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
cat "$big" >/dev/null
echo
echo "$big: run --model both --labels at $RUN_NP ranks x 1 thread, $repeat runs each, alternating"
echo "| run | $ref wall (s) | this build wall (s) | ratio |"
echo "|---|---|---|---|"
alternate run_seconds 0
awk -v a="$ref_s" -v b="$new_s" -v ref="$ref" 'BEGIN {
    printf "medians: %s %.2f s, this build %.2f s: %.2fx faster\n", ref, a, b, a / b }'
