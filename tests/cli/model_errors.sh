#!/usr/bin/env bash
# Bad input around models and labels: a clear message, a non-zero exit, and no result file written.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
OUT=$T/results

run_np 1 preprocess --log "$HDFS_LOG" --templates "$HDFS_TEMPLATES" --out "$T/features.h5" || fail "preprocess failed"
run_np 1 train --model pca --features "$T/features.h5" --model-out "$T/pca.h5" || fail "train failed"

expect_failure "features file as a model" 1 "not a logad model" detect --model-in "$T/features.h5" --log "$HDFS_LOG" --out "$OUT"
echo "not hdf5" >"$T/text.h5"
expect_failure "text file as a model" 1 "is not an HDF5 file" detect --model-in "$T/text.h5" --log "$HDFS_LOG" --out "$OUT"
expect_failure "missing model" 1 "cannot read $T/none.h5" detect --model-in "$T/none.h5" --log "$HDFS_LOG" --out "$OUT"
expect_failure "model as features" 1 "not logad features" train --model pca --features "$T/pca.h5" --model-out "$T/x.h5"
expect_failure "logreg without labels" 2 "needs --labels" train --model logreg --features "$T/features.h5"
expect_failure "detect without model" 2 "--model-in FILE.h5 is required" detect --log "$HDFS_LOG"
expect_failure "train: both inputs" 2 "either --log" train --model pca --log "$HDFS_LOG" --features "$T/features.h5"
expect_failure "bad transform" 2 "--transform: unknown item 'bogus'" train --model pca --features "$T/features.h5" --transform tfidf,bogus --model-out "$T/x.h5"
printf 'BlockId,Label\nblk_1,Anomaly\nblk_2,Normal\n' >"$T/other_labels.csv"
expect_failure "labels of another log" 1 "none of the 2 labels" detect --model-in "$T/pca.h5" --log "$HDFS_LOG" \
    --labels "$T/other_labels.csv" --out "$OUT"
printf 'BlockId,Label\nblk_1,Maybe\n' >"$T/bad_labels.csv"
expect_failure "unknown label value" 1 "bad_labels.csv:2: expected blk_<id>,Anomaly|Normal" detect --model-in "$T/pca.h5" \
    --log "$HDFS_LOG" --labels "$T/bad_labels.csv" --out "$OUT"
[ -e "$OUT/anomalies.csv" ] && fail "a failed detect left $OUT/anomalies.csv"
[ -e "$T/x.h5" ] && fail "a failed train left $T/x.h5"
no_leftovers "$T"
finish
