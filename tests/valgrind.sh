#!/bin/sh
# Run every end-to-end case's command (each tests/e2e and tests/cases
# folder with a file "cmd") under valgrind's memcheck, and fail on any
# memory error or definite or indirect leak.
#
# usage: sh tests/valgrind.sh PROGRAM   (from the project root; PROGRAM
#        must be a build without sanitizers, such as build/plain/costshare)
#
# Outputs are not compared here (tests/e2e/run.sh does that), but the exit
# status must still match the case's "status" file, so that a run which
# failed for another reason is not counted as clean.  Prints one line per
# case with valgrind's ERROR SUMMARY and leak counts, then a total.
set -u

program=${1:?usage: valgrind.sh PROGRAM}
case $program in /*) ;; *) program=$(pwd)/$program ;; esac
command -v valgrind >/dev/null 2>&1 || {
    echo "valgrind.sh: valgrind not found; install the Debian package" >&2
    exit 2
}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Every run records itself in the run history store: keep that out of
# the project, with a fresh store per case as tests/e2e/run.sh does.
COSTSHARE_DB=$scratch/case.db
export COSTSHARE_DB
cases=0
failed=0

# Print the value of the first valgrind log line that starts with LABEL,
# such as "0 bytes in 0 blocks" for "definitely lost:".  Memcheck leaves
# the leak lines out when every heap block was freed, so that case prints
# "0 bytes (all heap blocks freed)".  Any other missing line prints "none".
summary_value() {
    if sed -n "s/^==[0-9]*== *$1 *//p" "$2" | head -n 1 | grep .; then
        return
    fi
    if grep -q 'All heap blocks were freed' "$2"; then
        echo '0 bytes (all heap blocks freed)'
    else
        echo none
    fi
}

run_case() {
    dir=${1%/}
    out=$scratch/out
    log=$scratch/valgrind.log
    rm -rf "$out" "$scratch"/case.db*
    mkdir -p "$out"
    args=$(sed "s|\$OUT|$out|g" "$dir/cmd")
    # shellcheck disable=SC2086
    (eval "set -- $args"
     valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
         --error-exitcode=9 --log-file="$log" "$program" "$@") \
        >/dev/null 2>&1
    status=$?
    want=0
    [ -f "$dir/status" ] && want=$(cat "$dir/status")
    cases=$((cases + 1))
    errors=$(summary_value 'ERROR SUMMARY:' "$log")
    definite=$(summary_value 'definitely lost:' "$log")
    indirect=$(summary_value 'indirectly lost:' "$log")
    printf '%s: ERROR SUMMARY: %s; definitely lost: %s; indirectly lost: %s\n' \
        "$dir" "$errors" "$definite" "$indirect"
    if [ "$status" = 9 ]; then
        failed=$((failed + 1))
        echo "FAIL $dir: valgrind found errors:"
        sed 's/^/    /' "$log"
    elif [ "$status" != "$want" ]; then
        failed=$((failed + 1))
        echo "FAIL $dir: exit status $status, expected $want"
    fi
}

for cmd in $(find tests/e2e tests/cases -name cmd -type f 2>/dev/null |
             sort); do
    run_case "$(dirname "$cmd")"
done

echo "valgrind: $cases cases, $failed failed"
[ "$failed" = 0 ]
