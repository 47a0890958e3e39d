#!/usr/bin/env bash
# run == train + detect: on every loghub 2k sample (HDFS by blocks, the others in --window fixed:60
# sessions), `run` at 1 rank and `train` at 3 ranks then `detect` at 2 or 4 ranks give byte-identical
# anomalies.csv, and the two models are the same file contents: detect gives every line the event
# training gave it (the model's event assigner), not a re-match of template text. BGL is labelled by
# its own lines (--line-labels), so logistic regression runs there too. Then: lines of an event type
# training never saw count in the UNKNOWN column and get their blocks flagged (PCA and logreg), a key
# close to a trained one joins its event, detect refuses parsing options that differ from the model's,
# and preprocess -> train --features -> detect gives what run gives.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
DATA=$LAD_SOURCE_DIR/tests/data/loghub_2k
json() { sed -n "s/.*\"$2\": \([0-9]*\),\{0,1\}$/\1/p" "$1" | head -1; }

i=0
for dir in "$DATA"/*/; do
    sys=$(basename "$dir")
    preset=$(echo "$sys" | tr '[:upper:]' '[:lower:]')
    log=$dir/${sys}_2k.log
    sessions=(--window fixed:60)
    [ "$sys" = HDFS ] && sessions=()
    labels=(--model pca)
    [ "$sys" = BGL ] && labels=(--model both --line-labels)
    det_labels=()
    [ "$sys" = BGL ] && det_labels=(--line-labels)
    np_detect=$((i % 2 ? 4 : 2))
    i=$((i + 1))
    run_np 1 run --preset "$preset" "${sessions[@]}" "${labels[@]}" --log "$log" --out "$T/$sys/run" \
        --models-dir "$T/$sys/run/models" --no-report || { fail "$sys run: $(tail -1 "$T/run.err")"; continue; }
    run_np 3 train --preset "$preset" "${sessions[@]}" "${labels[@]}" --log "$log" --models-dir "$T/$sys/models" \
        || { fail "$sys train: $(tail -1 "$T/run.err")"; continue; }
    for m in pca logreg; do
        [ -f "$T/$sys/models/$m.h5" ] || continue
        # no parsing option: detect takes them all from the model
        run_np $np_detect detect --model-in "$T/$sys/models/$m.h5" "${det_labels[@]}" --log "$log" \
            --out "$T/$sys/det_$m" --no-report || { fail "$sys detect $m: $(tail -1 "$T/run.err")"; continue; }
        want=$T/$sys/run/anomalies.csv
        [ -f "$T/$sys/run/anomalies_$m.csv" ] && want=$T/$sys/run/anomalies_$m.csv
        cmp -s "$want" "$T/$sys/det_$m/anomalies.csv" \
            || fail "$sys $m: detect at $np_detect ranks differs from run: $(diff "$want" "$T/$sys/det_$m/anomalies.csv" | head -3)"
        [ "$(h5_contents "$T/$sys/run/models/$m.h5")" = "$(h5_contents "$T/$sys/models/$m.h5")" ] \
            || fail "$sys $m: the model trained at 3 ranks differs from run's at 1"
    done
done
[ "$i" -eq 16 ] || fail "found $i loghub samples, expected 16"
h5dump -d /events/ids "$T/OpenSSH/models/pca.h5" | grep -q '"UNKNOWN"' || fail "the OpenSSH model has no UNKNOWN column"
h5dump -a /assigner/window "$T/OpenSSH/models/pca.h5" | grep -q '"fixed:60"' || fail "the model lacks its window spec"

# preprocess -> train --features -> detect --log, the Slurm pipeline's stages: the same as run.
ssh_log=$DATA/OpenSSH/OpenSSH_2k.log
run_np 2 preprocess --preset openssh --window fixed:60 --log "$ssh_log" --out "$T/ssh_features.h5" \
    || fail "preprocess: $(tail -1 "$T/run.err")"
run_np 1 train --model pca --features "$T/ssh_features.h5" --model-out "$T/ssh_pca.h5" \
    || fail "train --features: $(tail -1 "$T/run.err")"
run_np 3 detect --model-in "$T/ssh_pca.h5" --log "$ssh_log" --out "$T/ssh_det" --no-report \
    || fail "detect: $(tail -1 "$T/run.err")"
cmp -s "$T/OpenSSH/run/anomalies.csv" "$T/ssh_det/anomalies.csv" || fail "preprocess/train/detect differs from run"

# A new event type: three normal HDFS blocks get one line each of a message training never saw, and
# a fourth a line close to a trained one (another last word: 3 of 6 tokens equal, Drain's 0.5). PCA
# flags the three, naming UNKNOWN first; no other block changes.
hdfs_model=$T/HDFS/models/pca.h5
blocks=$(grep ',Normal,' "$T/HDFS/run/anomalies.csv" | head -4 | cut -d, -f1)
{
    tr -d '\r' <"$HDFS_LOG"
    for b in $(echo "$blocks" | head -3); do
        echo "081111 101010 999 WARN dfs.DataScanner: Checksum mismatch while scrubbing $b on volume /mnt/d1"
    done
    echo "081111 101011 999 INFO dfs.DataNode\$PacketResponder: PacketResponder 2 for block $(echo "$blocks" | tail -1) exiting"
} >"$T/new_hdfs.log"
run_np 3 detect --model-in "$hdfs_model" --log "$T/new_hdfs.log" --out "$T/new" --no-report \
    --summary "$T/new/summary.json" || fail "detect new log: $(tail -1 "$T/run.err")"
S=$T/new/summary.json
[ "$(json "$S" unknown_lines)" = 3 ] && [ "$(json "$S" unknown_sessions)" = 3 ] \
    || fail "unknown lines/sessions: $(grep unknown "$S")"
[ "$(json "$S" similar_lines)" = 1 ] || fail "the line close to a trained event: $(grep -E 'similar|skeleton' "$S")"
grep -q 'event types the model never saw' "$T/run.err" || fail "detect does not report the unknown lines"
for b in $(echo "$blocks" | head -3); do
    grep -q "^$b,Anomaly,[^,]*,UNKNOWN" "$T/new/anomalies.csv" \
        || fail "block $b with an unknown event: $(grep "^$b," "$T/new/anomalies.csv")"
done
others() { grep -v -F "$(echo "$blocks" | sed 's/$/,/')" "$1"; }
[ "$(others "$T/HDFS/run/anomalies.csv")" = "$(others "$T/new/anomalies.csv")" ] || fail "other blocks changed"

# logreg: a normal BGL window with one line of an unknown event is flagged too (the rule of
# lad_model_unknown.h: the largest positive weight), and its line labels are unchanged.
bgl_log=$DATA/BGL/BGL_2k.log
{
    cat "$bgl_log"
    echo
    echo "- 1117838571 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.51.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO unexpected scrubber fault on midplane"
} >"$T/new_bgl.log"
win=win_$((1117838571 / 60))
grep -q "^$win,Normal," "$T/BGL/run/anomalies_logreg.csv" || fail "BGL window $win is not normal in training"
run_np 2 detect --model-in "$T/BGL/models/logreg.h5" --line-labels --log "$T/new_bgl.log" --out "$T/new_bgl" \
    --no-report || fail "detect BGL: $(tail -1 "$T/run.err")"
grep -q "^$win,Anomaly,[^,]*,UNKNOWN" "$T/new_bgl/anomalies.csv" \
    || fail "logreg: $(grep "^$win," "$T/new_bgl/anomalies.csv")"

# Parsing options must be the model's.
expect_failure "another window" 2 "--window fixed:30 differs from the model's fixed:60" \
    detect --model-in "$T/OpenSSH/models/pca.h5" --window fixed:30 --log "$ssh_log" --out "$T/x"
expect_failure "a window for a block model" 2 "trained on HDFS block sessions" \
    detect --model-in "$hdfs_model" --window fixed:60 --log "$HDFS_LOG" --out "$T/x"
expect_failure "another preset" 2 "--preset linux differs from the model's openssh" \
    detect --model-in "$T/OpenSSH/models/pca.h5" --preset linux --log "$ssh_log" --out "$T/x"
expect_failure "another Drain setting" 2 "--drain-sim 0.9 differs" \
    detect --model-in "$T/OpenSSH/models/pca.h5" --drain-sim 0.9 --log "$ssh_log" --out "$T/x"
echo "blk_1,Normal" >"$T/labels.csv"
expect_failure "block labels for a window model" 2 "use --line-labels" \
    detect --model-in "$T/OpenSSH/models/pca.h5" --labels "$T/labels.csv" --log "$ssh_log" --out "$T/x"
[ ! -e "$T/x" ] || [ -z "$(ls -A "$T/x")" ] || fail "a refused detect left outputs in $T/x"
no_leftovers "$T"
finish
