# lib_fault.sh - helpers of the fault tests (sourced after lib_test.sh): a log big enough to be caught
# mid-run, jobs in the background, their rank processes, and snapshots of output directories.
T=$LAD_TEST_TMP
shopt -s extglob # stop_at's patterns
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv
BIG=$T/big.log
BIG_LABELS=$T/big_labels.csv

# make_big_log: a labelled 28 MB log (10,300 blocks, 200k lines): about 1 s of `run` on 2 cores, so a
# signal finds it mid-run
make_big_log() {
    "$LOGAD" synth -q --sessions "$SESSIONS" --out "$BIG" --labels-out "$BIG_LABELS" --normal 10000 --anomalies 300 \
        || fail "synth of the test log failed"
}

# previous_set RES MODELS: an earlier run's complete outputs (HDFS_2k, PCA only) to be left untouched
previous_set() {
    run_np 2 run -q --log "$HDFS_LOG" --templates "$HDFS_TEMPLATES" --out "$1" --models-dir "$2" \
        || fail "the earlier run failed: $(cat "$T/run.err")"
}

# prepare: the test log; an earlier run's complete outputs in RES and MODELS, and their snapshot in
# `before`; ARGS: a `run` of the test log into RES and MODELS
prepare() {
    RES=$T/res MODELS=$T/models
    make_big_log
    previous_set "$RES" "$MODELS"
    before=$(snapshot "$RES" "$MODELS")
    ARGS=(run -q --log "$BIG" --labels "$BIG_LABELS" --out "$RES" --models-dir "$MODELS")
}

# snapshot DIR...: every file (hidden ones too, not temporaries and locks: no_trace) with its checksum
snapshot() {
    find "$@" -type f ! -name '.*.tmp.*' ! -name '.logad.lock*' -print0 2>/dev/null | sort -z | xargs -0 -r md5sum
}

# start_np N ARGS...: logad on N ranks in the background; BG_PID is mpirun's pid
start_np() {
    local np=$1
    shift
    "$MPIEXEC" -n "$np" --oversubscribe "$LOGAD" "$@" >"$T/bg.out" 2>"$T/bg.err" &
    BG_PID=$!
}

# wait_file DIR PATTERN: until a name in DIR matches the grep pattern (at most 30 s)
wait_file() {
    local i=0
    until ls -A "$1" 2>/dev/null | grep -q -- "$2"; do
        sleep 0.01
        i=$((i + 1))
        [ "$i" -lt 3000 ] || { fail "no file matching '$2' appeared in $1"; return 1; }
        kill -0 "$BG_PID" 2>/dev/null || { fail "the job ended before '$2' appeared in $1: $(cat "$T/bg.err")"; return 1; }
    done
}

# stop_at GLOB PIDS...: stops PIDS as soon as a file matches GLOB. Polls with shell builtins only, so
# the ranks are stopped within milliseconds of the file's creation (at most 30 s).
stop_at() {
    local glob=$1 i=0
    shift
    until compgen -G "$glob" >/dev/null; do
        i=$((i + 1))
        [ "$i" -lt 3000000 ] || { fail "no file matching $glob appeared"; return 1; }
        kill -0 "$BG_PID" 2>/dev/null || { fail "the job ended before $glob appeared: $(cat "$T/bg.err")"; return 1; }
    done
    kill -STOP "$@"
}

# ranks_of PID: the rank processes mpirun started (its children)
ranks_of() {
    cat /proc/"$1"/task/*/children 2>/dev/null || pgrep -P "$1"
}

# wait_bg: waits for the background job, at most 10 s; BG_RC its exit status, BG_MS the milliseconds waited
wait_bg() {
    local start i=0
    start=$(date +%s%N)
    while kill -0 "$BG_PID" 2>/dev/null; do
        sleep 0.02
        i=$((i + 1))
        if [ "$i" -ge 500 ]; then
            fail "the job still runs 10 s after the fault"
            kill -9 "$(ranks_of "$BG_PID")" "$BG_PID" 2>/dev/null
            break
        fi
    done
    wait "$BG_PID"
    BG_RC=$?
    BG_MS=$((($(date +%s%N) - start) / 1000000))
}

# no_trace DIR...: no temporary and no lock file left
no_trace() {
    local left
    left=$(find "$@" \( -name '.*.tmp.*' -o -name '.logad.lock*' \) 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "$CASE: left behind: $left"
}

# one_error_line TEXT: exactly one "logad: error:" line on the job's stderr, and it holds TEXT
one_error_line() {
    [ "$(grep -c '^logad: error:' "$T/bg.err")" -eq 1 ] || fail "$CASE: not one error line: $(grep 'logad' "$T/bg.err")"
    grep -q -- "$1" "$T/bg.err" || fail "$CASE: stderr lacks '$1': $(grep 'logad' "$T/bg.err")"
}

# complete_set RES MODELS: the set is whole: the manifest lists exactly the files there, at their sizes
complete_set() {
    local m=$1/.logad-run f size
    [ -f "$m" ] || { fail "$CASE: no manifest in $1"; return; }
    while read -r f size; do
        [ "$(stat -c %s "$f" 2>/dev/null)" = "$size" ] || fail "$CASE: $f is not the file the manifest lists"
    done < <(sed -n 's/^file=//p' "$m")
    for f in "$1"/* "$2"/*; do
        grep -qF "file=$(realpath "$f") " "$m" || fail "$CASE: $f is not in the manifest"
    done
}
