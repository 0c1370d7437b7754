#!/bin/sh
# The HTML report and the workbook: rendered in headless Chromium (the
# total and an organisation's page in the DOM, a screenshot, no network
# request), the workbook's SUM totals equal to the CSV, and organisation
# codes that look like formulas or paths kept harmless.
#
# usage: sh tests/e2e/report.test.sh PROGRAM   (from the project root)
set -eu

program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "report.test: $*" >&2
    exit 1
}
command -v chromium >/dev/null ||
    fail "chromium is missing; install the Debian package chromium"

"$program" run tests/e2e/ceb2019/jfa-field-floor.ini -d "$work/db" \
    -o "$work/out" -q
test -f "$work/out/index.html" || fail "no index.html"
test -f "$work/out/org/UN.html" || fail "no page for UN"
if grep -Eq '<script|https?://[^"]*"[^>]*(src|href)=|(src|href)="https?:' \
    "$work/out/index.html" "$work/out/org/UN.html"; then
    fail "the report refers to a script or a remote address"
fi

# Chromium resolves no host here, so no request can leave the machine.
browse() {
    chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --no-pings \
        --host-resolver-rules="MAP * ~NOTFOUND" \
        --user-data-dir="$work/profile" "$@" 2>/dev/null
}
browse --log-net-log="$work/net.json" --dump-dom \
    "file://$work/out/index.html" >"$work/index.dom"
grep -q 'id="total">100,000,000.00<' "$work/index.dom" ||
    fail "the rendered index lacks the total 100,000,000.00"
grep -q 'href="org/UN.html"' "$work/index.dom" ||
    fail "the rendered index lacks the link to UN's page"
browse --dump-dom "file://$work/out/org/UN.html" >"$work/un.dom"
grep -q 'amount: 28,118,128.82' "$work/un.dom" ||
    fail "UN's page lacks its amount"
# The page's requests are file: ones; Chromium's own update and account
# services (Google hosts) are not the page's and are left out.
if grep -o '"url":"[a-z]*://[^/"]*' "$work/net.json" |
    grep -v '"url":"file://' |
    grep -Ev '//([a-z0-9.-]*\.)?(google\.com|googleapis\.com|gvt1\.com)$' |
    grep -q .; then
    fail "the report made a network request"
fi
mkdir -p build
browse --screenshot="$work/report.png" --window-size=1000,900 \
    "file://$work/out/index.html"
test -s "$work/report.png" || fail "no screenshot"
cp "$work/report.png" build/report.png

# The workbook's totals are SUM formulas whose value is the CSV's total.
python3 - "$work/out" <<'PY' || fail "workbook totals differ from the CSV"
import csv, re, sys, zipfile
out = sys.argv[1]
total = sum(int(r["amount"].replace(".", "")) for r in
            csv.DictReader(open(out + "/shares.csv")))
sheet = zipfile.ZipFile(out + "/costshare.xlsx").read(
    "xl/worksheets/sheet1.xml").decode()
found = re.findall(r"<f>SUM\(D2:D\d+\)</f><v>([0-9.]+)</v>", sheet)
assert found, "no SUM formula"
assert round(float(found[0]) * 100) == total, (found, total)
PY

# Codes that look like a formula or a path.
"$program" run tests/e2e/report/model.ini -d "$work/db" -o "$work/odd" -q
grep -q "^'=HACK," "$work/odd/shares.csv" || fail "=HACK not neutralised"
test -f "$work/odd/org/_2E_2E_2FEVIL.html" ||
    fail "the page of ../EVIL is not inside org/"
test ! -e "$work/EVIL.html" || fail "a page left the output folder"
python3 - "$work/odd" <<'PY' || fail "=HACK is a formula in the workbook"
import sys, zipfile
book = zipfile.ZipFile(sys.argv[1] + "/costshare.xlsx")
assert "=HACK" in book.read("xl/sharedStrings.xml").decode()
assert "HACK" not in "".join(
    s for s in book.read("xl/worksheets/sheet1.xml").decode().split("<f>")[1:])
PY
echo "report: rendered, no network request, workbook totals, odd codes"
