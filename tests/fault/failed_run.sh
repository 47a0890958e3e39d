#!/usr/bin/env bash
# A command that fails after its outputs have started to appear leaves the previous outputs untouched
# and no new file, at 2 and 3 ranks; a successful one replaces the whole set, stale files included.
source "$(dirname "$0")/../lib_test.sh"
source "$(dirname "$0")/lib_fault.sh"
prepare

# run fails in detect: the models are written (pending), then anomalies.csv passes the file-size
# limit. Shared memory would pass it too, so the ranks talk over TCP here.
for np in 2 3; do
    CASE="run failing in detect at np=$np"
    "$MPIEXEC" -n "$np" --oversubscribe --mca btl self,tcp bash -c 'ulimit -f 300; exec "$0" "$@"' "$LOGAD" \
        run -q --log "$BIG" --labels "$BIG_LABELS" --out "$RES" --models-dir "$MODELS" >"$T/bg.out" 2>"$T/bg.err"
    BG_RC=$?
    [ "$BG_RC" -eq 1 ] || fail "$CASE: exit $BG_RC, expected 1"
    one_error_line "anomalies.csv"
    [ "$(snapshot "$RES" "$MODELS")" = "$before" ] || fail "$CASE: the previous outputs changed"
    no_trace "$T"
done

# detect fails after reading its input (labels of another log): results untouched.
CASE="detect failing after ingest"
printf 'BlockId,Label\nblk_1,Anomaly\n' >"$T/other_labels.csv"
run_np 3 detect -q --model-in "$MODELS/pca.h5" --log "$BIG" --labels "$T/other_labels.csv" --out "$RES"
rc=$?
[ "$rc" -eq 1 ] || fail "$CASE: exit $rc"
grep -q "none of the 1 labels" "$T/run.err" || fail "$CASE: $(grep logad "$T/run.err")"
[ "$(snapshot "$RES" "$MODELS")" = "$before" ] || fail "$CASE: the previous outputs changed"
no_trace "$T"

# A complete run with both models and labels, then one with PCA only and no labels: the second set
# has no anomalies_<model>.csv, metrics.json or logreg.h5 of the first beside it.
CASE="both models, then PCA only"
run_np 2 run --log "$BIG" --labels "$BIG_LABELS" --out "$RES" --models-dir "$MODELS" >/dev/null \
    || fail "$CASE: first run: $(cat "$T/run.err")"
for f in anomalies.csv anomalies_pca.csv anomalies_logreg.csv verdicts.h5 metrics.json; do
    [ -f "$RES/$f" ] || fail "$CASE: the first run did not write $f"
done
complete_set "$RES" "$MODELS"
run_np 3 run --log "$HDFS_LOG" --out "$RES" --models-dir "$MODELS" || fail "$CASE: second run: $(cat "$T/run.err")"
for f in "$RES/anomalies_pca.csv" "$RES/anomalies_logreg.csv" "$RES/metrics.json" "$MODELS/logreg.h5"; do
    [ -e "$f" ] && fail "$CASE: stale $f survived"
    grep -q "^removed stale $f: an earlier run wrote it, this one did not" "$T/run.out" \
        || fail "$CASE: rank 0 did not say it removed $f"
done
[ "$(grep -c '^removed stale' "$T/run.out")" -eq 4 ] || fail "$CASE: $(grep -c '^removed stale' "$T/run.out") removals said"
complete_set "$RES" "$MODELS"
grep -q '^command=run$' "$RES/.logad-run" && grep -q '^ranks=3$' "$RES/.logad-run" || fail "$CASE: manifest: $(cat "$RES/.logad-run")"
# train adds a model beside the others and removes nothing.
run_np 2 train -q --model logreg --log "$BIG" --labels "$BIG_LABELS" --model-out "$MODELS/lr2.h5" \
    || fail "train: $(cat "$T/run.err")"
[ -f "$MODELS/pca.h5" ] && [ -f "$MODELS/lr2.h5" ] || fail "train removed or did not write a model"
no_trace "$T"
finish
