# lib_test.sh - shared helpers of the shell tests (sourced). ctest sets LOGAD, LAD_SOURCE_DIR,
# LAD_TEST_TMP and MPIEXEC; the helpers fall back to the default build for manual runs.
set -u
LOGAD=${LOGAD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/logad}
LAD_SOURCE_DIR=${LAD_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
LAD_TEST_TMP=${LAD_TEST_TMP:-/tmp/logad-test-$$}
MPIEXEC=${MPIEXEC:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
rm -rf "$LAD_TEST_TMP"
mkdir -p "$LAD_TEST_TMP"
HDFS_LOG=$LAD_SOURCE_DIR/data/raw/HDFS_2k.log
HDFS_TEMPLATES=$LAD_SOURCE_DIR/data/templates/HDFS_templates.csv
FAILURES=0

fail() {
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}

# run_np N ARGS...: logad on N ranks (oversubscribed), output to $LAD_TEST_TMP/run.out/.err
run_np() {
    local np=$1
    shift
    "$MPIEXEC" -n "$np" --oversubscribe "$LOGAD" "$@" >"$LAD_TEST_TMP/run.out" 2>"$LAD_TEST_TMP/run.err"
}

# h5_contents FILE: h5dump without the line naming the file, for comparisons
h5_contents() {
    h5dump "$1" | sed 1d
}

# expect_failure NAME EXPECTED_RC STDERR_SUBSTRING ARGS...: logad (1 rank) must fail so
expect_failure() {
    local name=$1 want_rc=$2 want_msg=$3
    shift 3
    "$LOGAD" "$@" >"$LAD_TEST_TMP/cli.out" 2>"$LAD_TEST_TMP/cli.err"
    local rc=$?
    [ "$rc" -eq "$want_rc" ] || fail "$name: exit $rc, expected $want_rc ($(head -c 300 "$LAD_TEST_TMP/cli.err"))"
    grep -qF -- "$want_msg" "$LAD_TEST_TMP/cli.err" || fail "$name: stderr lacks '$want_msg': $(head -c 300 "$LAD_TEST_TMP/cli.err")"
    [ "$(grep -c 'error:' "$LAD_TEST_TMP/cli.err")" -le 1 ] || fail "$name: more than one error line"
}

# no_leftovers DIR: no temporary outputs and no directory locks remain
no_leftovers() {
    local left
    left=$(find "$1" \( -name '.*.tmp.*' -o -name '.logad.lock*' \) 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "temporary files left behind: $left"
}

finish() {
    if [ "$FAILURES" -ne 0 ]; then
        echo "$FAILURES failure(s)" >&2
        exit 1
    fi
    echo "all checks passed"
    exit 0
}

# same_verdicts A.csv B.csv: identical BlockId, Label and TopEvents columns, scores equal to 1e-9 relative
same_verdicts() {
    paste -d, "$1" "$2" | awk -F, '
        NR == 1 { next }
        $1 != $5 || $2 != $6 || $4 != $8 {
            bad++; if (bad < 4) print "row " NR ": " $1 " " $2 " " $4 " vs " $5 " " $6 " " $8 > "/dev/stderr"; next
        }
        {
            d = $3 - $7; if (d < 0) d = -d
            m = $3 < 0 ? -$3 : $3; n = $7 < 0 ? -$7 : $7; if (n > m) m = n
            if (d > 1e-9 * m && d > 1e-300) { bad++; if (bad < 4) print "row " NR ": score " $3 " vs " $7 > "/dev/stderr" }
        }
        END { exit bad ? 1 : 0 }' && [ "$(wc -l <"$1")" -eq "$(wc -l <"$2")" ]
}
