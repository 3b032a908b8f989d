"""The hostile-input corpus (issue 16): small files committed here, big ones made on demand.

``python tests/corpus/build.py`` rewrites the small files in this folder (deterministic bytes);
``tests/sources/test_corpus.py`` reads each and ``bench/bench_limits.py`` times the big ones, made by
the ``big_*`` functions below (10 MB CSVs, XLSX zip bombs) into a folder of the caller's choice.
XLSX files are written part by part with ``zipfile`` (no openpyxl), so that a bomb of 600 MB of XML
costs a few seconds and a few MB to make.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED = (2024, 1, 1, 0, 0, 0)  # zip timestamps: the same bytes on every run

_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/>{sheets}{sst}</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-'
               'officedocument.spreadsheetml.worksheet+xml"/>')
_SST_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.sharedStrings+xml"/>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        '{kind}" Target="{target}"/>')


_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {_NS}><fonts count="1"><font/></fonts>'
           '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
           '<borders count="1"><border/></borders>'
           '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/>'
           '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs><cellStyles count="1">'
           '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')  # style 1: a date


def xlsx(sheets: list[tuple[str, object]], shared=None, hidden: tuple[str, ...] = ()) -> bytes:
    """An XLSX of ``sheets`` [(name, XML body)], each body a str or an iterable of str chunks
    (the ``<sheetData>`` content); ``shared``: the shared-strings items (str or chunks), if any."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name, chunks):
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as fh:
                for chunk in [chunks] if isinstance(chunks, str) else chunks:
                    fh.write(chunk.encode("utf-8"))
        types = "".join(_SHEET_TYPE.format(n=i + 1) for i in range(len(sheets)))
        put("[Content_Types].xml", _TYPES.format(sheets=types, sst=_SST_TYPE if shared is not None else ""))
        put("_rels/.rels", _RELS)
        entries = "".join(f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"'
                          + (' state="hidden"' if name in hidden else "") + "/>"
                          for i, (name, _) in enumerate(sheets))
        put("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} {_R}><sheets>{entries}'
                               "</sheets></workbook>")
        rels = "".join(_REL.format(n=i + 1, kind="worksheet", target=f"worksheets/sheet{i + 1}.xml")
                       for i in range(len(sheets)))
        if shared is not None:
            rels += _REL.format(n=len(sheets) + 1, kind="sharedStrings", target="sharedStrings.xml")
        rels += _REL.format(n=len(sheets) + 2, kind="styles", target="styles.xml")
        put("xl/styles.xml", _STYLES)
        put("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
            f'schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (_, body) in enumerate(sheets):
            head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'
            put(f"xl/worksheets/sheet{i + 1}.xml",
                [head, *([body] if isinstance(body, str) else body), "</sheetData></worksheet>"])
        if shared is not None:
            put("xl/sharedStrings.xml", [f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}>',
                                         *([shared] if isinstance(shared, str) else shared), "</sst>"])
    return out.getvalue()


def _cell(ref: str, value) -> str:
    if isinstance(value, str):
        text = value.replace("&", "&amp;").replace("<", "&lt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def rows_xml(rows: list[list], start: int = 1) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(f'<row r="{r}">' + "".join(_cell(f"{letters[j]}{r}", v) for j, v in enumerate(row)
                                            if v is not None) + "</row>"
                   for r, row in enumerate(rows, start=start))


# --- the big ones (made in the test or the benchmark) --------------------------------------------

CITIES = ["杭州", "宁波", "温州", "成都", "北京"]


def big_duplicates_csv(target: int = 9_900_000, scores: int = 1, note: bool = False) -> bytes:
    """~``target`` bytes, 99,999 rows cycling through a few cities (every row a duplicate)."""
    head = ["城市", "总分", "数字基础设施", "数字经济", "数字社会"][:1 + scores] + (["备注"] if note else [])
    lines = [",".join(head)]
    per_row = target // 99_999
    for i in range(99_999):
        row = [CITIES[i % len(CITIES)], *(f"{50 + i % 40}.5" for _ in range(scores))]
        line = ",".join(row)
        if note:
            line += "," + "备" * max(0, (per_row - len(line.encode()) - 2) // 3)
        lines.append(line)
    return ("\n".join(lines) + "\n").encode()


def big_invalid_csv(target: int = 9_900_000) -> bytes:
    """Every row rejected, every recognised score column of every row wrong: the most issues per byte."""
    from dei_geo.core import columns

    metrics = list(columns.metrics())
    head = ",".join(["城市", *metrics])
    row = ",".join(["杭洲", *["x"] * len(metrics)])
    n = (target - len(head)) // (len(row) + 1)
    return (head + "\n" + "\n".join([row] * n) + "\n").encode()


def big_wide_csv(target: int = 9_900_000, width: int = 500) -> bytes:
    """500 columns (the limit): city, score, then notes; as many rows as fit."""
    head = ",".join(["城市", "总分", *(f"备注{j}" for j in range(width - 2))])
    rows = [",".join([CITIES[i % len(CITIES)], "90", *["ab"] * (width - 2)]) for i in range(5)]
    n = (target - len(head)) // (len(rows[0]) + 1)
    return (head + "\n" + "\n".join(rows[i % 5] for i in range(n)) + "\n").encode()


def big_long_cells_csv(target: int = 9_900_000, cell: int = 990_000) -> bytes:
    """Cells just under ``MAX_CELL_CHARS``: a note per row, and city cells that long (unknown)."""
    out = ["城市,总分,备注"]
    size, i = 0, 0
    while size < target - 2 * cell:
        city = CITIES[i % 5] if i % 2 else "杭" * (cell // 3)
        line = f"{city},90,{'长' * (cell // 3)}"
        out.append(line)
        size += len(line.encode())
        i += 1
    return ("\n".join(out) + "\n").encode()


def bomb_wide_row(cells: int = 40_000_000) -> bytes:
    """One row of ``cells`` cells (a 1–2 MB file)."""
    def body():
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>城市</t></is></c>'
        chunk = "<c><v>1</v></c>" * 100_000
        for _ in range(cells // 100_000):
            yield chunk
        yield "</row>"
    return xlsx([("s", body())])


def bomb_shared_strings(size: int = 600_000_000) -> bytes:
    """A 600 MB shared-strings table behind a two-row sheet."""
    item = "<si><t>" + "a" * 990 + "</t></si>"
    sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return xlsx([("s", sheet)], shared=(item for _ in range(size // len(item))))


def bomb_rows(rows: int = 8_000_000) -> bytes:
    """``rows`` filled rows of two cells."""
    def body():
        yield rows_xml([["城市", "总分"]])
        for start in range(2, rows + 2, 100_000):
            n = min(start + 100_000, rows + 2) - start  # no r="…": the rows compress to nothing
            yield "<row><c><v>330100</v></c><c><v>90</v></c></row>" * n
    return xlsx([("s", body())])


def xlsx_at_cell_limit(cells: int) -> bytes:
    """The largest sheet accepted: ``cells`` stored cells in rows of 10 (city, score, 8 notes)."""
    def body():
        yield rows_xml([["城市", "总分", *(f"n{j}" for j in range(8))]])
        per = 10
        for start in range(2, cells // per + 1, 10_000):
            yield "".join(f'<row r="{r}"><c r="A{r}"><v>330100</v></c><c r="B{r}"><v>90</v></c>'
                          + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in "CDEFGHIJ") + "</row>"
                          for r in range(start, min(start + 10_000, cells // per + 1)))
    return xlsx([("s", body())])


# --- the small ones (committed) -------------------------------------------------------------------

def small() -> dict[str, bytes]:
    """file name → bytes of every small corpus file."""
    ok = "城市,总分\n杭州,92.9\n宁波,80.1\n"
    return {
        "big5.csv": "城市,總分\n臺北,90\n廣州,80\n".encode("big5"),
        "utf16le_no_bom.csv": ok.encode("utf-16-le"),
        "utf16be_no_bom.csv": ok.encode("utf-16-be"),
        "nul_byte.csv": "城市,总分\n杭州,92.9\n宁波,8\x000.1\n成都,90.1\n".encode(),
        "unclosed_quote.csv": '城市,总分\n杭州,92.9\n"成都,90.1\n北京,92.4\n'.encode(),
        "quoted_newline_ok.csv": '城市,总分,备注\n杭州,92.9,"两行\n备注"\n宁波,80.1,5"5\n'.encode(),
        "many_duplicates.csv": ("城市,总分\n" + "".join(f"{CITIES[i % 3]},{60 + i % 30}\n" for i in range(300))
                                + "北京,95\n").encode(),
        "date_score.xlsx": xlsx([("得分", rows_xml([["城市", "总分"], ["杭州", 92.9]])
                                  + '<row r="3"><c r="A3" t="inlineStr"><is><t>宁波</t></is></c>'
                                    '<c r="B3" s="1"><v>45047</v></c></row>')], ),
        "hidden_sheet.xlsx": xlsx([("说明", rows_xml([["本文件的说明"]])),
                                   ("隐藏", rows_xml([["城市", "总分"], ["杭州", 92.9]]))], hidden=("隐藏",)),
        "two_data_sheets.xlsx": xlsx([("2023", rows_xml([["城市", "总分"], ["杭州", 92.9]])),
                                      ("2024", rows_xml([["城市", "总分"], ["杭州", 93.5]]))]),
        "merged_header.xlsx": xlsx([("s", rows_xml([["城市", "2024年数字化发展指数", None], [None, "总分", "数字经济"],
                                                     ["杭州", 92.9, 95.2]]))]),
        "wide_row_bomb.xlsx": xlsx([("s", '<row r="1"><c r="A1" t="inlineStr"><is><t>城市</t></is></c>'
                                          + "<c><v>1</v></c>" * 20_000 + "</row>")]),
        "far_row.xlsx": xlsx([("s", rows_xml([["城市", "总分"], ["杭州", 92.9]])
                                + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')]),
    }


def main() -> None:
    for name, data in small().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
