#!/usr/bin/env bash
# End to end on the CI sample: `logad run` on HDFS_2k gives one verdict per block, in block order,
# with the models kept and the same verdicts from the stages run one by one (preprocess, train,
# detect) and at 1, 2, 3, 4 and 7 ranks.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP

run_np 2 run --log "$HDFS_LOG" --templates "$HDFS_TEMPLATES" --out "$T/res" --models-dir "$T/models" \
    --summary "$T/res/summary.json" || fail "run: exit $?: $(cat "$T/run.err")"
csv=$T/res/anomalies.csv
[ -f "$csv" ] && [ -f "$T/res/verdicts.h5" ] && [ -f "$T/models/pca.h5" ] || fail "run did not write its outputs"
head -1 "$csv" | grep -qx "BlockId,Label,Score,TopEvents" || fail "anomalies.csv header: $(head -1 "$csv")"
blocks=$(tr -d '\r' <"$HDFS_LOG" | grep -o 'blk_-\?[0-9]*' | sort -u | wc -l)
rows=$(($(wc -l <"$csv") - 1))
[ "$rows" -eq "$blocks" ] || fail "anomalies.csv has $rows rows for $blocks blocks"
cut -d, -f1 "$csv" | sed 1d | sort -u | wc -l | grep -qx "$blocks" || fail "block ids repeat in anomalies.csv"
# block order: ids ascending as signed 64-bit integers
cut -d, -f1 "$csv" | sed '1d; s/blk_//' | sort -c -n || fail "anomalies.csv is not in block-id order"
awk -F, 'NR > 1 && $2 != "Anomaly" && $2 != "Normal" { exit 1 }' "$csv" || fail "a label is neither Anomaly nor Normal"
awk -F, 'NR > 1 && $2 == "Anomaly" && $4 == "" { exit 1 }' "$csv" || fail "an anomaly without its top events"
grep -q '"pca_anomalies"' "$T/res/summary.json" || fail "summary.json lacks the results"
h5dump -A "$T/models/pca.h5" | grep -q '"logad-model"' || fail "pca.h5 is not a logad model"

# The same through the stages one by one.
run_np 2 preprocess --log "$HDFS_LOG" --templates "$HDFS_TEMPLATES" --out "$T/features.h5" || fail "preprocess: $(cat "$T/run.err")"
run_np 2 train --model pca --features "$T/features.h5" --model-out "$T/pca.h5" || fail "train: $(cat "$T/run.err")"
run_np 2 detect --model-in "$T/pca.h5" --log "$HDFS_LOG" --out "$T/stages" || fail "detect: $(cat "$T/run.err")"
same_verdicts "$csv" "$T/stages/anomalies.csv" || fail "stage by stage differs from run"
run_np 2 features --features "$T/features.h5" --out "$T/matrix.h5" || fail "features: $(cat "$T/run.err")"
h5dump -H "$T/matrix.h5" | grep -q 'DATASET "matrix"' || fail "matrix.h5 has no matrix"

# Any rank count: identical labels, scores to 1e-9.
for np in 1 3 4 7; do
    run_np $np run --log "$HDFS_LOG" --templates "$HDFS_TEMPLATES" --out "$T/res$np" --models-dir "$T/models$np" \
        || { fail "run np=$np: $(cat "$T/run.err")"; continue; }
    same_verdicts "$csv" "$T/res$np/anomalies.csv" || fail "np=$np verdicts differ from np=2"
done
no_leftovers "$T"
finish
