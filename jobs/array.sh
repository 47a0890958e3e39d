#!/usr/bin/env bash
# array.sh - one Slurm array task per log file: task N runs a logad command on the N-th file, in
# results/<array job id>_<N>/ (jobs/logad.sbatch with LOGAD_LOG_LIST).
#
#   bash jobs/array.sh [-c "COMMAND OPTIONS"] [-s "SBATCH OPTIONS"] LOG...
#     -c  the logad command each task runs on its file (default run), e.g.
#         -c "detect --model-in results/1234/models/pca.h5"
#     -s  sbatch options for every task, e.g. -s "--ntasks=4 --array=1-100%10" (%10: ten at a time)
#
# The list of files is kept in results/array-<date>-<pid>.list for the tasks to read.
source "$(dirname "$0")/lib.sh"

command="run" sb=""
while getopts "c:s:h" opt; do
    case $opt in
    c) command=$OPTARG ;;
    s) sb=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
mkdir -p results
list=$PWD/results/array-$(date +%Y%m%d-%H%M%S)-$$.list
for log in "$@"; do abs "$log"; done >"$list"
# shellcheck disable=SC2086 # the command and the sbatch options are meant to split into words
id=$(LOGAD_LOG_LIST=$list sbatch --parsable --array=1-$# $sb "$here/logad.sbatch" $command | cut -d';' -f1)
echo "array job $id: $# task(s), outputs in results/${id}_1/ ... results/${id}_$#/ (files listed in $list)"
