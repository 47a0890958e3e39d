#!/usr/bin/env bash
# --max-line counts a line's characters, not its CRLF end: with the limit at the longest line of
# HDFS_2k, the CRLF file as shipped and its LF copy both keep every line (the '\r' used to make the
# longest lines oversize), and one byte less skips the same lines in both, at 1 and 3 ranks.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP

grep -q $'\r' "$HDFS_LOG" || fail "$HDFS_LOG is expected to have CRLF line ends"
tr -d '\r' <"$HDFS_LOG" >"$T/lf.log"
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/lf.log")
at_longest=$(awk -v m="$longest" 'length($0) == m' "$T/lf.log" | wc -l)

oversize_of() {
    h5dump -a /oversize_lines "$1" | sed -n 's/.*(0): \([0-9]*\).*/\1/p'
}
counts_of() {
    h5dump -d /counts "$1" | sed 1d
}
for np in 1 3; do
    for limit in "$longest" $((longest - 1)); do
        for v in crlf lf; do
            input=$HDFS_LOG
            [ $v = lf ] && input=$T/lf.log
            run_np $np preprocess --log "$input" --templates "$HDFS_TEMPLATES" --max-line "$limit" --out "$T/$v.h5" \
                || fail "$v np=$np --max-line $limit: $(cat "$T/run.err")"
        done
        want=0
        [ "$limit" -lt "$longest" ] && want=$at_longest
        [ "$(oversize_of "$T/crlf.h5")" == "$want" ] || fail "crlf np=$np --max-line $limit: $(oversize_of "$T/crlf.h5") oversize lines, expected $want"
        [ "$(oversize_of "$T/lf.h5")" == "$want" ] || fail "lf np=$np --max-line $limit: $(oversize_of "$T/lf.h5") oversize lines, expected $want"
        [ "$(counts_of "$T/crlf.h5")" == "$(counts_of "$T/lf.h5")" ] || fail "np=$np --max-line $limit: CRLF and LF counts differ"
    done
done
finish
