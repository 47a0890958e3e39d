#!/usr/bin/env bash
# mining_speed.sh LOGAD [COPIES] [RANKS] - throughput of preprocess with template mining against the
# same preprocess with the HDFS templates given, and against `wc -l`, all on the same file in one run.
#
# The file is COPIES copies of data/raw/HDFS_2k.log with distinct block ids per copy
# (bench/make_hdfs_log.sh), kept in $OUT (default bench/out) between runs. Builds nothing. Threads per
# rank come from OMP_NUM_THREADS. Times are wall clock of the whole command, MPI start-up included;
# each is the best of $REPEAT runs (default 3).
set -euo pipefail
logad=${1:?usage: mining_speed.sh LOGAD [COPIES] [RANKS]}
copies=${2:-200}
ranks=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out}
repeat=${REPEAT:-3}
mpiexec=${MPIEXEC:-mpirun}
templates=$here/../data/templates/HDFS_templates.csv
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$out"
log=$out/hdfs_x$copies.log
[ -s "$log" ] || "$here/make_hdfs_log.sh" "$log" "$copies"
lines=$(wc -l <"$log")
bytes=$(stat -c %s "$log")

# best wall time of a command over $repeat runs
best() {
    local b="" t0 t1 t
    for _ in $(seq "$repeat"); do
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>"$out/speed.err" || { echo "failed: $* ($(tail -n 2 "$out/speed.err"))" >&2; exit 1; }
        t1=$(date +%s.%N)
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
        b=$(awk -v b="$b" -v t="$t" 'BEGIN { print (b == "" || t < b) ? t : b }')
    done
    echo "$b"
}

t_wc=$(best wc -l "$log")
t_tpl=$(best "$mpiexec" -n "$ranks" --oversubscribe "$logad" preprocess -q --log "$log" --templates "$templates" \
        --out "$out/speed_templates.h5")
t_mine=$(best "$mpiexec" -n "$ranks" --oversubscribe "$logad" preprocess -q --log "$log" --preset hdfs \
         --templates-out "$out/speed_mined_templates.csv" --out "$out/speed_mined.h5")
events=$(($(wc -l <"$out/speed_mined_templates.csv") - 1))

mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "file: $log ($lines lines, $mb MB); $ranks rank(s) x ${OMP_NUM_THREADS:-default} thread(s); best of $repeat"
printf '| run | seconds | lines/s | MB/s | vs wc -l |\n|---|---|---|---|---|\n'
for row in "wc -l:$t_wc" "preprocess --templates:$t_tpl" "preprocess mining ($events events):$t_mine"; do
    name=${row%%:*} t=${row##*:}
    awk -v n="$name" -v t="$t" -v l="$lines" -v b="$bytes" -v w="$t_wc" \
        'BEGIN { printf "| %s | %.3f | %.0f | %.1f | %.1fx |\n", n, t, l / t, b / 1e6 / t, t / w }'
done
