#!/usr/bin/env bash
# What a run says about each anomalous block, checked from outside: `run --model both` on a labelled
# synthetic log at 1, 2, 3, 4 and 7 ranks writes byte-identical anomalies*.csv, anomalies_explained.csv
# and verdicts.h5; explain_check.py parses them back with Python's csv module and recomputes the
# observed counts (from features.h5 of `preprocess`), PCA's expected counts and both models'
# contributions (from the model files), and the report's heatmap cells. anomalies.csv and
# anomalies_logreg.csv are one file with two names (a hard link), or two equal files where linking
# is not possible (LAD_TEST_NO_LINK).
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv
command -v python3 >/dev/null || { echo "skipped: python3 is needed to parse the CSV files back"; exit 77; }

run_np 2 synth --sessions "$SESSIONS" --out "$T/s.log" --labels-out "$T/s.csv" --normal 1500 --anomalies 60 --seed 11 \
    || fail "synth: $(cat "$T/run.err")"
run_np 2 preprocess --log "$T/s.log" --out "$T/features.h5" || fail "preprocess: $(cat "$T/run.err")"

FILES="anomalies.csv anomalies_pca.csv anomalies_logreg.csv anomalies_explained.csv"
for np in 1 2 3 4 7; do
    threads=$((np == 1 ? 2 : 1))
    run_np $np run --log "$T/s.log" --labels "$T/s.csv" --model both --out "$T/np$np" --threads $threads \
        || { fail "run np=$np: $(cat "$T/run.err")"; continue; }
    # run --out DIR keeps the models in DIR/models.
    [ -f "$T/np$np/models/pca.h5" ] && [ -f "$T/np$np/models/logreg.h5" ] || fail "np=$np: models not in --out/models"
    [ $np = 1 ] && continue
    for f in $FILES; do
        cmp -s "$T/np1/$f" "$T/np$np/$f" || fail "np=$np: $f differs from np=1"
    done
    cmp -s <(h5_contents "$T/np1/verdicts.h5") <(h5_contents "$T/np$np/verdicts.h5") \
        || fail "np=$np: verdicts.h5 differs from np=1"
done

python3 "$LAD_SOURCE_DIR/tests/e2e/explain_check.py" "$T/np1" "$T/features.h5" || fail "explain_check.py (above)"

# The per-model copy of the primary file: a second name of the same bytes, or a second write.
cmp -s "$T/np2/anomalies.csv" "$T/np2/anomalies_logreg.csv" || fail "anomalies.csv != anomalies_logreg.csv"
links=$(stat -c %h "$T/np2/anomalies.csv")
[ "$links" = 2 ] || echo "note: anomalies.csv has $links link(s): this file system does not link, logad wrote it twice"
LAD_TEST_NO_LINK=1 run_np 2 run --log "$T/s.log" --labels "$T/s.csv" --model both --out "$T/nolink" \
    || fail "run without links: $(cat "$T/run.err")"
[ "$(stat -c %h "$T/nolink/anomalies.csv")" = 1 ] || fail "LAD_TEST_NO_LINK: anomalies.csv is still linked"
for f in $FILES; do
    cmp -s "$T/np1/$f" "$T/nolink/$f" || fail "second write: $f differs"
done

# --top-events 0 names nothing: an empty explanation file and no top datasets, still valid CSV.
run_np 2 run --log "$T/s.log" --labels "$T/s.csv" --model pca --out "$T/top0" --top-events 0 \
    || fail "--top-events 0: $(cat "$T/run.err")"
[ "$(cat "$T/top0/anomalies_explained.csv")" = "BlockId,Model,Rank,EventId,Observed,Expected,Contribution,Template" ] \
    || fail "--top-events 0: anomalies_explained.csv has rows"
h5dump -H "$T/top0/verdicts.h5" | grep -q '"row"' || fail "--top-events 0: no /pca/anomalies/row"
! h5dump -H "$T/top0/verdicts.h5" | grep -q '"top_events"' || fail "--top-events 0: top_events written"
no_leftovers "$T"
finish
