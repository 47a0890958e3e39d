#!/usr/bin/env bash
# SIGTERM, SIGINT and SIGUSR1 in the middle of `run`, at 2 and 3 ranks. Sent to the rank processes (as
# Slurm does): exit 128+signo within 10 s, one line from rank 0, no temporary or lock file left, and
# the previous outputs untouched. Sent to mpirun: USR1 is forwarded (the same); TERM makes mpirun kill
# the job after its 1 s grace (exit 1): either the job ends interrupted as above, or, if the run
# finished within the grace, with a complete new set.
source "$(dirname "$0")/../lib_test.sh"
source "$(dirname "$0")/lib_fault.sh"
prepare

# interrupt NP SIG WHERE TARGET: signal the job once WHERE is reached ("parse": the lock is taken and
# the input phase begins; "pending": a trained model waits under its temporary name). The ranks are
# stopped first, so the signal lands at that point however loaded the machine is.
interrupt() {
    local np=$1 where=$3 target=$4 ranks t0=$SECONDS
    sig=$2
    CASE="$sig to $target at np=$np ($where)"
    start_np "$np" "${ARGS[@]}"
    wait_file "$RES" '^\.logad\.lock$' || return
    ranks=$(ranks_of "$BG_PID")
    if [ "$where" = parse ]; then
        # at once: the lock is rank 0's first act after the command line, so the run is in its
        # input phase (a sleep here raced with fast runs that had already committed)
        kill -STOP $ranks
    else
        # the temporary itself, not the lock probe Open MPI makes while opening it (.locktest.N)
        stop_at "$MODELS/.pca.h5.tmp.+([0-9])" $ranks || return
        [ -n "$(find "$MODELS" -name '.*.tmp.*')" ] || fail "$CASE: no temporary at the signal"
    fi
    if [ "$target" = ranks ]; then kill -"$sig" $ranks; else kill -"$sig" "$BG_PID"; fi
    kill -CONT $ranks
    wait_bg
    echo "$CASE: exit $BG_RC after ${BG_MS} ms ($((SECONDS - t0)) s in all)"
}

# interrupted RC: the job ended as an interrupted one should
interrupted() {
    [ "$BG_RC" -eq "$1" ] || fail "$CASE: exit $BG_RC, expected $1"
    one_error_line "interrupted by SIG$sig: no outputs were committed; temporary files removed"
    no_trace "$T"
    [ "$(snapshot "$RES" "$MODELS")" = "$before" ] || fail "$CASE: the previous outputs changed"
}

for np in 2 3; do
    for sig in TERM INT USR1; do
        num=$(kill -l "$sig")
        interrupt "$np" "$sig" pending ranks
        interrupted $((128 + num))
    done
    interrupt "$np" TERM parse ranks
    interrupted 143
done

# Through mpirun: SIGUSR1 is forwarded as it is.
interrupt 2 USR1 pending mpirun
interrupted 138
grep -q "Forwarding signal 10" "$T/bg.err" || fail "$CASE: mpirun did not say it forwarded the signal"

# Through mpirun: SIGTERM (and SIGINT, SIGHUP) make mpirun send SIGCONT, then SIGTERM 1 s later, so
# the ranks run on for that second (stopping them would not hold: mpirun's SIGCONT resumes them). On
# four copies of the log the run usually outlasts the second; if not, it must have committed a whole
# new set.
ARGS=(run -q --log "$BIG" --log "$BIG" --log "$BIG" --log "$BIG" --labels "$BIG_LABELS" --out "$RES"
      --models-dir "$MODELS")
for np in 2 3; do
    interrupt "$np" TERM parse mpirun
    no_trace "$T"
    if [ "$(snapshot "$RES" "$MODELS")" != "$before" ]; then
        echo "np=$np: the run finished within mpirun's grace; checking the new set"
        complete_set "$RES" "$MODELS"
        before=$(snapshot "$RES" "$MODELS")
    else
        [ "$BG_RC" -eq 1 ] || fail "$CASE: exit $BG_RC, expected 1"
        grep -q "^logad: error: interrupted by SIGTERM: no outputs were committed" "$T/bg.err" \
            || echo "np=$np: rank 0's line did not come through mpirun (it may not, see README)"
    fi
done
finish
