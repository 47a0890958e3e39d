#!/usr/bin/env bash
# --line-labels: windows labelled by their lines' <Label> field. On BGL's 2k sample the number of
# windows and of windows holding an alert line match what awk computes from the log itself (epoch in
# field 2, label in field 1), for fixed and sliding windows, at 1 and 2 ranks; a sample without any
# alert cannot train logistic regression; and the usage errors around the option.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
BGL=$LAD_SOURCE_DIR/tests/data/loghub_2k/BGL/BGL_2k.log
TB=$LAD_SOURCE_DIR/tests/data/loghub_2k/Thunderbird/Thunderbird_2k.log
json() { sed -n "s/.*\"$2\": \([0-9]*\),\{0,1\}$/\1/p" "$1" | head -1; }

# windows k with k*step <= t < k*step + size; prints "windows anomalous"
expected() {
    awk -v size="$1" -v step="$2" '
        function fl(a, b) { q = int(a / b); if (a % b != 0 && a < 0) q--; return q }
        { hi = fl($2, step); lo = fl($2 - size, step) + 1
          for (k = lo; k <= hi; k++) { all[k] = 1; if ($1 != "-") bad[k] = 1 } }
        END { n = 0; m = 0; for (k in all) n++; for (k in bad) m++; print n, m }' "$BGL"
}

np=1
for spec in fixed:60 sliding:60,30 sliding:300,60; do
    case $spec in
    fixed:*) size=${spec#fixed:}; step=$size ;;
    *) w=${spec#sliding:}; size=${w%,*}; step=${w#*,} ;;
    esac
    read -r want_rows want_anom <<<"$(expected "$size" "$step")"
    run_np $np run --preset bgl --window "$spec" --line-labels --model pca --log "$BGL" --out "$T/$spec" \
        --models-dir "$T/$spec/models" || { fail "$spec: $(tail -1 "$T/run.err")"; continue; }
    M=$T/$spec/metrics.json
    [ "$(json "$M" rows)" = "$want_rows" ] && [ "$(json "$M" matched_anomalies)" = "$want_anom" ] \
        || fail "$spec: $(json "$M" rows) windows, $(json "$M" matched_anomalies) anomalous; awk: $want_rows, $want_anom"
    tp=$(sed -n 's/.*"tp": \([0-9]*\), "fp": [0-9]*, "fn": \([0-9]*\).*/\1 \2/p' "$M")
    [ $((${tp% *} + ${tp#* })) = "$want_anom" ] || fail "$spec: tp + fn = $tp, expected $want_anom"
    grep -q -- '--line-labels' "$T/$spec/report.html" || fail "$spec: report.html does not say where the labels come from"
    np=$((3 - np))
done
[ "$want_anom" -gt 0 ] && [ "$want_anom" -lt "$want_rows" ] || fail "the sample should hold both kinds of windows"

# Thunderbird's sample has no alert line: one class, no logistic regression.
run_np 1 run --preset thunderbird --window fixed:60 --line-labels --model logreg --log "$TB" --out "$T/tb"
[ $? -eq 1 ] && grep -q "needs both classes" "$T/run.err" || fail "one-class labels: $(tail -1 "$T/run.err")"

expect_failure "labels with windows" 2 "use --line-labels" run --log "$BGL" --preset bgl --window fixed:60 \
    --labels "$BGL" --out "$T/x"
expect_failure "both kinds of labels" 2 "either --labels or --line-labels" train --model logreg --log "$BGL" \
    --labels "$BGL" --line-labels
expect_failure "line labels from features" 2 "give --log, not --features" train --model pca --features "$T/f.h5" \
    --line-labels
expect_failure "line labels for blocks" 2 "--line-labels labels time windows" run --log "$HDFS_LOG" --line-labels \
    --out "$T/x"
expect_failure "a format without <Label>" 2 "has none" run --log "$HDFS_LOG" --window fixed:60 --line-labels \
    --out "$T/x"
expect_failure "logreg without labels" 2 "(or --line-labels)" train --model logreg --log "$BGL"
no_leftovers "$T"
finish
