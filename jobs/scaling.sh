#!/usr/bin/env bash
# scaling.sh - a scaling study: one logad command at several rank counts, one Slurm job each, and a
# last job that collects their summaries into one table, DIR/scaling.tsv (also in its output file),
# with DIR = results/scaling-<date>-<time>/.
#
#   bash jobs/scaling.sh [-r "1 2 4 8"] [-t THREADS] [-c COMMAND] [-s "SBATCH OPTIONS"] LOG...
#     -r  rank counts (default "1 2 4")
#     -t  CPUs (threads) per rank (default 1)
#     -c  the logad command timed (default preprocess)
#     -s  sbatch options for every job, e.g. -s "--nodes=2" or, for more ranks than cores on a
#         small node, -s --overcommit
#
# The table has one row per job: ranks, threads, nodes, status, total and parse seconds (slowest
# rank), speed-up against the first row, lines per second and peak RSS (largest rank, MiB).
source "$(dirname "$0")/lib.sh"

# table DIR COMMAND: the collecting step, run by the last job
table() {
    local dir=$1 command=$2 base="" f
    printf 'ranks\tthreads\tnodes\tstatus\ttotal_s\tparse_s\tspeedup\tlines_per_s\tpeak_rss_mib\n'
    for f in $(ls "$dir"/np*/summary-"$command".json 2>/dev/null | sort -V); do
        # One value of logad's summary: the number after "KEY": (or after "max": on KEY's line).
        value() { sed -n "s/.*\"$1\": {.*\"max\": \([0-9.e+-]*\).*/\1/p; s/.*\"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$f" | head -1; }
        local total parse
        total=$(value total)
        parse=$(value parse)
        [ -n "$base" ] || base=$total
        awk -v r="$(value ranks)" -v t="$(value threads_per_rank)" -v n="$(value nodes)" -v s="$(value status)" \
            -v total="$total" -v parse="$parse" -v base="$base" -v lines="$(value lines)" -v rss="$(value peak_rss_mib)" \
            'BEGIN { speedup = total > 0 ? base / total : 0; rate = total > 0 ? lines / total : 0
                     printf "%s\t%s\t%s\t%s\t%.4f\t%.4f\t%.2f\t%.0f\t%.1f\n", r, t, n, s, total, parse, speedup, rate, rss }'
    done
}
if [ "${1:-}" = --table ]; then
    table "$2" "$3" | tee "$2/scaling.tsv"
    exit 0
fi

ranks="1 2 4" threads=1 command=preprocess sb=""
while getopts "r:t:c:s:h" opt; do
    case $opt in
    r) ranks=$OPTARG ;;
    t) threads=$OPTARG ;;
    c) command=$OPTARG ;;
    s) sb=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
log_args "$@"
dir=results/scaling-$(date +%Y%m%d-%H%M%S)
mkdir -p "$dir"
ids=""
for r in $ranks; do
    # shellcheck disable=SC2086 # the sbatch options are meant to split into words
    id=$(LOGAD_OUT=$dir/np$r sbatch --parsable --ntasks="$r" --cpus-per-task="$threads" --output="$dir/np$r-%j.out" \
        $sb "$here/logad.sbatch" "$command" "${log_args[@]}" | cut -d';' -f1)
    ids="$ids:$id"
done
# afterany: a rank count that failed still gets its row, with its status.
# shellcheck disable=SC2086
last=$(sbatch --parsable --job-name=logad-scaling --dependency=afterany$ids --ntasks=1 --output="$dir/table-%j.out" \
    $sb --wrap "bash '$here/scaling.sh' --table '$dir' '$command'" | cut -d';' -f1)
echo "jobs ${ids#:} -> table $last: $dir/scaling.tsv"
