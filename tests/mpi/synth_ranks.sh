#!/usr/bin/env bash
# logad synth writes byte-identical logs and labels at 1, 2, 3, 4 and 7 ranks and at 1 or 3 threads;
# every block of the log is labelled and every label names a block of the log; the log is in time
# order; with every session used once, the log has exactly the sessions' lines, block by block; and
# preprocess finds every line a template and every block.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv

# blocks_of LOG: the block id of every line (a line may name its block twice, never two blocks)
blocks_of() {
    sed -n 's/.*\(blk_-\{0,1\}[0-9][0-9]*\).*/\1/p' "$1"
}

# ---- resampled: 300 normal and 40 anomalous blocks drawn from the real sessions ----
for np in 1 2 3 4 7; do
    run_np $np synth --sessions "$SESSIONS" --out "$T/s$np.log" --labels-out "$T/l$np.csv" --normal 300 --anomalies 40 \
        --seed 7 || { fail "synth np=$np: $(cat "$T/run.err")"; continue; }
    if [ $np -gt 1 ]; then
        cmp -s "$T/s1.log" "$T/s$np.log" || fail "np=$np: the log differs from np=1"
        cmp -s "$T/l1.csv" "$T/l$np.csv" || fail "np=$np: the labels differ from np=1"
    fi
done
grep -q "340 blocks: 300 normal, 40 anomalous" "$T/run.out" || fail "no closing report: $(cat "$T/run.out")"
grep -q "MB/s" "$T/run.out" || fail "no speed in the closing report"
for threads in 1 3; do
    run_np 2 synth --threads $threads --sessions "$SESSIONS" --out "$T/t$threads.log" --labels-out "$T/t$threads.csv" \
        --normal 300 --anomalies 40 --seed 7 || fail "synth --threads $threads: $(cat "$T/run.err")"
    cmp -s "$T/s1.log" "$T/t$threads.log" || fail "--threads $threads: the log differs"
done
[ "$(head -n 1 "$T/l1.csv")" = "BlockId,Label" ] || fail "labels lack the BlockId,Label header"
[ "$(sed 1d "$T/l1.csv" | wc -l)" -eq 340 ] || fail "expected 340 label rows"
[ "$(grep -c ',Anomaly$' "$T/l1.csv")" -eq 40 ] || fail "expected 40 anomalies"
[ "$(grep -c ',Normal$' "$T/l1.csv")" -eq 300 ] || fail "expected 300 normal blocks"
blocks_of "$T/s1.log" | sort -u >"$T/log_blocks"
sed 1d "$T/l1.csv" | cut -d, -f1 | sort -u >"$T/label_blocks"
[ "$(wc -l <"$T/label_blocks")" -eq 340 ] || fail "label rows name the same block twice"
cmp -s "$T/log_blocks" "$T/label_blocks" || fail "the log's blocks and the labels' blocks differ"
[ "$(blocks_of "$T/s1.log" | wc -l)" -eq "$(wc -l <"$T/s1.log")" ] || fail "a line names no block"
! grep -q $'\r' "$T/s1.log" || fail "CR in the log: lines must end in LF"
awk '{ t = $1 $2; if (t < last) { print "line " NR " goes back in time"; exit 1 } last = t }' "$T/s1.log" \
    || fail "log not sorted by time"
run_np 2 synth --sessions "$SESSIONS" --out "$T/other.log" --labels-out "$T/other.csv" --normal 300 --anomalies 40 --seed 8
cmp -s "$T/s1.log" "$T/other.log" && fail "--seed changes nothing"

# ---- every session once: the log has the sessions' lines, block by block ----
awk -F'\t' '$1 == "Normal" && n < 150 { print; n++ } $1 == "Anomaly" && a < 50 { print; a++ }' "$SESSIONS" >"$T/subset.tsv"
want_lines=$(awk -F'\t' '{ s += split($2, k, " ") } END { print s }' "$T/subset.tsv")
awk -F'\t' '{ print $1, split($2, k, " ") }' "$T/subset.tsv" | sort >"$T/want_lengths"
for np in 1 3; do
    run_np $np synth --sessions "$T/subset.tsv" --out "$T/once$np.log" --labels-out "$T/once$np.csv" \
        || { fail "synth once np=$np: $(cat "$T/run.err")"; continue; }
    [ "$(wc -l <"$T/once$np.log")" -eq "$want_lines" ] || fail "np=$np: $(wc -l <"$T/once$np.log") lines, want $want_lines"
done
cmp -s "$T/once1.log" "$T/once3.log" || fail "every-session-once log differs between 1 and 3 ranks"
# (label, lines) of every block must be (label, length) of every session
blocks_of "$T/once1.log" | sort | uniq -c | awk '{ print $2, $1 }' | sort >"$T/block_lines"
sed 1d "$T/once1.csv" | tr , ' ' | sort >"$T/block_labels"
join "$T/block_labels" "$T/block_lines" | awk '{ print $2, $3 }' | sort >"$T/got_lengths"
cmp -s "$T/want_lengths" "$T/got_lengths" || fail "blocks' (label, line count) differ from the sessions' (label, length)"

# ---- preprocess reads it all: every line matches a template, every block is found ----
run_np 2 preprocess --log "$T/s1.log" --templates "$HDFS_TEMPLATES" --out "$T/f.h5" || fail "preprocess: $(cat "$T/run.err")"
lines=$(wc -l <"$T/s1.log")
h5dump -a /lines "$T/f.h5" | grep -q "(0): $lines" || fail "preprocess did not count $lines lines"
h5dump -a /unmatched_lines "$T/f.h5" | grep -q "(0): 0" || fail "synthetic lines matched no template"
h5dump -d /sessions "$T/f.h5" | grep -q "( 340 )" || fail "preprocess did not find 340 blocks"
no_leftovers "$T"
finish
