#!/bin/sh
# The run history: two periods of one model, the history and statement
# of an organisation, two runs at once on one store, a failed run that
# leaves no rows, and a store from a newer costshare rejected.
#
# usage: sh tests/e2e/store.test.sh PROGRAM   (from the project root)
set -eu

program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/costshare.db
fail() {
    echo "store.test: $*" >&2
    exit 1
}

"$program" run tests/e2e/store/period-2021.ini -d "$db" -o "$work/a" -q
"$program" run tests/e2e/store/period-2022.ini -d "$db" -o "$work/b" -q
test -f "$work/b/year_on_year.csv" || fail "no year_on_year.csv"
grep -q '^UN,28118128.82,28401220.98,283092.16,1.01,281181.29,1910.87$' \
    "$work/b/year_on_year.csv" || fail "UN year on year differs"

"$program" history --org UN -d "$db" >"$work/history"
grep -q ' 2021 .* 28,118,128.82 ' "$work/history" || fail "no 2021 in history"
grep -q ' 2022 .* 28,401,220.98 ' "$work/history" || fail "no 2022 in history"
first=$(grep -n '28,118,128.82' "$work/history" | cut -d: -f1)
second=$(grep -n '28,401,220.98' "$work/history" | cut -d: -f1)
[ "$first" -lt "$second" ] || fail "history is not in period order"

"$program" statement tests/e2e/store/period-2022.ini --org UN -d "$db" \
    >"$work/statement"
grep -q 'change from the previous period: 283,092.16 (from 28,118,128.82), of which budget effect 281,181.29 and share effect 1,910.87' \
    "$work/statement" || fail "statement lacks the split of the change"

# Two runs at once on one store both succeed.
"$program" run tests/e2e/store/period-2021.ini -d "$db" -o "$work/c" -q &
one=$!
"$program" run tests/e2e/store/period-2021.ini -d "$db" -o "$work/d" -q &
two=$!
wait $one || fail "the first of two concurrent runs failed"
wait $two || fail "the second of two concurrent runs failed"
runs=$("$program" history -d "$db" | tail -n +2 | wc -l)
[ "$runs" -eq 4 ] || fail "expected 4 runs, found $runs"

# A failed run leaves no rows.
sed 's/^add = ETS 1000000.00/add = ETS 1.000/' tests/e2e/store/period-2022.ini \
    >"$work/bad.ini"
sed -i "s|^base = ../ceb2019|base = $(pwd)/tests/e2e/ceb2019|" "$work/bad.ini"
if "$program" run "$work/bad.ini" -d "$db" -o "$work/e" -q 2>/dev/null; then
    fail "a run with an invalid amount succeeded"
fi
runs=$("$program" history -d "$db" | tail -n +2 | wc -l)
[ "$runs" -eq 4 ] || fail "a failed run left rows: $runs runs"

# A store from a newer costshare is rejected.
sqlite3 "$db" 'PRAGMA user_version = 99'
if "$program" history -d "$db" 2>"$work/newer"; then
    fail "a store of schema version 99 was accepted"
fi
grep -q 'newer than' "$work/newer" || fail "no clear message for a newer store"
# A phase-in takes its previous shares from the store: the same result
# as from the equal previous shares in a file.
fresh=$work/phase.db
"$program" run tests/e2e/store/total-2022.ini -d "$fresh" -o "$work/f" -q
"$program" run tests/e2e/store/phase-from-store.ini -d "$fresh" \
    -o "$work/g" -q
cmp "$work/g/shares.csv" tests/e2e/ceb2019/phase-in/expected/shares.csv ||
    fail "the phase-in from the store differs from the one from a file"
echo "store: history, statement, concurrent runs, rollback, newer schema"
