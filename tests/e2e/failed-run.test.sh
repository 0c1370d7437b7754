#!/bin/sh
# Case C25: a run that fails leaves an earlier output byte-identical, no
# temporary file and no row in the store; a folder with files costshare
# did not write is never replaced.
#
# usage: sh tests/e2e/failed-run.test.sh PROGRAM   (from the project root)
set -eu

program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "failed-run.test: $*" >&2
    exit 1
}

# A good run, then the failing one into the same folder.
"$program" run tests/e2e/ceb2019/jfa-total.ini -d "$work/db" -o "$work/out" \
    -q
cp -R "$work/out" "$work/before"
runs=$("$program" history -d "$work/db" | tail -n +2 | wc -l)
sed "s|^name = c25|name = jfa-total|" tests/cases/C25/model.ini |
    sed "s|\.\./\.\./\.\./\.\./shared|$(cd ../shared && pwd)|" \
        >"$work/c25.ini"
if "$program" run "$work/c25.ini" -d "$work/db" -o "$work/out" -q \
    2>"$work/stderr"; then
    fail "the run with #N/A in the budget succeeded"
fi
grep -q 'budget_bad.csv:3:3: Excel error value "#N/A" in column "amount"' \
    "$work/stderr" || fail "the error does not name budget_bad.csv:3:3"
diff -r "$work/before" "$work/out" || fail "the earlier output changed"
if ls -A "$work" | grep -q 'costshare-new'; then
    fail "a temporary folder was left"
fi
after=$("$program" history -d "$work/db" | tail -n +2 | wc -l)
[ "$runs" = "$after" ] || fail "the failed run left rows in the store"

# Nor does it change the store file in any way: a store in rollback mode
# stays in that mode and an empty file stays empty, though a good run
# would convert the one to WAL and fill the other.
cp "$work/db" "$work/rollback.db"
sqlite3 "$work/rollback.db" 'PRAGMA journal_mode = DELETE' >/dev/null
cp "$work/rollback.db" "$work/rollback-before.db"
: >"$work/empty.db"
for db in rollback empty; do
    if "$program" run "$work/c25.ini" -d "$work/$db.db" -o "$work/out-$db" \
        -q 2>/dev/null; then
        fail "the run with #N/A in the budget succeeded"
    fi
done
cmp "$work/rollback-before.db" "$work/rollback.db" ||
    fail "the failed run changed a store in rollback mode"
[ ! -s "$work/empty.db" ] || fail "the failed run filled an empty store"

# The case's own setup: the previous shares copied to out/shares.csv.
mkdir "$work/foreign"
cp ../shared/cases/C25/previous_shares.csv "$work/foreign/shares.csv"
if "$program" run tests/cases/C25/model.ini -d "$work/db" \
    -o "$work/foreign" -q 2>/dev/null; then
    fail "the failing run succeeded"
fi
cmp ../shared/cases/C25/previous_shares.csv "$work/foreign/shares.csv" ||
    fail "out/shares.csv changed"
[ "$(ls -A "$work/foreign")" = "shares.csv" ] ||
    fail "files were left beside out/shares.csv"

# Even a good run does not replace a folder holding foreign files.
if "$program" run tests/e2e/ceb2019/jfa-total.ini -d "$work/db" \
    -o "$work/foreign" -q 2>"$work/stderr"; then
    fail "a folder with foreign files was replaced"
fi
grep -q 'which costshare did not write' "$work/stderr" ||
    fail "no message about the foreign files"
# A folder beside the output whose name only looks like a staging
# folder is somebody's: it stays.  A staging folder of a finished
# process is removed.
mkdir "$work/mine.costshare-new-backup" "$work/mine.costshare-new-1-x"
echo kept >"$work/mine.costshare-new-backup/notes.txt"
echo kept >"$work/mine.costshare-new-1-x/notes.txt"
sleep 60 &
gone=$!
kill "$gone"
wait "$gone" 2>/dev/null || true
mkdir "$work/mine.costshare-new-$gone-AbCdEf"
"$program" run tests/e2e/ceb2019/jfa-total.ini -d "$work/db" \
    -o "$work/mine" -q
[ -f "$work/mine.costshare-new-backup/notes.txt" ] ||
    fail "a folder named like a staging folder was removed"
[ -f "$work/mine.costshare-new-1-x/notes.txt" ] ||
    fail "a folder with a short suffix was removed"
[ ! -e "$work/mine.costshare-new-$gone-AbCdEf" ] ||
    fail "the staging folder of a finished process was left"

# A text longer than a workbook cell can contain fails the run with a
# message, and nothing is written, rather than a cell left out.
awk 'BEGIN {
    printf "line,description,object,amount\nL1,"
    for (i = 0; i < 33000; i++) printf "d"
    print ",posts,1000.00"
}' >"$work/long_budget.csv"
shared=$(cd ../shared && pwd)
cat >"$work/long.ini" <<EOF
[model]
name = long-text
kind = jfa
period = 2020
currency = USD

[headcount]
file = $shared/data/ceb-hr-2019/duty_station_2019.csv
column.organisation = ORGCD
column.country = ISO
column.duty_station = DS
column.headcount = Count

[budget]
file = $work/long_budget.csv

[rules]
basis = total
EOF
if "$program" run "$work/long.ini" -d "$work/db" -o "$work/long" -q \
    2>"$work/stderr"; then
    fail "a run with a 33,000-character description succeeded"
fi
grep -q 'longer than the 32,767 characters a cell can contain' \
    "$work/stderr" || fail "no message about the long text"
[ ! -e "$work/long" ] || fail "the run with the long text wrote its folder"

echo "failed runs leave the folder and the store as they were"
