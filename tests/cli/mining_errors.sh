#!/usr/bin/env bash
# Bad input to template mining: a log format that does not fit the log (the error names the first
# line that does not fit, also when another rank read it), an unknown preset, a mask or window that
# does not parse. Each exits non-zero with one clear line on stderr and leaves no output behind.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
OUT=$T/out/features.h5

first60='081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketR'
expect_failure "format fits no line" 1 "log format '<Date> <Time> \[<Level>\] <Content>' does not fit the input: line 1: $first60" \
    preprocess --log "$HDFS_LOG" --log-format '<Date> <Time> \[<Level>\] <Content>' --out "$OUT"
expect_failure "wrong preset for the log" 1 "log format '\\[<Time>\\] \\[<Level>\\] <Content>' does not fit the input: line 1: 081109 203615" \
    preprocess --log "$HDFS_LOG" --preset apache --out "$OUT"

# three good lines, then lines of another kind: the first bad one is line 4
head -n 3 "$HDFS_LOG" >"$T/mixed.log"
for i in 1 2 3 4 5 6; do echo "garbage line number $i without a header" >>"$T/mixed.log"; done
expect_failure "format fits the first lines only" 1 "does not fit the input: line 4: garbage line number 1 without a header (6 of 9 lines" \
    preprocess --log "$T/mixed.log" --out "$OUT"
# the same at 3 ranks: the line number is global, the text comes from whichever rank read it
run_np 3 preprocess --log "$T/mixed.log" --out "$OUT" && fail "3 ranks: a misfit format was accepted"
grep -qF "does not fit the input: line 4: garbage line number 1" "$T/run.err" \
    || fail "3 ranks: stderr lacks the first misfit line: $(head -c 300 "$T/run.err")"
[ "$(grep -c 'error:' "$T/run.err")" -eq 1 ] || fail "3 ranks: not exactly one error line"

# fewer than half the lines do not fit: not an error, but a warning naming the first
head -n 10 "$HDFS_LOG" >"$T/few.log"
echo "one stray line" >>"$T/few.log"
"$LOGAD" preprocess --log "$T/few.log" --out "$T/few.h5" >"$T/few.out" 2>"$T/few.err" || fail "one stray line: exit $?"
grep -qF "1 lines do not fit the log format (first: line 11)" "$T/few.err" || fail "one stray line: no warning: $(cat "$T/few.err")"

expect_failure "unknown preset" 2 "unknown preset 'nope'" preprocess --log "$HDFS_LOG" --preset nope --out "$OUT"
expect_failure "bad mask" 2 "mask pattern '(blk_' does not compile" \
    preprocess --log "$HDFS_LOG" --mask '(blk_' --out "$OUT"
expect_failure "bad window" 2 "--window 'hourly'" preprocess --log "$HDFS_LOG" --window hourly --out "$OUT"
expect_failure "window without time fields" 2 "--window needs a <Timestamp>, <Date> or <Time> field" \
    preprocess --log "$HDFS_LOG" --log-format '<Pid> <Content>' --window fixed:60 --out "$OUT"
expect_failure "mask with templates" 2 "--mask applies to template mining" \
    preprocess --log "$HDFS_LOG" --templates "$HDFS_TEMPLATES" --mask 'x' --out "$OUT"
[ -e "$OUT" ] && fail "an output file was left at $OUT"
no_leftovers "$T"
finish
