#!/usr/bin/env bash
# Hostile input lines: each must be parsed in bounded time and counted as a line that does not fit the
# log format, and a message that quotes one must show its control bytes escaped. With the old
# backtracking header matcher the first case never finished (80 spaces); `timeout` turns such a hang
# into a failure well before ctest's own TIMEOUT.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
LIMIT=120 # seconds per run; each takes well under one

# The issue's reproduction: one HDFS line whose message is a block id, 80 spaces and a word. It has
# no ': ' after the component, so it does not fit the format; being the only line, that is an error.
printf '081109 203615 148 INFO blk_7%80sx\n' '' >"$T/h.log"
timeout "$LIMIT" "$MPIEXEC" -n 2 --oversubscribe "$LOGAD" preprocess --log "$T/h.log" --out "$T/h.h5" \
    >"$T/h.out" 2>"$T/h.err"
rc=$?
[ "$rc" -eq 124 ] && fail "80 spaces: preprocess did not finish in $LIMIT s"
[ "$rc" -eq 1 ] || fail "80 spaces: exit $rc, expected 1 ($(head -c 300 "$T/h.err"))"
grep -qF "does not fit the input: line 1: 081109 203615 148 INFO blk_7" "$T/h.err" ||
    fail "80 spaces: no format error naming line 1: $(head -c 300 "$T/h.err")"

# A line with terminal escapes (colour, window title, bell) as the first line that does not fit: the
# error quotes it escaped, and no raw control byte reaches stderr.
printf '\033[31mred\033]0;pwned\007 no header\n' >"$T/esc.log"
timeout "$LIMIT" "$LOGAD" preprocess --log "$T/esc.log" --out "$T/esc.h5" >"$T/esc.out" 2>"$T/esc.err"
rc=$?
[ "$rc" -eq 1 ] || fail "escapes: exit $rc, expected 1"
grep -qF 'line 1: \x1b[31mred\x1b]0;pwned\x07 no header' "$T/esc.err" ||
    fail "escapes: the line is not quoted escaped: $(head -c 300 "$T/esc.err" | od -c | head -5)"
LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$T/esc.err" && fail "escapes: a control byte reached stderr"

# The HDFS sample with hostile lines among its lines: 100k spaces, 10k single-spaced words, tabs,
# NULs, a mix of every whitespace byte, and many ':' without a space after. The run succeeds and
# counts exactly these lines as not fitting the format.
{
    head -n 1000 "$HDFS_LOG"
    printf '081109 203615 148 INFO blk_7%80sx\n' ''
    printf '081109 203615 148 INFO blk_7%100000sx\n' ''
    printf '081109 203615 148 INFO '; printf 'w %.0s' $(seq 10000); printf 'x\n'
    printf '081109 203615 148 INFO blk_7'; printf '\t%.0s' $(seq 100000); printf 'x\n'
    printf '081109 203615 148 INFO blk_7'; head -c 100000 /dev/zero; printf 'x\n'
    printf '081109 203615 148 INFO blk_7'; printf ' \t\v\f\r%.0s' $(seq 20000); printf 'x\n'
    printf '081109 203615 148 INFO blk_7'; printf 'w:x %.0s' $(seq 20000); printf 'x\n'
    tail -n 1000 "$HDFS_LOG"
} >"$T/mixed.log"
for np in 1 3; do
    timeout "$LIMIT" "$MPIEXEC" -n $np --oversubscribe "$LOGAD" preprocess --log "$T/mixed.log" \
        --out "$T/mixed$np.h5" --summary "$T/mixed$np.json" >"$T/mixed.out" 2>"$T/mixed.err"
    rc=$?
    [ "$rc" -eq 0 ] || fail "mixed log at $np rank(s): exit $rc ($(head -c 300 "$T/mixed.err"))"
    grep -qE '"malformed_lines": 7([^0-9]|$)' "$T/mixed$np.json" ||
        fail "mixed log at $np rank(s): expected 7 malformed lines: $(grep -o '"malformed_lines"[^,]*' "$T/mixed$np.json")"
    grep -q '"lines": 2007' "$T/mixed$np.json" || fail "mixed log at $np rank(s): expected 2007 lines"
done
[ "$(h5_contents "$T/mixed1.h5")" = "$(h5_contents "$T/mixed3.h5")" ] || fail "mixed log: features differ between 1 and 3 ranks"
finish
