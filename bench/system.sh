#!/bin/sh
# Time a whole-system run: the JFA and the LCSSB of 50 organisations in
# 190 countries, every report written and recorded in a scratch store,
# side by side with peer commands that show the noise of the machine.
# Run it from the project root after make.  It prints the input sizes,
# the median, min and max of each command, and the peak memory of each
# run.
#
# The synthetic inputs (bench/system-inputs.awk) go to build/bench/system/
# and stay there, with the hyperfine results (times.json, times.md) and
# the outputs of the last timed runs (out/).  RUNS sets the number of
# timed runs of each command (default 20).
set -eu

program=build/costshare
dir=build/bench/system
runs=${RUNS:-20}

command -v hyperfine >/dev/null || {
    echo "bench: hyperfine is missing; apt-get install hyperfine" >&2
    exit 1
}
[ -x "$program" ] || {
    echo "bench: $program is missing; run make first" >&2
    exit 1
}

rm -rf "$dir"
mkdir -p "$dir/out"
awk -v dir="$dir" -f bench/system-inputs.awk </dev/null

# A store that contains the 2019 runs, so that each timed 2020 run also
# writes year_on_year.csv.  Every timed run starts from a copy of it, so
# the store does not grow from one run to the next.
for model in jfa-2019 lcssb-2019; do
    "$program" run "$dir/$model.ini" -q -d "$dir/seed.db" \
        -o "$dir/out/$model"
done
reset="cp $dir/seed.db $dir/store.db && rm -f $dir/store.db-wal \
$dir/store.db-shm"
jfa="$program run $dir/jfa-2020.ini -q -d $dir/store.db -o $dir/out/jfa"
lcssb="$program run $dir/lcssb-2020.ini -q -d $dir/store.db \
-o $dir/out/lcssb"

# One untimed run of each, to check that every report is there.
sh -c "$reset && $jfa && $lcssb"
for file in shares.csv year_on_year.csv variance.csv projection.csv \
    vacancy.csv trueup.csv summary.md index.html costshare.xlsx; do
    [ -s "$dir/out/jfa/$file" ] || {
        echo "bench: the JFA run wrote no $file" >&2
        exit 1
    }
done
for file in lcssb_lines.csv lcssb_countries.csv lcssb_organisations.csv \
    lcssb_agencies.csv year_on_year.csv variance.csv projection.csv \
    trueup.csv summary.md index.html costshare.xlsx; do
    [ -s "$dir/out/lcssb/$file" ] || {
        echo "bench: the LCSSB run wrote no $file" >&2
        exit 1
    }
done

count_rows() {
    echo $(($(wc -l <"$dir/$1") - 1))
}
echo "inputs in $dir:"
echo "  headcount.csv       $(count_rows headcount.csv) rows," \
    "$(cut -d, -f1 "$dir/headcount.csv" | sed 1d | sort -u | wc -l)" \
    "organisations, $(cut -d, -f2 "$dir/headcount.csv" | sed 1d |
        sort -u | wc -l) countries"
echo "  headquarters.csv    $(count_rows headquarters.csv) rows"
echo "  jfa_budget.csv      $(count_rows jfa_budget.csv) lines"
echo "  jfa_actuals.csv     $(count_rows jfa_actuals.csv) rows"
echo "  lcssb_budget.csv    $(count_rows lcssb_budget.csv) lines in" \
    "$(cut -d, -f1 "$dir/lcssb_budget.csv" | sed 1d | sort -u | wc -l)" \
    "countries, $(grep -c ',ORG[0-9]*,$' "$dir/lcssb_budget.csv") with" \
    "an excluded organisation, $(grep -c '"$' "$dir/lcssb_budget.csv")" \
    "with included organisations"
echo "  lcssb_actuals.csv   $(count_rows lcssb_actuals.csv) rows"
echo "outputs: $(find "$dir/out/jfa" -type f | wc -l) JFA files," \
    "$(find "$dir/out/lcssb" -type f | wc -l) LCSSB files," \
    "lcssb_lines.csv $(count_rows out/lcssb/lcssb_lines.csv) rows"
echo

# No shell between hyperfine and the commands (-N), so that the peers of
# about 2 ms are timed without a shell's start-up to subtract.  The dd
# peer writes 1 MiB and waits for fsync, so it shows how busy the disk
# is: the two runs write 1.9 MiB in 122 files and fsync 118 of them.
hyperfine -N --warmup 2 --runs "$runs" --prepare "sh -c '$reset'" \
    --export-json "$dir/times.json" --export-markdown "$dir/times.md" \
    -n "peer: sqlite3 :memory:" "sqlite3 :memory: 'select 1'" \
    -n "peer: dd 1 MiB, fsync" "dd if=/dev/zero of=$dir/peer.bin bs=64k \
count=16 conv=fsync status=none" \
    -n "peer: cat inputs" "cat $dir/headcount.csv $dir/headquarters.csv \
$dir/jfa_budget.csv $dir/jfa_actuals.csv $dir/lcssb_budget.csv \
$dir/lcssb_agencies.csv $dir/lcssb_actuals.csv" \
    -n "jfa" "$jfa" \
    -n "lcssb" "$lcssb" \
    -n "jfa && lcssb" "sh -c '$jfa && $lcssb'" \
    >/dev/null
python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-24s median %8.1f ms  min %8.1f ms  max %8.1f ms" % (
        r["command"], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))
' "$dir/times.json"

echo
for name in jfa lcssb; do
    eval "run=\$$name"
    sh -c "$reset"
    printf '%s: ' "$name"
    # shellcheck disable=SC2086
    /usr/bin/time -v $run 2>&1 >/dev/null |
        sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' |
        awk '{ printf "peak memory (maximum resident set size) %d KiB\n", $1 }'
done
