#!/usr/bin/env bash
# --summary tells the whole story: written on failure too (status, exit code, the error line), with the
# outputs committed (each of which exists), placement, peak RSS and a total time; the thread count
# follows SLURM_CPUS_PER_TASK when OMP_NUM_THREADS is unset, and --threads wins over both.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
json() { sed -n "s/.*\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -1; }

# Success: outputs listed and present, phase table with the total and peak RSS.
run_np 2 run --log "$HDFS_LOG" --out "$T/ok" --models-dir "$T/ok/models" --summary "$T/ok/summary.json" \
    || fail "run: $(cat "$T/run.err")"
S=$T/ok/summary.json
[ "$(json "$S" status)" = ok ] && [ "$(json "$S" exit_code)" = 0 ] && grep -q '"error": null' "$S" \
    || fail "ok run: $(head -4 "$S")"
for f in anomalies.csv verdicts.h5 report.html models/pca.h5; do
    grep -qx "    \"$T/ok/$f\",\{0,1\}" "$S" || fail "ok run: $f not among the outputs"
done
sed -n '/"outputs"/,/]/p' "$S" | grep -o '"/[^"]*"' | tr -d '"' | while read -r f; do
    [ -f "$f" ] || echo "FAIL: listed output $f does not exist" >&2
done 2>&1 | grep -q FAIL && fail "the summary lists outputs that do not exist"
[ "$(json "$S" nodes)" = 1 ] || fail "nodes: $(json "$S" nodes)"
grep -q '"peak_rss_mib": {"min": [1-9]' "$S" || fail "no peak RSS: $(grep peak_rss "$S")"
grep -q '"total": {"min": 0\.0*[1-9]' "$S" || fail "no total time: $(grep '"total"' "$S")"
grep -q '^peak RSS (MiB) ' "$T/run.out" && grep -q '^total ' "$T/run.out" || fail "phase table lacks total or peak RSS"

# A failure in the first stage, and one after ingest: the summary says so and keeps what was counted.
run_np 2 run --log "$T/missing.log" --out "$T/bad1" --summary "$T/bad1/summary.json"
[ $? -eq 1 ] || fail "missing log: exit not 1"
S=$T/bad1/summary.json
[ "$(json "$S" status)" = failed ] && [ "$(json "$S" exit_code)" = 1 ] || fail "missing log: summary $(head -4 "$S" 2>&1)"
grep -q '"error": "cannot read .*missing.log' "$S" || fail "missing log: error $(grep '"error"' "$S")"
printf 'BlockId,Label\nblk_1,Anomaly\n' >"$T/other_labels.csv"
run_np 2 run --log "$HDFS_LOG" --labels "$T/other_labels.csv" --out "$T/bad2" --summary "$T/bad2/summary.json"
[ $? -eq 1 ] || fail "unmatched labels: exit not 1"
S=$T/bad2/summary.json
[ "$(json "$S" status)" = failed ] && [ "$(json "$S" lines)" = 2000 ] || fail "late failure: $(head -4 "$S" 2>&1)"
grep -q "\"error\": \"$(grep -o 'error: .*' "$T/run.err" | head -1 | cut -c8-30)" "$S" \
    || fail "late failure: summary error differs from stderr: $(grep '"error"' "$S") vs $(cat "$T/run.err")"
"$LOGAD" run --bogus --summary "$T/usage.json" >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$T/usage.json" ] || fail "a bad command line should exit 2 and write no summary"

# Threads: SLURM_CPUS_PER_TASK when OMP_NUM_THREADS is unset; OMP_NUM_THREADS, then --threads, win.
threads() { # threads ENV... -- ARGS: "N source" of a 1-rank run
    env "$@" --summary "$T/t.json" >/dev/null 2>&1 || echo "exit $?"
    echo "$(json "$T/t.json" threads_per_rank) $(json "$T/t.json" threads_from)"
}
base=(run --log "$HDFS_LOG" --out "$T/th" --models-dir "$T/th/m" --no-report)
got=$(threads -u OMP_NUM_THREADS SLURM_CPUS_PER_TASK=3 "$LOGAD" "${base[@]}")
[ "$got" = "3 SLURM_CPUS_PER_TASK" ] || fail "SLURM_CPUS_PER_TASK=3: $got"
got=$(threads OMP_NUM_THREADS=2 SLURM_CPUS_PER_TASK=3 "$LOGAD" "${base[@]}")
[ "$got" = "2 OMP_NUM_THREADS" ] || fail "OMP_NUM_THREADS=2 with SLURM_CPUS_PER_TASK=3: $got"
got=$(threads -u OMP_NUM_THREADS SLURM_CPUS_PER_TASK=3 "$LOGAD" "${base[@]}" --threads 1)
[ "$got" = "1 --threads" ] || fail "--threads 1 with SLURM_CPUS_PER_TASK=3: $got"
no_leftovers "$T"
finish
