"""Read a user's score table (CSV or XLSX; bytes or a path) into cells with Excel coordinates.

CSV text is decoded as UTF-8 (with or without BOM), then GB18030 (a superset of GBK/GB2312);
UTF-16 with a BOM (Excel's "Unicode text") is accepted too. The delimiter is the most frequent of
``,``, tab and ``;`` in the first lines. The header is the first of the first ``HEADER_SCAN_ROWS``
rows naming a city or adcode column, so title rows above it are skipped. Row numbers are the ones
Excel shows (1-based, title rows counted). Problems with the whole file raise ``FileProblem``.
A file named .xlsx that is no ZIP is read as CSV if it is one (a renamed CSV); otherwise it is
reported as not a valid Excel file (``not_xlsx``), not as whatever the CSV reader tripped over.
A CSV cell may be as long as ``limits.MAX_CELL_CHARS``. An XLSX formula saved without its computed
value (a file written by a script) is read as a ``Formula`` holding the formula text, never as a blank.

Every bound comes from ``limits`` and is checked before the cost it bounds is paid: the file is read
at most ``MAX_BYTES`` + 1 bytes; an XLSX's parts are refused by their decompressed size and the
chosen sheet by its stored cells (a byte scan of its XML) before openpyxl's streaming parser reads
it. Big5 text and UTF-16 without a BOM are recognised; a NUL byte is dropped (and noted); an
unclosed quote is reported at the line where it opens: one still open at the end of the file here,
one closed lines later by another stray quote by ``validate`` (a city or score cell holding line
breaks, from ``RawTable.lines``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.formula.tokenizer import TokenizerError
from openpyxl.formula.translate import Translator
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet._reader import WorkSheetParser

from dei_geo.core import columns, counties
from dei_geo.sources import limits

MAX_BYTES = limits.MAX_BYTES  # read here (at call time), so that tests may lower them
MAX_ROWS = limits.MAX_ROWS
MAX_COLUMNS = limits.MAX_COLUMNS
MAX_CELL_CHARS = limits.MAX_CELL_CHARS
MAX_XLSX_UNZIPPED = limits.MAX_XLSX_UNZIPPED
MAX_XLSX_CELLS = limits.MAX_XLSX_CELLS
XLSX_ROW_CELLS = 16_384  # Excel's own column limit: no real row stores more cells
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
        self.sheets: list[str] = []  # the workbook's sheets, when it is one
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
    notes: list[tuple[str, int | None, dict]] = field(default_factory=list)  # (code, row, params) warnings
    hidden: bool = False  # the sheet read is hidden in Excel
    # CSV: Excel row → (first, last) text line, for the rows read from several lines (a quoted cell
    # with line breaks: a note, or a stray quote that swallowed the lines up to another one)
    lines: dict[int, tuple[int, int]] = field(default_factory=dict)

    def letter(self, index: int) -> str:
        """The Excel column letter of the 0-based column ``index`` (0 → A)."""
        return get_column_letter(index + 1)


def _sizes(size: int, limit: int) -> dict:
    """Exact bytes and MB of a size and its limit: "10,485,761 (10.00 MB) over 10,485,760 (10.00 MB)"
    where "10.0 MB over 10.0 MB" said nothing."""
    return {"size": f"{size:,}", "size_mb": f"{size / 2**20:.2f}",
            "limit": f"{limit:,}", "limit_mb": f"{limit / 2**20:.2f}"}


def _too_large(name: str, size: int, max_bytes: int) -> FileProblem:
    return FileProblem("too_large", name, **_sizes(size, max_bytes))


def _bytes(source, name: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        name = name or "upload"
        if len(source) > max_bytes:
            raise _too_large(name, len(source), max_bytes)
        return bytes(source), name
    path = Path(source)
    name = name or path.name
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FileProblem("not_found", name) from None
    except OSError as err:
        raise FileProblem("unreadable", name, reason=_reason(err)) from None
    if stat.S_ISDIR(mode):
        raise FileProblem("is_directory", name)
    if not stat.S_ISREG(mode):  # /dev/zero, a FIFO, a socket: could be endless
        raise FileProblem("not_regular_file", name)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # never more, whatever the size said
    except OSError as err:
        raise FileProblem("unreadable", name, reason=_reason(err)) from None
    if len(data) > max_bytes:
        raise _too_large(name, max(path.stat().st_size, len(data)), max_bytes)
    return data, name


def _reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


def is_xlsx(data: bytes) -> bool:
    """An XLSX (or any ZIP) file, whatever its extension says."""
    return data[:4] == b"PK\x03\x04"


class _Tags:
    """Count the start tags ``<row`` and ``<c`` in a streamed worksheet XML (any namespace prefix),
    without parsing: the most cells in one row and in all. Blocks are cut before their last ``<``,
    so that no tag is split between two blocks."""

    def __init__(self):
        self.rows = self.cells = self.row_max = self.current = 0
        self.prefix: bytes | None = None

    def feed(self, block: bytes) -> None:
        if self.prefix is None:
            found = re.search(rb"<(\w+:)?(?:worksheet|sst)\b", block)
            self.prefix = found.group(1) or b"" if found else b""
        p = self.prefix
        pieces = block.split(b"<" + p + b"row")
        for k, piece in enumerate(pieces):
            if k:
                self.rows += 1
                self.current = 0
            n = piece.count(b"<" + p + b"c ") + piece.count(b"<" + p + b"c>") + piece.count(b"<" + p + b"c/")
            n += piece.count(b"<" + p + b"si>") + piece.count(b"<" + p + b"si ")  # shared strings
            self.cells += n
            self.current += n
            self.row_max = max(self.row_max, self.current)


def _scan(source, limit: int, name: str, sheet: str | None = None) -> _Tags:
    """Count the tags of an XML part (a binary stream), stopping as soon as ``limit`` cells (or
    ``XLSX_ROW_CELLS`` in one row) are passed."""
    tags, tail = _Tags(), b""
    while chunk := source.read(1 << 20):
        block = tail + chunk
        cut = block.rfind(b"<")
        block, tail = (block[:cut], block[cut:]) if cut > 0 else (block, b"")
        tags.feed(block)
        if tags.cells > limit or tags.row_max > XLSX_ROW_CELLS:
            break
    tags.feed(tail)
    if tags.cells > limit or tags.row_max > XLSX_ROW_CELLS:
        raise FileProblem("xlsx_too_many_cells", name, sheet, limit=f"{limit:,}")
    return tags


def _check_zip(data: bytes, name: str) -> None:
    """Refuse a zip bomb by what its central directory declares (zipfile never inflates a part
    beyond its declared size: a lie ends in a CRC error, reported as a broken file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            if len(infos) > limits.MAX_XLSX_PARTS or total > MAX_XLSX_UNZIPPED:
                raise FileProblem("xlsx_too_large", name, **_sizes(total, MAX_XLSX_UNZIPPED))
            # shared strings are read whole by openpyxl when it opens the file, and a sheet without a
            # <dimension> element is parsed whole just to size it: count their cells before that
            parts = [i for i in infos if i.filename.lower().endswith("sharedstrings.xml")
                     or i.filename.lower().startswith("xl/worksheets/")]
            for info in parts:
                with archive.open(info) as src:
                    _scan(src, MAX_XLSX_CELLS, name)
    except FileProblem:
        raise
    except Exception as err:  # BadZipFile, a lying CRC, zlib errors
        raise FileProblem("bad_xlsx", name, error=type(err).__name__) from None


def _workbook(data: bytes, name: str):
    _check_zip(data, name)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # zipfile, KeyError, XML and openpyxl's own errors for broken parts
        raise FileProblem("bad_xlsx", name, error=type(err).__name__) from None


def sheet_names(source, name: str | None = None, max_bytes: int = MAX_BYTES) -> list[str]:
    """The worksheet names of an XLSX file; ``[]`` for CSV. (``RawTable.sheets`` and
    ``validate.Report.sheets`` carry them too: no need to open a file twice.)"""
    data, name = _bytes(source, name, max_bytes)
    if not is_xlsx(data):
        return []
    wb = _workbook(data, name)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


_WHOLE_FILE = ("xlsx_too_many_cells", "too_many_rows", "too_many_columns", "bad_xlsx")


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the first bytes look like UTF-16 text saved without a BOM: most
    odd (LE) or even (BE) bytes are NUL, as in ASCII and Latin text, and the other half is not."""
    head = data[:4000]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    share_even, share_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if share_odd > 0.3 and share_even < 0.05:
        return "utf-16-le"
    if share_even > 0.3 and share_odd < 0.05:
        return "utf-16-be"
    return None


def _looks_like_big5(data: bytes, gb_text: str) -> bool:
    """A Big5 (traditional Chinese) file also decodes as GB18030, into nonsense: it is Big5 when it
    decodes as Big5 (cp950) and only that reading has a header row."""
    try:
        big5 = data.decode("cp950")
    except UnicodeDecodeError:
        return False
    def header(text):
        return _find_header(list(csv.reader(io.StringIO(text[:20_000], newline=""))))
    return header(gb_text) is None and header(big5) is not None


def _decode(data: bytes, name: str) -> tuple[str, str, list]:
    """(text, encoding as shown, notes)."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError:
            raise FileProblem("bad_encoding", name) from None
    wide = _utf16_without_bom(data)
    if wide:
        try:
            return data.decode(wide), wide.upper().replace("UTF-16-", "UTF-16 "), []
        except UnicodeDecodeError:
            raise FileProblem("bad_encoding", name) from None
    for encoding, shown in (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        notes = []
        if "\x00" in text:  # a stray NUL (a broken export): dropped, said where
            if text.count("\x00") > max(8, len(text) // 1000):
                break  # a binary file, not text
            line = text.count("\n", 0, text.index("\x00")) + 1
            notes.append(("nul_removed", line, {"line": line, "n": text.count("\x00")}))
            text = text.replace("\x00", "")
        if encoding == "gb18030" and _looks_like_big5(data, text):
            raise FileProblem("big5", name)
        if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
            shown = "UTF-8 (BOM)"
        return text, shown, notes
    raise FileProblem("bad_encoding", name)


def _field_limit(max_bytes: int) -> int:
    """Set the csv module's field limit (process-wide) to ``MAX_CELL_CHARS`` (a 200 KB note is
    fine), never below what another caller set."""
    limit = max(csv.field_size_limit(), MAX_CELL_CHARS)
    csv.field_size_limit(limit)
    return MAX_CELL_CHARS


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


def _csv_rows(data: bytes, name: str, max_bytes: int = MAX_BYTES
              ) -> tuple[list[list], str, list, dict[int, tuple[int, int]]]:
    text, encoding, notes = _decode(data, name)
    head = text[:20_000].splitlines()[:20]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in head))
    limit = _field_limit(max_bytes)
    rows: list[list] = []
    spans: dict[int, tuple[int, int]] = {}  # row → (first, last) text line, when they differ
    record: list[str] = []  # the lines of the record being read
    line_no = [0, 1, False]  # lines read, the line where the current record starts, at the end

    def lines():
        for line in io.StringIO(text, newline=""):
            record.append(line)
            line_no[0] += 1
            yield line
        line_no[2] = True

    same: dict[str, str] = {}  # one string object per distinct cell text: 5 M cells of "90" are one

    try:
        for cells in csv.reader(lines(), delimiter=delimiter):
            cells = [same.setdefault(c, c) if len(c) < 16 else c for c in cells]
            if line_no[2] and any('"' in x for x in record) and _open_quote("".join(record), delimiter) is not None:
                break  # the reader reached the end of the file inside quotes: reported below
            rows.append(cells)
            if line_no[0] > line_no[1]:
                spans[len(rows)] = (line_no[1], line_no[0])
            record.clear()
            line_no[1] = line_no[0] + 1
            if len(cells) > MAX_COLUMNS:
                raise FileProblem("too_many_columns", name, row=len(rows), limit=f"{MAX_COLUMNS:,}")
    except csv.Error as err:
        if "field limit" in str(err):
            column = get_column_letter(_long_field("".join(record), delimiter, limit) + 1)
            raise FileProblem("cell_too_long", name, row=len(rows) + 1, column=column,
                              limit=f"{limit:,}") from None
        raise FileProblem("bad_csv", name, row=len(rows) + 1, line=line_no[1]) from None
    if record:  # an opening quote never closed swallowed the rest of the file
        column = get_column_letter(_open_quote("".join(record), delimiter) + 1)
        raise FileProblem("unclosed_quote", name, row=len(rows) + 1, column=column, line=line_no[1],
                          last=line_no[0])
    return rows, encoding, notes, spans


def _open_quote(record: str, delimiter: str) -> int | None:
    """The 0-based column of a field whose opening quote is still open at the end of ``record``
    (as the csv module reads it: a quote opens a field only at its start; ``""`` inside is one
    quote), or None."""
    column, state = 0, "start"  # start of a field, inside quotes, after a closing quote / plain text
    i, n = 0, len(record)
    while i < n:
        ch = record[i]
        if state == "quoted":
            if ch == '"':
                if i + 1 < n and record[i + 1] == '"':
                    i += 1
                else:
                    state = "plain"
        elif ch == delimiter:
            column, state = column + 1, "start"
        elif ch in "\r\n":
            state = "start"
        elif state == "start":
            state = "quoted" if ch == '"' else "plain"
        i += 1
    return column if state == "quoted" else None


def _find_header(rows) -> int | None:
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(columns.match(c) in (columns.CITY, columns.ADCODE) or counties.is_county_header(c) for c in cells):
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


def _stream_rows(ws, name: str):
    """(Excel row, values) of the stored rows of a read-only sheet, through openpyxl's streaming
    parser (what ``iter_rows`` uses), after counting its cells: no row is padded beyond
    ``MAX_COLUMNS`` + 1 and no gap of missing rows is filled, whatever the sheet's dimension says."""
    with ws._get_source() as src:  # counted when the file was opened; again, naming the sheet
        _scan(src, MAX_XLSX_CELLS, name, ws.title)
    wb = ws.parent
    width = MAX_COLUMNS + 1
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for idx, cells in parser.parse():
            kept = [c for c in cells if c["column"] <= width]
            values = [None] * (kept[-1]["column"] if kept else 0)
            for c in kept:
                values[c["column"] - 1] = c["value"]
            yield idx, values


def _has_header(ws, name: str) -> bool:
    """Whether a sheet has a city/adcode header in its first rows (read no further)."""
    head = []
    for idx, cells in _stream_rows(ws, name):
        if idx > HEADER_SCAN_ROWS:
            break
        head.append(_trim(cells))
    return _find_header(head) is not None


def _xlsx_rows(ws, name: str) -> list[list]:
    rows, filled = [], 0
    last = MAX_ROWS * 2 + HEADER_SCAN_ROWS  # a row index past this is past any table we accept
    for idx, cells in _stream_rows(ws, name):
        if idx > last:
            if not _trim(cells):
                continue  # formatted far down, no value
            raise FileProblem("too_many_rows", name, ws.title, limit=f"{MAX_ROWS:,}")
        rows.extend([] for _ in range(idx - 1 - len(rows)))  # rows not stored are blank
        rows.append(_trim(cells))
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
    for r in rows:  # trailing blank cells dropped in place (a copy of every row doubled the cost)
        while r and not _filled(r[-1]):
            r.pop()
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
    header, notes = list(rows[start]), list(kw.pop("notes", []))
    below = rows[start + 1] if start + 1 < len(rows) else []
    if _metric_count(below) and not _metric_count(header) and _all_names(below):
        # a two-row header (a merged "得分" over 总分, 数字经济 …): the names below are the columns
        header = [b if _filled(b) else h for h, b in zip([*header, *[None] * len(below)], below)] \
            + header[len(below):]
        notes.append(("two_row_header", start + 2, {"first": start + 1, "second": start + 2}))
        start += 1
    widest = max(range(len(rows)), key=lambda i: len(rows[i]))
    if len(rows[widest]) > MAX_COLUMNS:
        raise FileProblem("too_many_columns", name, sheet, row=widest + 1, limit=f"{MAX_COLUMNS:,}")
    body = [(start + 2 + i, r) for i, r in enumerate(rows[start + 1:])]
    filled = sum(bool(r) for _, r in body)
    if filled > MAX_ROWS:
        raise FileProblem("too_many_rows", name, sheet, limit=f"{MAX_ROWS:,}")
    if not filled:
        raise FileProblem("no_data_rows", name, sheet, row=start + 1)
    return RawTable(file=name, header_row=start + 1, header=header, rows=body, sheet=sheet, notes=notes, **kw)


def _metric_count(cells) -> int:
    metrics = set(columns.metrics())
    return sum(columns.match(c) in metrics for c in cells if _filled(c))


def _all_names(cells) -> bool:
    """Whether every filled cell of a row is a column name (a second header row, not data)."""
    return all(columns.match(c) is not None for c in cells if _filled(c))


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
            rows, encoding, notes, spans = _csv_rows(data, name, max_bytes)
            return _table(rows, name, None, encoding=encoding, notes=notes, lines=spans)
        except FileProblem:
            if fake:  # random bytes, or a renamed CSV that does not read as one either
                raise FileProblem("not_xlsx", name, ext=ext) from None
            raise
    wb = _workbook(data, name)
    try:
        names = list(wb.sheetnames)
        hidden = {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"}
        try:
            if sheet is not None:
                if sheet not in names:
                    raise FileProblem("sheet_not_found", name, sheet=sheet, sheets=names)
                return _table(_xlsx_rows(wb[sheet], name), name, sheet, sheets=names,
                              hidden=sheet in hidden)
            problems = []
            # visible sheets first: a hidden sheet is read only when no visible one has a table
            order = sorted(names, key=lambda n: n in hidden)
            for k, candidate in enumerate(order):
                try:
                    table = _table(_xlsx_rows(wb[candidate], name), name, candidate, sheets=names,
                                   hidden=candidate in hidden)
                except FileProblem as problem:
                    if problem.code in _WHOLE_FILE:  # a bound passed: never try the next sheet
                        raise
                    problems.append(problem)
                    continue
                others = [n for n in order[k + 1:] if n not in hidden and _has_header(wb[n], name)]
                if others:  # the choice was not obvious: say which sheet was read
                    table.notes.append(("other_sheets", None, {"sheets": others}))
                return table
            if len(problems) == 1:
                raise problems[0]
            raise FileProblem("no_sheet_with_header", name, sheets=names,
                              rows=HEADER_SCAN_ROWS)
        except FileProblem as problem:
            problem.sheets = names
            raise
    finally:
        wb.close()
