#!/usr/bin/env bash
# Bad input to synth: a clear message, a non-zero exit, no output left behind.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
OUT=$T/out

expect_failure "missing sessions" 1 "cannot read $T/none.tsv" synth --sessions "$T/none.tsv" --out "$OUT/x.log" --labels-out "$OUT/x.csv"
printf 'Normal\t5 5 22\nAnomaly\t5 99\n' >"$T/bad.tsv"
expect_failure "unknown key" 1 "bad.tsv:2: '99' is not an HDFS event key" synth --sessions "$T/bad.tsv" --out "$OUT/x.log" --labels-out "$OUT/x.csv"
printf 'Normal 5 5 22\n' >"$T/notab.tsv"
expect_failure "no tab" 1 "notab.tsv:1: expected Normal|Anomaly, a tab" synth --sessions "$T/notab.tsv" --out "$OUT/x.log" --labels-out "$OUT/x.csv"
printf 'Normal\t5 5 22\n' >"$T/normal_only.tsv"
expect_failure "no anomaly to draw" 1 "has no Anomaly session" synth --sessions "$T/normal_only.tsv" --anomalies 3 --out "$OUT/x.log" --labels-out "$OUT/x.csv"
expect_failure "missing --out" 2 "--sessions, --out and --labels-out are required" synth --sessions "$T/normal_only.tsv"
expect_failure "negative count" 2 "must be >= 0" synth --sessions "$T/normal_only.tsv" --normal -5 --out "$OUT/x.log" --labels-out "$OUT/x.csv"
touch "$T/afile"
expect_failure "unwritable output" 1 "$T/afile exists and is not a directory" synth --sessions "$T/normal_only.tsv" \
    --out "$T/afile/x.log" --labels-out "$OUT/x.csv"
[ -e "$OUT/x.log" ] || [ -e "$OUT/x.csv" ] && fail "a failed synth left output behind"
no_leftovers "$T"
finish
