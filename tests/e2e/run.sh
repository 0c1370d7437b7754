#!/bin/sh
# End-to-end tests: run costshare on real files and compare its outputs
# byte for byte with the expected ones.
#
# usage: sh tests/e2e/run.sh PROGRAM
#
# Every folder under tests/e2e and tests/cases with a file "cmd" is one
# test.  The runner works from the project root and reads:
#   cmd       the arguments, one line; $OUT is a fresh, empty output folder
#   status    the expected exit status (0 when absent)
#   stdout    the expected standard output (when present), with the
#             output folder written as $OUT
#   stderr    the expected standard error (when present), likewise
#   expected/ files expected in $OUT, compared byte for byte; a failed
#             run must leave $OUT empty
# Every script tests/e2e/*.test.sh is run too, with the
# program as its argument; it passes when it exits 0.
set -u

program=${1:?usage: run.sh PROGRAM}
case $program in /*) ;; *) program=$(pwd)/$program ;; esac
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Every run records itself in the store: keep that out of the project.
COSTSHARE_DB=$scratch/case.db
export COSTSHARE_DB
passed=0
failed=0

fail() {
    printf 'FAIL %s: %s\n' "$1" "$2"
    failed=$((failed + 1))
}

run_case() {
    dir=${1%/}
    out=$scratch/out
    rm -rf "$out" "$scratch"/case.db*
    mkdir -p "$out"
    args=$(sed "s|\$OUT|$out|g" "$dir/cmd")
    # shellcheck disable=SC2086
    (eval "set -- $args"; "$program" "$@") >"$scratch/stdout" \
        2>"$scratch/stderr"
    status=$?
    want=0
    [ -f "$dir/status" ] && want=$(cat "$dir/status")
    ok=1
    if [ "$status" != "$want" ]; then
        fail "$dir" "exit status $status, expected $want"
        sed 's/^/    /' "$scratch/stderr" | head -20
        return
    fi
    for stream in stdout stderr; do
        [ -f "$dir/$stream" ] || continue
        sed "s|$out|\$OUT|g" "$scratch/$stream" >"$scratch/$stream.got"
        if ! cmp -s "$dir/$stream" "$scratch/$stream.got"; then
            fail "$dir" "$stream differs"
            diff "$dir/$stream" "$scratch/$stream.got" | head -20 |
                sed 's/^/    /'
            ok=0
        fi
    done
    if [ -d "$dir/expected" ]; then
        for f in "$dir"/expected/*; do
            [ -e "$f" ] || continue
            name=$(basename "$f")
            if ! cmp -s "$f" "$out/$name"; then
                fail "$dir" "$name differs"
                diff "$f" "$out/$name" 2>&1 | head -20 | sed 's/^/    /'
                ok=0
            fi
        done
    fi
    if [ "$want" != 0 ] && [ -n "$(ls -A "$out")" ]; then
        fail "$dir" "a failed run wrote into the output folder"
        ok=0
    fi
    [ $ok = 1 ] && passed=$((passed + 1))
}

for cmd in $(find tests/e2e tests/cases -name cmd -type f 2>/dev/null |
             sort); do
    run_case "$(dirname "$cmd")"
done

for script in tests/e2e/*.test.sh; do
    [ -f "$script" ] || continue
    if sh "$script" "$program" >"$scratch/script.log" 2>&1; then
        passed=$((passed + 1))
    else
        fail "$script" "exited non-zero"
        sed 's/^/    /' "$scratch/script.log" | tail -20
    fi
done

echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
