#!/usr/bin/env bash
# preprocess on HDFS_2k gives identical features.h5 contents at 1, 2, 3, 4 and 7 ranks and with 1 or
# 3 threads, for the file as shipped (CRLF), with LF ends, without a trailing newline, split over
# several files or given as a directory, and for a file smaller than the number of ranks.
source "$(dirname "$0")/../lib_test.sh"
T=$LAD_TEST_TMP

tr -d '\r' <"$HDFS_LOG" >"$T/lf.log"
head -c -1 "$T/lf.log" >"$T/nonl.log"                  # drop the final newline
mkdir -p "$T/dir" && split -n l/3 -d "$T/lf.log" "$T/dir/part-"
printf 'x\nblk_1 y\n' >"$T/tiny.log"                   # 10 bytes: fewer than 7 ranks... per line

reference=""
for variant in crlf lf nonl dir; do
    case $variant in
        crlf) input=$HDFS_LOG ;;
        lf) input=$T/lf.log ;;
        nonl) input=$T/nonl.log ;;
        dir) input=$T/dir ;;
    esac
    for np in 1 2 3 4 7; do
        for threads in 1 3; do
            out=$T/f_${variant}_${np}_${threads}.h5
            OMP_NUM_THREADS=$threads run_np "$np" preprocess --log "$input" --templates "$HDFS_TEMPLATES" --out "$out" \
                || { fail "$variant np=$np threads=$threads: exit $?: $(cat "$T/run.err")"; continue; }
            # bytes differ with CRLF; everything else must be identical across variants
            contents=$(h5_contents "$out" | awk '/ATTRIBUTE "(bytes|files)"/ {skip = 7} skip > 0 {skip--; next} {print}')
            if [ -z "$reference" ]; then
                reference=$contents
                echo "$contents" >"$T/reference.txt"
            elif [ "$contents" != "$reference" ]; then
                echo "$contents" >"$T/differs.txt"
                fail "$variant np=$np threads=$threads: features differ from crlf np=1 (diff $T/reference.txt $T/differs.txt)"
            fi
        done
    done
done
grep -q "(0): 2000" "$T/reference.txt" || fail "the reference does not report 2000 lines"

# A file smaller than the number of ranks: ranks without bytes still join every collective.
for np in 1 4 7; do
    run_np "$np" preprocess --log "$T/tiny.log" --templates "$HDFS_TEMPLATES" --out "$T/tiny_$np.h5" \
        || fail "tiny np=$np: exit $?: $(cat "$T/run.err")"
done
for np in 4 7; do
    [ "$(h5_contents "$T/tiny_1.h5")" == "$(h5_contents "$T/tiny_$np.h5")" ] || fail "tiny file: np=$np differs from np=1"
done
h5dump -d /sessions "$T/tiny_1.h5" | grep -q "(0): 1" || fail "tiny file: block 1 not found"
finish
