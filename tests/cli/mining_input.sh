#!/usr/bin/env bash
# Odd lines that mining must take in stride: an empty line and a line whose header has no content.
# The run succeeds, warns about both (naming the first misfit line), and still gives every line a row
# and an event, the empty messages all one event.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP

{ head -n 2 "$HDFS_LOG"; printf '\n'; echo '081109 203615 148 INFO dfs.DataNode$PacketResponder:'; printf '\r\n';
  sed -n '3,10p' "$HDFS_LOG"; } >"$T/odd.log"
"$LOGAD" preprocess --log "$T/odd.log" --structured-out "$T/s.csv" --templates-out "$T/t.csv" --out "$T/f.h5" \
    >"$T/out.txt" 2>"$T/err.txt"
rc=$?
[ "$rc" -eq 0 ] || fail "exit $rc: $(cat "$T/err.txt")"
grep -qF "3 lines do not fit the log format (first: line 3)" "$T/err.txt" || fail "no misfit warning: $(cat "$T/err.txt")"
grep -qF "2 lines have an empty message" "$T/err.txt" || fail "no empty-message warning: $(cat "$T/err.txt")"
[ "$(wc -l <"$T/s.csv")" -eq 14 ] || fail "structured output has $(($(wc -l <"$T/s.csv") - 1)) rows, expected 13"
# both empty lines (3 and 5) got the same mined event, and no other line has it
ev3=$(awk -F, '$1 == 3 { print $(NF-1) }' "$T/s.csv")
ev5=$(awk -F, '$1 == 5 { print $(NF-1) }' "$T/s.csv")
[[ "$ev3" =~ ^M[0-9]+$ ]] || fail "the empty line has no mined event ('$ev3')"
[ "$ev3" == "$ev5" ] || fail "the empty lines got different events ($ev3, $ev5)"
[ "$(awk -F, -v e="$ev3" '$(NF-1) == e' "$T/s.csv" | wc -l)" -eq 2 ] || fail "event $ev3 holds more than the empty lines"
finish
