#!/usr/bin/env bash
# The 64-bit-safe paths, run with small data. LAD_TEST_COMM_LIMIT (tests only) lowers every per-call
# limit of the communication layer to a few hundred bytes: every all-to-all exchange (shuffle, order,
# mining, labels, logistic-regression alignment, PCA redistribution) then travels in rounds of small
# messages, every MPI-IO read and write is split, every HDF5 transfer is several calls. The outputs
# must be byte-identical to those of an unsplit run, at 1, 2 and 3 ranks. Then --chunk-size 2G, the
# documented maximum, must run (it used to fail with MPI_ERR_COUNT).
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv
LIMIT=512

run_np 2 synth --sessions "$SESSIONS" --out "$T/s.log" --labels-out "$T/s.csv" --normal 300 --anomalies 40 --seed 5 \
    || fail "synth: $(cat "$T/run.err")"

# outputs_of DIR: what must not depend on the limits or the rank count
outputs_of() {
    cat "$1/res/anomalies_pca.csv" "$1/res/anomalies_logreg.csv" "$1/res/metrics.json" "$1/structured.csv" \
        "$1/templates.csv"
    h5_contents "$1/res/verdicts.h5"
    h5_contents "$1/features.h5" | awk '/ATTRIBUTE "(bytes|files)"/ {skip = 7} skip > 0 {skip--; next} {print}'
}

# run_all DIR NP [ENV...]: preprocess (mined events, structured and template CSVs), then run with both models
run_all() {
    local d=$1 np=$2
    shift 2
    mkdir -p "$d"
    env "$@" "$MPIEXEC" -n "$np" --oversubscribe "$LOGAD" preprocess --log "$T/s.log" --out "$d/features.h5" \
        --structured-out "$d/structured.csv" --templates-out "$d/templates.csv" >"$d/pre.out" 2>"$d/pre.err" \
        || { fail "preprocess $d: $(cat "$d/pre.err")"; return; }
    env "$@" "$MPIEXEC" -n "$np" --oversubscribe "$LOGAD" run --log "$T/s.log" --labels "$T/s.csv" --model both \
        --out "$d/res" --models-dir "$d/models" >"$d/run.out" 2>"$d/run.err" || fail "run $d: $(cat "$d/run.err")"
}

run_all "$T/ref" 2
[ -s "$T/ref/res/anomalies_pca.csv" ] || fail "the reference run wrote no anomalies_pca.csv: $(ls "$T/ref/res")"
outputs_of "$T/ref" >"$T/ref.txt"
for np in 1 2 3; do
    run_all "$T/lim$np" $np LAD_TEST_COMM_LIMIT=$LIMIT
    outputs_of "$T/lim$np" >"$T/lim$np.txt"
    cmp -s "$T/ref.txt" "$T/lim$np.txt" || fail "np=$np with LAD_TEST_COMM_LIMIT=$LIMIT: outputs differ (diff $T/ref.txt $T/lim$np.txt)"
done

# synth through the ordered writer in 512-byte writes: the same bytes.
for np in 1 3; do
    LAD_TEST_COMM_LIMIT=$LIMIT run_np $np synth --sessions "$SESSIONS" --out "$T/l$np.log" --labels-out "$T/l$np.csv" \
        --normal 300 --anomalies 40 --seed 5 || fail "synth np=$np with limits: $(cat "$T/run.err")"
    cmp -s "$T/s.log" "$T/l$np.log" && cmp -s "$T/s.csv" "$T/l$np.csv" || fail "synth np=$np with limits: output differs"
done

# --chunk-size 2G is accepted and runs: two read buffers of 2 GiB + --max-line are allocated (only the
# bytes read are touched). This small file never asks for a 2 GiB read; the run with the limit
# lowered takes the capped read path (reads of at most io_bytes), which is what keeps a read of a
# >2 GiB range under INT_MAX (1 GiB by default).
for env_limit in "" "LAD_TEST_COMM_LIMIT=$LIMIT"; do
    env $env_limit "$MPIEXEC" -n 2 --oversubscribe "$LOGAD" preprocess --log "$T/s.log" --chunk-size 2G \
        --out "$T/big.h5" >"$T/big.out" 2>"$T/big.err" || { fail "--chunk-size 2G ($env_limit): $(cat "$T/big.err")"; continue; }
    [ "$(h5_contents "$T/big.h5")" == "$(h5_contents "$T/ref/features.h5")" ] || fail "--chunk-size 2G ($env_limit): features differ"
done
finish
