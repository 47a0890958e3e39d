#!/usr/bin/env bash
# Template mining on HDFS_2k at 1, 2, 3 and 4 ranks (and 1 or 3 threads): grouping accuracy against
# loghub's ground truth must be at least 0.998 (Drain's published GA is 0.9975), and the templates and
# the event of every line must be the same for every rank and thread count.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
TRUTH=$LAD_SOURCE_DIR/data/raw/HDFS_2k.log_structured.csv

for np in 1 2 3 4; do
    for threads in 1 3; do
        [ "$np" -gt 1 ] && [ "$threads" -eq 3 ] && [ "$np" -ne 4 ] && continue
        tag=np${np}_t${threads}
        OMP_NUM_THREADS=$threads run_np "$np" preprocess --log "$HDFS_LOG" --preset hdfs \
            --structured-out "$T/s_$tag.csv" --templates-out "$T/t_$tag.csv" --out "$T/f_$tag.h5" \
            || { fail "$tag: preprocess exit $?: $(cat "$T/run.err")"; continue; }
        "$LOGAD" parse-eval --truth "$TRUTH" --parsed "$T/s_$tag.csv" >"$T/ga_$tag.txt" 2>&1 \
            || { fail "$tag: parse-eval exit $?: $(cat "$T/ga_$tag.txt")"; continue; }
        ga=$(awk '/^GA /{print $2}' "$T/ga_$tag.txt")
        echo "HDFS_2k mined at $np rank(s) x $threads thread(s): GA $ga"
        awk -v g="$ga" 'BEGIN { exit !(g != "" && g + 0 >= 0.998) }' || fail "$tag: GA '$ga' < 0.998"
        if [ "$tag" != np1_t1 ]; then
            cmp -s "$T/s_np1_t1.csv" "$T/s_$tag.csv" || fail "$tag: event assignment differs from 1 rank"
            cmp -s "$T/t_np1_t1.csv" "$T/t_$tag.csv" || fail "$tag: templates differ from 1 rank"
        fi
    done
done
# the structured file has one row per line, each with a mined event
[ "$(wc -l <"$T/s_np1_t1.csv")" -eq 2001 ] || fail "structured output does not have 2000 rows"
awk -F, 'NR > 1 && $(NF-1) !~ /^M[0-9]+$/ { bad++ } END { exit bad > 0 }' "$T/s_np1_t1.csv" \
    || fail "a row has no mined event id"
finish
