#!/usr/bin/env bash
# Where run and detect put things, and what --log DIR reads:
# - run --out DIR keeps its models in DIR/models, says so (stdout) before reading the input, --models-dir
#   still wins; without --out they stay in models/ (of the working directory);
# - --log DIR leaves out a labels or templates file it holds (named by --labels, --templates) and
#   files that are not logs (.csv, .h5, .json, hidden), with one warning; -v lists the files read;
# - --structured-out and --templates-out work on run and detect and give what preprocess gives;
#   with --features (nothing parsed) they are a usage error.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP

# run --out DIR: models in DIR/models, announced before ingest.
run_np 2 run --log "$HDFS_LOG" --out "$T/res" || fail "run --out: $(cat "$T/run.err")"
[ -f "$T/res/models/pca.h5" ] || fail "run --out $T/res: no $T/res/models/pca.h5"
first=$(grep -n "^run: results go to $T/res/, models to $T/res/models/" "$T/run.out" | cut -d: -f1)
ingest=$(grep -n "^ingest:" "$T/run.out" | head -1 | cut -d: -f1)
[ -n "$first" ] && [ -n "$ingest" ] && [ "$first" -lt "$ingest" ] || fail "run does not say where the models go first: $(head -3 "$T/run.out")"
run_np 2 run --log "$HDFS_LOG" --out "$T/res2" --models-dir "$T/m2" || fail "run --models-dir: $(cat "$T/run.err")"
[ -f "$T/m2/pca.h5" ] && [ ! -e "$T/res2/models" ] || fail "--models-dir does not win over --out/models"
(cd "$T" && mkdir -p cwd && cd cwd && "$LOGAD" run -q --log "$HDFS_LOG") || fail "run without --out"
[ -f "$T/cwd/models/pca.h5" ] && [ -f "$T/cwd/results/anomalies.csv" ] || fail "run without --out: not results/ and models/"

# --log DIR: the labels file (named by --labels, whatever its name) and non-logs are left out.
run_np 2 synth --sessions "$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv" --out "$T/s.log" \
    --labels-out "$T/s.csv" --normal 200 --anomalies 20 --seed 2 || fail "synth: $(cat "$T/run.err")"
mkdir -p "$T/logs"
cp "$T/s.log" "$T/logs/part1.log"
cp "$T/s.csv" "$T/logs/labels"
cp "$T/s.csv" "$T/logs/anomaly_label.csv"
cp "$T/res/verdicts.h5" "$T/logs/"
echo '{}' >"$T/logs/summary.json"
echo 'not a log' >"$T/logs/.hidden"
run_np 2 run -v --log "$T/logs" --labels "$T/logs/labels" --out "$T/dir" || fail "run --log DIR: $(cat "$T/run.err")"
[ "$(grep -c 'skipped 4 file(s)' "$T/run.err")" = 1 ] || fail "--log DIR: not one warning for 4 skipped files: $(grep -i skip "$T/run.err")"
grep -q "^input 1: $T/logs/part1.log" "$T/run.out" && ! grep -q "^input 2:" "$T/run.out" \
    || fail "--log DIR -v: files read: $(grep '^input' "$T/run.out")"
run_np 2 run --log "$T/s.log" --labels "$T/s.csv" --out "$T/file" || fail "run --log FILE: $(cat "$T/run.err")"
cmp -s "$T/dir/anomalies.csv" "$T/file/anomalies.csv" || fail "--log DIR read more than the log"

# --structured-out / --templates-out on run and detect, against preprocess.
TPL=(--templates "$HDFS_TEMPLATES")
run_np 2 preprocess --log "$HDFS_LOG" "${TPL[@]}" --out "$T/f.h5" --structured-out "$T/pre_s.csv" \
    --templates-out "$T/pre_t.csv" || fail "preprocess: $(cat "$T/run.err")"
run_np 3 run --log "$HDFS_LOG" "${TPL[@]}" --out "$T/so" --structured-out "$T/run_s.csv" --templates-out "$T/run_t.csv" \
    || fail "run --structured-out: $(cat "$T/run.err")"
cmp -s "$T/pre_s.csv" "$T/run_s.csv" && cmp -s "$T/pre_t.csv" "$T/run_t.csv" || fail "run's structured output differs"
# detect parses with the model's templates (loghub's here), so its rows are the same.
run_np 2 detect --model-in "$T/so/models/pca.h5" --log "$HDFS_LOG" --out "$T/det" --structured-out "$T/det_s.csv" \
    --templates-out "$T/det_t.csv" || fail "detect --structured-out: $(cat "$T/run.err")"
cmp -s "$T/pre_s.csv" "$T/det_s.csv" || fail "detect's structured output differs"
[ "$(($(wc -l <"$T/det_t.csv") - 1))" -ge 29 ] || fail "detect --templates-out: $(wc -l <"$T/det_t.csv") lines"
expect_failure "--structured-out with --features" 2 "with --features no log is parsed" \
    detect --model-in "$T/so/models/pca.h5" --features "$T/f.h5" --out "$T/det2" --structured-out "$T/x.csv"
[ ! -e "$T/x.csv" ] && [ ! -e "$T/det2" ] || fail "a refused command wrote outputs"
no_leftovers "$T"
finish
