#!/bin/sh
# A store of schema version 1, built here with the version-1 SQL and rows
# written by hand.  History and statement read it as it is, without
# changing it.  They print the same after a run has migrated it to
# version 2.  The migration keeps every amount row, fills the totals with
# the sums of the amounts, and rolls back as a whole when a step fails.
# A store of a newer version is rejected by run and history alike.
#
# usage: sh tests/e2e/store-v1.test.sh PROGRAM   (from the project root)
set -eu

program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/v1.db
fail() {
    echo "store-v1.test: $*" >&2
    exit 1
}
query() {
    sqlite3 -batch "$1" "$2"
}

# The schema of version 1 as costshare 0.1.0 created it.  Three runs: two
# periods of the JFA model of tests/e2e/store, and an LCSSB run of six
# cells.  The 2021 run has the amounts of tests/e2e/store/period-2021.ini,
# with UN's split into two rows.
sqlite3 -batch "$db" >/dev/null <<'EOF'
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TABLE runs (
 id INTEGER PRIMARY KEY, time TEXT NOT NULL, model_name TEXT NOT NULL,
 kind TEXT NOT NULL, period TEXT NOT NULL, scenarios TEXT NOT NULL,
 currency TEXT NOT NULL, decimals INTEGER NOT NULL, pool INTEGER NOT NULL,
 model_text TEXT NOT NULL);
CREATE TABLE inputs (
 run_id INTEGER NOT NULL REFERENCES runs(id), role TEXT NOT NULL,
 name TEXT NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE amounts (
 run_id INTEGER NOT NULL REFERENCES runs(id), country TEXT NOT NULL,
 line TEXT NOT NULL, organisation TEXT NOT NULL,
 headcount INTEGER NOT NULL, amount INTEGER NOT NULL,
 percent INTEGER NOT NULL, rule TEXT NOT NULL);
CREATE INDEX runs_by_model ON runs(model_name, period);
CREATE INDEX amounts_by_run ON amounts(run_id, organisation);
PRAGMA user_version = 1;
INSERT INTO runs VALUES
 (1, '2021-01-05T10:00:00Z', 'jfa-field-floor', 'jfa', '2021',
  'period-2021', 'USD', 2, 10000000000, '; written by hand'),
 (2, '2021-02-01T09:00:00Z', 'lcssb-hand', 'lcssb', '2021', '', 'USD', 2,
  500000, '; written by hand'),
 (3, '2020-01-06T10:00:00Z', 'jfa-field-floor', 'jfa', '2020', '', 'USD',
  2, 9000000000, '; written by hand');
INSERT INTO inputs VALUES
 (1, 'model', 'jfa-2021.ini', printf('%064d', 1)),
 (2, 'model', 'lcssb-2021.ini', printf('%064d', 2)),
 (3, 'model', 'jfa-2020.ini', printf('%064d', 3));
INSERT INTO amounts VALUES
 (1, '', '', 'FAO', 1488, 190103029, 19010, 'pro_rata'),
 (1, '', '', 'IAEA', 289, 36921892, 3692, 'pro_rata'),
 (1, '', '', 'ICAO', 196, 25040453, 2504, 'pro_rata'),
 (1, '', '', 'IFAD', 206, 26318027, 2632, 'pro_rata'),
 (1, '', '', 'ILO', 2112, 269823654, 26982, 'pro_rata'),
 (1, '', '', 'IMO', 11, 7500000, 750, 'floor'),
 (1, '', '', 'IOM', 4913, 627672165, 62767, 'pro_rata'),
 (1, '', '', 'ITC', 4, 7500000, 750, 'floor'),
 (1, '', '', 'ITCILO', 2, 7500000, 750, 'floor'),
 (1, '', '', 'ITU', 57, 7500000, 750, 'floor'),
 (1, '', '', 'PAHO', 362, 46248183, 4625, 'pro_rata'),
 (1, '', '', 'UN', 22009, 2000000000, 200000, 'pro_rata'),
 (1, '', '', 'UN', 0, 811812882, 81181, 'pro_rata'),
 (1, '', '', 'UN WOMEN', 714, 91218792, 9122, 'pro_rata'),
 (1, '', '', 'UNAIDS', 485, 61962345, 6196, 'pro_rata'),
 (1, '', '', 'UNDP', 5684, 726173130, 72617, 'pro_rata'),
 (1, '', '', 'UNESCO', 996, 127246382, 12725, 'pro_rata'),
 (1, '', '', 'UNFPA', 2516, 321437649, 32144, 'pro_rata'),
 (1, '', '', 'UNHCR', 9838, 1256877420, 125688, 'pro_rata'),
 (1, '', '', 'UNICC', 132, 16863978, 1686, 'pro_rata'),
 (1, '', '', 'UNICEF', 12830, 1639127597, 163913, 'pro_rata'),
 (1, '', '', 'UNIDO', 147, 18780339, 1878, 'pro_rata'),
 (1, '', '', 'UNITAR', 3, 7500000, 750, 'floor'),
 (1, '', '', 'UNJSPF', 1, 7500000, 750, 'floor'),
 (1, '', '', 'UNOPS', 499, 63750949, 6375, 'pro_rata'),
 (1, '', '', 'UNRWA', 85, 10859380, 1086, 'pro_rata'),
 (1, '', '', 'UNU', 77, 9837321, 984, 'pro_rata'),
 (1, '', '', 'UPU', 6, 7500000, 750, 'floor'),
 (1, '', '', 'WFP', 6360, 812537141, 81254, 'pro_rata'),
 (1, '', '', 'WHO', 5807, 741887292, 74189, 'pro_rata'),
 (1, '', '', 'WIPO', 17, 7500000, 750, 'floor'),
 (1, '', '', 'WMO', 36, 7500000, 750, 'floor'),
 (2, 'KEN', 'SEC', 'UN', 10, 100000, 0, 'pro_rata'),
 (2, 'KEN', 'SEC', 'ILO', 5, 50000, 0, 'pro_rata'),
 (2, 'KEN', 'SOC', 'UN', 10, 150050, 0, 'pro_rata'),
 (2, 'KEN', 'SOC', 'WFP', 3, 100000, 0, 'pro_rata'),
 (2, 'UGA', 'SEC', 'UN', 4, 80000, 0, 'pro_rata'),
 (2, 'UGA', 'SEC', 'ILO', 1, 19950, 0, 'pro_rata'),
 (3, '', '', 'UN', 21000, 2700000000, 300000, 'pro_rata');
COMMIT;
EOF
cp "$db" "$work/v1-copy.db"

# The sums by hand: UN 20,000,000.00 + 8,118,128.82 in 2021 (share
# 20.0000 + 8.1181 %), and 1,000.00 + 1,500.50 + 800.00 = 3,300.50 of
# the LCSSB budget of 5,000.00, 66.0100 %; ILO 500.00 + 199.50 of it,
# 13.9900 %.
head='%-4s %-10s %-20s %-16s %18s %9s\n'
row='%-4s %-10s %-20s %-16s %18s %9s %s\n'
{
    echo "organisation UN"
    printf "$head" run period model scenarios amount 'share %'
    printf "$row" 3 2020 jfa-field-floor '' 27,000,000.00 30.0000 USD
    printf "$row" 1 2021 jfa-field-floor period-2021 28,118,128.82 \
        28.1181 USD
    printf "$row" 2 2021 lcssb-hand '' 3,300.50 66.0100 USD
} >"$work/expected-un"
{
    echo "organisation ILO"
    printf "$head" run period model scenarios amount 'share %'
    printf "$row" 1 2021 jfa-field-floor period-2021 2,698,236.54 2.6982 \
        USD
    printf "$row" 2 2021 lcssb-hand '' 699.50 13.9900 USD
} >"$work/expected-ilo"

# Read as it is: the same sums, and the file left at version 1.
"$program" history --org UN -d "$db" >"$work/v1-un" ||
    fail "history of a version-1 store failed"
cmp "$work/expected-un" "$work/v1-un" ||
    fail "history --org UN of the version-1 store differs from the sums"
"$program" history --org ILO -d "$db" >"$work/v1-ilo"
cmp "$work/expected-ilo" "$work/v1-ilo" ||
    fail "history --org ILO of the version-1 store differs from the sums"
"$program" history -d "$db" >"$work/v1-all"
"$program" statement tests/e2e/store/period-2022.ini --org UN -d "$db" \
    >"$work/v1-statement" || fail "statement on a version-1 store failed"
# 28,401,220.98 - 28,118,128.82 = 283,092.16; the budget grew by 1 %, so
# the budget effect is 281,181.2882, rounded.
grep -q 'change from the previous period: 283,092.16 (from 28,118,128.82), of which budget effect 281,181.29 and share effect 1,910.87' \
    "$work/v1-statement" || fail "statement of the version-1 store differs"
[ "$(query "$db" 'PRAGMA user_version')" = 1 ] ||
    fail "reading a version-1 store changed its schema version"
cmp "$db" "$work/v1-copy.db" || fail "reading a version-1 store changed it"

# A step that fails rolls the whole migration back.
clash=$work/clash.db
cp "$db" "$clash"
query "$clash" 'CREATE TABLE totals (x)'
status=0
"$program" run tests/e2e/lcssb/ok/model.ini -d "$clash" -o "$work/clash" \
    -q 2>"$work/clash-stderr" || status=$?
[ "$status" = 3 ] || fail "a failed migration exited $status, expected 3"
grep -q 'table totals already exists' "$work/clash-stderr" ||
    fail "a failed migration does not name its cause"
[ "$(query "$clash" 'PRAGMA user_version')" = 1 ] ||
    fail "a failed migration changed the schema version"
query "$clash" "SELECT name FROM sqlite_schema WHERE type = 'index'" |
    grep -qx amounts_by_run || fail "a failed migration dropped the index"
[ "$(query "$clash" 'SELECT COUNT(*) FROM runs')" = 3 ] ||
    fail "a failed migration recorded a run"

# A run migrates the store to version 2.  Its model has another name, so
# the history of the hand-written models stays as it was.
query "$db" 'SELECT rowid, * FROM amounts ORDER BY rowid' >"$work/v1-amounts"
"$program" run tests/e2e/lcssb/ok/model.ini -d "$db" -o "$work/run" -q \
    2>"$work/run-stderr" ||
    fail "a run on a version-1 store failed"
[ "$(query "$db" 'PRAGMA user_version')" = 2 ] ||
    fail "a run did not migrate the store to version 2"
query "$db" 'SELECT rowid, * FROM amounts WHERE run_id <= 3 ORDER BY rowid' |
    cmp -s "$work/v1-amounts" - ||
    fail "the migration changed the amount rows"
cat >"$work/expected-totals" <<'EOF'
1|FAO|190103029|19010|1
1|UN|2811812882|281181|2
1|WMO|7500000|750|1
2|ILO|69950|0|2
2|UN|330050|0|3
2|WFP|100000|0|1
3|UN|2700000000|300000|1
EOF
query "$db" "SELECT * FROM totals WHERE run_id IN (2, 3)
    OR (run_id = 1 AND organisation IN ('FAO', 'UN', 'WMO')) ORDER BY 1, 2" |
    cmp -s "$work/expected-totals" - ||
    fail "the migration filled totals with other sums"
[ "$(query "$db" 'SELECT COUNT(*), SUM(amount) FROM totals
    WHERE run_id = 1')" = '31|10000000000' ] ||
    fail "the totals of the 2021 run lack organisations"
query "$db" "SELECT name FROM sqlite_schema WHERE type = 'index'" |
    grep -qx amounts_by_run && fail "the migration kept amounts_by_run"
[ -z "$(query "$db" 'PRAGMA foreign_key_check')" ] ||
    fail "the migrated store fails its foreign key check"
[ "$(query "$db" 'PRAGMA integrity_check')" = ok ] ||
    fail "the migrated store fails its integrity check"

# The totals of the new run, summed in C, match SUM and COUNT over its
# amounts.
[ "$(query "$db" 'SELECT COUNT(*) FROM totals WHERE run_id = 4')" -gt 0 ] ||
    fail "the run recorded no totals"
mismatches=$(query "$db" '
    SELECT COUNT(*) FROM (
        SELECT run_id, organisation, SUM(amount) AS amount,
               SUM(percent) AS percent, COUNT(*) AS cells
        FROM amounts GROUP BY run_id, organisation) AS s
    FULL JOIN totals AS t USING (run_id, organisation)
    WHERE t.amount IS NOT s.amount OR t.percent IS NOT s.percent
       OR t.cells IS NOT s.cells')
[ "$mismatches" = 0 ] ||
    fail "$mismatches totals differ from the sums of the amounts"

# The same history and statement from the migrated store; the full
# history has the new run as its last line.
"$program" history --org UN -d "$db" --model jfa-field-floor \
    >"$work/v2-un-jfa"
grep -v lcssb-hand "$work/expected-un" | cmp -s - "$work/v2-un-jfa" ||
    fail "history --org UN --model differs after the migration"
"$program" history --org ILO -d "$db" >"$work/v2-ilo"
cmp "$work/v1-ilo" "$work/v2-ilo" ||
    fail "history --org ILO differs after the migration"
"$program" history -d "$db" >"$work/v2-all"
head -n "$(wc -l <"$work/v1-all")" "$work/v2-all" | cmp -s "$work/v1-all" - ||
    fail "the history of the earlier runs differs after the migration"
[ "$(wc -l <"$work/v2-all")" -eq "$(($(wc -l <"$work/v1-all") + 1))" ] ||
    fail "the history after the migration lacks the new run"
"$program" statement tests/e2e/store/period-2022.ini --org UN -d "$db" \
    >"$work/v2-statement"
cmp "$work/v1-statement" "$work/v2-statement" ||
    fail "the statement differs after the migration"

# A newer store is rejected and left as it was.
newer=$work/newer.db
cp "$work/v1-copy.db" "$newer"
query "$newer" 'PRAGMA user_version = 3'
status=0
"$program" run tests/e2e/lcssb/ok/model.ini -d "$newer" -o "$work/newer" \
    -q 2>"$work/newer-run" || status=$?
[ "$status" = 1 ] || fail "a run on a newer store exited $status"
grep -q 'schema version 3, newer than the 2' "$work/newer-run" ||
    fail "run gives no clear message for a newer store"
[ "$(query "$newer" 'PRAGMA user_version')" = 3 ] ||
    fail "a run changed the schema version of a newer store"
[ "$(query "$newer" 'SELECT COUNT(*) FROM runs')" = 3 ] ||
    fail "a run recorded itself in a newer store"
if "$program" history -d "$newer" 2>"$work/newer-history"; then
    fail "history accepted a newer store"
fi
grep -q 'schema version 3, newer than the 2' "$work/newer-history" ||
    fail "history gives no clear message for a newer store"

# A file of version 0 is not a store for history.
other=$work/other.db
query "$other" 'CREATE TABLE t (x)'
if "$program" history -d "$other" 2>"$work/other"; then
    fail "history accepted a file that is not a store"
fi
grep -q 'not a costshare store (schema version 0, expected 1 to 2)' \
    "$work/other" || fail "no clear message for a file that is not a store"
echo "store-v1: read as it is, migrated by a run, rollback, newer schema"
