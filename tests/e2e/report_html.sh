#!/usr/bin/env bash
# results/report.html: self-contained (no script, no fetch), byte-identical above the run section at
# several rank and thread counts, and its numbers agree with the other outputs computed independently:
# histogram totals with the block count, the confusion matrix with metrics.json, the top-events table
# with the TopEvents column of anomalies_<model>.csv, the heatmap rows with the highest scores there,
# and one timing bar per rank.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP
SESSIONS=$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv
BEGIN_RUN='<!-- logad:run-section:begin -->'

run_np 2 synth --sessions "$SESSIONS" --out "$T/s.log" --labels-out "$T/s.csv" --normal 1500 --anomalies 60 --seed 5 \
    || fail "synth: $(cat "$T/run.err")"

# before_run REPORT: the part that must not depend on ranks or threads
before_run() { sed "/$BEGIN_RUN/,\$d" "$1"; }
# section REPORT MODEL: the lines of one model's section
section() { awk -v m="<h2 id=\"model-$2\">" 'index($0, m) { on = 1; next } /<h2 / { on = 0 } on' "$1"; }

for cfg in "1 1" "3 2" "4 1"; do
    set -- $cfg
    d=$T/np$1t$2
    run_np $1 run --log "$T/s.log" --labels "$T/s.csv" --out "$d" --models-dir "$d/models" --threads $2 \
        --summary "$d/summary.json" || { fail "run np=$1 threads=$2: $(cat "$T/run.err")"; continue; }
    [ -f "$d/report.html" ] || { fail "np=$1: no report.html"; continue; }
    grep -q "\"$d/report.html\"" "$d/summary.json" || fail "np=$1: report.html not among the summary's outputs"
    n=$(grep -c 'class="rank-bar"' "$d/report.html")
    [ "$n" -eq $1 ] || fail "np=$1: $n timing bars"
    grep -q "<td>$1 &times; $2 " "$d/report.html" || fail "np=$1: the run section does not say $1 x $2"
done
R=$T/np1t1/report.html
for d in np3t2 np4t1; do
    cmp -s <(before_run "$R") <(before_run "$T/$d/report.html") || fail "$d: report differs from np=1 above the run section"
done
grep -qF "$BEGIN_RUN" "$R" && grep -qF '<!-- logad:run-section:end -->' "$R" || fail "run section markers missing"

# Self-contained: nothing to fetch or execute.
head -1 "$R" | grep -qx '<!DOCTYPE html>' || fail "not an HTML5 document"
tail -1 "$R" | grep -qx '</html>' || fail "report.html is cut short"
if grep -Eiq '<script|<link|<img|<iframe|src=|@import|url\(|https?:' "$R"; then
    fail "report.html refers to something outside itself: $(grep -Eio '<script|<link|<img|<iframe|src=|@import|url\(|https?:[^"]*' "$R" | head -3)"
fi

blocks=$(($(wc -l <"$T/np1t1/anomalies.csv") - 1))
for m in pca logreg; do
    csv=$T/np1t1/anomalies_$m.csv
    section "$R" $m >"$T/$m.sec"
    # Histogram: every block once.
    got=$(grep -o '<svg class="hist"[^>]*data-blocks="[0-9]*"' "$T/$m.sec" | grep -o '[0-9]*"$' | tr -d '"')
    [ "$got" = "$blocks" ] || fail "$m: histogram holds $got blocks, anomalies.csv $blocks"
    grep -q 'class="threshold"' "$T/$m.sec" || fail "$m: no threshold line"
    grep -q '<polyline class="pr-curve"' "$T/$m.sec" || fail "$m: no PR curve"
    # Confusion matrix cells, in the order tp fn fp tn, against metrics.json.
    cells=$(grep -o '<text class="count"[^>]*>[0-9]*<' "$T/$m.sec" | sed 's/.*>\([0-9]*\)<$/\1/' | paste -sd' ')
    want=$(sed -n "s/.*\"$m\": {\"tp\": \([0-9]*\), \"fp\": \([0-9]*\), \"fn\": \([0-9]*\), \"tn\": \([0-9]*\).*/\1 \3 \2 \4/p" \
        "$T/np1t1/metrics.json")
    [ -n "$want" ] && [ "$cells" = "$want" ] || fail "$m: confusion matrix '$cells', metrics.json '$want'"
    # Top events: counts of each event among the anomalies' TopEvents.
    awk -F, 'NR > 1 && $2 == "Anomaly" { n = split($4, e, " "); for (i = 1; i <= n; i++) c[e[i]]++ }
             END { for (k in c) print k, c[k] }' "$csv" | sort >"$T/$m.hits"
    awk '/<table class="top-events">/ { on = 1 } on && /<\/table>/ { on = 0 }
         on && /<tr><td><code>/ { id = $0; sub(/.*<tr><td><code>/, "", id); sub(/<.*/, "", id)
                                 n = $0; sub(/.*<td class="n">/, "", n); sub(/.*<\/td><td class="n">/, "", n)
                                 c = $0; sub(/<\/td><td class="n">[0-9.]*%.*/, "", c); sub(/.*>/, "", c); print id, c }' \
        "$T/$m.sec" >"$T/$m.shown"
    [ -s "$T/$m.shown" ] || fail "$m: empty top-events table"
    while read -r id c; do
        grep -qx "$id $c" "$T/$m.hits" || fail "$m: top events say $id $c, anomalies.csv says $(grep "^$id " "$T/$m.hits")"
    done <"$T/$m.shown"
    awk 'NR > 1 && $2 > prev { bad = 1 } { prev = $2 } END { exit bad }' "$T/$m.shown" \
        || fail "$m: top events not in descending order"
    least=$(tail -1 "$T/$m.shown" | cut -d' ' -f2)
    shown_n=$(wc -l <"$T/$m.shown")
    awk -v least="$least" -v n="$shown_n" 'NR == FNR { s[$1] = 1; next } !($1 in s) && ($2 > least || (n < 15 && $2 > 0)) { bad = 1 }
        END { exit bad }' "$T/$m.shown" "$T/$m.hits" || fail "$m: an event with more hits is missing from the table"
    # Heatmap rows: the highest-scoring anomalous blocks (score desc, then block id asc).
    grep -o '<text class="row"[^>]*>blk_[-0-9]* ' "$T/$m.sec" | sed 's/.*>\(blk_[-0-9]*\) /\1/' >"$T/$m.rows"
    awk -F, 'NR > 1 && $2 == "Anomaly" { k = $1; sub(/blk_/, "", k); print $3, k }' "$csv" |
        sort -k1,1gr -k2,2n | head -20 | awk '{ print "blk_" $2 }' >"$T/$m.want_rows"
    if [ $m = pca ]; then
        cmp -s "$T/$m.rows" "$T/$m.want_rows" || fail "$m: heatmap rows differ from the top scores of anomalies.csv"
    else # probabilities near 1 print alike in the CSV: compare the sets only
        [ "$(sort "$T/$m.rows" | paste -sd' ')" = "$(sort "$T/$m.want_rows" | paste -sd' ')" ] \
            || echo "note: logreg heatmap rows and the CSV's rounded top scores differ at ties"
        [ "$(wc -l <"$T/$m.rows")" -eq "$(wc -l <"$T/$m.want_rows")" ] || fail "$m: heatmap has $(wc -l <"$T/$m.rows") rows"
    fi
    grep -qF 'BLOCK* NameSystem' "$T/$m.sec" || fail "$m: no template text in the report"
done

# detect without labels: histogram, no PR curve or confusion matrix; --no-report writes none.
run_np 2 detect --model-in "$T/np1t1/models/pca.h5" --log "$HDFS_LOG" --out "$T/det" || fail "detect: $(cat "$T/run.err")"
grep -q '<svg class="hist"' "$T/det/report.html" || fail "detect: no histogram"
! grep -q 'class="pr"\|class="confusion"' "$T/det/report.html" || fail "detect without labels drew a PR curve"
run_np 2 detect --model-in "$T/np1t1/models/pca.h5" --log "$HDFS_LOG" --out "$T/det2" --no-report \
    || fail "detect --no-report: $(cat "$T/run.err")"
[ ! -e "$T/det2/report.html" ] || fail "--no-report wrote report.html"
no_leftovers "$T"
finish
