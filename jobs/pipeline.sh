#!/usr/bin/env bash
# pipeline.sh - preprocess -> train -> detect as three Slurm jobs. Each starts only when the one
# before it succeeded (--dependency=afterok); when one fails, Slurm cancels the ones after it
# (--kill-on-invalid-dep=yes). All three write into results/<preprocess job id>/: features.h5,
# models/<model>.h5, the detect outputs, and one summary-<command>.json per stage.
#
#   bash jobs/pipeline.sh [-m pca|logreg] [-l LABELS.csv] [-d LOG]... [-s "SBATCH OPTIONS"] LOG...
#     -m  the model to train (default pca; logreg needs -l)
#     -l  labels: logreg learns from them, and detect reports precision and recall against them
#     -d  a log for detect to score (repeatable; default: the training logs)
#     -s  sbatch options for every stage, e.g. -s "--ntasks=8 --cpus-per-task=4"
#
# Run it where you would run sbatch, from anywhere; it prints the job ids and the directory.
source "$(dirname "$0")/lib.sh"


model=pca labels="" sb="" detect=()
while getopts "m:l:d:s:h" opt; do
    case $opt in
    m) model=$OPTARG ;;
    l) labels=$(abs "$OPTARG") ;;
    d) detect+=(--log "$(abs "$OPTARG")") ;;
    s) sb=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
case $model in pca | logreg) ;; *) echo "pipeline.sh: -m must be pca or logreg" >&2; exit 2 ;; esac
[ "$model" = pca ] || [ -n "$labels" ] || { echo "pipeline.sh: -m logreg needs -l LABELS.csv" >&2; exit 2; }
log_args "$@"
logs=("${log_args[@]}")
[ ${#detect[@]} -gt 0 ] || detect=("${logs[@]}")
with_labels=()
[ -z "$labels" ] || with_labels=(--labels "$labels")

# submit OUT_DIR ARGS...: sbatch, printing the job id only
submit() {
    local dir=$1
    shift
    # shellcheck disable=SC2086 # the sbatch options are meant to split into words
    LOGAD_OUT=$dir sbatch --parsable $sb "$@" | cut -d';' -f1
}
first=$(submit "${LOGAD_OUT:-}" "$here/logad.sbatch" preprocess "${logs[@]}")
dir=${LOGAD_OUT:-results/$first}
after="--kill-on-invalid-dep=yes --dependency=afterok"
second=$(submit "$dir" $after:"$first" "$here/logad.sbatch" train --model "$model" --features "$dir/features.h5" \
    ${with_labels[@]+"${with_labels[@]}"})
third=$(submit "$dir" $after:"$second" "$here/logad.sbatch" detect --model-in "$dir/models/$model.h5" \
    "${detect[@]}" ${with_labels[@]+"${with_labels[@]}"})
echo "preprocess $first -> train $second -> detect $third; outputs in $dir/"
