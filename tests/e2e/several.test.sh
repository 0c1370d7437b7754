#!/bin/sh
# "run" with several models: each runs as it would alone, their output
# comes in the order given, one that fails leaves the others written, and
# a bad model file or two models of one name stop them all.
#
# usage: sh tests/e2e/several.test.sh PROGRAM   (from the project root)
set -eu

program=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "several.test: $*" >&2
    exit 1
}
jfa=$root/models/jfa.ini
lcssb=$root/models/lcssb.ini

# Alone, one after the other, then together, the slower model first.
mkdir "$work/alone" "$work/together"
cd "$work/alone"
"$program" run "$lcssb" -d db -o out/lcssb-2020 >lcssb.out
"$program" run "$jfa" -d db -o out/jfa-2020 >jfa.out
cd "$work/together"
status=0
"$program" run "$lcssb" "$jfa" -d db -o out >both.out 2>both.err ||
    status=$?
[ "$status" = 0 ] || fail "the run of both models failed: $(cat both.err)"
cat "$work/alone/lcssb.out" "$work/alone/jfa.out" >"$work/expected.out"
cmp "$work/expected.out" both.out ||
    fail "the output differs from that of the two runs in order"
[ ! -s both.err ] || fail "the run of both printed to standard error"
diff -r "$work/alone/out" out || fail "the reports differ"
[ "$("$program" history -d db | tail -n +2 | wc -l)" = 2 ] ||
    fail "the store does not hold two runs"

# Without -o, each model goes to reports/NAME.
mkdir "$work/default"
cd "$work/default"
"$program" run "$jfa" "$lcssb" -d db -q
[ -f reports/jfa-2020/shares.csv ] && [ -f reports/lcssb-2020/lcssb_lines.csv ] ||
    fail "the reports are not in reports/NAME"

# A model that fails: the other is written, the exit status is 1 and the
# error is in the output of the failing model.
sed "s|\.\./\.\./\.\./\.\./shared|$(cd "$root/../shared" && pwd)|" \
    "$root/tests/cases/C25/model.ini" >"$work/c25.ini"
cd "$work"
status=0
"$program" run "$work/c25.ini" "$jfa" -d bad.db -o bad >bad.out \
    2>bad.err || status=$?
[ "$status" = 1 ] || fail "exit status $status with a failing model, not 1"
grep -q 'budget_bad.csv:3:3: Excel error value "#N/A"' bad.err ||
    fail "the error of the failing model is missing"
[ -f bad/jfa-2020/shares.csv ] || fail "the good model was not written"
[ "$(ls bad)" = jfa-2020 ] || fail "the failing model left a folder"
grep -q '^wrote bad/jfa-2020/shares.csv' bad.out ||
    fail "the summary of the good model is missing"

# Two models of one name (status 1), or a model file that cannot be read
# (status 3, as when it runs alone): nothing runs, and no store or folder
# is made.
for case in "1 $jfa $jfa" "3 $jfa $work/missing.ini"; do
    set -- $case
    status=0
    "$program" run "$2" "$3" -d none.db -o none -q 2>none.err || status=$?
    [ "$status" = "$1" ] || fail "exit status $status for $2 $3, not $1"
    [ ! -e none.db ] && [ ! -e none ] || fail "$2 $3 wrote something"
    grep -q 'nothing written' none.err || fail "no message for $2 $3"
done
grep -q 'missing.ini' none.err || fail "the missing model is not named"

# With standard output closed, the run fails with status 3 and a
# message, as a run of one model does.  The held output of a model once
# took the closed descriptor and was copied into itself without end, so
# the file size and the time are capped.
status=0
(
    ulimit -f 20000
    timeout -s KILL 60 "$program" run "$jfa" "$lcssb" -d closed.db \
        -o closed >&- 2>closed.err
) || status=$?
[ "$status" = 3 ] ||
    fail "exit status $status with standard output closed, not 3"
grep -q 'cannot write standard output' closed.err ||
    fail "no message with standard output closed"

# A scenario applies to one model.
status=0
"$program" run "$jfa" "$lcssb" -s "$root/models/jfa.ini" -d none.db \
    2>/dev/null || status=$?
[ "$status" = 2 ] || fail "exit status $status for -s with two models"

echo "several models run together as they run alone"
