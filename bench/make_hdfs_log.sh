#!/usr/bin/env bash
# make_hdfs_log.sh OUT COPIES - a large HDFS log made of COPIES copies of data/raw/HDFS_2k.log (LF
# ends), each copy with its own block ids, so blocks are distinct while lines keep the real shape
# (2000 lines, about 290 KB per copy). Block id j of copy k becomes 1<k:9 digits><j:9 digits>, a
# 19-digit id like the real ones, with the original sign.
set -euo pipefail
out=$1
copies=$2
src=$(dirname "$0")/../data/raw/HDFS_2k.log
tr -d '\r' <"$src" | awk -v copies="$copies" '
    { line[NR] = $0 }
    END {
        for (k = 0; k < copies; k++)
            for (i = 1; i <= NR; i++) {
                s = line[i]; out = ""
                while (match(s, /blk_-?[0-9]+/)) {
                    id = substr(s, RSTART + 4, RLENGTH - 4)
                    neg = substr(id, 1, 1) == "-"
                    digits = neg ? substr(id, 2) : id
                    if (!(digits in index_of)) index_of[digits] = ++n_ids
                    out = out substr(s, 1, RSTART - 1) "blk_" (neg ? "-" : "") sprintf("1%09d%09d", k, index_of[digits])
                    s = substr(s, RSTART + RLENGTH)
                }
                print out s
            }
    }' >"$out"
