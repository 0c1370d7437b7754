#!/bin/sh
# Time 10,000 Monte Carlo draws over the real CEB 2019 model, and a run
# of the same model without draws, side by side; print medians.
set -eu
command -v hyperfine >/dev/null || {
    echo "bench: hyperfine is missing; apt-get install hyperfine" >&2
    exit 1
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
model=tests/e2e/ceb2019/jfa-field-floor.ini
hyperfine --warmup 1 --runs 15 --export-json "$out/times.json" \
    -n run "build/costshare run $model -o $out/run -q" \
    -n simulate-10000 \
    "build/costshare simulate $model -n 10000 -S 1 -e 5 -o $out/sim -q" \
    >/dev/null
python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-16s median %8.1f ms  min %8.1f ms  max %8.1f ms" % (
        r["command"], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))
' "$out/times.json"
