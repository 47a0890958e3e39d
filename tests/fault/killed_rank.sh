#!/usr/bin/env bash
# kill -9 of one rank in the middle of `run`, at 2 and 3 ranks: the job ends within 10 s, non-zero,
# and the previous outputs are untouched. Killing rank 1 leaves nothing behind: mpirun sends the
# others SIGTERM and they remove every temporary and the lock. Killing rank 0 (which holds the lock
# and writes the one-rank files) can leave its lock and temporaries; the next run takes the dead
# run's lock over, removes them, and succeeds.
source "$(dirname "$0")/../lib_test.sh"
source "$(dirname "$0")/lib_fault.sh"
prepare

for case in "2 1" "3 0"; do
    read -r np victim <<<"$case"
    CASE="kill -9 of rank $victim at np=$np"
    start_np "$np" "${ARGS[@]}"
    wait_file "$RES" '^\.logad\.lock$' || continue
    # mpirun starts the ranks in order; their environment names their rank
    ranks=$(ranks_of "$BG_PID")
    pid=""
    for p in $ranks; do
        tr '\0' '\n' <"/proc/$p/environ" | grep -qx "OMPI_COMM_WORLD_RANK=$victim" && pid=$p
    done
    [ -n "$pid" ] || { fail "$CASE: rank $victim not found"; wait_bg; continue; }
    # Held where a trained model waits under its temporary name, so the kill lands mid-run.
    stop_at "$MODELS/.pca.h5.tmp.+([0-9])" $ranks || continue
    kill -9 "$pid"
    kill -CONT $ranks
    wait_bg
    echo "$CASE: exit $BG_RC after $BG_MS ms"
    [ "$BG_RC" -ne 0 ] || fail "$CASE: exit 0"
    [ "$(snapshot "$RES" "$MODELS")" = "$before" ] || fail "$CASE: the previous outputs changed"
    if [ "$victim" -ne 0 ]; then
        no_trace "$T"
        continue
    fi
    # The next run (2 ranks) finds rank 0's lock, sees its holder dead, and cleans up after it.
    echo "$CASE: left by the killed rank 0:" $(find "$T" \( -name '.*.tmp.*' -o -name '.logad.lock' \))
    [ -e "$RES/.logad.lock" ] || fail "$CASE: the killed rank 0's lock is not there"
    run_np 2 "${ARGS[@]}" || fail "$CASE: the next run failed: $(cat "$T/run.err")"
    grep -q "took over the lock of a dead logad run" "$T/run.err" \
        || fail "$CASE: the next run did not say it took over the dead run's lock: $(cat "$T/run.err")"
    no_trace "$T"
    complete_set "$RES" "$MODELS"
done

# A stale lock made by hand: the holder pid is dead on this host; its temporaries go, others' stay.
CASE="stale lock"
sleep 0 & dead=$!
wait "$dead"
printf 'host=%s\npid=%s\nboot=\nstart=0\njob=42\ncommand=run\nsince=2024-01-01T00:00:00Z\n' "$(hostname)" "$dead" \
    >"$RES/.logad.lock"
touch "$RES/.anomalies.csv.tmp.$dead" "$MODELS/.pca.h5.tmp.$dead" "$RES/.anomalies.csv.tmp.${dead}7"
run_np 3 run -q --log "$HDFS_LOG" --templates "$HDFS_TEMPLATES" --out "$RES" --models-dir "$MODELS" \
    || fail "$CASE: the run failed: $(cat "$T/run.err")"
grep -q "took over the lock of a dead logad run in $RES (run, pid $dead, job 42" "$T/run.err" \
    || fail "$CASE: no takeover warning: $(cat "$T/run.err")"
[ -e "$RES/.anomalies.csv.tmp.$dead" ] && fail "$CASE: the dead run's temporary in $RES is still there"
[ -e "$RES/.anomalies.csv.tmp.${dead}7" ] || fail "$CASE: another pid's temporary was removed"
[ -e "$RES/.logad.lock" ] && fail "$CASE: the lock was not released"
rm -f "$RES/.anomalies.csv.tmp.${dead}7"
# The models directory was not locked by the dead run: its temporaries stay (another run's, perhaps).
rm -f "$MODELS/.pca.h5.tmp.$dead"
no_trace "$T"
finish
