#!/usr/bin/env bash
# synth -> train -> detect on labelled logs the models never saw: the real sessions are split in two
# halves (by line), each half becomes its own synthetic log at an anomaly ratio near the real one, the
# models learn on one and score the other. F1 must clear a floor well under the targets (PCA 0.90,
# logreg 0.99), so the test is stable; and train+detect must give identical verdicts at 1-4 ranks.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv
PCA_FLOOR=0.75
LOGREG_FLOOR=0.93

awk -F'\t' -v a="$T/a.tsv" -v b="$T/b.tsv" '{ h = (NR * 2654435761) % 4294967296; print > ((h % 2) ? a : b) }' "$SESSIONS"
run_np 2 synth --sessions "$T/a.tsv" --out "$T/train.log" --labels-out "$T/train.csv" --normal 4000 --anomalies 120 --seed 11 \
    || fail "synth train: $(cat "$T/run.err")"
run_np 2 synth --sessions "$T/b.tsv" --out "$T/test.log" --labels-out "$T/test.csv" --normal 4000 --anomalies 120 --seed 12 \
    || fail "synth test: $(cat "$T/run.err")"

f1_of() { # f1_of METRICS.json MODEL
    sed -n "s/.*\"$2\": {.*\"f1\": \([0-9.]*\)}.*/\1/p" "$1"
}

reference=""
for np in 1 2 3 4; do
    d=$T/np$np
    run_np $np train --model pca --log "$T/train.log" --model-out "$d/pca.h5" || fail "train pca np=$np: $(cat "$T/run.err")"
    run_np $np train --model logreg --log "$T/train.log" --labels "$T/train.csv" --model-out "$d/logreg.h5" \
        || fail "train logreg np=$np: $(cat "$T/run.err")"
    for m in pca logreg; do
        run_np $np detect --model-in "$d/$m.h5" --log "$T/test.log" --labels "$T/test.csv" --out "$d/$m" \
            || fail "detect $m np=$np: $(cat "$T/run.err")"
    done
    if [ $np -eq 1 ]; then
        pca_f1=$(f1_of "$d/pca/metrics.json" pca)
        lr_f1=$(f1_of "$d/logreg/metrics.json" logreg)
        echo "held-out F1 at np=1: pca $pca_f1, logreg $lr_f1"
        awk -v f="$pca_f1" -v floor=$PCA_FLOOR 'BEGIN { exit !(f >= floor) }' || fail "pca F1 $pca_f1 < $PCA_FLOOR"
        awk -v f="$lr_f1" -v floor=$LOGREG_FLOOR 'BEGIN { exit !(f >= floor) }' || fail "logreg F1 $lr_f1 < $LOGREG_FLOOR"
    else
        for m in pca logreg; do
            same_verdicts "$T/np1/$m/anomalies.csv" "$d/$m/anomalies.csv" || fail "$m verdicts at np=$np differ from np=1"
            cmp -s "$T/np1/$m/metrics.json" "$d/$m/metrics.json" || fail "$m metrics at np=$np differ from np=1"
        done
        # PCA (exact Gram, one-process eigensolve) and LR (exact chunk sums): the same bytes at every rank count.
        for m in pca logreg; do
            cmp -s "$T/np1/$m/anomalies.csv" "$d/$m/anomalies.csv" || fail "$m anomalies.csv at np=$np not byte-identical to np=1"
        done
    fi
done
finish
