#!/usr/bin/env bash
# logad synth writes byte-identical logs and labels at 1, 2, 3, 4 and 7 ranks; every block of the log
# is labelled, every label names a block of the log, and the log has exactly the chosen sessions' lines.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv

for np in 1 2 3 4 7; do
    run_np $np synth --sessions "$SESSIONS" --out "$T/s$np.log" --labels-out "$T/l$np.csv" --normal 300 --anomalies 40 \
        --seed 7 || { fail "synth np=$np: $(cat "$T/run.err")"; continue; }
    if [ $np -gt 1 ]; then
        cmp -s "$T/s1.log" "$T/s$np.log" || fail "np=$np: the log differs from np=1"
        cmp -s "$T/l1.csv" "$T/l$np.csv" || fail "np=$np: the labels differ from np=1"
    fi
done
[ "$(sed 1d "$T/l1.csv" | wc -l)" -eq 340 ] || fail "expected 340 label rows"
[ "$(grep -c ',Anomaly$' "$T/l1.csv")" -eq 40 ] || fail "expected 40 anomalies"
grep -o 'blk_-\?[0-9]*' "$T/s1.log" | sort -u >"$T/log_blocks"
sed 1d "$T/l1.csv" | cut -d, -f1 | sort -u >"$T/label_blocks"
cmp -s "$T/log_blocks" "$T/label_blocks" || fail "the log's blocks and the labels' blocks differ"
# timestamps never go backwards
awk '{ t = $1 $2; if (t < last) { print "line " NR " goes back in time"; exit 1 } last = t }' "$T/s1.log" || fail "log not sorted by time"
# a different seed gives a different log
run_np 2 synth --sessions "$SESSIONS" --out "$T/other.log" --labels-out "$T/other.csv" --normal 300 --anomalies 40 --seed 8
cmp -s "$T/s1.log" "$T/other.log" && fail "--seed changes nothing"
# lines = sum of the drawn sessions' lengths: preprocess must count every line as an event of its block
run_np 2 preprocess --log "$T/s1.log" --templates "$HDFS_TEMPLATES" --out "$T/f.h5" || fail "preprocess: $(cat "$T/run.err")"
lines=$(wc -l <"$T/s1.log")
h5dump -a /lines "$T/f.h5" | grep -q "(0): $lines" || fail "preprocess did not count $lines lines"
h5dump -a /unmatched_lines "$T/f.h5" | grep -q "(0): 0" || fail "synthetic lines matched no template"
h5dump -d /sessions "$T/f.h5" | grep -q "( 340 )" || fail "preprocess did not find 340 blocks"
finish
