#!/usr/bin/env bash
# Label files as people have them. A UTF-8 byte order mark (spreadsheet exports) is accepted and
# changes nothing. A row longer than the reader's limit (4096 bytes) is an error naming file:line at
# any rank count and wherever it sits, not a label silently dropped.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv

run_np 2 synth --sessions "$SESSIONS" --out "$T/s.log" --labels-out "$T/s.csv" --normal 300 --anomalies 40 --seed 9 \
    || fail "synth: $(cat "$T/run.err")"
run_np 1 preprocess --log "$T/s.log" --out "$T/f.h5" || fail "preprocess: $(cat "$T/run.err")"
run_np 2 train --model logreg --features "$T/f.h5" --labels "$T/s.csv" --model-out "$T/plain.h5" \
    || fail "train: $(cat "$T/run.err")"

printf '\xef\xbb\xbf' | cat - "$T/s.csv" >"$T/bom.csv"
run_np 2 train --model logreg --features "$T/f.h5" --labels "$T/bom.csv" --model-out "$T/bom.h5" \
    || fail "labels with a BOM: $(cat "$T/run.err")"
[ "$(h5_contents "$T/plain.h5")" == "$(h5_contents "$T/bom.h5")" ] || fail "labels with a BOM give another model"

# A 5000-byte row reaches the parser whole; a 5 MB row does not fit the reader's buffer and is
# skipped by the reader (it used to vanish without a word).
rows=$(wc -l <"$T/s.csv")
head -c 5000 /dev/zero | tr '\0' 'x' >"$T/row5k"
head -c 5000000 /dev/zero | tr '\0' 'x' >"$T/row5m"
for case in "3 row5m" "$((rows - 1)) row5m" "3 row5k" "$((rows - 1)) row5k"; do
    set -- $case
    at=$1
    awk -v at="$at" -v row="$T/$2" 'NR == at { while ((getline l < row) > 0) print l } { print }' "$T/s.csv" >"$T/long.csv"
    for np in 1 2 3; do
        run_np $np train --model logreg --features "$T/f.h5" --labels "$T/long.csv" --model-out "$T/long.h5"
        rc=$?
        [ $rc -eq 1 ] || fail "$2 at line $at np=$np: exit $rc"
        grep -q "long.csv:$at: expected blk_<id>,Anomaly|Normal, found a line of more than 4096 bytes" "$T/run.err" \
            || fail "$2 at line $at np=$np: $(head -c 300 "$T/run.err")"
        [ "$(grep -c 'error:' "$T/run.err")" -eq 1 ] || fail "$2 at line $at np=$np: not one error line"
    done
done
[ -e "$T/long.h5" ] && fail "a failed train left long.h5"
finish
