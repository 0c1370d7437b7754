#!/bin/sh
# Time deriving headcount from a personnel roster, side by side:
# costshare headcount against DuckDB (through Node.js), mawk, Miller and
# sqlite3. Every tool reads the same generated roster and
# headquarters list, applies the same eligibility rules and writes the
# same CSV; the outputs must be byte-identical before anything is timed.
#
# usage: sh bench/roster.sh [SIZE...]   (from anywhere; SIZE is 1m or 8m,
#        both by default, e.g. "sh bench/roster.sh 1m" for a quick run)
#
# Environment: RUNS_1M and RUNS_8M set the hyperfine runs per size (10
# and 5 by default, after one warm-up run); COSTSHARE=no leaves costshare
# out even when it has the command.
#
# Needs the Debian packages hyperfine, mawk, miller, sqlite3 and time,
# plus cc, node, npm and python3. Everything it writes goes under
# build/bench/: the rosters (about 46 MB per million records), the
# outputs out-TOOL-SIZE.csv, /usr/bin/time reports time-TOOL-SIZE.txt,
# and hyperfine's roster-SIZE.json and roster-SIZE.md.
set -eu

cd "$(dirname "$0")/.."
bench=build/bench
started=$(date +%s)

fail() {
    echo "roster.sh: $*" >&2
    exit 1
}

for tool in cc hyperfine mawk mlr sqlite3 node npm python3; do
    command -v "$tool" >/dev/null 2>&1 ||
        fail "$tool is missing; see the comment at the top of bench/roster.sh"
done
[ -x /usr/bin/time ] || fail "/usr/bin/time is missing; apt-get install time"

if [ $# -eq 0 ]; then
    set -- 1m 8m
fi
for size in "$@"; do
    case $size in
    1m | 8m) ;;
    *) fail "invalid size \"$size\": expected 1m or 8m" ;;
    esac
done

mkdir -p "$bench/duckdb"
cc -O2 -o "$bench/gen_roster" bench/gen_roster.c

# DuckDB: install the pinned package once, and again whenever the lock
# file changes. The script is copied next to node_modules so that Node.js
# resolves the package from there.
cp bench/duckdb/headcount.mjs "$bench/duckdb/"
if ! cmp -s bench/duckdb/package-lock.json "$bench/duckdb/installed-lock.json"
then
    cp bench/duckdb/package.json bench/duckdb/package-lock.json "$bench/duckdb/"
    (cd "$bench/duckdb" && npm ci --no-audit --no-fund --loglevel=error)
    cp bench/duckdb/package-lock.json "$bench/duckdb/installed-lock.json"
fi

# ---- costshare -------------------------------------------------------
# costshare joins when build/costshare exists (run make first). Its runs record themselves in a run history store, so the
# store goes under build/bench, away from the project's costshare.db.
COSTSHARE_DB=$bench/costshare.db
export COSTSHARE_DB
with_costshare=no
if [ "${COSTSHARE:-yes}" != no ] && [ -x build/costshare ] &&
    ! build/costshare headcount 2>&1 | grep -q 'unknown command'; then
    with_costshare=yes
fi

# Write the model that costshare reads for SIZE. Its [eligibility] and
# [headquarters] sections state the rules that the peers' scripts fix.
write_model() {
    cat >"$bench/roster-$1.ini" <<EOF
[model]
name = roster-bench
kind = jfa
period = 2020
currency = USD

[roster]
file = roster-$1.csv

[eligibility]
as_at = 2019-12-31
contract_types = FT, CT, TA
min_months = 12
excluded_entities = UN:MINUSMA, UN:UNMISS, UN:MONUSCO

[headquarters]
file = hq.csv

[budget]
amount = 1000000.00

[rules]
basis = field
EOF
}
# ---- end of costshare ------------------------------------------------

# Print the shell command with which TOOL turns the SIZE roster into
# $bench/out-TOOL-SIZE.csv.
tool_command() {
    roster=$bench/roster-$2.csv
    out=$bench/out-$1-$2.csv
    keys=organisation,country,duty_station
    case $1 in
    costshare)
        echo "build/costshare headcount $bench/roster-$2.ini -o $out -q"
        ;;
    duckdb)
        echo "node $bench/duckdb/headcount.mjs $roster $bench/hq.csv $out"
        ;;
    mawk)
        echo "mawk -f bench/roster/headcount.awk $bench/hq.csv $roster >$out"
        ;;
    mlr)
        # Count first, then drop headquarters groups with two anti-joins:
        # one on the organisation's own rows, one on the "*" rows.
        echo "mlr --icsv --ocsv filter -f bench/roster/eligible.mlr" \
            "then count -g $keys -o headcount" \
            "then join --np --ur -j $keys -f $bench/hq.csv" \
            "then put '\$code = \$organisation; \$organisation = \"*\"'" \
            "then join --np --ur -j $keys -f $bench/hq.csv" \
            "then put '\$organisation = \$code'" \
            "then cut -o -f $keys,headcount" \
            "then sort -f $keys $roster >$out"
        ;;
    sqlite3)
        echo "sqlite3 -bail -cmd '.import --csv $bench/hq.csv hq'" \
            "-cmd '.import --csv $roster roster' -cmd '.output $out'" \
            ":memory: <bench/roster/headcount.sql"
        ;;
    esac
}

tools="duckdb mawk mlr sqlite3"
if [ "$with_costshare" = yes ]; then
    tools="$tools costshare"
fi

{
    echo "duckdb $(cd "$bench/duckdb" &&
        node -e "import('@duckdb/node-api').then(m => console.log(m.version()))")"
    mawk -W version 2>&1 | head -n 1
    mlr --version
    echo "sqlite3 $(sqlite3 --version | cut -d ' ' -f 1-2)"
    hyperfine --version
    echo "node $(node --version)"
    cc --version | head -n 1
    if [ "$with_costshare" = yes ]; then
        build/costshare --version 2>&1 | head -n 1
    else
        echo "costshare: no headcount command in build/costshare, skipped"
    fi
} >"$bench/versions.txt"
cat "$bench/versions.txt"

for size in "$@"; do
    case $size in
    1m) records=1000000 runs=${RUNS_1M:-10} ;;
    8m) records=8000000 runs=${RUNS_8M:-5} ;;
    esac
    roster=$bench/roster-$size.csv

    echo
    echo "== $size: $records records"
    "$bench/gen_roster" "$records" "$roster" "$bench/hq.csv"
    write_model "$size"
    bytes=$(wc -c <"$roster")
    echo "$roster: $bytes bytes; $bench/hq.csv: $(wc -c <"$bench/hq.csv") bytes"

    # One run of each tool under /usr/bin/time for its peak resident set
    # size; the same run gives the output that must match DuckDB's.
    for tool in $tools; do
        out=$bench/out-$tool-$size.csv
        rm -f "$out"
        /usr/bin/time -v -o "$bench/time-$tool-$size.txt" \
            sh -c "$(tool_command "$tool" "$size")" ||
            fail "$tool failed on $roster; see $bench/time-$tool-$size.txt"
        [ -s "$out" ] || fail "$tool wrote no $out"
    done
    reference=$bench/out-duckdb-$size.csv
    for tool in $tools; do
        out=$bench/out-$tool-$size.csv
        if ! cmp -s "$reference" "$out"; then
            diff "$reference" "$out" | head -n 20 >&2
            fail "FAILED: $out differs from $reference (first lines above)"
        fi
    done
    echo "outputs identical ($tools): $(($(wc -l <"$reference") - 1))" \
        "groups, $(awk -F, 'NR > 1 { n += $4 } END { print n }' \
            "$reference") persons counted"

    # The size loop expanded its list at the start, so the positional
    # parameters are free to carry hyperfine's arguments.
    set --
    for tool in $tools; do
        set -- "$@" -n "$tool" "$(tool_command "$tool" "$size")"
    done
    hyperfine --style basic --warmup 1 --runs "$runs" \
        --export-json "$bench/roster-$size.json" \
        --export-markdown "$bench/roster-$size.md" "$@"

    python3 - "$bench" "$size" "$records" "$bytes" "$tools" <<'EOF'
import json, sys

bench, size, records, size_bytes, tools = sys.argv[1:]
records, size_bytes = int(records), int(size_bytes)
results = json.load(open(f"{bench}/roster-{size}.json"))["results"]
median = {r["command"]: r["median"] for r in results}


def peak_rss_kib(tool):
    for line in open(f"{bench}/time-{tool}-{size}.txt"):
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return 0


print(f"\n{size}: {records:,} records, {size_bytes:,} bytes")
print("| tool | median s | records/s | MB/s | peak RSS MiB "
      "| throughput vs DuckDB |")
print("|---|---:|---:|---:|---:|---:|")
for tool in tools.split():
    seconds = median[tool]
    print(f"| {tool} | {seconds:.3f} | {records / seconds:,.0f} "
          f"| {size_bytes / 1e6 / seconds:.1f} "
          f"| {peak_rss_kib(tool) / 1024:.0f} "
          f"| {median['duckdb'] / seconds:.2f} |")
EOF
done

echo
echo "roster.sh: done in $(($(date +%s) - started)) s"
