#!/bin/sh
# A run killed with SIGKILL at any moment must leave its output folder as
# the last complete run left it: every report byte-identical to a good
# run's copy, none missing, none half-written.  What a killed run leaves
# behind is allowed and counted: temporary files (.NAME.XXXXXX) in the
# folder and staging folders (DIR.costshare-new-XXXXXX) beside it.  The
# run history store must still be readable after the kills.
#
# usage: sh tests/e2e/sigkill.test.sh PROGRAM   (from the project root)
#
# SIGKILL_RUNS sets the number of runs (default 200) and SIGKILL_SEED the
# seed of the random delays (default 1).  Each delay is drawn from 0 to
# 30 ms, or to 1.5 times a complete run's duration when that is longer,
# so that kills also land on the final rename.  The loop stops early,
# with a message, after TIME_BUDGET seconds.
set -u

program=${1:?usage: sigkill.test.sh PROGRAM}
model=tests/e2e/ceb2019/jfa-field-floor.ini
runs=${SIGKILL_RUNS:-200}
seed=${SIGKILL_SEED:-1}
TIME_BUDGET=50

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/out
good=$work/good

# Keep the run history of these runs out of the working folder's store.
COSTSHARE_DB=$work/history.db
export COSTSHARE_DB
# libxlsxwriter names a temporary file, then unlinks it: a run killed in
# between must leave it in its staging folder, not in TMPDIR.
TMPDIR=$work/tmp
export TMPDIR
mkdir "$TMPDIR"

# Run a copy, so that a rebuild of PROGRAM during the loop cannot make
# exec fail (ETXTBSY).
cp "$program" "$work/costshare" || exit 1
program=$work/costshare

if ! "$program" run "$model" -q -o "$out"; then
    echo "the first run of $model failed" >&2
    exit 1
fi
cp -R "$out" "$good"
if [ -z "$(ls -A "$good")" ]; then
    echo "the first run of $model wrote no file" >&2
    exit 1
fi

failures=0

fail() {
    failures=$((failures + 1))
    # Print the first 20 failures in full; count the rest.
    [ "$failures" -le 20 ] && printf 'FAIL run %s (delay %s ms): %s\n' \
        "$1" "$2" "$3"
}

# Compare the output folder with the good copy after run $1.
check_folder() {
    for name in $(ls -A "$out"); do
        case $name in
        .*.??????)
            [ -f "$good/$name" ] || continue # a killed run's temporary file
            ;;
        esac
        if [ -d "$good/$name" ]; then
            # A folder of the report: its files, less temporary ones.
            diff -rq -x '.*' "$good/$name" "$out/$name" >/dev/null ||
                fail "$1" "$2" "folder $name differs from the good run's"
        elif [ ! -f "$good/$name" ]; then
            fail "$1" "$2" "unexpected file $name"
        elif ! cmp -s "$good/$name" "$out/$name"; then
            fail "$1" "$2" "$name differs from the good run's copy"
        fi
    done
    for name in $(ls -A "$good"); do
        [ -e "$out/$name" ] || fail "$1" "$2" "$name is missing"
    done
}

# A second complete run, timed: it must leave the same bytes as the
# first, and its duration sets the range of the delays.  date +%N is a
# GNU extension; without it the range stays 0 to 30 ms.
started=$(date +%s%N)
if ! "$program" run "$model" -q -o "$out"; then
    echo "the second run of $model failed" >&2
    exit 1
fi
finished=$(date +%s%N)
check_folder 0 0
max_delay=30
case $started$finished in
*N*) ;;
*)
    run_ms=$(((finished - started) / 1000000))
    [ $((run_ms * 3 / 2)) -gt "$max_delay" ] && max_delay=$((run_ms * 3 / 2))
    [ "$max_delay" -gt 999 ] && max_delay=999
    echo "a complete run took $run_ms ms; delays 0 to $max_delay ms"
    ;;
esac

delays=$(awk -v n="$runs" -v seed="$seed" -v max="$max_delay" \
    'BEGIN { srand(seed); for (i = 0; i < n; i++) print int(rand() * (max + 1)) }')
start=$(date +%s)
done_runs=0
killed=0
for delay in $delays; do
    if [ $(($(date +%s) - start)) -ge "$TIME_BUDGET" ]; then
        echo "stopped after $TIME_BUDGET seconds"
        break
    fi
    "$program" run "$model" -q -o "$out" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '0.%03d' "$delay")"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    done_runs=$((done_runs + 1))
    if [ "$status" = 137 ]; then
        killed=$((killed + 1))
    elif [ "$status" != 0 ]; then
        fail "$done_runs" "$delay" "exit status $status"
    fi
    check_folder "$done_runs" "$delay"
done

if ! "$program" history >/dev/null 2>&1; then
    fail "$done_runs" - "the run history store cannot be read after the kills"
fi

temporary=0
for name in $(ls -A "$out"); do
    case $name in
    .*.??????) [ -f "$good/$name" ] || temporary=$((temporary + 1)) ;;
    esac
done
staging=0
for path in "$out".costshare-*; do
    [ -e "$path" ] && staging=$((staging + 1))
done

echo "seed $seed: $temporary temporary files left in the output folder," \
    "$staging staging folders beside it"
left=$(ls -A "$TMPDIR" | wc -l)
if [ "$left" -gt 0 ]; then
    fail "$done_runs" - "$left temporary files left in TMPDIR"
fi

echo "$done_runs runs, $killed killed, $failures failures"
[ "$failures" = 0 ]
