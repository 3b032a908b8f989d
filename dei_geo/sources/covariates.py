"""Covariates for the models: any numeric columns of a user's CSV/XLSX, keyed by city (and year).

Read with ``loader.read`` (encodings, title rows above the header, XLSX sheets, size limits), the
city and year cells resolved as ``validate`` resolves them (``places.resolve``; one adcode per
city). Nothing is dropped silently: rows whose city cannot be resolved, or that repeat a city
(and year), are listed in ``dropped`` with the Excel row, the cell and a reason code; a column
with text cells stays text (a model asked to use it names the column and the rows), and is listed
in ``text_columns``. A header's trailing unit in brackets — ``人均GDP(元)``, ``pop（万人）`` — is
split off: the column is ``人均GDP`` with unit ``元``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from dei_geo.core import columns, places
from dei_geo.sources import loader, validate

_UNIT = re.compile(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$")
KEYS = (columns.CITY, columns.ADCODE, columns.YEAR)


@dataclass(frozen=True)
class Covariates:
    """``table``: adcode, year (when the file has one), one column per other header: float when
    every filled cell is a number, text otherwise. ``units``: column → unit ("" when none given).
    ``text_columns``: column → (Excel row, cell) of its first non-numeric cell. ``dropped``: row,
    value, reason (city_blank | unknown_city | ambiguous_city | year_invalid | year_blank |
    duplicate_city)."""

    file: str
    table: pd.DataFrame
    columns: list[str]
    units: dict[str, str]
    text_columns: dict[str, tuple[int, str]]
    dropped: pd.DataFrame
    sheet: str | None = None

    @property
    def numeric(self) -> list[str]:
        return [c for c in self.columns if c not in self.text_columns]

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.table["year"].dropna().unique()) if "year" in self.table else []

    def to_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "rows": len(self.table), "columns": self.columns,
                "units": self.units, "years": self.years,
                "text_columns": {c: {"row": r, "value": v} for c, (r, v) in self.text_columns.items()},
                "dropped": [{"row": int(r.row), "value": r.value, "reason": r.reason}
                            for r in self.dropped.itertuples()]}


def split_unit(header) -> tuple[str, str]:
    """``人均GDP(元)`` → (``人均GDP``, ``元``); a header without a unit → (header, "")."""
    text = places.clean(validate.cell_text(header)).strip()
    found = _UNIT.match(text)
    if found and found.group(1).strip():
        return found.group(1).strip(), found.group(2).strip()
    return text, ""


def number(cell) -> float | None:
    """A cell as a number: None for a blank or a missing marker (validate.MISSING); ValueError for
    text. Thousands separators (1,234.5) are read; a formula without a value is text."""
    if isinstance(cell, loader.Formula) or isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, (int, float)):
        if not math.isfinite(float(cell)):
            raise ValueError(cell)
        return float(cell)
    text = places.clean(validate.cell_text(cell)).strip()
    if text.casefold() in validate.MISSING:
        return None
    value = float(re.sub(r"(?<=\d),(?=\d{3}\b)", "", text))
    if not math.isfinite(value):
        raise ValueError(cell)
    return value


def read(source, name: str | None = None, sheet: str | None = None) -> Covariates:
    """Read covariates from a CSV/XLSX (bytes or path); ``loader.FileProblem`` for a file that
    cannot be read (no city column, too large, …)."""
    raw = loader.read(source, name=name, sheet=sheet)
    key_col: dict[str, int] = {}
    data_cols: list[tuple[int, str, str]] = []
    taken: set[str] = set()
    for j, head in enumerate(raw.header):
        if head is None or not validate.cell_text(head).strip():
            continue
        found = columns.match(head)
        if found in KEYS and found not in key_col:
            key_col[found] = j
            continue
        col, unit = split_unit(head)
        base, n = col, 2
        while col in taken or col in ("adcode", "year", "row"):
            col, n = f"{base}_{n}", n + 1
        taken.add(col)
        data_cols.append((j, col, unit))
    resolve = validate.Resolver()
    records, dropped = [], []
    for excel_row, cells in raw.rows:
        def cell(j, cells=cells):
            return cells[j] if j is not None and j < len(cells) else None

        if not any(validate.cell_text(c).strip() for c in cells):
            continue
        key_j = key_col.get(columns.ADCODE)
        if key_j is None or not validate.normalised(cell(key_j)):
            key_j = key_col.get(columns.CITY, key_j)
        value = validate.cell_text(cell(key_j)) if key_j is not None else ""
        if not validate.normalised(value):
            dropped.append({"row": excel_row, "value": value, "reason": "city_blank"})
            continue
        adcode, err = resolve(cell(key_j))
        if err:
            dropped.append({"row": excel_row, "value": value, "reason": err[0]})
            continue
        rec = {"row": excel_row, "adcode": adcode}
        if columns.YEAR in key_col:
            rec["year"], code = validate.parse_year(cell(key_col[columns.YEAR]))
            if code:
                dropped.append({"row": excel_row, "value": validate.cell_text(cell(key_col[columns.YEAR])),
                                "reason": code})
                continue
        for j, col, _ in data_cols:
            rec[col] = cell(j)
        records.append(rec)
    keys = ["adcode", "year"] if columns.YEAR in key_col else ["adcode"]
    names = [c for _, c, _ in data_cols]
    table = pd.DataFrame(records, columns=["row", *keys, *names])
    dup = table.duplicated(keys, keep=False)
    for r in table[dup].itertuples():
        dropped.append({"row": r.row, "value": places.display_name(r.adcode), "reason": "duplicate_city"})
    table = table[~dup].reset_index(drop=True)
    text_columns: dict[str, tuple[int, str]] = {}
    for col in names:
        values = []
        for row, c in zip(table["row"], table[col]):
            try:
                values.append(number(c))
            except ValueError:
                text_columns[col] = (int(row), validate.shown(validate.cell_text(c)))
                break
        if col in text_columns:
            table[col] = table[col].map(lambda c: None if c is None else validate.cell_text(c)).astype(object)
        else:
            table[col] = pd.Series([v if v is not None else float("nan") for v in values], dtype=float,
                                   index=table.index)
    table["adcode"] = table["adcode"].astype(int)
    if "year" in table:
        table["year"] = table["year"].astype(int)
    return Covariates(raw.file, table.drop(columns="row"), names, {c: u for _, c, u in data_cols}, text_columns,
                      pd.DataFrame(dropped, columns=["row", "value", "reason"]).sort_values("row", ignore_index=True),
                      raw.sheet)


def for_year(cov: Covariates, year: int | None) -> pd.DataFrame:
    """The covariates of one year (all rows when the file has no year column), indexed by adcode.

    A file with several years needs ``year``; ValueError lists them."""
    t = cov.table
    if "year" not in t:
        return t.set_index("adcode")
    if year is None:
        if t["year"].nunique() == 1:
            return t.drop(columns="year").set_index("adcode")
        raise ValueError(f"{cov.file} has several years ({', '.join(map(str, cov.years))}): choose one")
    return t[t["year"] == year].drop(columns="year").set_index("adcode")
