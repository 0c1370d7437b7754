#!/bin/sh
# A roster of 120,000 records, counted by costshare headcount:
#   - the table equals the one roster_reference.py computes on its own;
#   - 1, 2 and 5 threads give the same table and the same messages;
#   - shuffled rows, CR LF and lone CR line ends give the same table;
#   - run on the roster gives the same shares as run on the table.
set -eu
program=${1:?usage: roster.test.sh PROGRAM}
case $program in /*) ;; *) program=$(pwd)/$program ;; esac
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT; [ -n "${KEEP:-}" ] && trap - EXIT
COSTSHARE_DB=$scratch/store.db
export COSTSHARE_DB
cd "$scratch"

# Deterministic records: awk's generator with a fixed seed.  Days of the
# month go up to 31, so the month-end rule of min_months is exercised.
awk 'BEGIN {
    srand(11)
    n = split("UN UN UN UNICEF UNDP WFP UNHCR WHO unfpa ILO", org, " ")
    split("FT CT TA PA SSA", type, " ")
    split("31 28 31 30 31 30 31 31 30 31 30 31", days, " ")
    print "organisation,entity,duty_station,country,contract_type," \
          "start_date,end_date,grade"
    for (i = 0; i < 120000; i++) {
        o = org[int(rand() * n) + 1]
        e = (o == "UN" && rand() < 0.2) ? "MINUSMA" : ""
        c = sprintf("C%02d", int(rand() * 60))
        s = (rand() < 0.1) ? "\"Station " int(rand() * 3) ", centre\"" \
                           : "Station " int(rand() * 3)
        y = 2015 + int(rand() * 6); m = int(rand() * 12) + 1
        d = int(rand() * days[m]) + 1
        if (m == 2 && d == 28 && y % 4 == 0) d = 29
        start = sprintf("%d-%02d-%02d", y, m, d)
        end = ""
        if (rand() < 0.7) {
            y2 = y + int(rand() * 2); m2 = m + int(rand() * 3) - 1
            if (m2 < 1) m2 = 1
            if (m2 > 12) m2 = 12
            d2 = int(rand() * 28) + 1
            end = sprintf("%d-%02d-%02d", y2, m2, d2)
            if (end < start) end = start
        }
        printf "%s,%s,%s,%s,%s,%s,%s,P-%d\n", o, e, s, c,
               type[int(rand() * 5) + 1], start, end, int(rand() * 5) + 1
    }
}' >roster.csv
printf 'organisation,country,duty_station\nUN,C01,Station 1\n*,C02,Station 0\n' \
    >hq.csv
write_model() {
    cat >"$1" <<EOM
[model]
name = roster-threads
kind = jfa
period = 2020
currency = USD

[roster]
file = $2

[eligibility]
as_at = 2019-12-31
contract_types = FT, CT, TA
min_months = 12
excluded_entities = UN:MINUSMA

[headquarters]
file = hq.csv

[budget]
amount = 1000000.00

[rules]
basis = field
EOM
}
write_model model.ini roster.csv

python3 "$here/roster_reference.py" roster.csv hq.csv 2019-12-31 FT,CT,TA 12 \
    UN:MINUSMA >reference.csv
for threads in 1 2 5; do
    "$program" headcount model.ini -o "table-$threads.csv" -j "$threads" \
        >"summary-$threads.txt" 2>"messages-$threads.txt"
    grep -v -e '^read ' -e '^wrote ' "summary-$threads.txt" >"summary-$threads.cut"
    grep -q "in $threads thread" "summary-$threads.txt"
done
cmp reference.csv table-1.csv
for threads in 2 5; do
    cmp table-1.csv "table-$threads.csv"
    cmp summary-1.cut "summary-$threads.cut"
    cmp messages-1.txt "messages-$threads.txt"
done
grep -q 'organisation "unfpa" read as "UNFPA"' messages-1.txt

# The same records in another order, and with other line ends.
head -n 1 roster.csv >shuffled.csv
tail -n +2 roster.csv | awk 'BEGIN { srand(3) } { print rand() "\t" $0 }' |
    sort -k1,1 | cut -f 2- >>shuffled.csv
sed 's/$/\r/' roster.csv >crlf.csv
tr '\n' '\r' <roster.csv >cr.csv
for variant in shuffled crlf cr; do
    write_model "$variant.ini" "$variant.csv"
    "$program" headcount "$variant.ini" -o "$variant-table.csv" -j 2 -q \
        2>/dev/null
    cmp table-1.csv "$variant-table.csv"
done

# fails_alike NAME THREADS: count NAME.csv with one thread and with
# THREADS; both must fail with the same messages (in NAME-1.txt), and
# write nothing.
fails_alike() {
    write_model "$1.ini" "$1.csv"
    for threads in 1 "$2"; do
        if "$program" headcount "$1.ini" -o "$1.out" -j "$threads" \
            >/dev/null 2>"$1-$threads.txt"; then
            exit 1
        fi
    done
    cmp "$1-1.txt" "$1-$2.txt"
    [ ! -e "$1.out" ]
}

# Messages of bad records keep their lines whatever the threads.
awk 'NR % 9000 == 0 { $0 = "UN,,X,C01,FT,2019-02-30,," } { print }' \
    roster.csv >bad.csv
fails_alike bad 4
grep -q 'bad.csv:9000:6: invalid start date "2019-02-30"' bad-1.txt

# A line past the limit is one error, and the lines after it keep their
# numbers.
{
    head -n 4 roster.csv
    printf 'UN,,'
    head -c 1100000 /dev/zero | tr '\000' x
    printf ',C01,FT,2019-01-01,,\n'
    sed -n 6p roster.csv
    echo 'UN,,X,C01,FT,2019-13-01,,'
} >long.csv
fails_alike long 3
grep -q 'long.csv:5: line longer than the limit of 1048575 bytes' long-1.txt
grep -q 'long.csv:7:6: invalid start date "2019-13-01"' long-1.txt

# A temporary file of a killed run (its process gone) is removed by the
# next write of the same table; one of a running process is kept.
: >.table-1.csv.999999999.AbCdEf
: >".table-1.csv.$$.AbCdEf"
"$program" headcount model.ini -o table-1.csv -q 2>/dev/null
[ ! -e .table-1.csv.999999999.AbCdEf ]
[ -e ".table-1.csv.$$.AbCdEf" ]
rm ".table-1.csv.$$.AbCdEf"

# run on the roster and run on its table share the pool alike.
sed 's|^\[roster\]|[headcount]|; s|^file = roster.csv|file = table-1.csv|' \
    model.ini | sed '/^\[eligibility\]/,/^excluded_entities/d' >table.ini
"$program" run model.ini -o from-roster -q 2>/dev/null
"$program" run table.ini -o from-table -q 2>/dev/null
cmp from-roster/shares.csv from-table/shares.csv
# The store records the roster among the inputs, and a model's actuals
# and posts files too.
[ "$(sqlite3 "$COSTSHARE_DB" "select count(*) from inputs where role = \
'roster' and name = 'roster.csv'")" -ge 1 ]
"$program" run "$here/../../models/jfa.ini" -o jfa -q 2>/dev/null
[ "$(sqlite3 "$COSTSHARE_DB" "select group_concat(role, ' ') from \
(select role from inputs where run_id = (select max(id) from runs) \
order by role)")" = "actuals budget headcount headquarters model posts" ]
# A run with a scenario records the text of both files.
"$program" run "$here/roster/rules.ini" -s "$here/roster/six-months.ini" \
    -o six -q 2>/dev/null
sqlite3 "$COSTSHARE_DB" "select model_text from runs where id = \
(select max(id) from runs)" >six.txt
grep -q '^; file .*six-months.ini$' six.txt
grep -q '^min_months = 6$' six.txt
grep -q '^min_months = 12$' six.txt

# An output folder named through a link is replaced behind the link.
ln -s from-roster link
"$program" run model.ini -o link -q 2>/dev/null
[ -L link ] && [ -f from-roster/shares.csv ]
echo "roster: reference, threads, order, line ends, messages and run agree"
