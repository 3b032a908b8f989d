"""Validate a user's score table row by row: what is wrong, where (file, row, column) and how to fix.

A row with any error is rejected as a whole and listed, with its cells as written, in
``Report.rejected``; every other non-blank row is kept in ``Report.table``. Fully blank rows carry
no data and are skipped. Unrecognised columns are reported as warnings, never dropped silently.
An XLSX formula saved without its computed value is an error in an imported column (the row is
rejected, never read as a blank) and a warning elsewhere.

Reports are bounded (``limits``): every problem is counted, the first ``REPORT_PER_CODE`` of each
code are listed (then one ``report_more`` line with the count), a rejected row carries at most
``REASONS_PER_ROW`` reasons, and a list inside one message (the rows of a duplicate city) is cut
after ``LIST_SHOWN`` items with its length. The cost of a report grows with the file, never with
rows × problems.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import zip_longest
from operator import itemgetter
from typing import Literal

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter
from pandas.api.types import infer_dtype

from dei_geo.core import columns, places, tabular
from dei_geo.core.i18n import Lang, t
from dei_geo.sources import limits, loader

_NO_PARAMS: dict = {}  # shared by the issues without parameters (most): never changed
MISSING = {"", "-", "—", "–", "na", "n/a", "null", "none", "无", "缺失", "暂无"}
YEARS = (1990, 2100)
SHOWN = 200  # characters of a cell quoted in a message (the issue's ``value`` keeps it all)
# issue code → (what is wrong, how to fix it): catalogue keys, one pair per code
ISSUE_TEXT = {
    "not_found": ("di_not_found", "di_not_found_fix"),
    "is_directory": ("di_is_directory", "di_is_directory_fix"),
    "not_regular_file": ("di_not_regular_file", "di_not_regular_file_fix"),
    "unreadable": ("di_unreadable", "di_unreadable_fix"),
    "big5": ("di_big5", "di_big5_fix"),
    "nul_removed": ("di_nul_removed", "di_nul_removed_fix"),
    "unclosed_quote": ("di_unclosed_quote", "di_unclosed_quote_fix"),
    "xlsx_too_large": ("di_xlsx_too_large", "di_xlsx_too_large_fix"),
    "xlsx_too_many_cells": ("di_xlsx_too_many_cells", "di_xlsx_too_many_cells_fix"),
    "sheet_hidden": ("di_sheet_hidden", "di_sheet_hidden_fix"),
    "other_sheets": ("di_other_sheets", "di_other_sheets_fix"),
    "date_value": ("di_date_value", "di_date_value_fix"),
    "report_more": ("di_report_more", "di_report_more_fix"),
    "two_row_header": ("di_two_row_header", "di_two_row_header_fix"),
    "too_large": ("di_too_large", "di_too_large_fix"),
    "empty_file": ("di_empty_file", "di_empty_file_fix"),
    "legacy_xls": ("di_legacy_xls", "di_legacy_xls_fix"),
    "bad_xlsx": ("di_bad_xlsx", "di_bad_xlsx_fix"),
    "not_xlsx": ("di_not_xlsx", "di_not_xlsx_fix"),
    "bad_encoding": ("di_bad_encoding", "di_bad_encoding_fix"),
    "bad_csv": ("di_bad_csv", "di_bad_csv_fix"),
    "cell_too_long": ("di_cell_too_long", "di_cell_too_long_fix"),
    "no_header": ("di_no_header", "di_no_header_fix"),
    "missing_city_column": ("di_missing_city_column", "di_missing_city_column_fix"),
    "too_many_columns": ("di_too_many_columns", "di_too_many_columns_fix"),
    "too_many_rows": ("di_too_many_rows", "di_too_many_rows_fix"),
    "no_data_rows": ("di_no_data_rows", "di_no_data_rows_fix"),
    "sheet_not_found": ("di_sheet_not_found", "di_sheet_not_found_fix"),
    "no_sheet_with_header": ("di_no_sheet_with_header", "di_no_sheet_with_header_fix"),
    "sheet_in_csv": ("di_sheet_in_csv", "di_sheet_in_csv_fix"),
    "duplicate_column": ("di_duplicate_column", "di_duplicate_column_fix"),
    "no_metric_columns": ("di_no_metric_columns", "di_no_metric_columns_fix"),
    "unknown_column": ("di_unknown_column", "di_unknown_column_fix"),
    "unnamed_column": ("di_unnamed_column", "di_unnamed_column_fix"),
    "info_column": ("di_info_column", "di_info_column_fix"),
    "city_blank": ("di_city_blank", "di_city_blank_fix"),
    "unknown_city": ("di_unknown_city", "di_unknown_city_fix"),
    "ambiguous_city": ("di_ambiguous_city", "di_ambiguous_city_fix"),
    "adcode_city_mismatch": ("di_adcode_city_mismatch", "di_adcode_city_mismatch_fix"),
    "duplicate_city": ("di_duplicate_city", "di_duplicate_city_fix"),
    "not_numeric": ("di_not_numeric", "di_not_numeric_fix"),
    "out_of_range": ("di_out_of_range", "di_out_of_range_fix"),
    "formula_no_value": ("di_formula_no_value", "di_formula_no_value_fix"),
    "year_blank": ("di_year_blank", "di_year_blank_fix"),
    "year_invalid": ("di_year_invalid", "di_year_invalid_fix"),
    "no_value": ("di_no_value", "di_no_value_fix"),
}
Severity = Literal["error", "warning", "info"]  # an error rejects the row (or the file)
NOTE_SEVERITY: dict[str, Severity] = {"nul_removed": "warning", "other_sheets": "info",
                                      "two_row_header": "info"}  # RawTable.notes
SEVERITY = {"error": "di_level_error", "warning": "di_level_warning", "info": "di_level_info"}


def shown(value):
    """A cell value as quoted in a report: cut to ``SHOWN`` characters."""
    if isinstance(value, str) and len(value) > SHOWN:
        return value[:SHOWN] + "…"
    return value


def _listed(items: list, lang: Lang) -> str:
    """A list in a message: its first ``LIST_SHOWN`` items, then how many there are in all."""
    sep = t("list_sep", lang)
    if len(items) <= limits.LIST_SHOWN:
        return sep.join(map(str, items))
    return t("di_list_more", lang, shown=sep.join(map(str, items[:limits.LIST_SHOWN])), n=f"{len(items):,}")


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem; ``row`` is the Excel row number, ``column`` the Excel column letter."""

    code: str
    file: str
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: str | None = None
    params: dict = field(default_factory=dict)
    severity: Severity = "error"
    sheet: str | None = None

    def _fmt(self, lang: Lang) -> dict:
        params = {k: _listed(v, lang) if isinstance(v, list) else v for k, v in self.params.items()}
        if self.code == "report_more":  # the words of the problem it counts, in this language
            params["example"] = shown(self.params["example"].why(lang))
        return {"file": self.file, "row": self.row, "column": self.column,
                "header": shown(self.header), "value": shown(self.value), "sheet": self.sheet,
                **params}

    @property
    def cell(self) -> str:
        """Where, as Excel names it: B7 (a cell), C (a column), 7 (a row) or ''."""
        if self.column and self.row:
            return f"{self.column}{self.row}"
        return self.column or (str(self.row) if self.row else "")

    def why(self, lang: Lang = "zh") -> str:
        return t(ISSUE_TEXT[self.code][0], lang, **self._fmt(lang))

    def fix(self, lang: Lang = "zh") -> str:
        return t(ISSUE_TEXT[self.code][1], lang, **self._fmt(lang))

    def level(self, lang: Lang = "zh") -> str:
        """The severity in words: 错误/Error, 提示/Warning, 说明/Note."""
        return t(SEVERITY[self.severity], lang)


@dataclass(frozen=True)
class Report:
    """The outcome of validating one file."""

    file: str
    issues: list[Issue]
    table: pd.DataFrame
    rejected: pd.DataFrame
    sheet: str | None = None
    encoding: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field id -> header as written
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (code, severity) -> all found
    reasons: dict[int, tuple[list[Issue], int]] = field(default_factory=dict)  # rejected row -> (first, all)
    sheets: list[str] = field(default_factory=list)  # the workbook's sheets (XLSX)

    @property
    def errors(self) -> list[Issue]:
        """The errors listed (at most ``REPORT_PER_CODE`` per code; ``counts`` has them all)."""
        return [i for i in self.issues if i.severity == "error" and i.code != "report_more"]

    @property
    def ok(self) -> bool:
        """True when nothing is rejected (warnings and notes allowed)."""
        return not self.errors

    def _total(self, errors: bool) -> int:
        if not self.counts:
            return sum((i.severity == "error") == errors for i in self.issues if i.code != "report_more")
        return sum(n for (_, sev), n in self.counts.items() if (sev == "error") == errors)

    def issues_frame(self, lang: Lang = "zh") -> pd.DataFrame:
        """One line per issue with localised column names (file, sheet, row, column, value, why, fix)."""
        keys = ["di_col_file", "di_col_sheet", "di_col_row", "di_col_column", "di_col_value",
                "di_col_level", "di_col_why", "di_col_fix"]
        rows = [[i.file, i.sheet or "", i.row, i.cell, "" if i.value is None else shown(i.value),
                 i.level(lang), i.why(lang), i.fix(lang)] for i in self.issues]
        out = pd.DataFrame(rows, columns=[t(k, lang) for k in keys])
        out[t("di_col_row", lang)] = out[t("di_col_row", lang)].astype("Int64")
        return out

    def rejected_frame(self, lang: Lang = "zh") -> pd.DataFrame:
        """The rejected rows as written in the file, with their Excel row and every reason."""
        out = self.rejected.copy()
        sep = t("clause_sep", lang)

        def why(row) -> str:
            first, n = self.reasons.get(row, ([], 0))
            said = [f"{i.cell}: {i.why(lang)} {i.fix(lang)}" for i in first]
            if n > len(first):
                said.append(t("di_reasons_more", lang, n=n - len(first)))
            return sep.join(said)

        out.insert(1, t("di_col_why", lang), [why(r) for r in out["row"]], allow_duplicates=True)
        return out.rename(columns={"row": t("di_col_row", lang)})

    def rejected_csv(self, lang: Lang = "zh") -> bytes:
        """``rejected_frame`` as CSV, UTF-8 with BOM (opens correctly in Excel); cells from the
        user's file that Excel would run as a formula (``=cmd|…``) are neutralised."""
        return tabular.to_csv(self.rejected_frame(lang))

    def issues_csv(self, lang: Lang = "zh") -> bytes:
        """``issues_frame`` as CSV, UTF-8 with BOM, formula-like text (values quoted from the
        file) neutralised."""
        return tabular.to_csv(self.issues_frame(lang))

    def to_dict(self, lang: Lang = "zh") -> dict:
        """JSON-ready summary and every issue."""
        return {
            "file": self.file, "sheet": self.sheet, "encoding": self.encoding,
            "header_row": self.header_row, "valid": self.ok, "columns": self.columns,
            "rows_accepted": len(self.table), "rows_rejected": len(self.rejected),
            "errors": self._total(True), "warnings": self._total(False),
            "counts": {code: n for (code, _), n in sorted(self.counts.items())},
            "listed_per_code": limits.REPORT_PER_CODE,
            "issues": [{"severity": i.severity, "code": i.code, "sheet": i.sheet, "row": i.row,
                        "column": i.column, "header": shown(i.header), "value": shown(i.value),
                        "why": i.why(lang), "fix": i.fix(lang)} for i in self.issues],
        }

    def summary(self, lang: Lang = "zh") -> str:
        return t("di_summary", lang, file=self.file, accepted=len(self.table),
                 rejected=len(self.rejected), errors=self._total(True), warnings=self._total(False))


def validate(source, name: str | None = None, sheet: str | None = None,
             max_bytes: int = loader.MAX_BYTES) -> Report:
    """Read and check a CSV/XLSX file (bytes or path); whole-file problems become a report too."""
    try:
        raw = loader.read(source, name=name, sheet=sheet, max_bytes=max_bytes)
    except loader.FileProblem as p:
        issue = Issue(p.code, p.file, row=p.row, column=p.params.get("column"), sheet=p.sheet,
                      params=p.params)
        return Report(p.file, [issue], _empty_table(), pd.DataFrame({"row": []}), sheet=p.sheet,
                      counts={(p.code, "error"): 1}, sheets=list(p.sheets))
    return check(raw)


class _Listing:
    """Issues counted by (code, severity), the first ``REPORT_PER_CODE`` of each kept in order."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.kept: list[Issue] = []

    def add(self, issue: Issue) -> None:
        key = (issue.code, issue.severity)
        self.counts[key] += 1
        if self.counts[key] <= limits.REPORT_PER_CODE:
            self.kept.append(issue)

    def wants(self, code: str) -> bool:
        """Whether an error of ``code`` would still be listed."""
        return self.counts[(code, "error")] < limits.REPORT_PER_CODE

    def count(self, code: str) -> None:
        """An error counted, not listed (``wants`` said no)."""
        self.counts[(code, "error")] += 1

    def issues(self) -> list[Issue]:
        """The kept issues, then one ``report_more`` line per code with more than were kept."""
        more = [Issue("report_more", first.file, severity=first.severity, sheet=first.sheet,
                      params={"n": f"{self.counts[key] - limits.REPORT_PER_CODE:,}",
                              "shown": limits.REPORT_PER_CODE, "example": first})
                for key, first in self._first().items() if self.counts[key] > limits.REPORT_PER_CODE]
        return [*self.kept, *more]

    def _first(self) -> dict:
        first = {}
        for i in self.kept:
            first.setdefault((i.code, i.severity), i)
        return first


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame({"row": pd.Series(dtype=int), "adcode": pd.Series(dtype=int),
                         "city": pd.Series(dtype=object)})


def cell_text(cell) -> str:
    """A cell as text (an integral float without its ".0"); "" for an empty cell."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def normalised(cell) -> str:
    """A cell as a person reads it (``places.clean``); "" for an empty cell."""
    if type(cell) is str and len(cell) < 32:  # a CSV cell: the same texts recur, clean each once
        return _norm_text(cell)
    return "" if cell is None else places.clean(cell_text(cell))


@lru_cache(maxsize=1 << 16)
def _norm_text(cell: str) -> str:
    return places.clean(cell)


def _number(cell) -> tuple[float | None, str | None]:
    """(value, None), (None, None) for a blank/missing marker, or (None, error code)."""
    if type(cell) is str and len(cell) < 32:  # a CSV cell: the same texts recur, read each once
        return _number_text(cell)
    return _number_any(cell)


@lru_cache(maxsize=1 << 16)
def _number_text(cell: str) -> tuple[float | None, str | None]:
    return _number_any(cell)


def _number_any(cell) -> tuple[float | None, str | None]:
    if isinstance(cell, bool):
        return None, "not_numeric"
    if isinstance(cell, (dt.date, dt.time, dt.timedelta)):  # an XLSX cell formatted as a date
        return None, "date_value"
    if isinstance(cell, (int, float)):
        value = float(cell)
    else:
        text = normalised(cell)
        if text.casefold() in MISSING:
            return None, None
        if "_" in text:
            return None, "not_numeric"
        try:
            value = float(text)
        except ValueError:
            return None, "not_numeric"
    if not math.isfinite(value):
        return None, "not_numeric"
    if not 0 <= value <= 100:
        return None, "out_of_range"
    return value, None


_OK, _FORMULA, _BLANK = 0, 4, 5  # indexes in _SCORE_CODES: 1-3 are the errors of a score cell
_SCORE_CODES = (None, "not_numeric", "out_of_range", "date_value", "formula_no_value", None)
_SCORE_INDEX = {None: _OK, "not_numeric": 1, "out_of_range": 2, "date_value": 3}
_PLAIN = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # float() reads it as is


def _score_cell(cell) -> tuple[float, int]:
    """(value or NaN, index in ``_SCORE_CODES``) of one score cell."""
    if isinstance(cell, loader.Formula):
        return math.nan, _FORMULA
    value, code = _number(cell)
    if value is None:
        return math.nan, _BLANK if code is None else _SCORE_INDEX[code]
    return value, _OK


def _score_texts(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_score_cell`` of distinct CSV texts: the plain numbers (``92.9``, ``1e2``: nothing for
    ``places.clean`` to change, no missing marker) parsed and range-checked all at once by numpy
    (``float()`` of each, exactly as ``_number``), every other text one by one."""
    values = np.full(len(texts), np.nan)
    codes = np.full(len(texts), _BLANK, dtype=np.int8)
    plain = np.fromiter((_PLAIN.fullmatch(x) is not None for x in texts), dtype=bool, count=len(texts))
    if plain.any():
        parsed = texts[plain].astype(float)
        finite = np.isfinite(parsed)
        inside = finite & (parsed >= 0) & (parsed <= 100)
        values[plain] = np.where(inside, parsed, np.nan)
        codes[plain] = np.select([~finite, ~inside], [_SCORE_INDEX["not_numeric"],
                                                       _SCORE_INDEX["out_of_range"]], _OK)
    for k in np.flatnonzero(~plain):
        values[k], codes[k] = _score_cell(texts[k])
    return values, codes


def _score_column(cells, text: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One score column as (index, values, codes): cell ``i`` has the value ``values[index[i]]``
    (NaN for a blank or a problem) and the code ``codes[index[i]]`` (in ``_SCORE_CODES``). A CSV
    column (``text``: every cell a string, or None past the end of a short row) is checked a whole
    column at a time: each distinct text once, then spread back by the index (as small an integer
    as fits: a column repeating "x" costs a byte a cell). An XLSX column (numbers, dates,
    formulas …; at most ``MAX_XLSX_CELLS``) is checked cell by cell."""
    column = np.empty(len(cells), dtype=object)
    column[:] = cells
    if text and infer_dtype(column, skipna=True) in ("string", "empty"):
        index, distinct = pd.factorize(column)  # None → -1: the last entry, a blank
        values, codes = _score_texts(np.append(np.asarray(distinct, dtype=object), ""))
        return index.astype(np.min_scalar_type(-len(values))), values, codes
    pairs = [_score_cell(c) for c in cells]
    return (np.arange(len(pairs)), np.fromiter((v for v, _ in pairs), dtype=float, count=len(pairs)),
            np.fromiter((c for _, c in pairs), dtype=np.int8, count=len(pairs)))


class _Scores:
    """The score cells of the rows checked, one column at a time: ``codes`` (rows × metrics, the
    index in ``_SCORE_CODES``), per row whether it has a formula, how many wrong scores of each
    code (``wrong``) and whether every score is blank; the values (``values(rows)``) are read only
    for the rows kept."""

    def __init__(self, rows: list[list], metrics: list[tuple[int, str]], col: dict, text: bool,
                 header: list):
        self._header, self._letters, self._headers = header, {}, {}
        self.codes = np.zeros((len(rows), len(metrics)), dtype=np.int8)
        self.others = [j for j in col.values() if j not in {k for k, _ in metrics}]  # city, year …
        self._values = []
        by_column = list(zip_longest(*rows)) if rows else []  # transposed, short rows padded with None
        for m, (j, _) in enumerate(metrics):
            cells = by_column[j] if j < len(by_column) else [None] * len(rows)
            index, values, codes = _score_column(cells, text)
            self.codes[:, m] = codes[index]
            self._values.append((index, values))
        del by_column
        self.formula = (self.codes == _FORMULA).any(axis=1)
        self.wrong = np.stack([(self.codes == c).sum(axis=1) for c in (1, 2, 3)], axis=1)
        self.blank = (self.codes == _BLANK).all(axis=1)

    def letter(self, j: int) -> str:
        """The Excel letter of column ``j`` (0-based)."""
        if j not in self._letters:
            self._letters[j] = get_column_letter(j + 1)
        return self._letters[j]

    def header(self, j: int) -> str:
        """The header of column ``j`` as text."""
        if j not in self._headers:
            self._headers[j] = cell_text(self._header[j])
        return self._headers[j]

    def values(self, m: int, rows: list[int]) -> np.ndarray:
        """The values of score column ``m`` in ``rows`` (NaN for a blank)."""
        index, values = self._values[m]
        return values[index[rows]]


def parse_year(cell) -> tuple[int | None, str | None]:
    """(year, None) for a plausible year cell (2023, "2023年", 2023.0), else (None, problem code)."""
    text = normalised(cell)
    if not text:
        return None, "year_blank"
    found = re.fullmatch(r"(\d{4})(?:\.0+)?年?", text)
    if not found or not YEARS[0] <= int(found.group(1)) <= YEARS[1]:
        return None, "year_invalid"
    return int(found.group(1)), None


class Resolver:
    """Cached ``places.resolve`` of a cell: (adcode, None) or (None, (code, params))."""

    def __init__(self):
        self.cache: dict[str, tuple] = {}  # by the cell's text as seen (places.clean)
        self.written: dict[str, tuple] = {}  # by a CSV cell's text as written

    def __call__(self, cell) -> tuple[int | None, tuple | None]:
        if type(cell) is str and cell in self.written:
            return self.written[cell]
        key = normalised(cell)
        if key not in self.cache:
            self.cache[key] = self._resolve(key)
        if type(cell) is str:
            self.written[cell] = self.cache[key]
        return self.cache[key]

    @staticmethod
    def _resolve(key: str):
        try:
            return places.resolve(key), None
        except places.AmbiguousPlace as err:
            names = [f"{places.display_name(a, short=False)} ({a})" for a in err.candidates]
            return None, ("ambiguous_city", {"candidates": names})
        except places.UnknownPlace as err:
            return None, ("unknown_city", {"suggestions": err.suggestions or ["—"]})


def _header_issues(raw: loader.RawTable) -> tuple[dict[int, str], list[Issue], Issue | None]:
    """Column index → field; column warnings; a fatal issue (duplicate meaning, no metrics)."""
    fields: dict[int, str] = {}
    issues: list[Issue] = []
    width = max([len(raw.header), *(len(cells) for _, cells in raw.rows)])
    base = {"file": raw.file, "sheet": raw.sheet}
    for j in range(width):
        head = raw.header[j] if j < len(raw.header) else None
        letter = raw.letter(j)
        if head is None or not str(head).strip():
            if any(j < len(c) and str(c[j] if c[j] is not None else "").strip() for _, c in raw.rows):
                issues.append(Issue("unnamed_column", column=letter, severity="warning",
                                    row=raw.header_row, **base))
            continue
        if isinstance(head, loader.Formula):
            issues.append(Issue("formula_no_value", column=letter, value=str(head), row=raw.header_row,
                                severity="warning", **base))
            continue
        head = cell_text(head)
        found = columns.match(head)
        if found is None:
            issues.append(Issue("unknown_column", column=letter, header=head, row=raw.header_row,
                                severity="warning", **base))
        elif found in fields.values():
            first = next(k for k, v in fields.items() if v == found)
            fatal = Issue("duplicate_column", column=letter, header=head, row=raw.header_row,
                          params={"other_column": raw.letter(first),
                                  "other_header": cell_text(raw.header[first]),
                                  "field": _field_label(found)}, **base)
            return fields, issues, fatal
        elif found in columns.INFO:
            issues.append(Issue("info_column", column=letter, header=head, row=raw.header_row,
                                severity="info", **base))
        else:
            fields[j] = found
    if not set(fields.values()) & set(columns.metrics()):
        return fields, issues, Issue("no_metric_columns", row=raw.header_row, **base)
    if not set(fields.values()) & {columns.CITY, columns.ADCODE}:  # e.g. a 区县 column only
        return fields, issues, Issue("missing_city_column", row=raw.header_row, **base)
    return fields, issues, None


def _field_label(found: str) -> str:
    if found in columns.metrics():
        return f"{columns.label(found, 'zh')} / {columns.label(found, 'en')}"
    return found


def _file_notes(raw: loader.RawTable) -> list[Issue]:
    """Warnings about the file as read: a NUL dropped, a hidden sheet, the sheet chosen among several."""
    base = {"file": raw.file, "sheet": raw.sheet}
    out = [Issue(code, params=params, severity=NOTE_SEVERITY[code], **base) for code, _, params in raw.notes]
    if raw.hidden:
        out.append(Issue("sheet_hidden", severity="warning", **base))
    return out


def check(raw: loader.RawTable) -> Report:
    """Check every row of a ``RawTable``; see the module docstring."""
    was_enabled = gc.isenabled()  # another check may have paused it: leave that to it
    # the rows make hundreds of thousands of small objects (issues, lists), none in a cycle: the
    # cyclic collector would walk all of them again and again (≈ 20 % of the time of a dense file)
    gc.disable()
    try:
        return _check(raw)
    finally:
        if was_enabled:
            gc.enable()


def _check(raw: loader.RawTable) -> Report:
    fields, header_issues, fatal = _header_issues(raw)
    listing = _Listing()
    for issue in [*_file_notes(raw), *header_issues, *([fatal] if fatal else [])]:
        listing.add(issue)
    meta = {"sheet": raw.sheet, "encoding": raw.encoding, "header_row": raw.header_row,
            "columns": {f: cell_text(raw.header[k]) for k, f in fields.items()}, "sheets": list(raw.sheets)}
    if fatal:
        return Report(raw.file, listing.issues(), _empty_table(), pd.DataFrame({"row": []}),
                      counts=dict(listing.counts), **meta)
    col = {f: k for k, f in fields.items()}
    metrics = [(col[m], m) for m in columns.metrics() if m in col]
    resolver = Resolver()
    rows = [(excel_row, cells) for excel_row, cells in raw.rows if _has_data(cells, fields)]
    text = raw.encoding is not None  # a CSV: every cell a string, no formula
    scores = _Scores([cells for _, cells in rows], metrics, col, text, raw.header)
    candidates = []  # [Excel row, cells, record, first problems, number of problems]
    for r, (excel_row, cells) in enumerate(rows):
        record, probs, counted = _check_row(raw, excel_row, cells, col, metrics, resolver, listing,
                                            scores, r)
        for issue in probs:
            listing.add(issue) if isinstance(issue, Issue) else listing.count(issue)
        for code, n in counted.items():  # the problems of a code already listed in full
            listing.counts[(code, "error")] += n
        if probs and "adcode" not in record:
            record = None  # rejected, and no city to compare with the other rows: nothing to keep
        candidates.append([excel_row, cells, record,
                           probs if len(probs) <= limits.REASONS_PER_ROW else probs[:limits.REASONS_PER_ROW],
                           len(probs) + sum(counted.values())])
    for n, issue in _flag_duplicates(candidates, raw, col):
        listing.add(issue)
        row = candidates[n]
        if len(row[3]) < limits.REASONS_PER_ROW:
            row[3].append(issue)
        row[4] += 1
    kept = [r for r, cand in enumerate(candidates) if not cand[4]]
    table = pd.DataFrame([candidates[r][2] for r in kept],
                         columns=["row", "adcode", *(["year"] if columns.YEAR in col else [])])
    table["adcode"] = table["adcode"].astype(int)
    table.insert(2, "city", pd.Series([places.display_name(a) for a in table["adcode"]], dtype=object))
    for m, (_, metric) in enumerate(metrics):  # blank → NaN
        table[metric] = scores.values(m, kept).astype(float)
    del scores, rows  # before the rejected rows are copied into a frame: a lower peak
    for issue in () if text else _unread_formulas(raw, fields):
        listing.add(issue)
    rejected = _rejected(raw, [(r, cells) for r, cells, _, _, n in candidates if n], text)
    reasons = {r: (first, n) for r, _, _, first, n in candidates if n}
    return Report(raw.file, listing.issues(), table, rejected, counts=dict(listing.counts),
                  reasons=reasons, **meta)


def _has_data(cells, fields) -> bool:
    """Not a blank row (no data); a formula without a value in a column that is not imported
    does not count (it is a warning)."""
    return any(str(c).strip() for j, c in enumerate(cells)
               if c is not None and not (isinstance(c, loader.Formula) and j not in fields))


def _unread_formulas(raw: loader.RawTable, fields: dict[int, str]):
    """Warnings for formulas without a value in the columns that are not imported."""
    return (Issue("formula_no_value", raw.file, row=excel_row, column=raw.letter(j),
                  header=cell_text(raw.header[j]) if j < len(raw.header) else None, value=str(c),
                  severity="warning", sheet=raw.sheet)
            for excel_row, cells in raw.rows for j, c in enumerate(cells)
            if isinstance(c, loader.Formula) and j not in fields)


def _check_row(raw, excel_row, cells, col, metrics, resolver, listing, scores, r
               ) -> tuple[dict, list, dict[str, int]]:
    """(record, problems, counted) of the non-blank row ``r`` of ``scores``; the record (row,
    adcode, year: its scores are ``scores.values[r]``) is kept only without problems. A problem
    that would be neither listed (``listing``) nor among the row's first reasons is only its code,
    and the score problems past that point only a count per code (``counted``): a row with 74 wrong
    scores costs a few issues and one count, not 74 issues."""
    def cell(j):
        return cells[j] if j is not None and j < len(cells) else None

    problems: list = []

    def problem(code, j, **params):
        if len(problems) >= limits.REASONS_PER_ROW and not listing.wants(code):
            problems.append(code)
            return
        problems.append(Issue(code, raw.file, row=excel_row, column=scores.letter(j),
                              header=scores.header(j), value=cell_text(cell(j)),
                              params=params or _NO_PARAMS, sheet=raw.sheet))

    if excel_row in raw.lines:  # read from several text lines: a stray quote may have swallowed some
        swallowed = _swallowed(raw, excel_row, cells, col)
        if swallowed:
            j, first, last = swallowed
            problem("unclosed_quote", j, line=first, last=last)
            return {"row": excel_row}, problems, {}  # its other problems follow from this one
    codes = scores.codes[r]
    formulas = sorted([j for j in scores.others if isinstance(cell(j), loader.Formula)]
                      + ([metrics[m][0] for m in np.flatnonzero(codes == _FORMULA)] if scores.formula[r] else []))
    for j in formulas:  # no value to check: the row is rejected, never read as blank
        problem("formula_no_value", j)
    record: dict = {"row": excel_row}
    adcode_j, city_j = col.get(columns.ADCODE), col.get(columns.CITY)
    key_j = adcode_j if normalised(cell(adcode_j)) else city_j
    if key_j in formulas:
        pass  # reported above
    elif key_j is None or not normalised(cell(key_j)):
        problem("city_blank", city_j if city_j is not None else adcode_j)
    else:
        adcode, err = resolver(cell(key_j))
        if err:
            problem(err[0], key_j, **err[1])
        else:
            record["adcode"] = adcode
            if (city_j not in (None, key_j, *formulas) and normalised(cell(city_j))
                    and resolver(cell(city_j))[0] != adcode):
                problem("adcode_city_mismatch", city_j, adcode=adcode,
                        adcode_name=places.display_name(adcode))
    if columns.YEAR in col and col[columns.YEAR] not in formulas:
        record["year"], code = parse_year(cell(col[columns.YEAR]))
        if code:
            problem(code, col[columns.YEAR])
    counted: dict[str, int] = {}
    left = scores.wrong[r].tolist()  # wrong scores not yet said, per code 1-3
    for m in np.flatnonzero((codes >= 1) & (codes <= 3)) if any(left) else ():  # in ``metrics`` order
        if len(problems) >= limits.REASONS_PER_ROW and not any(
                n and listing.wants(_SCORE_CODES[c]) for c, n in enumerate(left, 1)):
            counted = {_SCORE_CODES[c]: n for c, n in enumerate(left, 1) if n}
            break
        problem(_SCORE_CODES[codes[m]], metrics[m][0])
        left[codes[m] - 1] -= 1
    if metrics and scores.blank[r]:  # a city with no value at all: reported, not kept
        problem("no_value", metrics[0][0], columns=[cell_text(raw.header[j]) for j, _ in metrics])
        if isinstance(problems[-1], Issue):  # a warning: the row is listed, not imported, not an error
            problems[-1] = replace(problems[-1], severity="warning")
    return record, problems, counted


_BREAK = re.compile(r"\r\n|\r|\n")


def _swallowed(raw: loader.RawTable, excel_row: int, cells: list, col: dict) -> tuple | None:
    """(column, first, last text line) of the first imported cell of a CSV row (city, adcode, year,
    score) that holds a line break, or None. A note may have several lines; a city or a score never
    has: its quote was not closed where the cell should end, and the lines up to the next quote
    (a stray one) were read into it."""
    for j in sorted(col.values()):
        found = cells[j] if j < len(cells) else None
        if isinstance(found, str) and ("\n" in found or "\r" in found):
            first = raw.lines[excel_row][0] + sum(len(_BREAK.findall(c)) for c in cells[:j]
                                                  if isinstance(c, str))
            return j, first, first + len(_BREAK.findall(found))
    return None


def _flag_duplicates(candidates, raw, col):
    """(candidate index, issue) for every row of a city (per year) that appears more than once;
    none of them is kept. The rows of one city are one list, shared by its issues (and quoted up
    to ``LIST_SHOWN`` rows in a message): linear, however many rows repeat."""
    rows_of: dict[tuple, list[int]] = {}
    for n, (_, _, rec, _, _) in enumerate(candidates):
        if rec is not None and "adcode" in rec:
            rows_of.setdefault((rec["adcode"], rec.get("year")), []).append(n)
    found = []
    j = col.get(columns.CITY, col.get(columns.ADCODE))
    for (adcode, year), members in rows_of.items():
        if len(members) < 2:
            continue
        listed = [candidates[n][0] for n in members]
        params = {"city": places.display_name(adcode), "rows": listed,
                  "year": "" if year is None else f" {year}"}
        for n in members:
            excel_row, cells = candidates[n][:2]
            found.append((n, Issue("duplicate_city", row=excel_row, column=raw.letter(j),
                                   header=cell_text(raw.header[j]),
                                   value=cell_text(cells[j] if j < len(cells) else None),
                                   params=params, file=raw.file, sheet=raw.sheet)))
    found.sort(key=lambda pair: pair[0])  # in the order of the file
    return found


def _rejected(raw: loader.RawTable, rows: list[tuple[int, list]], text: bool = False) -> pd.DataFrame:
    width = max([len(raw.header), *(len(c) for _, c in rows)])
    names, seen = [], set()
    for j in range(width):
        head = cell_text(raw.header[j]) if j < len(raw.header) else ""
        name = head.strip() or raw.letter(j)
        while name in seen or name == "row":
            name = f"{name} ({raw.letter(j)})"
        seen.add(name)
        names.append(name)
    data = {"row": [r for r, _ in rows]}
    cells = [c for _, c in rows]
    short = min(map(len, cells), default=0)  # every row has a cell in the columns before this
    for j, name in enumerate(names):  # column by column, each made a column of the frame at once
        if text and j < short:  # a CSV's cells are strings already
            found = list(map(itemgetter(j), cells))
        elif text:
            found = [c[j] if j < len(c) else "" for c in cells]
        else:
            found = [cell_text(c[j]) if j < len(c) else "" for c in cells]
        data[name] = pd.Series(found) if found else found
    return pd.DataFrame(data)
