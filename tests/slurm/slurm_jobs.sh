#!/usr/bin/env bash
# The shipped Slurm scripts under a real single-node Slurm (scripts/slurm-local.sh): a run job of 1
# task x 2 CPUs (which a pinned --ntasks-per-node used to reject) with sbatch -D, the 3-stage
# pipeline at 2 tasks, an array of 2, and a pipeline whose first stage fails. Checks the job states and exit
# codes Slurm records, that results are byte-identical to the same commands under mpirun, that each
# task got cores of its own and its threads from --cpus-per-task, and that the failed stage left a
# summary saying why while Slurm cancelled the stages after it; and a run cancelled mid-parse (scancel,
# and scancel -s USR1) ends with logad's one line, nothing committed and nothing left behind.
# Skipped (77) when Slurm is neither running here nor startable (needs root and apt-get).
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
REPO=$LAD_SOURCE_DIR
BEGIN_RUN='<!-- logad:run-section:begin -->'
t_start=$(date +%s)

# ---- a Slurm to talk to ----
export SLURM_LOCAL_DIR=${SLURM_LOCAL_DIR:-/tmp/slurm-local}
started=0
if bash "$REPO/scripts/slurm-local.sh" status 2>/dev/null | grep -q 'slurmctld.pid: running'; then
    [ ! -s "$SLURM_LOCAL_DIR/conf.path" ] || export SLURM_CONF=$(cat "$SLURM_LOCAL_DIR/conf.path")
    echo "using the Slurm that scripts/slurm-local.sh started (${SLURM_CONF:-default config})"
elif command -v sinfo >/dev/null && timeout 10 sinfo >/dev/null 2>&1; then
    echo "SKIP: a Slurm that scripts/slurm-local.sh did not start answers here; not submitting test jobs to it"
    exit 77
elif [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: no Slurm running, and starting one (scripts/slurm-local.sh) needs root"
    exit 77
elif ! command -v slurmctld >/dev/null && ! command -v apt-get >/dev/null; then
    echo "SKIP: slurmctld is not installed and apt-get is not here to install it"
    exit 77
else
    # Our own config file, so that an /etc/slurm/slurm.conf of the machine's is never overwritten.
    export SLURM_CONF=$SLURM_LOCAL_DIR/slurm.conf
    if ! bash "$REPO/scripts/slurm-local.sh" start >"$T/slurm-start.log" 2>&1; then
        if ! command -v slurmctld >/dev/null; then
            echo "SKIP: slurm-wlm could not be installed: $(tail -3 "$T/slurm-start.log")"
            exit 77
        fi
        fail "scripts/slurm-local.sh start failed: $(tail -5 "$T/slurm-start.log")"
        finish
    fi
    started=1
    trap 'bash "$REPO/scripts/slurm-local.sh" stop >/dev/null 2>&1' EXIT
    echo "started a local Slurm in $(($(date +%s) - t_start)) s"
fi

# ---- references under mpirun (same absolute paths as the jobs use) ----
head -n 1200 "$HDFS_LOG" >"$T/b.log"
M=$T/mpi
run_np 2 run --log "$HDFS_LOG" --out "$M/run" --models-dir "$M/run/models" || fail "mpirun run: $(cat "$T/run.err")"
run_np 2 run --log "$T/b.log" --out "$M/b" --models-dir "$M/b/models" || fail "mpirun run b: $(cat "$T/run.err")"
run_np 2 preprocess --log "$HDFS_LOG" --out "$M/pipe/features.h5" || fail "mpirun preprocess: $(cat "$T/run.err")"
run_np 2 train --model pca --features "$M/pipe/features.h5" --models-dir "$M/pipe/models" || fail "mpirun train: $(cat "$T/run.err")"
run_np 2 detect --model-in "$M/pipe/models/pca.h5" --log "$HDFS_LOG" --out "$M/pipe" || fail "mpirun detect: $(cat "$T/run.err")"

# ---- submit everything at once; the scheduler queues them on the node ----
# The jobs take the test's environment: logad from this build, threads from --cpus-per-task.
unset OMP_NUM_THREADS
export LOGAD LOGAD_HOME=$REPO
W=$T/work
mkdir -p "$W"
cd "$T" || exit 1
run_job=$(sbatch --parsable -D "$W" --ntasks=1 --cpus-per-task=2 "$REPO/jobs/logad.sbatch" run --log "$HDFS_LOG") \
    || fail "sbatch run"
cd "$W" || exit 1
pipe=$(bash "$REPO/jobs/pipeline.sh" -s "--ntasks=2" "$HDFS_LOG") || fail "pipeline.sh: $pipe"
array=$(bash "$REPO/jobs/array.sh" "$HDFS_LOG" "$T/b.log") || fail "array.sh: $array"
bad=$(bash "$REPO/jobs/pipeline.sh" "$T/missing.log") || fail "pipeline.sh (failing): $bad"
read -r p1 p2 p3 <<<"$(echo "$pipe" | sed 's/preprocess \([0-9]*\) -> train \([0-9]*\) -> detect \([0-9]*\).*/\1 \2 \3/')"
read -r f1 f2 f3 <<<"$(echo "$bad" | sed 's/preprocess \([0-9]*\) -> train \([0-9]*\) -> detect \([0-9]*\).*/\1 \2 \3/')"
a=$(echo "$array" | sed -n 's/^array job \([0-9]*\):.*/\1/p')
echo "jobs: run $run_job, pipeline $p1 $p2 $p3, array $a, failing pipeline $f1 $f2 $f3"

# state JOB: "STATE EXIT" as Slurm records them (an array task: JOB_TASK)
state() {
    local id=${1%_*} task=
    [ "$id" = "$1" ] || task=${1#*_}
    scontrol show job -o "$id" 2>/dev/null | { [ -z "$task" ] && cat || grep " ArrayTaskId=$task "; } |
        sed -n 's/.*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/\1 \2/p' | head -1
}
all="$run_job $p1 $p2 $p3 ${a}_1 ${a}_2 $f1 $f2 $f3"
for _ in $(seq 1 600); do # poll (sbatch --wait would add ~10 s per job)
    busy=0
    for j in $all; do
        case $(state "$j") in PENDING* | RUNNING* | CONFIGURING* | COMPLETING* | "") busy=1 ;; esac
    done
    [ $busy -eq 0 ] && break
    sleep 0.5
done
expect_state() { # expect_state JOB "STATE EXIT" WHAT
    local got
    got=$(state "$1")
    [ "$got" = "$2" ] || fail "$3 (job $1): $got, expected $2; $(tail -3 "$W/logad-${1%_*}.out" 2>/dev/null)"
}
same_results() { # same_results DIR REFERENCE_DIR WHAT
    cmp -s "$1/anomalies.csv" "$2/anomalies.csv" || fail "$3: anomalies.csv differs from mpirun's"
    [ "$(h5_contents "$1/verdicts.h5")" = "$(h5_contents "$2/verdicts.h5")" ] || fail "$3: verdicts.h5 differs"
    cmp -s <(sed "/$BEGIN_RUN/,\$d" "$1/report.html") <(sed "/$BEGIN_RUN/,\$d" "$2/report.html") \
        || fail "$3: report.html differs from mpirun's above the run section"
}
json() { sed -n "s/.*\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -1; }

expect_state "$run_job" "COMPLETED 0:0" "run job (1 task x 2 CPUs)"
R=$W/results/$run_job # sbatch -D: outputs under the job's working directory, not the submit directory
[ -d "$R" ] && [ ! -e "$T/results/$run_job" ] || fail "run job: outputs not in the -D directory"
same_results "$R" "$M/run" "run job"
S=$R/summary-run.json
[ "$(json "$S" status)" = ok ] && [ "$(json "$S" job_id)" = "$run_job" ] && [ "$(json "$S" nodes)" = 1 ] \
    || fail "run job summary: status $(json "$S" status), job $(json "$S" job_id), nodes $(json "$S" nodes)"
[ "$(json "$S" threads_per_rank)" = 2 ] && [ "$(json "$S" threads_from)" = SLURM_CPUS_PER_TASK ] \
    || fail "run job: $(json "$S" threads_per_rank) threads from $(json "$S" threads_from), not 2 from --cpus-per-task"
grep -q "\"results/$run_job/models/pca.h5\"" "$S" || fail "run job: models not in results/<job>/models/"

for j in $p1 $p2 $p3; do expect_state "$j" "COMPLETED 0:0" "pipeline stage"; done
P=$W/results/$p1
for c in preprocess train detect; do
    [ "$(json "$P/summary-$c.json" status)" = ok ] || fail "pipeline: summary-$c.json missing or not ok"
done
cmp -s "$P/anomalies.csv" "$M/pipe/anomalies.csv" || fail "pipeline: anomalies.csv differs from mpirun's stages"
S=$P/summary-preprocess.json
[ "$(json "$S" ntasks)" = 2 ] && [ "$(json "$S" ranks_sharing_cpus)" = 0 ] \
    || fail "pipeline: $(json "$S" ntasks) tasks, $(json "$S" ranks_sharing_cpus) rank(s) sharing CPUs: not bound to cores"
[ "$(h5_contents "$P/features.h5")" = "$(h5_contents "$M/pipe/features.h5")" ] || fail "pipeline: features.h5 differs"

expect_state "${a}_1" "COMPLETED 0:0" "array task 1"
expect_state "${a}_2" "COMPLETED 0:0" "array task 2"
same_results "$W/results/${a}_1" "$M/run" "array task 1"
same_results "$W/results/${a}_2" "$M/b" "array task 2"

expect_state "$f1" "FAILED 1:0" "failing stage"
expect_state "$f2" "CANCELLED 0:0" "stage after the failing one"
expect_state "$f3" "CANCELLED 0:0" "last stage after the failing one"
S=$W/results/$f1/summary-preprocess.json
[ "$(json "$S" status)" = failed ] && [ "$(json "$S" exit_code)" = 1 ] || fail "failed stage: summary $(head -4 "$S" 2>&1)"
grep -q "\"error\": \".*missing.log" "$S" || fail "failed stage: the summary's error does not name the file"
grep -q "failed (exit 1)" "$W/logad-$f1.out" || fail "failed stage: the job output does not explain exit 1"
scontrol show job -o "$f2" | grep -q 'Reason=DependencyNeverSatisfied' || fail "stage 2 not cancelled for its dependency"

# ---- signals under Slurm: scancel (SIGTERM to every task) and scancel -s USR1, mid-run ----
# A log big enough that the run is still parsing when the signal comes: the ranks are signalled as
# soon as the job's lock appears, so nothing may be committed, and nothing may be left behind.
SESSIONS=$REPO/data/hdfs_v1_sessions/sessions_dev.tsv
run_np 2 synth -q --sessions "$SESSIONS" --out "$T/sig.log" --labels-out "$T/sig.csv" --normal 40000 --anomalies 1200 \
    || fail "synth for the signal jobs: $(cat "$T/run.err")"
cd "$W" || exit 1
for sig in TERM USR1; do
    job=$(sbatch --parsable --ntasks=2 "$REPO/jobs/logad.sbatch" run --log "$T/sig.log" --labels "$T/sig.csv") \
        || { fail "sbatch (signal $sig)"; continue; }
    for _ in $(seq 1 600); do
        [ -e "$W/results/$job/.logad.lock" ] && break
        case $(state "$job") in PENDING* | RUNNING* | CONFIGURING* | "") sleep 0.05 ;; *) break ;; esac
    done
    if [ "$sig" = TERM ]; then scancel "$job"; else scancel -s "$sig" "$job"; fi # a plain scancel is SIGTERM
    for _ in $(seq 1 200); do
        case $(state "$job") in PENDING* | RUNNING* | CONFIGURING* | COMPLETING* | "") sleep 0.1 ;; *) break ;; esac
    done
    out=$W/logad-$job.out
    if [ "$sig" = TERM ]; then
        expect_state "$job" "CANCELLED 0:15" "scancel mid-run"
    else
        expect_state "$job" "FAILED 138:0" "scancel -s USR1 mid-run"
    fi
    grep -q "interrupted by SIG$sig: no outputs were committed" "$out" \
        || fail "signal $sig: the job output lacks logad's line: $(tail -5 "$out")"
    [ ! -e "$W/results/$job/anomalies.csv" ] || fail "signal $sig: outputs were committed"
    [ -z "$(find "$W/results/$job" -name '.*.tmp.*' -o -name '.logad.lock' 2>/dev/null)" ] \
        || fail "signal $sig: left behind: $(find "$W/results/$job" -name '.*.tmp.*' -o -name '.logad.lock')"
done

no_leftovers "$W"
echo "slurm checks took $(($(date +%s) - t_start)) s"
finish
