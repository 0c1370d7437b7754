#!/bin/sh
# simulate: the same seed gives the same bytes, another seed other draws.
#
# usage: sh tests/e2e/simulate.test.sh PROGRAM   (from the project root)
set -eu

program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
model=tests/e2e/ceb2019/jfa-field-floor.ini

"$program" simulate "$model" -n 200 -S 42 -e 5 -o "$work/a" >"$work/a.out"
"$program" simulate "$model" -n 200 -S 42 -e 5 -o "$work/b" >"$work/b.out"
"$program" simulate "$model" -n 200 -S 43 -e 5 -o "$work/c" -q
cmp "$work/a/simulation.csv" "$work/b/simulation.csv"
cmp "$work/a/sensitivity.csv" "$work/b/sensitivity.csv"
sed "s|$work/a|DIR|" "$work/a.out" >"$work/a.txt"
sed "s|$work/b|DIR|" "$work/b.out" >"$work/b.txt"
cmp "$work/a.txt" "$work/b.txt"
if cmp -s "$work/a/simulation.csv" "$work/c/simulation.csv"; then
    echo "seeds 42 and 43 gave the same draws" >&2
    exit 1
fi
echo "same seed, same bytes; another seed, other draws"
