#!/usr/bin/env bash
# A full disk under every writer. Each case writes one output onto a small tmpfs (mounted here; the
# test is skipped, saying why, where mounting is not permitted) at 2 and 3 ranks, and must: exit 1
# within 10 s; print exactly one `error:` line, naming the output and "No space left on device";
# leave no temporary file behind, and nothing under the output's final name.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv
MOUNTS=()

cleanup() {
    for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
}
trap cleanup EXIT

# tmpfs DIR SIZE: a file system of SIZE bytes at DIR (exits 77 = skipped if mounting is not allowed)
tmpfs() {
    mkdir -p "$1"
    if ! mount -t tmpfs -o "size=$2" tmpfs "$1" 2>"$T/mount.err"; then
        echo "SKIP: cannot mount a tmpfs here ($(head -c 200 "$T/mount.err")); this test needs root and CAP_SYS_ADMIN"
        exit 77
    fi
    MOUNTS+=("$1")
}

# full DIR [SPARE]: fill the file system at DIR, leaving SPARE bytes (default one 4 KiB page: room for the
# output directory's lock, which is taken before any input is read, but not for the output itself)
full() {
    rm -rf "${1:?}"/* "$1"/.[!.]* 2>/dev/null
    head -c "${2:-4096}" /dev/zero >"$1/.spare" 2>/dev/null
    cat /dev/zero >"$1/filler" 2>/dev/null
    rm -f "$1/.spare"
}

# empty DIR: remove everything from the file system at DIR
empty() {
    rm -rf "${1:?}"/* "$1"/.[!.]* 2>/dev/null
}

# expect_enospc NAME FINAL NP ARGS...: logad on NP ranks must fail cleanly on FINAL's full disk
expect_enospc() {
    local name=$1 final=$2 np=$3
    shift 3
    local start end rc
    start=$(date +%s%N)
    timeout 60 "$MPIEXEC" -n "$np" --oversubscribe "$LOGAD" "$@" >"$T/case.out" 2>"$T/case.err"
    rc=$?
    end=$(date +%s%N)
    local ms=$(((end - start) / 1000000))
    echo "$name np=$np: rc=$rc in ${ms} ms: $(grep 'error:' "$T/case.err" | head -n 1)"
    [ "$rc" -eq 1 ] || fail "$name np=$np: exit $rc, expected 1 ($(head -c 400 "$T/case.err"))"
    [ "$ms" -lt 10000 ] || fail "$name np=$np: took $ms ms"
    local errors
    errors=$(grep -c 'error:' "$T/case.err")
    [ "$errors" -eq 1 ] || fail "$name np=$np: $errors error lines: $(head -c 600 "$T/case.err")"
    grep 'error:' "$T/case.err" | grep -qF "$(basename "$final")" || fail "$name np=$np: the error does not name $final"
    grep 'error:' "$T/case.err" | grep -qF "No space left on device" || fail "$name np=$np: the error does not say the disk is full"
    grep -q "Segmentation\|signal" "$T/case.err" && fail "$name np=$np: a rank crashed: $(head -c 400 "$T/case.err")"
    [ -e "$final" ] && fail "$name np=$np: $final exists"
    local left
    left=$(find "$T" -name '.*.tmp.*' 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "$name np=$np: temporary files left: $left"
}

# Inputs, on the ordinary disk: a labelled synthetic log (22k lines), its features and models.
run_np 2 synth --sessions "$SESSIONS" --out "$T/s.log" --labels-out "$T/s.csv" --normal 1000 --anomalies 40 --seed 3 \
    || fail "synth: $(cat "$T/run.err")"
run_np 2 preprocess --log "$T/s.log" --out "$T/features.h5" || fail "preprocess: $(cat "$T/run.err")"
run_np 2 train --model pca --features "$T/features.h5" --model-out "$T/pca.h5" || fail "train: $(cat "$T/run.err")"
run_np 2 detect --model-in "$T/pca.h5" --log "$T/s.log" --out "$T/res" || fail "detect: $(cat "$T/run.err")"
run_np 2 preprocess --log "$T/s.log" --out "$T/f_ok.h5" --structured-out "$T/s_structured.csv" \
    || fail "structured: $(cat "$T/run.err")"
csv_kb=$(($(stat -c %s "$T/res/anomalies.csv") / 1024 + 64))
# the scratch rows (the whole file, over all ranks) fit, the output beside them does not
rows_kb=$(($(stat -c %s "$T/s_structured.csv") * 3 / 2 / 1024))

F=$T/full    # 64 KiB, filled to the last byte
M=$T/mid     # room for the 256 KiB the HDF5 writer holds back, not for the features' data
mid_kb=450
A=$T/csv     # room for anomalies.csv, not for verdicts.h5
tmpfs "$F" 64k
tmpfs "$M" "${mid_kb}k"
tmpfs "$A" "${csv_kb}k"
R=$T/rows    # room for --structured-out's scratch rows, not for the output too
tmpfs "$R" "${rows_kb}k"
# features.h5 of this log is larger than the room left beside the reserve (checked: counts are
# stored in the narrowest integer type, so the file is smaller than its row count suggests)
run_np 2 synth --sessions "$SESSIONS" --out "$T/big.log" --labels-out "$T/big.csv" --normal 8000 --anomalies 200 --seed 4 \
    || fail "synth big: $(cat "$T/run.err")"
run_np 2 preprocess --log "$T/big.log" --out "$T/big.h5" || fail "preprocess big: $(cat "$T/run.err")"
big_kb=$(($(stat -c %s "$T/big.h5") / 1024))
[ "$big_kb" -gt $((mid_kb - 256)) ] || fail "the big log's features.h5 ($big_kb KiB) would fit beside the reserve in $M"

for np in 2 3; do
    full "$F" 0  # not even the lock fits: refused before any input is read, naming the option
    expect_enospc "lock" "$F/.logad.lock" $np preprocess --log "$T/s.log" --out "$F/features.h5"
    grep -qF -- "--out" "$T/case.err" || fail "lock np=$np: the error does not name --out"
    full "$F"
    expect_enospc "features.h5" "$F/features.h5" $np preprocess --log "$T/s.log" --out "$F/features.h5"
    empty "$M"
    expect_enospc "features.h5 (data)" "$M/features.h5" $np preprocess --log "$T/big.log" --out "$M/features.h5"
    full "$F"
    expect_enospc "matrix.h5" "$F/matrix.h5" $np features --features "$T/features.h5" --out "$F/matrix.h5"
    full "$F"
    expect_enospc "model" "$F/pca.h5" $np train --model pca --features "$T/features.h5" --model-out "$F/pca.h5"
    full "$F"
    expect_enospc "run --models-dir" "$F/models/pca.h5" $np run --log "$T/s.log" --model pca --models-dir "$F/models" \
        --out "$T/run_res"
    full "$F"
    expect_enospc "anomalies.csv" "$F/res/anomalies.csv" $np detect --model-in "$T/pca.h5" --log "$T/s.log" --out "$F/res"
    empty "$A"
    expect_enospc "verdicts.h5" "$A/res/verdicts.h5" $np detect --model-in "$T/pca.h5" --log "$T/s.log" --out "$A/res"
    empty "$A"
    expect_enospc "--structured-out (scratch)" "$A/s.csv" $np preprocess --log "$T/big.log" --out "$T/f_ok.h5" \
        --structured-out "$A/s.csv"
    empty "$R"
    expect_enospc "--structured-out (rows)" "$R/s.csv" $np preprocess --log "$T/s.log" --out "$T/f_ok.h5" \
        --structured-out "$R/s.csv"
    grep -q "scratch" "$T/case.err" && fail "--structured-out (rows) np=$np: failed in the scratch rows, not the output"
    full "$F"
    expect_enospc "--templates-out" "$F/t.csv" $np preprocess --log "$T/s.log" --out "$T/f_ok.h5" --templates-out "$F/t.csv"
    full "$F"
    expect_enospc "--summary" "$F/sum.json" $np preprocess --log "$T/s.log" --out "$T/f_ok.h5" --summary "$F/sum.json"
    empty "$M"
    expect_enospc "synth log" "$M/s.log" $np synth --sessions "$SESSIONS" --out "$M/s.log" --labels-out "$T/l_ok.csv" \
        --normal 1000 --anomalies 40 --seed 3
    [ -e "$T/l_ok.csv" ] && fail "synth log np=$np: the labels were kept without their log"
    full "$F"
    expect_enospc "synth labels" "$F/l.csv" $np synth --sessions "$SESSIONS" --out "$T/s_ok.log" --labels-out "$F/l.csv" \
        --normal 1000 --anomalies 40 --seed 3
    [ -e "$T/s_ok.log" ] && fail "synth labels np=$np: the log was kept without its labels"
done
finish
