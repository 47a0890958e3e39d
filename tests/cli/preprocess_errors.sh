#!/usr/bin/env bash
# Bad input to preprocess: each case exits non-zero with one clear line on stderr and leaves no
# output (final or temporary) behind.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
OUT=$T/out/features.h5

expect_failure "missing log" 1 "cannot read $T/nope.log: No such file" \
    preprocess --log "$T/nope.log" --templates "$HDFS_TEMPLATES" --out "$OUT"
: >"$T/empty.log"
expect_failure "empty log" 1 "is empty" preprocess --log "$T/empty.log" --templates "$HDFS_TEMPLATES" --out "$OUT"
mkdir -p "$T/emptydir"
expect_failure "empty directory" 1 "holds no regular files" preprocess --log "$T/emptydir" --out "$OUT"
expect_failure "missing template file" 1 "cannot read template file $T/none.csv" \
    preprocess --log "$HDFS_LOG" --templates "$T/none.csv" --out "$OUT"
expect_failure "template file is a directory" 1 "not a regular file" \
    preprocess --log "$HDFS_LOG" --templates "$T" --out "$OUT"
printf 'EventId,EventTemplate\nE1,"unterminated\n' >"$T/bad.csv"
expect_failure "malformed template CSV" 1 "bad.csv:2: malformed CSV row" \
    preprocess --log "$HDFS_LOG" --templates "$T/bad.csv" --out "$OUT"
printf 'Id,Text\nE1,x\n' >"$T/nohdr.csv"
expect_failure "template CSV without header" 1 "EventId and EventTemplate" \
    preprocess --log "$HDFS_LOG" --templates "$T/nohdr.csv" --out "$OUT"
expect_failure "no --log" 2 "no input" preprocess --out "$OUT"
expect_failure "unknown option" 2 "unknown option '--frobnicate'" preprocess --log "$HDFS_LOG" --frobnicate
expect_failure "bad number" 2 "--max-line: 'lots' is not a valid size" preprocess --log "$HDFS_LOG" --max-line lots
expect_failure "unknown command" 2 "unknown command 'prepocess'" prepocess --log "$HDFS_LOG"
[ -e "$OUT" ] && fail "an output file was left at $OUT"
no_leftovers "$T"

# An output that cannot be written: the error names it, and nothing is left in its place.
mkdir -p "$T/ro" && touch "$T/ro/file"
expect_failure "output under a file" 1 "$T/ro/file exists and is not a directory" preprocess --log "$HDFS_LOG" --templates "$HDFS_TEMPLATES" --out "$T/ro/file/x.h5"
no_leftovers "$T"

# --help works for every command and exits 0
for cmd in preprocess features train detect run synth parse-eval; do
    "$LOGAD" "$cmd" --help >"$T/help.txt" 2>&1 || fail "$cmd --help exits non-zero"
    grep -q "usage: logad $cmd" "$T/help.txt" || fail "$cmd --help has no usage line"
done
"$LOGAD" --help | grep -q "commands:" || fail "logad --help lists no commands"
finish
