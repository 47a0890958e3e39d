#!/usr/bin/env bash
# Bad input to synth: a non-zero exit, one line on stderr that says what and where, and no output
# (nor temporary) left behind - not even the log when only the labels cannot be written.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
OUT=$T/out

# synth_fails NAME RC MESSAGE [ARGS...]: like expect_failure, plus exactly one stderr line and no outputs
synth_fails() {
    local name=$1
    expect_failure "$@"
    [ "$(wc -l <"$T/cli.err")" -eq 1 ] || fail "$name: stderr is not one line: $(cat "$T/cli.err")"
    [ -e "$OUT/x.log" ] && fail "$name: $OUT/x.log left behind"
    [ -e "$OUT/x.csv" ] && fail "$name: $OUT/x.csv left behind"
    rm -f "$OUT/x.log" "$OUT/x.csv"
}
out() { echo --out "$OUT/x.log" --labels-out "$OUT/x.csv"; }

synth_fails "missing sessions file" 1 "cannot read $T/none.tsv" synth --sessions "$T/none.tsv" $(out)
printf 'Normal\t5 5 22\nAnomaly\t5 99\n' >"$T/bad.tsv"
synth_fails "key out of range" 1 "bad.tsv:2: '99' is not an HDFS event key" synth --sessions "$T/bad.tsv" $(out)
printf 'Normal\t5 5 22\n\nAnomaly\t5 22 29 5\n' >"$T/k29.tsv"
synth_fails "key 29 (never occurs)" 1 "k29.tsv:3: '29' is not an HDFS event key" synth --sessions "$T/k29.tsv" $(out)
printf 'Normal 5 5 22\n' >"$T/notab.tsv"
synth_fails "no tab" 1 "notab.tsv:1: expected Normal|Anomaly, a tab" synth --sessions "$T/notab.tsv" $(out)
printf 'Normal\t5 5 22\nFailure\t5 22\n' >"$T/label.tsv"
synth_fails "unknown label" 1 "label.tsv:2: unknown label 'Failure'" synth --sessions "$T/label.tsv" $(out)
printf 'Normal\t5 5 22\nAnomaly\t\n' >"$T/empty.tsv"
synth_fails "empty sequence" 1 "empty.tsv:2: a session without events" synth --sessions "$T/empty.tsv" $(out)
: >"$T/nothing.tsv"
synth_fails "empty file" 1 "nothing.tsv holds no sessions" synth --sessions "$T/nothing.tsv" $(out)
synth_fails "a directory as sessions" 1 "$T" synth --sessions "$T" $(out)
printf 'Normal\t5 5 22\n' >"$T/normal_only.tsv"
synth_fails "no anomaly to draw" 1 "has no Anomaly session" synth --sessions "$T/normal_only.tsv" --anomalies 3 $(out)
synth_fails "nothing to write" 1 "nothing to write" synth --sessions "$T/normal_only.tsv" --normal 0 $(out)
synth_fails "missing --out" 2 "--sessions, --out and --labels-out are required" synth --sessions "$T/normal_only.tsv"
synth_fails "negative count" 2 "must be >= 0" synth --sessions "$T/normal_only.tsv" --normal -5 $(out)
synth_fails "zero rate" 2 "--blocks-per-second must be > 0" synth --sessions "$T/normal_only.tsv" --blocks-per-second 0 $(out)
synth_fails "same output twice" 2 "are the same file" synth --sessions "$T/normal_only.tsv" --out "$OUT/x.log" \
    --labels-out "$OUT/x.log"

# Output directory not writable: its parent path is a file (root may write anywhere, so no chmod).
touch "$T/afile"
synth_fails "log directory not writable" 1 "$T/afile exists and is not a directory" synth \
    --sessions "$T/normal_only.tsv" --out "$T/afile/x.log" --labels-out "$OUT/x.csv"
synth_fails "labels directory not writable" 1 "$T/afile exists and is not a directory" synth \
    --sessions "$T/normal_only.tsv" --out "$OUT/x.log" --labels-out "$T/afile/x.csv"
# A labels path that is a directory: refused before anything is written (it could not be renamed onto).
mkdir -p "$OUT/dir.csv/sub"
synth_fails "labels rename fails" 1 "cannot rename" synth --sessions "$T/normal_only.tsv" --out "$OUT/x.log" \
    --labels-out "$OUT/dir.csv"
# The same failure at 3 ranks.
"$MPIEXEC" -n 3 --oversubscribe "$LOGAD" synth --sessions "$T/k29.tsv" $(out) >"$T/mpi.out" 2>"$T/mpi.err"
[ $? -eq 1 ] || fail "3 ranks, key 29: exit code is not 1"
[ "$(grep -c 'error:' "$T/mpi.err")" -eq 1 ] || fail "3 ranks: not exactly one error line: $(cat "$T/mpi.err")"
grep -q "k29.tsv:3: '29'" "$T/mpi.err" || fail "3 ranks: message lacks file and line: $(cat "$T/mpi.err")"
[ -e "$OUT/x.log" ] && fail "3 ranks: log left behind"

# And a good run leaves exactly its two files.
"$LOGAD" synth -q --sessions "$T/normal_only.tsv" --normal 5 $(out) || fail "a good run failed"
[ -s "$OUT/x.log" ] && [ -s "$OUT/x.csv" ] || fail "a good run wrote no outputs"
no_leftovers "$T"
finish
