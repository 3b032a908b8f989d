"""Read a user's score table (CSV or XLSX; bytes or a path) into cells with Excel coordinates.

CSV text is decoded as UTF-8 (with or without BOM), then GB18030 (a superset of GBK/GB2312);
UTF-16 with a BOM (Excel's "Unicode text") is accepted too. The delimiter is the most frequent of
``,``, tab and ``;`` in the first lines. The header is the first of the first ``HEADER_SCAN_ROWS``
rows naming a city or adcode column, so title rows above it are skipped. Row numbers are the ones
Excel shows (1-based, title rows counted). Problems with the whole file raise ``FileProblem``.
A file named .xlsx that is no ZIP is read as CSV if it is one (a renamed CSV); otherwise it is
reported as not a valid Excel file (``not_xlsx``), not as whatever the CSV reader tripped over.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from . import columns

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 500
HEADER_SCAN_ROWS = 10
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE2 files)
_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


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


def _csv_rows(data: bytes, name: str) -> tuple[list[list], str]:
    text, encoding = _decode(data, name)
    head = text[:20_000].splitlines()[:20]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in head))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise FileProblem("bad_csv", name, error=str(err)) from None
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


def _xlsx_rows(ws) -> list[list]:
    rows, filled = [], 0
    for cells in ws.iter_rows(values_only=True):
        rows.append(_trim(cells[:MAX_COLUMNS + 1]))
        filled += bool(rows[-1])
        if filled > MAX_ROWS + HEADER_SCAN_ROWS:  # enough to report "too many rows"
            break
    return rows


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
            rows, encoding = _csv_rows(data, name)
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
            return _table(_xlsx_rows(wb[sheet]), name, sheet, sheets=names)
        problems = []
        for candidate in names:
            try:
                return _table(_xlsx_rows(wb[candidate]), name, candidate, sheets=names)
            except FileProblem as problem:
                problems.append(problem)
        if len(problems) == 1:
            raise problems[0]
        raise FileProblem("no_sheet_with_header", name, sheets=names,
                          rows=HEADER_SCAN_ROWS)
    finally:
        wb.close()
