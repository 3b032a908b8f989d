"""Read a user's score table (CSV or XLSX; bytes or a path) into cells with Excel coordinates.

CSV text is decoded as UTF-8 (with or without BOM), then GB18030 (a superset of GBK/GB2312);
UTF-16 with a BOM (Excel's "Unicode text") is accepted too. The delimiter is the most frequent of
``,``, tab and ``;`` in the first lines. The header is the first of the first ``HEADER_SCAN_ROWS``
rows naming a city or adcode column, so title rows above it are skipped. Row numbers are the ones
Excel shows (1-based, title rows counted). Problems with the whole file raise ``FileProblem``.
A file named .xlsx that is no ZIP is read as CSV if it is one (a renamed CSV); otherwise it is
reported as not a valid Excel file (``not_xlsx``), not as whatever the CSV reader tripped over.
A CSV cell may be as long as the file. An XLSX formula saved without its computed value (a file
written by a script) is read as a ``Formula`` holding the formula text, never as a blank.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.formula.tokenizer import TokenizerError
from openpyxl.formula.translate import Translator
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string

from dei_geo.core import columns

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 500
HEADER_SCAN_ROWS = 10
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE2 files)
_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")  # <f>, <f t="shared" …/>, <x:f>


class Formula(str):
    """A formula cell saved without its computed value (written by a script; Excel and WPS store
    the result). The text is the formula, e.g. ``=90+2.9``."""


class FileProblem(ValueError):
    """The file as a whole cannot be used; ``code`` keys the i18n message, ``params`` fill it."""

    def __init__(self, code: str, file: str, sheet: str | None = None, row: int | None = None,
                 **params):
        self.code, self.file, self.sheet, self.row, self.params = code, file, sheet, row, params
        super().__init__(f"{file}: {code} {params}" if params else f"{file}: {code}")


@dataclass(frozen=True)
class RawTable:
    """Cells as read: ``header`` at Excel row ``header_row``, then ``rows`` of (Excel row, cells)."""

    file: str
    header_row: int
    header: list
    rows: list[tuple[int, list]]
    sheet: str | None = None
    encoding: str | None = None
    sheets: list[str] = field(default_factory=list)

    def letter(self, index: int) -> str:
        """The Excel column letter of the 0-based column ``index`` (0 → A)."""
        return get_column_letter(index + 1)


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f}"


def _bytes(source, name: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        name = name or "upload"
        if len(source) > max_bytes:
            raise FileProblem("too_large", name, size=_mb(len(source)), limit=_mb(max_bytes))
        return bytes(source), name
    path = Path(source)
    name = name or path.name
    if not path.is_file():
        raise FileProblem("not_found", name)
    size = path.stat().st_size
    if size > max_bytes:
        raise FileProblem("too_large", name, size=_mb(size), limit=_mb(max_bytes))
    return path.read_bytes(), name


def is_xlsx(data: bytes) -> bool:
    """An XLSX (or any ZIP) file, whatever its extension says."""
    return data[:4] == b"PK\x03\x04"


def _workbook(data: bytes, name: str):
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # zipfile, KeyError, XML and openpyxl's own errors for broken parts
        raise FileProblem("bad_xlsx", name, error=type(err).__name__) from None


def sheet_names(source, name: str | None = None, max_bytes: int = MAX_BYTES) -> list[str]:
    """The worksheet names of an XLSX file; ``[]`` for CSV."""
    data, name = _bytes(source, name, max_bytes)
    if not is_xlsx(data):
        return []
    wb = _workbook(data, name)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise FileProblem("bad_encoding", name) from None
    for encoding, shown in (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
            shown = "UTF-8 (BOM)"
        return text, shown
    raise FileProblem("bad_encoding", name)


def _field_limit(max_bytes: int) -> int:
    """Raise the csv module's field limit (process-wide, so never lowered) to the file-size limit:
    a cell may be as long as the file (a 200 KB note)."""
    limit = max(csv.field_size_limit(), max_bytes)
    csv.field_size_limit(limit)
    return limit


def _long_field(record: str, delimiter: str, limit: int) -> int:
    """The 0-based column of the first field longer than ``limit`` in a raw CSV record."""
    column, length, quoted = 0, 0, False
    for ch in record:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            column, length = column + 1, 0
        elif (length := length + 1) > limit:
            break
    return column


def _csv_rows(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> tuple[list[list], str]:
    text, encoding = _decode(data, name)
    head = text[:20_000].splitlines()[:20]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in head))
    limit = _field_limit(max_bytes)
    rows: list[list] = []
    record: list[str] = []  # the lines of the record being read

    def lines():
        for line in io.StringIO(text, newline=""):
            record.append(line)
            yield line

    try:
        for cells in csv.reader(lines(), delimiter=delimiter):
            rows.append(cells)
            record.clear()
    except csv.Error as err:
        if "field limit" in str(err):
            column = get_column_letter(_long_field("".join(record), delimiter, limit) + 1)
            raise FileProblem("cell_too_long", name, row=len(rows) + 1, column=column,
                              limit=f"{limit:,}") from None
        raise FileProblem("bad_csv", name, row=len(rows) + 1, error=str(err)) from None
    return rows, encoding


def _find_header(rows) -> int | None:
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(columns.match(c) in (columns.CITY, columns.ADCODE) for c in cells):
            return i
    return None


def _metric_header_row(rows) -> int | None:
    metrics = set(columns.metrics())
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(columns.match(c) in metrics for c in cells):
            return i
    return None


def _trim(cells) -> list:
    """A row without its trailing blank cells (sheets formatted out to column XFD have many)."""
    cells = list(cells)
    while cells and not _filled(cells[-1]):
        cells.pop()
    return cells


def _xlsx_rows(ws, name: str) -> list[list]:
    rows, filled = [], 0
    for cells in ws.iter_rows(values_only=True):
        rows.append(_trim(cells[:MAX_COLUMNS + 1]))
        filled += bool(rows[-1])
        if filled > MAX_ROWS + HEADER_SCAN_ROWS:  # enough to report "too many rows"
            break
    try:
        uncomputed = _uncomputed(ws)
    except (ET.ParseError, ValueError) as err:  # openpyxl's own read was more lenient
        raise FileProblem("bad_xlsx", name, error=type(err).__name__) from None
    for (r, c), formula in uncomputed.items():
        if r <= len(rows) and c <= MAX_COLUMNS:
            cells = rows[r - 1]
            cells.extend([None] * (c + 1 - len(cells)))
            if cells[c] is None:
                cells[c] = Formula(formula)
    return rows


def _has_formula(source) -> bool:
    """Whether a sheet's XML (a binary stream) holds any formula; a byte scan, no parsing."""
    tail = b""
    while chunk := source.read(1 << 20):
        if _FORMULA_TAG.search(tail + chunk):
            return True
        tail = chunk[-8:]
    return False


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _translate(formula: str, origin: str, ref: str) -> str:
    """A shared formula as it reads in cell ``ref`` (as written in ``origin``, if it cannot be)."""
    try:
        return Translator("=" + formula, origin).translate_formula(ref)[1:]
    except (TokenizerError, ValueError, IndexError):  # a formula openpyxl cannot parse
        return formula


def _uncomputed(ws) -> dict[tuple[int, int], str]:
    """(Excel row, 0-based column) → formula, for each formula cell of the read-only sheet ``ws``
    saved without a computed value. openpyxl's data_only read gives None for these and for a
    formula whose result is empty text (``t="str"``, empty ``<v>``), so the sheet's XML is read
    again (through openpyxl's own ``_get_source``), and only when it holds formulas at all."""
    with ws._get_source() as src:
        if not _has_formula(src):
            return {}
    found: dict[tuple[int, int], str] = {}
    shared: dict[str, tuple[str, str]] = {}  # shared-formula id → (formula, its cell)
    row = 0
    with ws._get_source() as src:
        for _, el in ET.iterparse(src):
            if _local(el.tag) != "row":
                continue
            row, col = int(el.get("r") or row + 1), 0
            for cell in el:
                ref = cell.get("r")
                col = column_index_from_string(coordinate_from_string(ref)[0]) if ref else col + 1
                parts = {_local(child.tag): child for child in cell}
                f, v = parts.get("f"), parts.get("v")
                if f is None:
                    continue
                text, si = f.text, f.get("si")
                if text and si is not None:
                    shared[si] = (text, ref)
                elif not text and si in shared and ref:
                    text = _translate(*shared[si], ref)
                if v is None or not (v.text or cell.get("t") == "str"):
                    found[(row, col - 1)] = "=" + (text or "")
            el.clear()
    return found


def _table(rows: list[list], name: str, sheet: str | None, **kw) -> RawTable:
    rows = [_trim(r) for r in rows]
    while rows and not rows[-1]:  # trailing blank rows (formatted but empty) are no data
        rows.pop()
    if not rows:
        raise FileProblem("empty_file", name, sheet)
    start = _find_header(rows)
    if start is None:
        found = _metric_header_row(rows)
        if found is not None:
            raise FileProblem("missing_city_column", name, sheet, row=found + 1)
        raise FileProblem("no_header", name, sheet, rows=HEADER_SCAN_ROWS)
    header = list(rows[start])
    if len(header) > MAX_COLUMNS:
        raise FileProblem("too_many_columns", name, sheet, limit=MAX_COLUMNS)
    body = [(start + 2 + i, r) for i, r in enumerate(rows[start + 1:])]
    filled = sum(bool(r) for _, r in body)
    if filled > MAX_ROWS:
        raise FileProblem("too_many_rows", name, sheet, limit=MAX_ROWS)
    if not filled:
        raise FileProblem("no_data_rows", name, sheet, row=start + 1)
    return RawTable(file=name, header_row=start + 1, header=header, rows=body, sheet=sheet, **kw)


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def read(source, name: str | None = None, sheet: str | None = None,
         max_bytes: int = MAX_BYTES) -> RawTable:
    """Read ``source`` (bytes or a path; ``name`` is used in messages) into a ``RawTable``.

    XLSX: ``sheet`` by name; without it, the first sheet with a recognised header is read.
    """
    data, name = _bytes(source, name, max_bytes)
    if not data.strip():
        raise FileProblem("empty_file", name)
    if data.startswith(_OLE):
        raise FileProblem("legacy_xls", name)
    if not is_xlsx(data):
        ext = Path(name).suffix.lower()
        fake = ext in _XLSX_SUFFIXES  # named .xlsx but no ZIP inside
        if sheet:
            raise FileProblem("not_xlsx" if fake else "sheet_in_csv", name, sheet=sheet, ext=ext)
        try:
            rows, encoding = _csv_rows(data, name, max_bytes)
            return _table(rows, name, None, encoding=encoding)
        except FileProblem:
            if fake:  # random bytes, or a renamed CSV that does not read as one either
                raise FileProblem("not_xlsx", name, ext=ext) from None
            raise
    wb = _workbook(data, name)
    try:
        names = list(wb.sheetnames)
        if sheet is not None:
            if sheet not in names:
                raise FileProblem("sheet_not_found", name, sheet=sheet, sheets=names)
            return _table(_xlsx_rows(wb[sheet], name), name, sheet, sheets=names)
        problems = []
        for candidate in names:
            try:
                return _table(_xlsx_rows(wb[candidate], name), name, candidate, sheets=names)
            except FileProblem as problem:
                problems.append(problem)
        if len(problems) == 1:
            raise problems[0]
        raise FileProblem("no_sheet_with_header", name, sheets=names,
                          rows=HEADER_SCAN_ROWS)
    finally:
        wb.close()
