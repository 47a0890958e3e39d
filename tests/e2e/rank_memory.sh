#!/usr/bin/env bash
# rank_memory.sh - no rank holds a buffer of the global size: `run` (both models, labels, report) on a
# synthetic log of 82,400 blocks spread over 7 ranks, and rank 0's peak RSS (report.html gives every
# rank's) may exceed the other ranks' median by at most a margin well below the size of the whole
# count matrix as dense int64 (what a gather of all rows, or a redistribution onto one process, would
# hold there). The ranks' peaks must also be close to each other: memory follows each rank's share.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv

run_np 2 synth --sessions "$SESSIONS" --out "$T/big.log" --labels-out "$T/big.csv" --normal 80000 --anomalies 2400 \
    --seed 5 || fail "synth: $(cat "$T/run.err")"
OMP_NUM_THREADS=1 run_np 7 run --log "$T/big.log" --labels "$T/big.csv" --model both --out "$T/out" \
    --models-dir "$T/models" --summary "$T/summary.json" --chunk-size 1M || fail "run at 7 ranks: $(cat "$T/run.err")"

# "rank N (host): ... s in all, peak RSS X MiB" in each rank bar's title.
sed -n 's/.*<title>rank \([0-9]*\) ([^)]*): [0-9.]* s in all, peak RSS \([0-9.]*\) MiB.*/\1 \2/p' \
    "$T/out/report.html" >"$T/rss.txt"
[ "$(wc -l <"$T/rss.txt")" -eq 7 ] || fail "report.html does not give the peak RSS of 7 ranks: $(cat "$T/rss.txt")"
sessions=$(sed -n 's/.*"sessions": \([0-9]*\).*/\1/p' "$T/summary.json")
events=$(sed -n 's/.*"events": \([0-9]*\).*/\1/p' "$T/summary.json")
awk -v sessions="$sessions" -v events="$events" '
    { rss[$1] = $2; if ($1 != 0) others[n++] = $2 }
    END {
        for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (others[j] < others[i]) { t = others[i]; others[i] = others[j]; others[j] = t }
        median = (others[2] + others[3]) / 2
        dense = sessions * events * 8 / 1048576
        margin = 0.1 * median > 6 ? 0.1 * median : 6
        printf "peak RSS per rank (MiB): rank 0 %.1f, others %.1f..%.1f (median %.1f); dense count matrix %.1f MiB, margin %.1f MiB\n",
            rss[0], others[0], others[n - 1], median, dense, margin
        if (!(margin < dense)) { print "FAIL: the log is too small for the margin to mean anything"; exit 1 }
        if (rss[0] > median + margin) { print "FAIL: rank 0 holds more than its share"; exit 1 }
        if (others[n - 1] > others[0] + 2 * margin) { print "FAIL: ranks far apart"; exit 1 }
    }' "$T/rss.txt" || fail "per-rank memory"
finish
