#!/bin/sh
# Time a whole-system run: the JFA and the LCSSB of every country, every
# report written and recorded in a scratch store, side by side with peer
# commands that show the noise of the machine.  Run it from the project
# root after make.  It prints the input sizes, the median, min and max of
# each command, and the peak memory of each run.
#
# Two sets of inputs, both from bench/system-inputs.awk (a fixed seed):
#
#   ceb2019    the real CEB 2019 headcount (38 organisations in 192
#              countries, read from ../shared/data/ceb-hr-2019/, or from
#              $SHARED/data/ceb-hr-2019/), with drawn budgets: the 50 ms
#              target of the whole system is measured on it;
#   synthetic  50 organisations in 190 countries, each country with
#              about 27 of them, nearly three times as many as in the
#              CEB data: a heavier case, to show how the run grows.
#
# They go to build/bench/system-ceb2019/ and build/bench/system/ and stay
# there, with the hyperfine results (build/bench/system/times.json and
# times.md) and the outputs of the last timed runs (out/).  RUNS sets the
# number of timed runs of each command (default 20).
set -eu

program=build/costshare
dir=build/bench/system
ceb_dir=build/bench/system-ceb2019
ceb=${SHARED:-../shared}/data/ceb-hr-2019
runs=${RUNS:-20}

command -v hyperfine >/dev/null || {
    echo "bench: hyperfine is missing; apt-get install hyperfine" >&2
    exit 1
}
[ -x "$program" ] || {
    echo "bench: $program is missing; run make first" >&2
    exit 1
}

[ -f "$ceb/duty_station_2019.csv" ] || {
    echo "bench: $ceb/duty_station_2019.csv not found; set SHARED to" \
        "the folder that contains data/ceb-hr-2019/" >&2
    exit 1
}
ceb=$(cd "$ceb" && pwd)

# Write the inputs of one set to folder $1 (more awk options follow),
# and a store that contains its 2019 runs, so that each timed 2020 run also
# writes year_on_year.csv.  Every timed run starts from a copy of that
# store, so the store does not grow from one run to the next.
prepare() {
    set_dir=$1
    shift
    rm -rf "$set_dir"
    mkdir -p "$set_dir/out"
    awk -v dir="$set_dir" "$@" -f bench/system-inputs.awk </dev/null
    for model in jfa-2019 lcssb-2019; do
        "$program" run "$set_dir/$model.ini" -q -d "$set_dir/seed.db" \
            -o "$set_dir/out/$model"
    done
}
prepare "$dir"
prepare "$ceb_dir" -v ceb="$ceb"

reset=""
for d in "$dir" "$ceb_dir"; do
    reset="$reset${reset:+ && }cp $d/seed.db $d/store.db && \
rm -f $d/store.db-wal $d/store.db-shm"
done
jfa="$program run $dir/jfa-2020.ini -q -d $dir/store.db -o $dir/out/jfa"
lcssb="$program run $dir/lcssb-2020.ini -q -d $dir/store.db \
-o $dir/out/lcssb"
ceb_jfa="$program run $ceb_dir/jfa-2020.ini -q -d $ceb_dir/store.db \
-o $ceb_dir/out/jfa"
ceb_lcssb="$program run $ceb_dir/lcssb-2020.ini -q -d $ceb_dir/store.db \
-o $ceb_dir/out/lcssb"
# Both models given to one run, which runs them at once, each in a
# process of its own, into out/both/system-jfa and out/both/system-lcssb.
both="$program run $dir/jfa-2020.ini $dir/lcssb-2020.ini -q \
-d $dir/store.db -o $dir/out/both"
ceb_both="$program run $ceb_dir/jfa-2020.ini $ceb_dir/lcssb-2020.ini -q \
-d $ceb_dir/store.db -o $ceb_dir/out/both"

# One untimed run of each, to check that every report is there.
sh -c "$reset && $jfa && $lcssb && $ceb_jfa && $ceb_lcssb"
sh -c "$reset && $both && $ceb_both"
for d in "$dir" "$ceb_dir"; do
    for model in jfa lcssb; do
        cmp "$d/out/$model/summary.md" \
            "$d/out/both/system-$model/summary.md" || {
            echo "bench: the run of both models wrote another" \
                "$model summary" >&2
            exit 1
        }
    done
done
for d in "$dir" "$ceb_dir"; do
    for file in shares.csv year_on_year.csv variance.csv projection.csv \
        vacancy.csv trueup.csv summary.md index.html costshare.xlsx; do
        [ -s "$d/out/jfa/$file" ] || {
            echo "bench: the JFA run wrote no $d/out/jfa/$file" >&2
            exit 1
        }
    done
    for file in lcssb_lines.csv lcssb_countries.csv \
        lcssb_organisations.csv lcssb_agencies.csv year_on_year.csv \
        variance.csv projection.csv trueup.csv summary.md index.html \
        costshare.xlsx; do
        [ -s "$d/out/lcssb/$file" ] || {
            echo "bench: the LCSSB run wrote no $d/out/lcssb/$file" >&2
            exit 1
        }
    done
done

# Print the size of set $1 (headcount file $2, title $3): headcount
# rows, organisations charged, countries, budget lines and output rows.
count_rows() {
    echo $(($(wc -l <"$1") - 1))
}
describe() {
    d=$1
    headcount=$2
    echo "$3 ($d):"
    echo "  headcount           $(count_rows "$headcount") rows," \
        "$(sed 1d "$d/out/jfa/shares.csv" | wc -l) organisations charged" \
        "by the JFA, $(cut -d, -f1 "$d/lcssb_budget.csv" | sed 1d |
            sort -u | wc -l) countries"
    echo "  jfa_budget.csv      $(count_rows "$d/jfa_budget.csv") lines," \
        "$(count_rows "$d/jfa_actuals.csv") rows of actuals"
    echo "  lcssb_budget.csv    $(count_rows "$d/lcssb_budget.csv") lines," \
        "$(grep -c '[^,],$' "$d/lcssb_budget.csv") with an excluded" \
        "organisation, $(grep -c '"$' "$d/lcssb_budget.csv") with" \
        "included organisations;" \
        "$(count_rows "$d/lcssb_actuals.csv") rows of actuals"
    echo "  outputs             $(find "$d/out/jfa" -type f | wc -l) JFA" \
        "files, $(find "$d/out/lcssb" -type f | wc -l) LCSSB files," \
        "lcssb_lines.csv $(count_rows "$d/out/lcssb/lcssb_lines.csv") rows"
}
describe "$ceb_dir" "$ceb/duty_station_2019.csv" "ceb2019"
describe "$dir" "$dir/headcount.csv" "synthetic"
echo

# No shell between hyperfine and the commands (-N), so that the peers of
# about 2 ms are timed without a shell's start-up to subtract.  The dd
# peer writes 1 MiB and waits for fsync, so it shows how busy the disk
# is.  "jfa && lcssb" runs the two through sh -c, whose start-up, about
# 1 ms, is counted in.  "jfa lcssb, one run" gives both models to one
# costshare run.
hyperfine -N --warmup 2 --runs "$runs" --prepare "sh -c '$reset'" \
    --export-json "$dir/times.json" --export-markdown "$dir/times.md" \
    -n "peer: sqlite3 :memory:" "sqlite3 :memory: 'select 1'" \
    -n "peer: dd 1 MiB, fsync" "dd if=/dev/zero of=$dir/peer.bin bs=64k \
count=16 conv=fsync status=none" \
    -n "peer: cat inputs" "cat $ceb/duty_station_2019.csv \
$ceb_dir/jfa_budget.csv $ceb_dir/jfa_actuals.csv $ceb_dir/lcssb_budget.csv \
$ceb_dir/lcssb_agencies.csv $ceb_dir/lcssb_actuals.csv" \
    -n "ceb2019: jfa" "$ceb_jfa" \
    -n "ceb2019: lcssb" "$ceb_lcssb" \
    -n "ceb2019: jfa && lcssb" "sh -c '$ceb_jfa && $ceb_lcssb'" \
    -n "ceb2019: jfa lcssb, one run" "$ceb_both" \
    -n "synthetic: jfa" "$jfa" \
    -n "synthetic: lcssb" "$lcssb" \
    -n "synthetic: jfa && lcssb" "sh -c '$jfa && $lcssb'" \
    -n "synthetic: jfa lcssb, one run" "$both" \
    >/dev/null
python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-30s median %8.1f ms  min %8.1f ms  max %8.1f ms" % (
        r["command"], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))
' "$dir/times.json"

echo
for name in ceb_jfa ceb_lcssb ceb_both jfa lcssb both; do
    eval "run=\$$name"
    sh -c "$reset"
    printf '%s: ' "$name"
    # shellcheck disable=SC2086
    /usr/bin/time -v $run 2>&1 >/dev/null |
        sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' |
        awk '{ printf "peak memory (maximum resident set size) %d KiB\n", $1 }'
done
