#!/usr/bin/env bash
# run-local.sh - logad on a workstation with mpirun (sets up and builds first when needed).
#   jobs/run-local.sh                     the default job: `logad run` on data/raw/HDFS_2k.log, 2 ranks,
#                                         verdicts in results/anomalies.csv, models in models/
#   jobs/run-local.sh -n 4 -t 2 run --log big.log --labels anomaly_label.csv
#   jobs/run-local.sh -n 2 preprocess --log data/raw/HDFS_2k.log
# -n RANKS (default 2), -t THREADS per rank (default 1); the rest is the logad command line.
set -euo pipefail
cd "$(dirname "$0")/.."
ranks=2
threads=1
while getopts "n:t:" opt; do
    case $opt in
        n) ranks=$OPTARG ;;
        t) threads=$OPTARG ;;
        *) echo "usage: $0 [-n RANKS] [-t THREADS] [logad command and options]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- run --log data/raw/HDFS_2k.log --summary results/summary.json

bash scripts/bootstrap.sh
export OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=1
# As root Open MPI needs these; more ranks than cores needs oversubscription.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
exec mpirun -n "$ranks" --oversubscribe --bind-to none build/logad "$@"
