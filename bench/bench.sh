#!/usr/bin/env bash
# bench.sh - how fast preprocess (partition, parse, count, reduce, write) runs, as ratios against
# references measured in the same run on the same file:
#   wc -l              the floor for "read every byte and find every newline" on one core
#   1 rank             for the parallel speedup of N ranks (and of threads inside one rank)
# Usage: bench/bench.sh [LOGAD]   Environment:
#   INPUT     log to read (default: synthesized once at the real anomaly ratio into $OUT)
#   BLOCKS    blocks of that synthetic log (default 200000: about 3.9M lines, 560 MB)
#   RANKS     rank counts to try (default "1 2"), THREADS threads per rank (default "1")
#   MODES     "templates mined" (events from loghub's template file, or mined)
#   REPEAT    runs per configuration, the best is kept (default 3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logad=${1:-$here/../build/logad}
out=${OUT:-$here/out/bench}
ranks=${RANKS:-1 2}
threads=${THREADS:-1}
modes=${MODES:-templates mined}
repeat=${REPEAT:-3}
mkdir -p "$out"
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OPENBLAS_NUM_THREADS=1

input=${INPUT:-}
if [ -z "$input" ]; then
    input=$out/hdfs_synth.log
    blocks=${BLOCKS:-200000}
    anomalies=$((blocks * 16838 / 575061))
    if [ ! -s "$input" ]; then
        mpirun -n 2 --oversubscribe "$logad" synth -q --sessions "$here/../data/hdfs_v1_sessions/sessions_dev.tsv" \
            --out "$input" --labels-out "$out/hdfs_synth_labels.csv" --normal $((blocks - anomalies)) --anomalies $anomalies
    fi
fi
bytes=$(stat -c %s "$input")
cat "$input" >/dev/null # warm the page cache: every run below reads from memory
lines=$(wc -l <"$input")

best_of() { # best_of CMD...: the best wall time (s) of $repeat runs
    local best=""
    for _ in $(seq "$repeat"); do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>"$out/last.err" || { cat "$out/last.err" >&2; return 1; }
        t1=$(date +%s.%N)
        best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { t = b - a; print (best == "" || t < best) ? t : best }')
    done
    echo "$best"
}

wc_time=$(best_of wc -l "$input")
cores=$(nproc)
echo "input: $input, $lines lines, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB; $cores cores"
echo "reference: wc -l $(awk -v t="$wc_time" -v b="$bytes" 'BEGIN { printf "%.3f s (%.0f MB/s)", t, b / 1e6 / t }')"
printf '| events | ranks x threads | wall (s) | lines/s | MB/s | x wc -l time | speedup vs 1x1 |\n'
printf '|---|---|---|---|---|---|---|\n'
for mode in $modes; do
    extra=()
    [ "$mode" = templates ] && extra=(--templates "$here/../data/templates/HDFS_templates.csv")
    base=""
    for np in $ranks; do
        for t in $threads; do
            over=()
            [ $((np * t)) -gt "$cores" ] && over=(--oversubscribe)
            w=$(best_of mpirun -n "$np" "${over[@]}" --bind-to none -x OMP_NUM_THREADS="$t" "$logad" preprocess -q \
                --log "$input" "${extra[@]}" --out "$out/features.h5")
            [ -n "$base" ] || base=$w
            awk -v m="$mode" -v np="$np" -v t="$t" -v w="$w" -v l="$lines" -v b="$bytes" -v wc="$wc_time" -v base="$base" \
                'BEGIN { printf "| %s | %d x %d | %.3f | %.0f | %.1f | %.1f | %.2f |\n", m, np, t, w, l / w, b / 1e6 / w, w / wc, base / w }'
        done
    done
done
