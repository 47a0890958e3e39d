#!/usr/bin/env bash
# 1500 input files at 3 ranks with at most 256 open file descriptors per process: a rank opens only
# the files its byte range touches, one at a time, and closes each when done (every rank used to
# keep every input open, which failed near 1000 files). The result equals that of one file.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP

tr -d '\r' <"$HDFS_LOG" >"$T/lf.log"
cat "$T/lf.log" "$T/lf.log" >"$T/twice.log" # 4000 lines: no empty part
mv "$T/twice.log" "$T/lf.log"
mkdir -p "$T/many"
# consecutive runs of 2 or 3 lines, so the files in name order are lf.log again
awk -v files=1500 -v dir="$T/many" -v n="$(wc -l <"$T/lf.log")" '
    BEGIN { base = int(n / files); extra = n % files; k = 0; left = base + (k < extra) }
    { f = sprintf("%s/part-%04d", dir, k); print > f; if (--left == 0) { close(f); k++; left = base + (k < extra) } }' \
    "$T/lf.log"
n=$(ls "$T/many" | wc -l)
[ "$n" -eq 1500 ] || fail "expected 1500 input files, made $n"

run_np 1 preprocess --log "$T/lf.log" --templates "$HDFS_TEMPLATES" --out "$T/one.h5" || fail "one file: $(cat "$T/run.err")"
without_files() {
    h5_contents "$1" | awk '/ATTRIBUTE "files"/ {skip = 7} skip > 0 {skip--; next} {print}'
}
for np in 1 3; do
    (ulimit -n 256 && run_np $np preprocess --log "$T/many" --templates "$HDFS_TEMPLATES" --out "$T/many_$np.h5") \
        || { fail "1500 files np=$np under ulimit -n 256: $(head -c 600 "$T/run.err")"; continue; }
    [ "$(without_files "$T/one.h5")" == "$(without_files "$T/many_$np.h5")" ] || fail "1500 files np=$np: features differ from one file"
    h5dump -a /files "$T/many_$np.h5" | grep -q "(0): 1500" || fail "1500 files np=$np: the files attribute is not 1500"
    grep -q "is empty" "$T/run.err" && fail "1500 files np=$np: an input part is empty"
done
finish
