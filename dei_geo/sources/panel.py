"""Multi-year score tables: one row per (city, year), read from one or several CSV/XLSX files.

Layouts, recognised per file (or sheet):

- **long**: a year column (``城市, 年份, 总分, 数字经济, …``), checked by ``validate`` as today;
- **wide**: the year in each score header (``总分_2021``, ``2022年总分``, ``数字经济(2022)``);
- **stacked**: a row of years under a header row of score names (``总分`` over ``2021, 2022``,
  merged or not);
- **single**: no year at all: the year comes from the sheet name (``2022``), then the file name
  (``dei_2022.csv``), then the ``year`` argument; without one the file is refused (``year_missing``).

An XLSX whose sheets are named by year (two or more) is read sheet by sheet. Every year of a wide
or stacked file is checked by ``validate.check`` on its own columns, so the messages, limits and
row/column coordinates are those of a single-year file. Year rules on top: a header or file-name
year outside ``validate.YEARS`` is not a year; a file with both a year column and year headers is
refused (``mixed_layout``); a score header without a year among year headers is listed and not
imported (``yearless_column``); the same city twice in one year, also across files, keeps none
of the rows (``duplicate_city``, ``duplicate_across_files``); a city present in some years only is
kept and listed (``partial_years``); missing years between the first and the last are noted
(``year_gap``). A city under a former name (``襄樊``) is read as today's unit through
``data/place_renames.csv`` (State Council renames, with their source) and noted (``renamed_city``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dei_geo.core import columns, paths, places
from dei_geo.core.i18n import Lang, t
from dei_geo.sources import datasets, limits, loader, validate

RENAMES = paths.DATA / "place_renames.csv"
LAYOUTS = ("long", "wide", "stacked", "single")
_YEAR = r"(?<!\d)((?:19|20)\d\d)(?!\d)"
_HEAD_YEAR = re.compile(r"^(?:(?P<y1>(?:19|20)\d\d)年?[\s_\-·.]*(?P<a>\D.*)"
                        r"|(?P<b>.*?\D)[\s_\-·.]*[(（]?(?P<y2>(?:19|20)\d\d)年?[)）]?)$")
# panel issue code → (what is wrong, how to fix it); the other codes are validate's
PANEL_TEXT = {
    "year_missing": ("yr_year_missing", "yr_year_missing_fix"),
    "year_ambiguous": ("yr_year_ambiguous", "yr_year_ambiguous_fix"),
    "mixed_layout": ("yr_mixed_layout", "yr_mixed_layout_fix"),
    "yearless_column": ("yr_yearless_column", "yr_yearless_column_fix"),
    "year_header_invalid": ("yr_year_header_invalid", "yr_year_header_invalid_fix"),
    "renamed_city": ("yr_renamed_city", "yr_renamed_city_fix"),
    "partial_years": ("yr_partial_years", "yr_partial_years_fix"),
    "year_gap": ("yr_year_gap", "yr_year_gap_fix"),
    "duplicate_across_files": ("yr_duplicate_across_files", "yr_duplicate_across_files_fix"),
    "year_from_name": ("yr_year_from_name", "yr_year_from_name_fix"),
}


@dataclass(frozen=True, slots=True)
class PanelIssue(validate.Issue):
    """A problem of a multi-year import: a year rule (``PANEL_TEXT``) or one of ``validate``'s."""

    def why(self, lang: Lang = "zh") -> str:
        if self.code in PANEL_TEXT:
            return t(PANEL_TEXT[self.code][0], lang, **self._fmt(lang))
        return validate.Issue.why(self, lang)

    def fix(self, lang: Lang = "zh") -> str:
        if self.code in PANEL_TEXT:
            return t(PANEL_TEXT[self.code][1], lang, **self._fmt(lang))
        return validate.Issue.fix(self, lang)


@dataclass(frozen=True)
class Part:
    """One year (or all years, for a long table) of one file or sheet, as ``validate`` checked it."""

    file: str
    sheet: str | None
    layout: str
    year: int | None  # None: the years are in a column (long)
    report: validate.Report
    headers: dict[str, str] = field(default_factory=dict)  # column as checked → header as written


@dataclass(frozen=True)
class Panel:
    """Scores by city and year. ``table``: adcode, city, year, the metric columns, file, sheet, row
    (the Excel row), one row per (adcode, year). ``issues``: every problem, validate's and the year
    rules'. ``parts``: one validate report per file/sheet/year read. ``renamed``: file, sheet, row,
    written, adcode (cities read under a former name)."""

    table: pd.DataFrame
    issues: list[validate.Issue]
    parts: list[Part]
    renamed: pd.DataFrame

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.table["year"].unique())

    @property
    def metrics(self) -> list[str]:
        """Metric columns with at least one value, in ``columns.metrics()`` order."""
        return [m for m in columns.metrics() if m in self.table and self.table[m].notna().any()]

    @property
    def errors(self) -> list[validate.Issue]:
        return [i for i in self.issues if i.severity == "error" and i.code != "report_more"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def layouts(self) -> dict[str, str]:
        """``file`` (``file [sheet]``) → layout read."""
        return {_where(p.file, p.sheet): p.layout for p in self.parts}

    def wide(self, metric: str = columns.SCORE) -> pd.DataFrame:
        """``metric`` as a matrix: one row per adcode (sorted), one column per year, NaN where absent."""
        out = self.table.pivot(index="adcode", columns="year", values=metric)
        return out.reindex(columns=self.years).sort_index()

    def coverage(self) -> pd.DataFrame:
        """adcode, city, years (the years with a score row), n_years."""
        g = self.table.groupby("adcode")["year"]
        out = pd.DataFrame({"years": g.apply(lambda s: sorted(int(y) for y in s)), "n_years": g.nunique()})
        out.insert(0, "city", [places.display_name(a) for a in out.index])
        return out.reset_index()

    def dataset(self, year: int, label: str | None = None) -> datasets.Dataset:
        """The cities of one year as a ``Dataset`` (ranks and tiers among that year's cities)."""
        if year not in self.years:
            raise ValueError(f"no data for {year}; the years are {', '.join(map(str, self.years))}")
        rows = self.table[self.table["year"] == year]
        keep = ["adcode", "city", "year", *self.metrics]
        return datasets.from_table(rows[keep], label or str(year), meta={"year": year})

    def rejected_frame(self, lang: Lang = "zh") -> pd.DataFrame:
        """Every rejected row of every part, as written, with file, sheet, the year (of a wide,
        stacked or single-year part) and the reasons."""
        frames = []
        for p in self.parts:
            f = p.report.rejected_frame(lang).rename(columns=p.headers)
            if f.empty:
                continue
            f.insert(0, t("di_col_file", lang), p.file)
            f.insert(1, t("di_col_sheet", lang), p.sheet or "")
            if p.year is not None:  # a long table's rows show their own year column
                f.insert(2, t("yr_col_year", lang), str(p.year), allow_duplicates=True)
            frames.append(f)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def issues_frame(self, lang: Lang = "zh") -> pd.DataFrame:
        return validate.Report("", self.issues, pd.DataFrame(), pd.DataFrame()).issues_frame(lang)

    def to_dict(self, lang: Lang = "zh") -> dict:
        """JSON-ready summary: years, layouts, rows, coverage, renames and every issue."""
        cov = self.coverage()
        return {
            "years": self.years, "metrics": self.metrics, "layouts": self.layouts, "valid": self.ok,
            "rows": len(self.table), "cities": int(self.table["adcode"].nunique()),
            "rows_by_year": {str(y): int(n) for y, n in self.table.groupby("year").size().items()},
            "cities_all_years": int((cov["n_years"] == len(self.years)).sum()),
            "rows_rejected": sum(len(p.report.rejected) for p in self.parts),
            "renamed": self.renamed.to_dict("records"),
            "issues": [{"severity": i.severity, "code": i.code, "file": i.file, "sheet": i.sheet,
                        "row": i.row, "column": i.column, "header": validate.shown(i.header),
                        "value": validate.shown(i.value), "why": i.why(lang), "fix": i.fix(lang)}
                       for i in self.issues],
        }


def _where(file: str, sheet: str | None) -> str:
    return f"{file} [{sheet}]" if sheet else file


@lru_cache(maxsize=1)
def renames() -> dict[str, tuple[int, int]]:
    """Former name (cleaned) → (adcode, year renamed), from ``data/place_renames.csv``."""
    t_ = pd.read_csv(RENAMES, dtype={"adcode": int, "renamed": int})
    return {places.clean(n): (a, y) for n, a, y in zip(t_["former_name"], t_["adcode"], t_["renamed"])}


def header_year(header) -> tuple[str | None, int | None, bool]:
    """(metric id, year, plausible) of a header naming a metric and a year: ``总分_2021`` →
    (``score``, 2021, True); a bare year ``2021`` → (None, 2021, True); no year → (None, None, False).
    ``plausible`` is False for a year outside ``validate.YEARS`` (``总分_2150`` never reads as 2150
    since only 19xx/20xx are years; ``总分_1985`` is a year, not a plausible one)."""
    text = places.clean(validate.cell_text(header)).strip()
    if not text:
        return None, None, False
    bare = re.fullmatch(r"((?:19|20)\d\d)(?:\.0+)?年?", text)
    if bare:
        year = int(bare.group(1))
        return None, year, validate.YEARS[0] <= year <= validate.YEARS[1]
    found = _HEAD_YEAR.match(text)
    if not found:
        return None, None, False
    name = (found.group("a") or found.group("b") or "").strip(" _-·.（(")
    year = int(found.group("y1") or found.group("y2"))
    metric = columns.match(name)
    if metric not in columns.metrics():
        return None, None, False
    return metric, year, validate.YEARS[0] <= year <= validate.YEARS[1]


def name_year(text: str | None) -> tuple[int | None, list[int]]:
    """The year a sheet or file name states: (year, []) for one plausible year; (None, years) for
    several; (None, []) for none. ``dei_2022.csv``, ``2022年城市数字化发展指数.xlsx`` → 2022."""
    if not text:
        return None, []
    stem = Path(text).stem if "." in text else text
    found = sorted({int(y) for y in re.findall(_YEAR, places.clean(stem))
                    if validate.YEARS[0] <= int(y) <= validate.YEARS[1]})
    return (found[0], []) if len(found) == 1 else (None, found)


def _resolve_renames(raw: loader.RawTable) -> tuple[loader.RawTable, list[dict]]:
    """``raw`` with a city cell holding a former name (襄樊) replaced by today's official name, and
    the rows replaced (file, sheet, row, written, adcode, renamed)."""
    city = [j for j, h in enumerate(raw.header) if columns.match(h) == columns.CITY]
    known = renames()
    if not city:
        return raw, []
    j, found, rows = city[0], [], []
    for excel_row, cells in raw.rows:
        cell = cells[j] if j < len(cells) else None
        key = validate.normalised(cell)
        if key in known and not places.lookup(key):
            adcode, year = known[key]
            cells = [*cells[:j], places.display_name(adcode, short=False), *cells[j + 1:]]
            found.append({"file": raw.file, "sheet": raw.sheet, "row": excel_row,
                          "written": validate.cell_text(cell), "adcode": adcode,
                          "city": places.display_name(adcode), "renamed": year})
        rows.append((excel_row, cells))
    return (dataclasses.replace(raw, rows=rows) if found else raw), found


def _plan(raw: loader.RawTable) -> tuple[str, dict[int, tuple[str, int, str]], list[PanelIssue], int]:
    """(layout, column → (metric, year, header as written) for wide/stacked, issues, body rows to
    skip)."""
    base = {"file": raw.file, "sheet": raw.sheet}
    year_col = [j for j, h in enumerate(raw.header) if columns.match(h) == columns.YEAR]
    by_year: dict[int, tuple[str, int]] = {}
    issues: list[PanelIssue] = []
    for j, head in enumerate(raw.header):
        metric, year, plausible = header_year(head)
        if metric and not plausible:
            issues.append(PanelIssue("year_header_invalid", row=raw.header_row, column=raw.letter(j),
                                     header=validate.cell_text(head), severity="warning",
                                     params={"year": year}, **base))
        elif metric:
            by_year[j] = (metric, year, validate.cell_text(head))
    skip = 0
    if not by_year and raw.rows:  # stacked: a row of years under the score names
        first_row, cells = raw.rows[0]
        years = {j: header_year(c) for j, c in enumerate(cells) if validate.cell_text(c).strip()}
        if len(years) >= 2 and all(m is None and y for m, y, _ in years.values()):
            last, name = None, ""
            for j in range(max(years) + 1):
                head = raw.header[j] if j < len(raw.header) else None
                if validate.cell_text(head).strip():
                    last = columns.match(head) if columns.match(head) in columns.metrics() else None
                    name = validate.cell_text(head).strip()
                if j in years and last is not None:
                    _, year, plausible = years[j]
                    if plausible:
                        by_year[j] = (last, year, f"{name} {year}")
                    else:
                        issues.append(PanelIssue("year_header_invalid", row=first_row, column=raw.letter(j),
                                                 header=validate.cell_text(cells[j]), severity="warning",
                                                 params={"year": year}, **base))
            skip = 1 if by_year else 0
    if year_col and by_year:
        headers = [validate.cell_text(raw.header[j]) for j in sorted(by_year)]
        issues.append(PanelIssue("mixed_layout", row=raw.header_row, column=raw.letter(year_col[0]),
                                 header=validate.cell_text(raw.header[year_col[0]]),
                                 params={"headers": headers}, **base))
        return "mixed", by_year, issues, 0
    if year_col:
        return "long", {}, issues, 0
    if by_year:
        for j, head in enumerate(raw.header):
            if j not in by_year and columns.match(head) in columns.metrics():
                issues.append(PanelIssue("yearless_column", row=raw.header_row, column=raw.letter(j),
                                         header=validate.cell_text(head), severity="warning", **base))
        return ("stacked" if skip else "wide"), by_year, issues, skip
    return "single", {}, issues, 0


def _slice(raw: loader.RawTable, by_year: dict[int, tuple[str, int, str]], year: int, skip: int
           ) -> tuple[loader.RawTable, dict[str, str]]:
    """The columns of one year as a single-year table: the score headers of ``year`` renamed to
    their metric id, other years' and yearless score columns blanked, the other columns kept; rows
    with no value for ``year`` left out (a city absent that year). Column letters and row numbers
    stay those of the file. Also: metric id → header as written."""
    mine = {j: m for j, (m, y, _) in by_year.items() if y == year}
    width = max([len(raw.header), *(len(c) for _, c in raw.rows)])
    full = [*raw.header, *[None] * (width - len(raw.header))]
    drop = {j for j in by_year if j not in mine} | {
        j for j, h in enumerate(full) if j not in by_year and columns.match(h) in columns.metrics()}
    header = [mine.get(j, None if j in drop else h) for j, h in enumerate(full)]
    rows = []
    for excel_row, cells in raw.rows[skip:]:
        if not any(validate.cell_text(cells[j]).strip() for j in mine if j < len(cells)):
            continue
        rows.append((excel_row, [None if j in drop else c for j, c in enumerate(cells)]))
    written = {m: by_year[j][2] for j, m in mine.items()}
    return dataclasses.replace(raw, header=header, rows=rows), written


def _with_year(report: validate.Report, year: int) -> validate.Report:
    table = report.table.copy()
    table.insert(2, "year", year)
    return dataclasses.replace(report, table=table)


def _read_one(raw: loader.RawTable, year: int | None) -> tuple[list[Part], list[validate.Issue], list[dict]]:
    """The parts of one sheet/file, its year-rule issues and its renamed cities."""
    raw, renamed = _resolve_renames(raw)
    base = {"file": raw.file, "sheet": raw.sheet}
    issues: list[validate.Issue] = [
        PanelIssue("renamed_city", row=r["row"], value=r["written"], severity="info",
                   params={"city": r["city"], "adcode": r["adcode"], "renamed": r["renamed"]}, **base)
        for r in renamed]
    layout, by_year, plan_issues, skip = _plan(raw)
    issues += plan_issues
    if layout == "mixed":
        return [], issues, renamed
    if layout == "long":
        return [Part(raw.file, raw.sheet, layout, None, validate.check(raw))], issues, renamed
    if layout == "single":
        found, several = name_year(raw.sheet)
        source = "sheet"
        if found is None and not several:
            found, several = name_year(raw.file)
            source = "file"
        if found is None and year is None:
            code = "year_ambiguous" if several else "year_missing"
            issues.append(PanelIssue(code, params={"years": several}, **base))
            return [], issues, renamed
        if found is None:
            found, source = year, "argument"
        if source != "argument":
            issues.append(PanelIssue("year_from_name", severity="info",
                                     params={"year": found, "name": raw.sheet if source == "sheet" else raw.file},
                                     **base))
        return [Part(raw.file, raw.sheet, layout, found, _with_year(validate.check(raw), found))], issues, renamed
    parts, seen = [], set()
    for y in sorted({y for _, y, _ in by_year.values()}):
        piece, written = _slice(raw, by_year, y, skip)
        if not piece.rows:
            continue
        report = _with_year(validate.check(piece), y)
        fresh = []
        for i in report.issues:  # a header problem is said once, not once per year
            key = (i.code, i.column) if i.row == raw.header_row else None
            if key is None or key not in seen:
                fresh.append(dataclasses.replace(i, header=written.get(i.header, i.header)))
                seen.add(key)
        parts.append(Part(raw.file, raw.sheet, layout, y, dataclasses.replace(report, issues=fresh), written))
    kept = {r for p in parts for r in p.report.table["row"]} | {
        r for p in parts for r in p.report.rejected["row"]}
    for excel_row, cells in raw.rows[skip:]:  # a named city with no value in any year: said, not lost
        if excel_row not in kept and any(validate.cell_text(c).strip() for c in cells):
            issues.append(validate.Issue("no_value", raw.file, row=excel_row, severity="warning",
                                         sheet=raw.sheet, params={"columns": [
                                             by_year[j][2] for j in sorted(by_year)]}))
    return parts, issues, renamed


def _raws(source, name: str | None, sheet: str | None) -> list[loader.RawTable]:
    """The tables of one file: the sheet asked for, every sheet named by a year (two or more), or
    the sheet ``loader.read`` picks."""
    first = loader.read(source, name=name, sheet=sheet)
    if sheet is not None or len(first.sheets) < 2:
        return [first]
    yearly = [s for s in first.sheets if re.fullmatch(r"\s*(?:19|20)\d\d\s*年?\s*", s)]
    if len(yearly) < 2:
        return [first]
    return [first if s == first.sheet else loader.read(source, name=name, sheet=s) for s in yearly]


def read(sources, names: list[str] | None = None, sheet: str | None = None,
         year: int | None = None) -> Panel:
    """Read one or several files (paths or bytes; ``names`` for bytes) into a ``Panel``.

    ``year`` is the year of a single-year file whose sheet and file name state none. A file that
    cannot be read at all becomes one issue (as in ``validate.validate``); the others are read."""
    sources = list(sources) if isinstance(sources, (list, tuple)) else [sources]
    names = list(names) if names else [None] * len(sources)
    parts: list[Part] = []
    issues: list[validate.Issue] = []
    renamed: list[dict] = []
    for source, name in zip(sources, names):
        try:
            raws = _raws(source, name, sheet)
        except loader.FileProblem as p:
            issues.append(validate.Issue(p.code, p.file, row=p.row, column=p.params.get("column"),
                                         sheet=p.sheet, params=p.params))
            continue
        for raw in raws:
            got, said, moved = _read_one(raw, year)
            parts += got
            issues += said
            renamed += moved
    for p in parts:
        issues += p.report.issues
    table, more = _combine(parts)
    issues += more + _coverage_notes(table)
    renamed_frame = pd.DataFrame(renamed, columns=["file", "sheet", "row", "written", "adcode", "city",
                                                   "renamed"])
    return Panel(table, issues, parts, renamed_frame)


def _combine(parts: list[Part]) -> tuple[pd.DataFrame, list[validate.Issue]]:
    """The parts' accepted rows as one table; a (city, year) from two parts keeps neither."""
    frames = []
    for p in parts:
        f = p.report.table.copy()
        f["file"], f["sheet"] = p.file, p.sheet
        frames.append(f)
    keys = ["row", "adcode", "city", "year"]
    if not frames:
        return pd.DataFrame({k: pd.Series(dtype=int if k != "city" else object) for k in keys}), []
    table = pd.concat(frames, ignore_index=True)
    table["year"] = table["year"].astype(int)
    dup = table.duplicated(["adcode", "year"], keep=False)
    issues = []
    for (adcode, y), g in table[dup].groupby(["adcode", "year"]):
        where = [f"{_where(f, s)} {r}" for f, s, r in zip(g["file"], g["sheet"], g["row"])]
        for r in g.itertuples():
            issues.append(PanelIssue("duplicate_across_files", r.file, row=int(r.row), sheet=r.sheet,
                                     params={"city": places.display_name(adcode), "year": int(y),
                                             "rows": where}))
    table = table[~dup]
    metrics = [m for m in columns.metrics() if m in table]
    table = table[[*keys, *metrics, "file", "sheet"]].sort_values(["year", "adcode"])
    return table.reset_index(drop=True), issues[:limits.REPORT_PER_CODE * 5]


def _coverage_notes(table: pd.DataFrame) -> list[validate.Issue]:
    """Cities present in some years only; years missing between the first and the last."""
    if table.empty:
        return []
    years = sorted(table["year"].unique())
    out = []
    gap = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if gap:
        out.append(PanelIssue("year_gap", "", severity="info",
                              params={"years": [int(y) for y in years], "missing": [int(y) for y in gap]}))
    n = table.groupby("adcode")["year"].nunique()
    partial = n[n < len(years)]
    if len(years) > 1 and len(partial):
        cities = [places.display_name(a) for a in partial.index]
        out.append(PanelIssue("partial_years", "", severity="info",
                              params={"n": len(partial), "cities": cities, "all": len(years)}))
    return out
