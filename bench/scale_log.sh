# shellcheck shell=bash
# scale_log.sh - sourced by scale.sh and parse_ab.sh: the synthetic HDFS log of issue #9's scale runs.
# make_scale_log LOGAD DIR SIZE makes DIR/hdfs_SIZE.log and its labels DIR/hdfs_SIZE_labels.csv with
# `logad synth` (SIZE normal blocks and SIZE * 3% anomalous ones; 1900000 gives the issue's 5.3 GB,
# 38M lines), unless both are there already.
make_scale_log() {
    local logad=$1 dir=$2 size=$3
    local anomalies=$((size * 3 / 100)) log=$dir/hdfs_$size.log labels=$dir/hdfs_${size}_labels.csv
    if [ ! -s "$log" ] || [ ! -s "$labels" ]; then
        echo "making $log ($size normal + $anomalies anomalous blocks) ..."
        mkdir -p "$dir"
        mpirun -n 2 --oversubscribe --bind-to none "$logad" synth -q \
            --sessions "$(dirname "${BASH_SOURCE[0]}")/../data/hdfs_v1_sessions/sessions_dev.tsv" \
            --out "$log" --labels-out "$labels" --normal "$size" --anomalies "$anomalies"
    fi
}
