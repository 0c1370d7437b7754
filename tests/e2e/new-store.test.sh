#!/bin/sh
# Two runs that create one store at once both succeed.  SQLite does not
# wait for the lock that turns a new file to WAL mode, so costshare
# waits itself.  Before it did, most times one of the first few of these
# twenty pairs failed with "database is locked".
#
# usage: sh tests/e2e/new-store.test.sh PROGRAM   (from the project root)
set -eu

program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "new-store.test: $*" >&2
    exit 1
}

for i in $(seq 1 20); do
    "$program" run models/jfa.ini -d "$work/new$i.db" -o "$work/new$i-a" \
        -q 2>"$work/new$i-a.err" &
    one=$!
    "$program" run models/jfa.ini -d "$work/new$i.db" -o "$work/new$i-b" \
        -q 2>"$work/new$i-b.err" &
    two=$!
    wait "$one" || fail "run a on new store $i: $(cat "$work/new$i-a.err")"
    wait "$two" || fail "run b on new store $i: $(cat "$work/new$i-b.err")"
    [ "$("$program" history -d "$work/new$i.db" | tail -n +2 | wc -l)" = 2 ] ||
        fail "store $i does not hold two runs"
done
echo "two runs that create one store at once both succeed"
