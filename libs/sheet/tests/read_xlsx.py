#!/usr/bin/env python3
"""Reads an .xlsx with the standard library only and prints it as JSON for the tests:

{"title": document title,
 "sheets": [{"name", "frozen_rows" (from <pane ySplit>, 0 without a pane), "autofilter" (its ref),
             "rows": [[cell, ...], ...]}]}

A cell is null when empty, a string for text (shared strings resolved), or
{"number": the <v> text exactly as written, "format": its number format code} for a number.
"""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "dc": "http://purl.org/dc/elements/1.1/",
}
BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}


def text_of(element):
    return "".join(t.text or "" for t in element.iter("{%s}t" % NS["m"]))


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def number_formats(z):
    styles = ET.fromstring(z.read("xl/styles.xml"))
    codes = dict(BUILTIN_FORMATS)
    for fmt in styles.iterfind("m:numFmts/m:numFmt", NS):
        codes[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
    return [codes.get(int(xf.get("numFmtId", "0")), "?")
            for xf in styles.iterfind("m:cellXfs/m:xf", NS)]


def read_sheet(z, path, shared, formats):
    root = ET.fromstring(z.read(path))
    pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
    autofilter = root.find("m:autoFilter", NS)
    rows = []
    for row in root.iterfind("m:sheetData/m:row", NS):
        index = int(row.get("r")) - 1
        while len(rows) <= index:
            rows.append([])
        cells = rows[index]
        for c in row.iterfind("m:c", NS):
            col = column_index(c.get("r"))
            while len(cells) <= col:
                cells.append(None)
            kind = c.get("t", "n")
            v = c.find("m:v", NS)
            if kind == "s":
                cells[col] = shared[int(v.text)]
            elif kind == "inlineStr":
                cells[col] = text_of(c.find("m:is", NS))
            elif kind in ("str", "e"):
                cells[col] = v.text if v is not None else ""
            elif v is not None:
                cells[col] = {"number": v.text, "format": formats[int(c.get("s", "0"))]}
    return {
        "frozen_rows": int(float(pane.get("ySplit", "0"))) if pane is not None else 0,
        "autofilter": autofilter.get("ref") if autofilter is not None else None,
        "rows": rows,
    }


def main(path):
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
            shared = [text_of(si) for si in sst.iterfind("m:si", NS)]
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.iterfind("rel:Relationship", NS)}
        formats = number_formats(z)
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        sheets = []
        for s in workbook.iterfind("m:sheets/m:sheet", NS):
            target = targets[s.get("{%s}id" % NS["r"])].lstrip("/")
            path_in_zip = target if target.startswith("xl/") else "xl/" + target
            sheet = {"name": s.get("name")}
            sheet.update(read_sheet(z, path_in_zip, shared, formats))
            sheets.append(sheet)
        title = None
        if "docProps/core.xml" in names:
            found = ET.fromstring(z.read("docProps/core.xml")).find("dc:title", NS)
            title = found.text if found is not None else None
    json.dump({"title": title, "sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read_xlsx.py FILE.xlsx")
    main(sys.argv[1])
