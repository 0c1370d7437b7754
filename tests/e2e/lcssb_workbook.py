"""Check the Shares and Countries sheets of an LCSSB run's costshare.xlsx
against the run's CSV files, reading the workbook with zipfile and
ElementTree only, so the check does not share code with the writer.

usage: python3 tests/e2e/lcssb_workbook.py DIR TOTAL

DIR is the run's output folder and TOTAL the total of the run's summary
(for example 149.39).  Exits with an assertion error naming the first
cell that differs.
"""

import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET
from decimal import Decimal

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
PACKAGE_RELATIONSHIP = (
    "{http://schemas.openxmlformats.org/package/2006/relationships}")


def column_name(index):
    """Return the letters of zero-based column INDEX: 0 is A, 26 is AA."""
    name = ""
    index += 1
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def cell_position(reference):
    """Return the zero-based (row, column) of a reference such as AB12."""
    match = re.fullmatch(r"([A-Z]+)([0-9]+)", reference)
    assert match, "invalid cell reference %r" % reference
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)) - 1, column - 1


def text_of(element):
    """Return the text of every <t> under ELEMENT, as a spreadsheet shows
    a rich or plain string."""
    return "".join(t.text or "" for t in element.iter(MAIN + "t"))


def sheet_paths(book):
    """Return {sheet name: path in the zip}, in the workbook's order."""
    targets = {}
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(PACKAGE_RELATIONSHIP + "Relationship"):
        target = rel.get("Target")
        if target.startswith("/"):
            targets[rel.get("Id")] = target[1:]
        else:
            targets[rel.get("Id")] = "xl/" + target
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    return {sheet.get("name"): targets[sheet.get(RELATIONSHIP)]
            for sheet in workbook.iter(MAIN + "sheet")}


def shared_strings(book):
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    table = ET.fromstring(book.read("xl/sharedStrings.xml"))
    return [text_of(item) for item in table.iter(MAIN + "si")]


def read_sheet(book, path, strings):
    """Return {(row, column): (kind, value, formula)} for every cell of
    the sheet.  KIND is "string" (shared, inline or a formula's string
    result) or "number", with VALUE a Decimal of the stored text.
    FORMULA is the formula text or None."""
    cells = {}
    sheet = ET.fromstring(book.read(path))
    for cell in sheet.iter(MAIN + "c"):
        kind = cell.get("t", "n")
        formula = cell.find(MAIN + "f")
        value = cell.find(MAIN + "v")
        if kind == "s":
            entry = ("string", strings[int(value.text)])
        elif kind == "inlineStr":
            entry = ("string", text_of(cell.find(MAIN + "is")))
        elif kind == "str":
            entry = ("string", value.text or "")
        elif kind == "n":
            entry = ("number", None if value is None else Decimal(value.text))
        else:
            entry = (kind, None if value is None else value.text)
        cells[cell_position(cell.get("r"))] = entry + (
            None if formula is None else formula.text,)
    return cells


def csv_text(value):
    """Undo the apostrophe the CSV writer puts before a leading =, +, -,
    @, tab or carriage return."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expect_text(cells, position, text, where):
    got = cells.get(position)
    assert got is not None, "%s: no cell, expected %r" % (where, text)
    assert got[0] == "string", "%s: %r is not text" % (where, got)
    assert got[1] == text, "%s: %r, expected %r" % (where, got[1], text)
    assert got[2] is None, "%s: formula %r" % (where, got[2])


def expect_amount(cells, position, amount, formula, where):
    got = cells.get(position)
    assert got is not None, "%s: no cell, expected %s" % (where, amount)
    assert got[0] == "number", "%s: %r is not a number" % (where, got)
    # A cell stores the double nearest the amount, which libxlsxwriter
    # 1.1.4 writes with 16 significant digits (8822.14 as
    # 8822.139999999999), so it is within one part in 10^15 of the amount.
    assert abs(got[1] - amount) <= abs(amount) * Decimal("1e-15"), (
        "%s: %s, expected %s" % (where, got[1], amount))
    assert got[2] == formula, "%s: formula %r, expected %r" % (
        where, got[2], formula)


def check_countries(cells, countries, organisations, total):
    codes = [csv_text(row["organisation"]) for row in organisations]
    names = []
    amounts = {}
    for row in countries:
        name = csv_text(row["country"])
        if name not in names:
            names.append(name)
        amounts[name, csv_text(row["organisation"])] = Decimal(row["amount"])
    total_column = len(codes) + 1
    total_row = len(names) + 1
    last_row = total_row  # one-based number of the last country's row

    expect_text(cells, (0, 0), "country", "Countries!A1")
    for k, code in enumerate(codes):
        expect_text(cells, (0, k + 1), code,
                    "Countries!%s1" % column_name(k + 1))
    expect_text(cells, (0, total_column), "total", "Countries header")

    for i, name in enumerate(names):
        row = i + 1
        expect_text(cells, (row, 0), name, "Countries!A%d" % (row + 1))
        for k, code in enumerate(codes):
            where = "Countries!%s%d (%s, %s)" % (
                column_name(k + 1), row + 1, name, code)
            if (name, code) in amounts:
                expect_amount(cells, (row, k + 1), amounts[name, code],
                              None, where)
            else:
                assert (row, k + 1) not in cells, (
                    "%s: %r where the CSV has no row" %
                    (where, cells[row, k + 1]))
        country_sum = sum(amount for (country, _), amount in amounts.items()
                          if country == name)
        expect_amount(cells, (row, total_column), country_sum,
                      "SUM(B%d:%s%d)" % (row + 1, column_name(len(codes)),
                                         row + 1),
                      "Countries total of %s" % name)

    expect_text(cells, (total_row, 0), "total", "Countries total row")
    for k, organisation in enumerate(organisations):
        letter = column_name(k + 1)
        expect_amount(cells, (total_row, k + 1),
                      Decimal(organisation["amount"]),
                      "SUM(%s2:%s%d)" % (letter, letter, last_row),
                      "Countries total of %s" % codes[k])
    letter = column_name(total_column)
    expect_amount(cells, (total_row, total_column), total,
                  "SUM(%s2:%s%d)" % (letter, letter, last_row),
                  "Countries grand total")
    # The header and total rows are full.  A country's row has its name,
    # its amounts and its total.
    assert len(cells) == 2 * (len(codes) + 2) + 2 * len(names) + len(
        amounts), "Countries has extra cells"


def check_shares(cells, organisations, total):
    for k, name in enumerate(["organisation", "countries", "amount"]):
        expect_text(cells, (0, k), name, "Shares header")
    for i, organisation in enumerate(organisations):
        row = i + 1
        code = csv_text(organisation["organisation"])
        expect_text(cells, (row, 0), code, "Shares!A%d" % (row + 1))
        expect_amount(cells, (row, 1), Decimal(organisation["countries"]),
                      None, "Shares countries of %s" % code)
        expect_amount(cells, (row, 2), Decimal(organisation["amount"]),
                      None, "Shares amount of %s" % code)
    row = len(organisations) + 1
    expect_text(cells, (row, 0), "total", "Shares total row")
    expect_amount(cells, (row, 2), total, "SUM(C2:C%d)" % row,
                  "Shares total")
    assert len(cells) == 3 * (len(organisations) + 1) + 2, (
        "Shares has extra cells")


def main():
    out, total = sys.argv[1], Decimal(sys.argv[2].replace(",", ""))
    book = zipfile.ZipFile(out + "/costshare.xlsx")
    paths = sheet_paths(book)
    strings = shared_strings(book)
    names = list(paths)
    assert names[:3] == ["Shares", "Countries", "Lines"], names
    assert names[-1] == "Method", names

    organisations = read_csv(out + "/lcssb_organisations.csv")
    countries = read_csv(out + "/lcssb_countries.csv")
    assert sum(Decimal(row["amount"]) for row in organisations) == total, (
        "lcssb_organisations.csv does not sum to %s" % total)
    check_shares(read_sheet(book, paths["Shares"], strings), organisations,
                 total)
    check_countries(read_sheet(book, paths["Countries"], strings), countries,
                    organisations, total)

    method = read_sheet(book, paths["Method"], strings)
    assert any(kind == "string" and "lcssb_lines.csv" in value
               for kind, value, _ in method.values()), (
        "Method does not name lcssb_lines.csv")


if __name__ == "__main__":
    main()
