#!/usr/bin/env bash
# Damaged inputs written by logad: seeded random mutations (a flipped byte, a truncation, appended bytes,
# a zeroed range) of pca.h5 and logreg.h5 given to detect, and of features.h5 given to train, at 2 and
# 3 ranks. Every one must be refused: exit 1 within 10 s, exactly one error line that names the file and
# says it is corrupted (no crash, no hang), no temporary or lock left, and the previous results and
# models byte for byte as they were. A mutation that changes no byte is skipped, not counted.
#
# CI runs LAD_FAULT_MUTATIONS=6 per file and rank count (about 40 s); the long run is
#   LAD_FAULT_MUTATIONS=100 ctest -R fault_corrupt_files     (100 per model, 50 of features.h5)
# and LAD_FAULT_SEED picks another set of mutations.
source "$(dirname "$0")/../lib_test.sh"
source "$(dirname "$0")/lib_fault.sh"
N=${LAD_FAULT_MUTATIONS:-6}
SEED=${LAD_FAULT_SEED:-1}

# A small labelled log, its features, both models, and detect's results from them.
run_np 2 synth -q --sessions "$SESSIONS" --out "$T/small.log" --labels-out "$T/small.csv" --normal 400 --anomalies 20 \
    || fail "synth: $(cat "$T/run.err")"
run_np 2 preprocess -q --log "$T/small.log" --out "$T/features.h5" || fail "preprocess: $(cat "$T/run.err")"
run_np 2 train -q --model pca --features "$T/features.h5" --model-out "$T/models/pca.h5" || fail "train pca: $(cat "$T/run.err")"
run_np 2 train -q --model logreg --features "$T/features.h5" --labels "$T/small.csv" --model-out "$T/models/logreg.h5" \
    || fail "train logreg: $(cat "$T/run.err")"
run_np 2 detect -q --model-in "$T/models/pca.h5" --log "$T/small.log" --out "$T/res" || fail "detect: $(cat "$T/run.err")"
[ "$FAILURES" -eq 0 ] || finish
before=$(snapshot "$T/res" "$T/models")

# mutate SRC DST I: mutation I of SRC (kind I % 4, place and size from bash's seeded RANDOM) into DST;
# returns 1 when DST is byte-identical to SRC (nothing changed).
mutate() {
    local src=$1 dst=$2 i=$3 size at n byte
    size=$(stat -c %s "$src")
    cp "$src" "$dst"
    at=$(((RANDOM * 32768 + RANDOM) % size))
    case $((i % 4)) in
    0)  byte=$(od -An -tu1 -j "$at" -N1 "$src" | tr -d ' ')
        printf "\\x$(printf %02x $(((byte ^ (1 + RANDOM % 255)) & 255)))" |
            dd of="$dst" bs=1 seek="$at" conv=notrunc status=none ;;
    1)  truncate -s "$at" "$dst" ;;
    2)  n=$((1 + RANDOM % 4096))
        head -c $((n * 7)) /dev/zero | tr '\0' "\\$(printf %03o $((1 + RANDOM % 255)))" | head -c "$n" >>"$dst" ;;
    3)  n=$((1 + RANDOM % 512))
        dd if=/dev/zero of="$dst" bs=1 seek="$at" count="$n" conv=notrunc status=none
        truncate -s "$size" "$dst" ;;
    esac
    ! cmp -s "$src" "$dst"
}

# refused NP ARGS...: the command must fail as a damaged file is refused.
refused() {
    local np=$1 start ms
    shift
    start=$(date +%s%N)
    timeout 10 "$MPIEXEC" -n "$np" --oversubscribe "$LOGAD" "$@" >"$T/bg.out" 2>"$T/bg.err"
    BG_RC=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    [ "$BG_RC" -ne 124 ] || fail "$CASE: still running after 10 s"
    [ "$BG_RC" -eq 1 ] || fail "$CASE: exit $BG_RC, expected 1: $(grep -v '^$' "$T/bg.err" | head -n 3)"
    one_error_line "mutant.h5 is corrupted or"
    [ "$(snapshot "$T/res" "$T/models")" = "$before" ] || fail "$CASE: the previous outputs changed"
    no_trace "$T"
    TOTAL_MS=$((TOTAL_MS + ms))
    [ "$ms" -le "$MAX_MS" ] || MAX_MS=$ms
}

RANDOM=$SEED
TOTAL_MS=0 MAX_MS=0 RUNS=0
for np in 2 3; do
    for what in pca logreg features; do
        count=$N
        [ "$what" != features ] || count=$(((N + 1) / 2))
        src=$T/models/$what.h5
        [ "$what" != features ] || src=$T/features.h5
        for ((i = 0; i < count; i++)); do
            mutate "$src" "$T/mutant.h5" "$i" || continue
            CASE="$what mutation $i (kind $((i % 4))) at np=$np"
            if [ "$what" = features ]; then
                refused "$np" train -q --model pca --features "$T/mutant.h5" --model-out "$T/models/pca.h5"
            else
                refused "$np" detect -q --model-in "$T/mutant.h5" --log "$T/small.log" --out "$T/res"
            fi
            RUNS=$((RUNS + 1))
        done
    done
done
[ "$RUNS" -ge $((N * 4)) ] || fail "only $RUNS mutations changed a byte"
echo "$RUNS damaged files refused; slowest $MAX_MS ms, mean $((TOTAL_MS / (RUNS > 0 ? RUNS : 1))) ms"
finish
