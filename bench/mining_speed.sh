#!/usr/bin/env bash
# mining_speed.sh LOGAD [RANKS] - how fast preprocess parses, with template mining and with the HDFS
# template file, on synthetic HDFS logs of two sizes (SMALL and LARGE normal blocks, default 200000
# and 800000: about 0.56 and 2.2 GB, made once by `logad synth` and kept in $OUT, default
# bench/out/speed). Builds nothing.
#
# For each events source and size, the best of $REPEAT (default 3) runs of preprocess with --summary
# at RANKS ranks (default 1) x THREADS threads (default 1), interleaved (mined, templates, mined, ...)
# so that a change in the machine's load hits both alike:
#   parse MB/s     bytes / the parse phase timer (max over ranks): the per-line work alone
#   whole (s)      wall time of the command, MPI start-up and every phase included
#   marginal MB/s  (large bytes - small bytes) / (large whole - small whole): what one more byte
#                  costs preprocess, without the fixed cost of starting the job
#   CPU (s)        user + system time of all processes (what a quiet machine would take, about)
# and `wc -l` on the large file as the floor for reading every byte. Needs GNU time (Debian: time).
set -euo pipefail
logad=${1:?usage: mining_speed.sh LOGAD [RANKS]}
ranks=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out/speed}
repeat=${REPEAT:-3}
threads=${THREADS:-1}
small=${SMALL:-200000}
large=${LARGE:-800000}
mpiexec=${MPIEXEC:-mpirun}
templates=$here/../data/templates/HDFS_templates.csv
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OPENBLAS_NUM_THREADS=1
mkdir -p "$out"

# the log of N normal blocks (and anomalies at HDFS_v1's ratio), made once
make_log() {
    local n=$1 log=$out/hdfs_$1.log
    if [ ! -s "$log" ]; then
        "$mpiexec" -n 2 --oversubscribe "$logad" synth -q --sessions "$here/../data/hdfs_v1_sessions/sessions_dev.tsv" \
            --out "$log" --labels-out "$out/hdfs_$n.labels.csv" --normal "$n" --anomalies $((n * 3 / 100)) >&2
    fi
    echo "$log"
}

# run MODE LOG: one preprocess; prints "whole parse cpu" (seconds)
run() {
    local mode=$1 log=$2 extra=()
    [ "$mode" = templates ] && extra=(--templates "$templates")
    /usr/bin/env time -f "%e %U %S" -o "$out/time.txt" "$mpiexec" -n "$ranks" --oversubscribe "$logad" preprocess -q \
        -t "$threads" --log "$log" "${extra[@]}" --out "$out/features.h5" --summary "$out/summary.json" \
        2>"$out/last.err" >/dev/null || { echo "preprocess failed: $(tail -n 2 "$out/last.err")" >&2; exit 1; }
    local parse
    parse=$(grep -o '"parse": {[^}]*}' "$out/summary.json" | grep -o '"max": [0-9.e+-]*' | awk '{ print $2 }')
    awk -v p="$parse" '{ printf "%s %s %.3f\n", $1, p, $2 + $3 }' "$out/time.txt"
}

small_log=$(make_log "$small")
large_log=$(make_log "$large")
declare -A best # best[mode,size,what]
for size in small large; do
    log=$small_log
    [ "$size" = large ] && log=$large_log
    cat "$log" >/dev/null # from the page cache from here on
    for _ in $(seq "$repeat"); do
        for mode in mined templates; do
            read -r whole parse cpu < <(run "$mode" "$log")
            for what in whole parse cpu; do
                v=${!what}
                k="$mode,$size,$what"
                best[$k]=$(awk -v b="${best[$k]:-}" -v v="$v" 'BEGIN { print (b == "" || v < b) ? v : b }')
            done
        done
    done
done

bytes_small=$(stat -c %s "$small_log")
bytes_large=$(stat -c %s "$large_log")
t0=$(date +%s.%N)
wc -l "$large_log" >/dev/null
t1=$(date +%s.%N)
echo "logs: $small_log ($bytes_small bytes), $large_log ($bytes_large bytes); $ranks rank(s) x $threads thread(s);" \
     "best of $repeat; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "wc -l on the large log: $(awk -v a="$t0" -v b="$t1" -v n="$bytes_large" 'BEGIN { printf "%.2f s, %.0f MB/s", b - a, n / 1e6 / (b - a) }')"
printf '| events | parse MB/s (small) | parse MB/s (large) | whole s (small) | whole s (large) | marginal MB/s | CPU s (small) | CPU s (large) | marginal MB/s by CPU |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for mode in mined templates; do
    awk -v m="$mode" -v bs="$bytes_small" -v bl="$bytes_large" \
        -v ps="${best[$mode,small,parse]}" -v pl="${best[$mode,large,parse]}" \
        -v ws="${best[$mode,small,whole]}" -v wl="${best[$mode,large,whole]}" \
        -v cs="${best[$mode,small,cpu]}" -v cl="${best[$mode,large,cpu]}" \
        'BEGIN { printf "| %s | %.0f | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.0f |\n", m, bs / 1e6 / ps, bl / 1e6 / pl,
                 ws, wl, (bl - bs) / 1e6 / (wl - ws), cs, cl, (bl - bs) / 1e6 / (cl - cs) }'
done
