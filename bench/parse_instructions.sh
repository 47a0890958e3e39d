#!/usr/bin/env bash
# parse_instructions.sh LOG [LINES] [TEMPLATES.csv] - instructions per line of the parse, by part,
# counted by valgrind's callgrind. On a shared machine two runs of the same binary can differ by 20% in
# time, which hides a 5% change; an instruction count does not move with the load, so it is the
# yardstick for changes to the per-line path (a time still has to confirm the gain, as cache misses
# and mispredicted branches count no instructions).
#
# The first LINES lines (default 50000) of LOG go through build/lad_parse_bench (built here if it is
# missing) under callgrind, counting only inside lad_parse_lines: the function preprocess runs on
# each chunk. Events are mined unless TEMPLATES.csv is given. Prints, per line of the log, the
# instructions of lad_parse_lines and of its parts (inclusive: a part's callees count in it). Needs
# valgrind (Debian: valgrind). Compare two builds with BENCH=path/to/lad_parse_bench.
set -euo pipefail
log=${1:?usage: parse_instructions.sh LOG [LINES] [TEMPLATES.csv]}
lines=${2:-50000}
templates=${3:--}
here=$(cd "$(dirname "$0")" && pwd)
bench=${BENCH:-$here/../build/lad_parse_bench}
command -v valgrind >/dev/null || { echo "parse_instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
[ -r "$log" ] || { echo "parse_instructions.sh: cannot read $log" >&2; exit 2; }
if [ ! -x "$bench" ]; then
    cmake --build "$here/../build" --target lad_parse_bench >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -n "$lines" "$log" > "$tmp/slice.log"
n=$(wc -l < "$tmp/slice.log")
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" --toggle-collect=lad_parse_lines \
    "$bench" "$tmp/slice.log" "$templates" 1 > /dev/null 2> "$tmp/valgrind.txt" ||
    { cat "$tmp/valgrind.txt" >&2; exit 1; }
echo "$log: first $n lines, events $([ "$templates" = - ] && echo mined || echo "from $templates"), $(basename "$bench")"
echo "| part | instructions per line (inclusive) |"
echo "|---|---|"
# callgrind_annotate's inclusive list: "  12,345,678 (xx.xx%)  file:function [binary]". A function may
# be listed under several file names (its inlined parts, or a relative and an absolute path): its
# whole inclusive cost is the largest of them.
callgrind_annotate --inclusive=yes "$tmp/cg.out" 2>/dev/null | awk -v n="$n" '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
    /^ *[0-9,]+ +\( *[0-9.]+%\) +[^ ]*:(lad_parse_line_key|lad_mask_apply_hashed|lad_mask_apply|lad_template_key|lad_logformat_match|lad_blockid_extract|lad_keytab_add|lad_counts_add|lad_hash_bytes)( |$)/ {
        here = $1; gsub(",", "", here)
        name = $0; sub(/ \[.*$/, "", name); sub(/^.*:/, "", name); sub(/ +$/, "", name)
        if (!(name in value)) order[++k] = name
        if (here + 0 > value[name] + 0) value[name] = here
    }
    END {
        printf "| lad_parse_lines (all) | %.0f |\n", total / n
        for (i = 1; i <= k; i++) printf "| %s | %.0f |\n", order[i], value[order[i]] / n
    }'
