#!/usr/bin/env bash
# Two runs on the same directories at once, at 2 and 3 ranks: the second fails at once with one line
# naming the first (its lock), the first completes with a whole set, and neither leaves a trace.
source "$(dirname "$0")/../lib_test.sh"
source "$(dirname "$0")/lib_fault.sh"
RES=$T/res MODELS=$T/models
make_big_log
ARGS=(run -q --log "$BIG" --labels "$BIG_LABELS" --out "$RES" --models-dir "$MODELS")

for case in "2 3 --out" "3 2 --models-dir"; do
    read -r np_first np_second shared <<<"$case"
    CASE="second run at np=$np_second beside a first at np=$np_first, same $shared"
    start_np "$np_first" "${ARGS[@]}"
    wait_file "$RES" '^\.logad\.lock$' || continue
    # The first run is held while the second starts, so it surely still holds its locks.
    ranks=$(ranks_of "$BG_PID")
    kill -STOP $ranks
    holder=$(sed -n 's/^pid=//p' "$RES/.logad.lock")
    if [ "$shared" = --out ]; then other=(--models-dir "$T/models2"); else other=(--out "$T/res2"); fi
    start=$(date +%s%N)
    "$MPIEXEC" -n "$np_second" --oversubscribe "$LOGAD" run -q --log "$BIG" --labels "$BIG_LABELS" \
        "$shared" "$( [ "$shared" = --out ] && echo "$RES" || echo "$MODELS")" "${other[@]}" \
        >"$T/second.out" 2>"$T/second.err"
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    kill -CONT $ranks
    echo "$CASE: exit $rc after $ms ms"
    [ "$rc" -eq 1 ] || fail "$CASE: exit $rc, expected 1"
    [ "$(grep -c '^logad: error:' "$T/second.err")" -eq 1 ] || fail "$CASE: not one error line: $(cat "$T/second.err")"
    grep -q "^logad: error: $shared: .* is in use by another logad run (run on host $(hostname), pid $holder, " \
        "$T/second.err" || fail "$CASE: the message does not name the holder: $(grep logad "$T/second.err")"
    [ ! -e "$T/res2/anomalies.csv" ] && [ ! -e "$T/models2/pca.h5" ] || fail "$CASE: the second run wrote outputs"
    wait_bg
    [ "$BG_RC" -eq 0 ] || fail "$CASE: the first run failed: $(cat "$T/bg.err")"
    complete_set "$RES" "$MODELS"
    no_trace "$T"
    rm -rf "$T/res2" "$T/models2"
done
finish
