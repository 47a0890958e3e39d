#!/usr/bin/env bash
# accuracy.sh [LOGAD] - held-out accuracy of the PCA and logistic-regression detectors on labelled
# HDFS_v1 sessions, at the real anomaly ratio, beside loglizer's published HDFS figures.
#
#   1. the real sessions (data/hdfs_v1_sessions) are split in two halves by a hash of the line number
#      and the seed (a uniform random split of blocks, as in loglizer's HDFS benchmark);
#   2. each half becomes its own raw log with `logad synth`, all its anomalous sessions once and normal
#      sessions resampled to the real ratio (16,838 anomalies in 575,061 blocks);
#   3. models are trained on the first log (templates mined from it) and detect on the second.
# Environment: NP (ranks, default 2), SCALE (fraction of each half's anomalies to use, default 1),
# OUT (work directory, default bench/out/accuracy), SEED (default 1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logad=${1:-$here/../build/logad}
np=${NP:-2}
scale=${SCALE:-1}
seed=${SEED:-1}
out=${OUT:-$here/out/accuracy}
sessions=$here/../data/hdfs_v1_sessions/sessions_dev.tsv
mkdir -p "$out"
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} OPENBLAS_NUM_THREADS=1
run() { mpirun -n "$np" --oversubscribe --bind-to none "$logad" "$@"; }

# The half of a session is the top bit of murmur3's 32-bit finalizer of (line number xor a hash of the
# seed), computed exactly in awk's doubles (mawk has neither 64-bit integers nor xor): independent
# halves for different seeds.
awk -F'\t' -v a="$out/train.tsv" -v b="$out/test.tsv" -v s="$seed" '
    function mul32(x, y,   xh, xl, yh, yl) {
        xh = int(x / 65536); xl = x % 65536; yh = int(y / 65536); yl = y % 65536
        return (((xh * yl + xl * yh) % 65536) * 65536 + xl * yl) % 4294967296
    }
    function xor32(x, y,   r, bit) {
        r = 0
        for (bit = 1; x > 0 || y > 0; bit *= 2) {
            if ((x % 2) != (y % 2)) r += bit
            x = int(x / 2); y = int(y / 2)
        }
        return r
    }
    function fmix32(h) {
        h = xor32(h, int(h / 65536)); h = mul32(h, 2246822507)
        h = xor32(h, int(h / 8192)); h = mul32(h, 3266489909)
        return xor32(h, int(h / 65536))
    }
    BEGIN { k = fmix32(s) }
    { print > ((fmix32(xor32(NR, k)) >= 2147483648) ? a : b) }' "$sessions"
for half in train test; do
    anomalies=$(grep -c '^Anomaly' "$out/$half.tsv")
    anomalies=$(awk -v a="$anomalies" -v s="$scale" 'BEGIN { printf "%d", a * s }')
    normals=$(awk -v a="$anomalies" 'BEGIN { printf "%d", a * (575061 - 16838) / 16838 + 0.5 }')
    run synth -q --sessions "$out/$half.tsv" --out "$out/$half.log" --labels-out "$out/$half.csv" \
        --normal "$normals" --anomalies "$anomalies" --seed $((seed * 10 + ${#half}))
    echo "$half: $normals normal + $anomalies anomalous blocks, $(wc -l <"$out/$half.log") lines" >&2
done

run preprocess -q --log "$out/train.log" --out "$out/train.h5"
run preprocess -q --log "$out/test.log" --out "$out/test.h5"

printf '| model | transform | options | precision | recall | F1 |\n|---|---|---|---|---|---|\n'
score() { # score MODEL TRANSFORM [TRAIN OPTIONS...]
    local m=$1 tf=$2
    shift 2
    local dir=$out/${m}_${tf//,/_}$(printf "%s" "$*" | tr -c "a-zA-Z0-9." _)
    local labels=()
    [ "$m" = logreg ] && labels=(--labels "$out/train.csv")
    run train -q --model "$m" --features "$out/train.h5" "${labels[@]}" --transform "$tf" "$@" --model-out "$dir/model.h5"
    run detect -q --model-in "$dir/model.h5" --log "$out/test.log" --labels "$out/test.csv" --out "$dir"
    local opts="${*:-defaults}"
    sed -n "s/.*\"$m\": {.*\"precision\": \([0-9.]*\), \"recall\": \([0-9.]*\), \"f1\": \([0-9.]*\)}.*/| $m | $tf | $opts | \1 | \2 | \3 |/p" \
        "$dir/metrics.json"
}
score pca tfidf,center
score pca tfidf,center --pca-refit 0
score pca center
score pca tfidf,center,log
score logreg tfidf
score logreg none
score logreg log
score logreg tfidf --lr-lambda 1e-2
printf '| loglizer PCA (published) | tf-idf, zero-mean | | 0.975 | 0.635 | 0.769 |\n'
printf '| loglizer LR (published) | tf-idf | | 0.955 | 0.911 | 0.933 |\n'
