#!/bin/sh
# The real CEB file with its data rows shuffled must give a byte-identical
# shares.csv: results may not depend on the order of input rows.
#
# usage: sh tests/e2e/shuffle.test.sh PROGRAM   (from the project root)
set -eu

program=$1
data=$(cd ../shared/data/ceb-hr-2019 && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Keep the byte-order mark and header line; shuffle the rest with a fixed
# seed so a failure can be repeated.
head -n 1 "$data/duty_station_2019.csv" >"$work/shuffled.csv"
tail -n +2 "$data/duty_station_2019.csv" |
    awk 'BEGIN { srand(20191231) } { printf "%.12f\t%s\n", rand(), $0 }' |
    sort -k1,1 | cut -f2- >>"$work/shuffled.csv"
if cmp -s "$work/shuffled.csv" "$data/duty_station_2019.csv"; then
    echo "shuffle left the file unchanged" >&2
    exit 1
fi

sed -e "s|^file = .*duty_station_2019.csv|file = $work/shuffled.csv|" \
    -e "s|^file = .*hq_duty_stations.csv|file = $data/hq_duty_stations.csv|" \
    tests/e2e/ceb2019/jfa-field-floor.ini >"$work/model.ini"

"$program" run tests/e2e/ceb2019/jfa-field-floor.ini -q -o "$work/a"
"$program" run "$work/model.ini" -q -o "$work/b"
cmp "$work/a/shares.csv" "$work/b/shares.csv"
cmp "$work/a/shares.csv" tests/e2e/ceb2019/field-floor/expected/shares.csv
echo "shuffled rows give the same shares.csv"
