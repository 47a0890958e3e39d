#!/usr/bin/env bash
# parse-eval: missing files and columns, LineId mismatches and malformed rows are clear errors; a
# hand-made case gives the GA and PA the definitions give; nothing is written.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
printf 'LineId,Content,EventId,EventTemplate\n1,a,E1,x\n2,b,E1,x\n3,c,E2,y\n4,d,E3,z\n5,e,,\n' >"$T/truth.csv"

expect_failure "no --parsed" 2 "parse-eval: --truth and --parsed are required" parse-eval --truth "$T/truth.csv"
expect_failure "missing truth" 1 "cannot read $T/nope.csv: No such file" parse-eval --truth "$T/nope.csv" --parsed "$T/truth.csv"
expect_failure "missing parsed" 1 "cannot read $T/nope.csv: No such file" parse-eval --truth "$T/truth.csv" --parsed "$T/nope.csv"
printf 'LineId,Content,Template\n1,a,x\n' >"$T/nocol.csv"
expect_failure "no EventId column" 1 "$T/nocol.csv: the header has no EventId column" \
    parse-eval --truth "$T/truth.csv" --parsed "$T/nocol.csv"
printf 'Id,EventId\n1,a\n' >"$T/noid.csv"
expect_failure "no LineId column" 1 "$T/noid.csv: the header has no LineId column" \
    parse-eval --truth "$T/noid.csv" --parsed "$T/truth.csv"
printf 'LineId,EventId\n1,M1\n2,M1\n3,M2\n4,M3\n' >"$T/short.csv"
expect_failure "row counts differ" 1 "LineId mismatch: $T/truth.csv has 5 rows but $T/short.csv has 4" \
    parse-eval --truth "$T/truth.csv" --parsed "$T/short.csv"
printf 'LineId,EventId\n1,M1\n2,M1\n3,M2\n4,M3\n6,M4\n' >"$T/other.csv"
expect_failure "LineId missing" 1 "LineId mismatch: LineId 5 of $T/truth.csv is not in $T/other.csv" \
    parse-eval --truth "$T/truth.csv" --parsed "$T/other.csv"
printf 'LineId,EventId\n1,M1\n2,M1\n2,M2\n4,M3\n5,M4\n' >"$T/dup.csv"
expect_failure "duplicate LineId" 1 "$T/dup.csv: LineId 2 appears twice" parse-eval --truth "$T/truth.csv" --parsed "$T/dup.csv"
printf 'LineId,EventId\n1,M1\nx2,M1\n' >"$T/nonint.csv"
expect_failure "LineId not a number" 1 "$T/nonint.csv:3: LineId 'x2' is not an integer" \
    parse-eval --truth "$T/truth.csv" --parsed "$T/nonint.csv"
printf 'LineId,EventId\n1,"M1\n' >"$T/badcsv.csv"
expect_failure "malformed CSV" 1 "$T/badcsv.csv:2: malformed CSV row" parse-eval --truth "$T/truth.csv" --parsed "$T/badcsv.csv"

# E1 = {1,2} is found; E2 and E3 are merged into M2, so 3 and 4 are wrong; line 5 has no truth: 2/4
printf 'LineId,EventId\n4,M2\n3,M2\n2,M1\n1,M1\n5,M9\n' >"$T/parsed.csv"
ls "$T" >"$T/before.txt"
"$LOGAD" parse-eval --truth "$T/truth.csv" --parsed "$T/parsed.csv" >"$T/ga.txt" 2>&1 \
    || fail "parse-eval exit $?: $(cat "$T/ga.txt")"
grep -q '^GA 0.500000  (2 of 4 lines' "$T/ga.txt" || fail "expected GA 0.5: $(cat "$T/ga.txt")"
grep -q '^PA n/a' "$T/ga.txt" || fail "expected no PA without templates: $(cat "$T/ga.txt")"
# PA: templates equal up to whitespace runs and the ends count (lines 1-3); line 4's does not, line 5 has
# no truth: 3/4, whatever the grouping
printf 'LineId,EventId,EventTemplate\n1,M1,x\n2,M1, x \n3,M2,y  \n4,M2,w\n5,M9,q\n' >"$T/tpl.csv"
printf 'LineId,EventId,EventTemplate\n1,E1,a  <*> b\n2,E1,a <*> b\n3,E2,a <*>b\n' >"$T/truth_ds.csv"
printf 'LineId,EventId,EventTemplate\n1,M1,a <*> b\n2,M1, a\t<*>  b\n3,M1,a <*> b\n' >"$T/parsed_ds.csv"
"$LOGAD" parse-eval --truth "$T/truth.csv" --parsed "$T/tpl.csv" >"$T/pa.txt" 2>&1 || fail "parse-eval exit $?: $(cat "$T/pa.txt")"
grep -q '^PA 0.750000  (3 of 4 lines' "$T/pa.txt" || fail "expected PA 0.75: $(cat "$T/pa.txt")"
"$LOGAD" parse-eval --truth "$T/truth_ds.csv" --parsed "$T/parsed_ds.csv" >"$T/pa.txt" 2>&1 || fail "parse-eval exit $?"
grep -q '^PA 0.666667  (2 of 3 lines' "$T/pa.txt" || fail "expected PA 2/3 (spaces inside a token count): $(cat "$T/pa.txt")"
rm -f "$T/pa.txt"
ls "$T" | grep -v -e '^ga.txt$' -e '^tpl.csv$' -e '_ds.csv$' | diff -q - "$T/before.txt" >/dev/null \
    || fail "parse-eval wrote a file"
# at 3 ranks the same answer, printed once
run_np 3 parse-eval --truth "$T/truth.csv" --parsed "$T/parsed.csv" || fail "3 ranks: exit $?: $(cat "$T/run.err")"
[ "$(grep -c '^GA 0.500000' "$T/run.out")" -eq 1 ] || fail "3 ranks: GA not printed exactly once: $(cat "$T/run.out")"
finish
