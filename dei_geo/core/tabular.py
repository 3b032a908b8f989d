"""Display tables to CSV (UTF-8 with BOM, for Chinese Excel) and XLSX, safe against formula injection.

Only text is neutralised: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be run as a formula by Excel. In CSV it gets a leading apostrophe (OWASP's advice);
in XLSX it stays unchanged but is stored as a text cell with Excel's quote prefix, so it is shown
as typed and never evaluated. Numbers — a rank change of -3 included — stay numbers.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dei_geo.core import files

TableFormat = Literal["csv", "xlsx"]
FORMATS: tuple[TableFormat, ...] = ("csv", "xlsx")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def is_risky(value) -> bool:
    """True for text that a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS)


def neutralise(value):
    """``value`` with an apostrophe in front if it is risky text; anything else unchanged."""
    return "'" + value if is_risky(value) else value


def to_csv(table: pd.DataFrame) -> bytes:
    """The table as CSV bytes: UTF-8 with a BOM, header row, no index, risky text neutralised."""
    safe = table.rename(columns=lambda c: neutralise(str(c))).map(neutralise)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _cell_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


def set_cell(cell, value) -> None:
    """Store ``value`` in an openpyxl ``cell``: missing values (None, NaN, NA) as an empty cell,
    numpy scalars as Python numbers, and text always as text — never a formula, whatever it starts
    with; risky text (``is_risky``) keeps Excel's quote prefix. Every XLSX cell dei-geo writes goes
    through here."""
    value = _cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        cell.quotePrefix = is_risky(value)


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", str(name)).strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)  # CJK is double width


def to_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """One worksheet per table (sheet name = key), bold frozen header, widths fitted."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, table in tables.items():
        ws = wb.create_sheet(_sheet_title(name, taken))
        rows = [list(map(str, table.columns))]
        rows += [[_cell_value(v) for v in row] for row in table.itertuples(index=False, name=None)]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                set_cell(cell, value)
                if r == 1:
                    cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for c in range(1, len(rows[0]) + 1):
            widest = max(_width(row[c - 1]) for row in rows)
            ws.column_dimensions[get_column_letter(c)].width = min(max(widest + 2, 6), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(tables: dict[str, pd.DataFrame] | pd.DataFrame, out: Path) -> Path:
    """Write to ``out``: .xlsx takes every table (one sheet each), .csv exactly one table."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if isinstance(tables, pd.DataFrame):
        tables = {out.stem: tables}
    if fmt == "xlsx":
        data = to_xlsx(tables)
    elif fmt == "csv":
        if len(tables) != 1:
            raise ValueError(f"{out}: a CSV file holds one table; got {len(tables)} (use .xlsx)")
        data = to_csv(next(iter(tables.values())))
    else:
        raise ValueError(f"{out}: unsupported table format; choose one of {', '.join(FORMATS)}")
    return files.write_atomic(out, data)  # all or nothing; WriteFailed says why
