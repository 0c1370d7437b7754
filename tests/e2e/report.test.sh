#!/bin/sh
# The HTML report and the workbook: rendered in headless Chromium (the
# total and an organisation's page in the DOM, a screenshot, no network
# request), the workbook's SUM totals equal to the CSV, the LCSSB
# workbook's Shares and Countries sheets equal to its CSV files, and
# organisation and country codes that look like formulas or paths kept
# harmless.
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
# The LCSSB workbook's Shares and Countries sheets against the CSV files
# and the summary's total, with codes that look like formulas.
"$program" run tests/e2e/report/lcssb/model.ini -d "$work/db" \
    -o "$work/lcssb" >"$work/lcssb.txt"
total=$(sed -n \
    's/^check: organisations sum to \([0-9.,-]*\), budget .*: ok$/\1/p' \
    "$work/lcssb.txt")
test -n "$total" || fail "the LCSSB summary has no total"
python3 tests/e2e/lcssb_workbook.py "$work/lcssb" "$total" ||
    fail "the LCSSB workbook differs from its CSV files"
python3 - "$work/lcssb" <<'PY' || fail "a code is a formula in the LCSSB book"
import re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1] + "/costshare.xlsx")
strings = book.read("xl/sharedStrings.xml").decode()
assert "<t>=HACK</t>" in strings
assert "<t>=SUM(1)</t>" in strings
for sheet in ("sheet1.xml", "sheet2.xml"):
    xml = book.read("xl/worksheets/" + sheet).decode()
    for formula in re.findall(r"<f>(.*?)</f>", xml):
        assert re.fullmatch(r"SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)", formula)
PY

# The check must catch a wrong cell: add a cent to Countries!B2.
cp -R "$work/lcssb" "$work/wrong"
python3 - "$work/lcssb/costshare.xlsx" "$work/wrong/costshare.xlsx" <<'PY'
import re, sys, zipfile
source = zipfile.ZipFile(sys.argv[1])
target = zipfile.ZipFile(sys.argv[2], "w")
for item in source.infolist():
    data = source.read(item.filename)
    if item.filename == "xl/worksheets/sheet2.xml":
        data, n = re.subn(rb'(<c r="B2" s="\d+"><v>)([0-9.]+)',
                          lambda m: m.group(1) + str(float(m.group(2)) + 0.01)
                          .encode(), data)
        assert n == 1, "Countries!B2 not found"
    target.writestr(item, data)
target.close()
PY
if python3 tests/e2e/lcssb_workbook.py "$work/wrong" "$total" 2>/dev/null; then
    fail "the LCSSB workbook check passed a wrong cell"
fi
echo "report: rendered, no network request, workbook totals, odd codes"
