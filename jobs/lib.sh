# lib.sh - what the submitting scripts (pipeline.sh, array.sh, scaling.sh) share; sourced, not run.
# They run where sbatch runs, so they can read this file beside them (batch scripts cannot: Slurm
# runs a copy of them from its spool directory).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export LOGAD_HOME=${LOGAD_HOME:-$(dirname "$here")}

# usage: the calling script's header comment, then exit 2
usage() {
    sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0" >&2
    exit 2
}

# abs PATH: PATH made absolute, so that sbatch -D in the job options does not change which file a
# job reads
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac }

# log_args LOG...: --log ABSOLUTE_PATH for each, into the array log_args
log_args() {
    log_args=()
    local log
    for log in "$@"; do log_args+=(--log "$(abs "$log")"); done
}
