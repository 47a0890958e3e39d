#!/usr/bin/env bash
# report.html renders in a real browser without network or script: headless Chromium parses it into a
# DOM holding every plot, and its screenshot is far from blank. Chromium is installed with apt when
# missing and the test runs as root (about 25 s on Debian 12); otherwise the test is skipped (77).
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        echo "SKIP: Chromium is not installed and cannot be (needs root and apt-get): apt-get install chromium"
        exit 77
    fi
    start=$(date +%s)
    install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >"$T/apt.log" 2>&1; }
    install || { apt-get update -qq >>"$T/apt.log" 2>&1 && install; } || {
        echo "SKIP: apt-get install chromium failed: $(tail -2 "$T/apt.log")"
        exit 77
    }
    echo "installed chromium in $(($(date +%s) - start)) s"
    browser=$(command -v chromium)
fi
# No network, no profile of the user's, no sandbox (root in a container has none to offer).
shot() { # shot URL PNG
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$T/profile" \
        --window-size=1200,3000 --screenshot="$2" "$1" >>"$T/chromium.log" 2>&1
}

run_np 2 synth --sessions "$LAD_SOURCE_DIR/data/hdfs_v1_sessions/sessions_dev.tsv" --out "$T/s.log" \
    --labels-out "$T/s.csv" --normal 800 --anomalies 40 || fail "synth: $(cat "$T/run.err")"
run_np 2 run --log "$T/s.log" --labels "$T/s.csv" --out "$T/res" --models-dir "$T/models" || fail "run: $(cat "$T/run.err")"
R=$T/res/report.html

timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$T/profile" \
    --dump-dom "file://$R" >"$T/dom.html" 2>>"$T/chromium.log" || fail "chromium --dump-dom failed: $(tail -3 "$T/chromium.log")"
# Every plot of the file is in the parsed document: the parser dropped none of them.
for element in '<svg class="hist"' '<svg class="pr"' '<svg class="confusion"' '<svg class="heatmap"' \
    '<svg class="ranks"' '<polyline class="pr-curve"' '<rect class="bin"' '<rect class="cell"'; do
    in_file=$(grep -o "$element" "$R" | wc -l)
    in_dom=$(grep -o "$element" "$T/dom.html" | wc -l)
    [ "$in_file" -gt 0 ] && [ "$in_dom" -eq "$in_file" ] || fail "$element: $in_file in the file, $in_dom in the DOM"
done
echo "DOM: $(grep -o '<svg' "$T/dom.html" | wc -l) svg, $(grep -o '<rect' "$T/dom.html" | wc -l) rect elements"

# The screenshot of the report carries far more than that of an empty page of the same size.
printf '<!DOCTYPE html>\n<html><body></body></html>\n' >"$T/blank.html"
shot "file://$T/blank.html" "$T/blank.png" || fail "chromium screenshot of a blank page failed"
shot "file://$R" "$T/report.png" || fail "chromium screenshot failed: $(tail -3 "$T/chromium.log")"
blank=$(stat -c %s "$T/blank.png" 2>/dev/null || echo 0)
report=$(stat -c %s "$T/report.png" 2>/dev/null || echo 0)
echo "screenshot $T/report.png: $report bytes (blank page: $blank bytes)"
[ "$blank" -gt 0 ] && [ "$report" -gt $((blank * 5)) ] || fail "the screenshot looks empty ($report bytes vs $blank blank)"
finish
