"""Check a county-level score table: each row's county resolved in its context, never by first match.

A county name is looked up within the row's province and prefecture columns when the file has them
(``core.counties.resolve``); an adcode column wins over names. A row is rejected, with a code and
the cells concerned, when its county is blank, unknown, ambiguous (every candidate listed with its
parents), absent from the province/prefecture given, or disagrees with its adcode; when a score is
not a number; or when the same county appears twice. Valid rows are kept. Codes only: the CLI says
them in zh/en (catalogue ``levels``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dei_geo.core import columns, counties, places
from dei_geo.sources import loader, validate

COUNTY = "county"
PREFECTURE = "prefecture"
PROVINCE = "province"
LEVELS = ("city", "county")


@dataclass(frozen=True)
class CountyIssue:
    """One problem: ``code`` (catalogue ``lv_<code>``), Excel ``row`` and ``column`` letter, the
    cell as written, and the candidates (with parents) an ambiguity or a misplaced name has."""

    code: str
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: str = ""
    candidates: tuple[str, ...] = ()


@dataclass
class CountyReport:
    file: str
    detected: str  # the level the file looks like (``detect``)
    fields: dict[str, str]  # field → header as written
    issues: list[CountyIssue]
    table: pd.DataFrame  # row, adcode, county, prefecture, province, one column per metric
    rejected: list[int] = field(default_factory=list)  # Excel rows

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_dict(self) -> dict:
        return {"file": self.file, "level": "county", "detected": self.detected, "ok": self.ok,
                "columns": self.fields, "rows_kept": len(self.table), "rows_rejected": self.rejected,
                "issues": [issue.__dict__ | {"candidates": list(issue.candidates)} for issue in self.issues]}


def _field(header) -> str | None:
    if header is None or not validate.cell_text(header).strip():
        return None
    if counties.is_county_header(header):
        return COUNTY
    if counties.is_prefecture_header(header):
        return PREFECTURE
    return columns.match(header)


def _fields(raw: loader.RawTable) -> dict[int, str]:
    """Column index → field. With a county column, the city column is the prefecture (context)."""
    found: dict[int, str] = {}
    for j, head in enumerate(raw.header):
        name = _field(head)
        if name and name not in found.values():
            found[j] = name
    if COUNTY in found.values():
        found = {j: PREFECTURE if f == columns.CITY and PREFECTURE not in found.values() else f
                 for j, f in found.items()}
    elif columns.CITY in found.values():  # a "名称"/"城市" column holding county names
        found = {j: COUNTY if f == columns.CITY else f for j, f in found.items()}
    return found


def detect(raw: loader.RawTable) -> str:
    """``county`` when the file has a county column, or its name/adcode cells name more
    county-level units than city-level ones (``counties.detect_level``); else ``city``."""
    heads = [_field(h) for h in raw.header]
    if COUNTY in heads:
        return "county"
    key = next((j for j, f in enumerate(heads) if f == columns.ADCODE), None)
    if key is None:
        key = next((j for j, f in enumerate(heads) if f == columns.CITY), None)
    if key is None:
        return "city"
    return counties.detect_level(c[key] for _, c in raw.rows if key < len(c))


def _cell(cells: list, j: int | None) -> str:
    return validate.normalised(cells[j]) if j is not None and j < len(cells) else ""


def _resolve_row(cells, col, raw, excel_row) -> tuple[int | None, list[CountyIssue]]:
    def issue(code, j, candidates=()):
        return CountyIssue(code, excel_row, raw.letter(j) if j is not None else None,
                           validate.cell_text(raw.header[j]) if j is not None else None,
                           _cell(cells, j), tuple(candidates))

    jc, ja = col.get(COUNTY), col.get(columns.ADCODE)
    jp, jf = col.get(PROVINCE), col.get(PREFECTURE)
    province, prefecture = _cell(cells, jp), _cell(cells, jf)
    for j, value, check in ((jp, province, counties.province_code), (jf, prefecture, counties.prefecture_code)):
        if value:
            try:
                check(value)
            except places.AmbiguousPlace as err:
                return None, [issue("ambiguous_prefecture", j, [places.display_name(a, short=False) + f" ({a})"
                                                                for a in err.candidates])]
            except places.UnknownPlace:
                return None, [issue("unknown_province" if j == jp else "unknown_prefecture", j)]
    name, code = _cell(cells, jc), _cell(cells, ja)
    if not name and not code:
        return None, [issue("county_blank", jc if jc is not None else ja)]
    try:
        adcode = counties.resolve(code or name, province or None, prefecture or None)
    except counties.AmbiguousCounty as err:
        return None, [issue("ambiguous_county", ja if code else jc, map(str, err.listed))]
    except counties.UnknownContext as err:
        return None, [issue("not_in_context", ja if code else jc, err.suggestions)]
    except places.UnknownPlace as err:
        return None, [issue("unknown_county", ja if code else jc, err.suggestions)]
    if code and name and adcode not in counties.lookup(name):
        return None, [issue("adcode_name_mismatch", jc, [str(counties.candidate(adcode))])]
    return adcode, []


def check(raw: loader.RawTable) -> CountyReport:
    """Check every row of a county-level ``RawTable``; see the module docstring."""
    fields = _fields(raw)
    col = {f: j for j, f in fields.items()}
    named = {f: validate.cell_text(raw.header[j]) for j, f in fields.items()}
    metrics = [(j, f) for j, f in fields.items() if f in columns.metrics()]
    detected = detect(raw)
    if COUNTY not in col and columns.ADCODE not in col:
        return CountyReport(raw.file, detected, named, [CountyIssue("missing_county_column")], _empty(metrics))
    if not metrics:
        return CountyReport(raw.file, detected, named, [CountyIssue("no_metric_columns")], _empty(metrics))
    issues, records, rejected = [], [], []
    rows_of: dict[int, list[int]] = {}
    for excel_row, cells in raw.rows:
        if not any(_cell(cells, j) for j in fields):
            continue
        adcode, problems = _resolve_row(cells, col, raw, excel_row)
        values = {}
        for j, metric in metrics:
            text = _cell(cells, j)
            if text.casefold() in validate.MISSING:
                values[metric] = float("nan")
                continue
            try:
                values[metric] = float(text.rstrip("%"))
            except ValueError:
                problems.append(CountyIssue("not_numeric", excel_row, raw.letter(j), named[metric], text))
        if problems:
            issues += problems
            rejected.append(excel_row)
            continue
        rows_of.setdefault(adcode, []).append(excel_row)
        records.append({"row": excel_row, "adcode": adcode, **values})
    duplicated = {r for rows in rows_of.values() if len(rows) > 1 for r in rows}
    j = col.get(COUNTY, col.get(columns.ADCODE))
    for rec in records:
        if rec["row"] in duplicated:
            others = tuple(str(r) for r in rows_of[rec["adcode"]])
            issues.append(CountyIssue("duplicate_county", rec["row"], raw.letter(j), named.get(COUNTY),
                                      str(counties.candidate(rec["adcode"])), others))
            rejected.append(rec["row"])
    kept = [r for r in records if r["row"] not in duplicated]
    table = pd.DataFrame(kept, columns=["row", "adcode", *[m for _, m in metrics]])
    info = counties.load_counties().set_index("adcode")
    table.insert(2, "county", table["adcode"].map(info["name"]))
    table.insert(3, "prefecture", table["adcode"].map(info["prefecture"]))
    table.insert(4, "province", table["adcode"].map(info["province"]))
    issues.sort(key=lambda i: (i.row or 0, i.column or ""))
    return CountyReport(raw.file, detected, named, issues, table, sorted(rejected))


def _empty(metrics) -> pd.DataFrame:
    return pd.DataFrame(columns=["row", "adcode", "county", "prefecture", "province", *[m for _, m in metrics]])
