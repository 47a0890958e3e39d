#!/usr/bin/env bash
# Everything that can be checked before the input is read is: each output location (the error names
# the option and the path), the labels file, and option combinations that could only fail later.
# A failure comes before any input is read: with an input that is missing too, the error is the
# output's; with a big input, the failure takes under a second more than a bad command line does.
source "$(dirname "$0")/../lib_test.sh"
source "$(dirname "$0")/lib_fault.sh"
make_big_log
touch "$T/afile"
# A directory even root cannot write in: /sys; and one made read-only where we are not root.
RO=/sys
if [ "$(id -u)" -ne 0 ]; then
    mkdir -p "$T/ro" && chmod 555 "$T/ro" && RO=$T/ro
fi
A=(--log "$BIG" --templates "$HDFS_TEMPLATES")

# expect_early NAME RC MESSAGE ARGS...: fails so, on 1 rank, and not later than a bad command line
usage_ms=0
for i in 1 2 3; do
    start=$(date +%s%N)
    "$LOGAD" run --log "$BIG" --frobnicate 2>/dev/null
    ms=$((($(date +%s%N) - start) / 1000000))
    [ "$usage_ms" -ne 0 ] && [ "$usage_ms" -le "$ms" ] || usage_ms=$ms
done
expect_early() {
    local name=$1 rc=$2 msg=$3 start ms
    shift 3
    start=$(date +%s%N)
    expect_failure "$name" "$rc" "$msg" "$@"
    ms=$((($(date +%s%N) - start) / 1000000))
    [ "$ms" -lt $((usage_ms + 1000)) ] || fail "$name: took $ms ms (a bad command line: $usage_ms ms)"
}

expect_early "run --out under a file" 1 "--out: $T/afile exists and is not a directory" run "${A[@]}" --out "$T/afile/res"
expect_early "run --out not writable" 1 "--out: cannot create directory $RO/res" run "${A[@]}" --out "$RO/res"
expect_early "run --out writable by nobody" 1 "--out: cannot write in $RO" detect "${A[@]}" --model-in "$T/none.h5" --out "$RO"
expect_early "run --models-dir" 1 "--models-dir: $T/afile exists and is not a directory" run "${A[@]}" --out "$T/res" \
    --models-dir "$T/afile/m"
expect_early "preprocess target" 1 "--out: cannot write in $RO" preprocess "${A[@]}" --out "$RO/features.h5"
expect_early "train target" 1 "--model-out: $T/afile exists and is not a directory" train --model pca "${A[@]}" \
    --model-out "$T/afile/pca.h5"
expect_early "summary" 1 "--summary: cannot write in $RO" preprocess "${A[@]}" --out "$T/f.h5" --summary "$RO/s.json"
expect_early "structured-out" 1 "--structured-out: $T/afile exists" preprocess "${A[@]}" --out "$T/f.h5" \
    --structured-out "$T/afile/s.csv"
mkdir -p "$T/res/anomalies.csv"
expect_early "an output that is a directory" 1 "--out: cannot rename an output onto $T/res/anomalies.csv: it is a directory" \
    run "${A[@]}" --out "$T/res"
rmdir "$T/res/anomalies.csv" "$T/res"
expect_early "missing labels" 1 "--labels: cannot read $T/none.csv: No such file" run "${A[@]}" --labels "$T/none.csv" --out "$T/res"
expect_early "labels with windows" 2 "--labels name HDFS blocks; they cannot be used with --window" run --log "$BIG" \
    --labels "$BIG_LABELS" --window fixed:60 --out "$T/res"
expect_early "labels with windows (train)" 2 "cannot be used with --window" train --model logreg --log "$BIG" \
    --labels "$BIG_LABELS" --window sliding:60,30
expect_early "bad transform" 2 "--transform: unknown item 'bogus'" run "${A[@]}" --transform tfidf,bogus --out "$T/res"
expect_early "output is an input" 2 "--out: $BIG is also an input (--log)" preprocess --log "$BIG" --out "$BIG"
expect_early "output named twice" 2 "--out and --summary are the same file $T/res/verdicts.h5" run "${A[@]}" \
    --out "$T/res" --summary "$T/res/verdicts.h5"
mkdir -p "$T/logs" && cp "$HDFS_LOG" "$T/logs/"
expect_early "outputs in the input directory" 2 "--out: $T/logs is an input directory (--log $T/logs)" run --log "$T/logs" \
    --out "$T/logs"

# The output is checked before the input: with both wrong, the error is the output's.
expect_failure "output before input" 1 "--out: $T/afile exists and is not a directory" run --log "$T/none.log" \
    --out "$T/afile/res"
# Directories the failed run created are gone again; nothing else is left.
expect_failure "created directories removed" 1 "--models-dir: cannot create directory $RO/m" run "${A[@]}" \
    --out "$T/new/deeper/res" --models-dir "$RO/m"
[ -e "$T/new" ] && fail "created directories removed: $T/new is still there"

# At 2 and 3 ranks: the same single line and exit code.
for np in 2 3; do
    run_np "$np" run "${A[@]}" --out "$RO/res"
    rc=$?
    [ "$rc" -eq 1 ] || fail "np=$np: exit $rc"
    [ "$(grep -c '^logad: error:' "$T/run.err")" -eq 1 ] || fail "np=$np: not one error line: $(cat "$T/run.err")"
    grep -q "^logad: error: --out: cannot create directory $RO/res" "$T/run.err" || fail "np=$np: $(grep logad "$T/run.err")"
done
no_trace "$T"
[ -e "$T/res" ] && fail "a failed run left $T/res"
finish
