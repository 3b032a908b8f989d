"""Downloadable score templates pre-filled with the cities of DEI 2023.

The report evaluated 257 cities but its ranking prints 256 rows: rank 166 is missing and 亳州 is
printed twice. Only 255 cities can therefore be named; the template lists those 255 (亳州 once)
and says so, and any other city-level unit can be added as a row. The XLSX has a title row above
the header and an instructions sheet; the CSV is UTF-8 with BOM, header on line 1.
"""

from __future__ import annotations

import io
from typing import Literal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from dei_geo.core import columns, places, tabular
from dei_geo.core.i18n import Lang, t
from dei_geo.sources import datasets

Level = Literal["overall", "pillars", "indicators"]  # which metric columns a template has
LEVELS: tuple[Level, ...] = ("overall", "pillars", "indicators")


def cities() -> pd.DataFrame:
    """adcode, short name and province of the 255 distinct printed cities, in adcode order."""
    printed = datasets.load_dei_2023().printed
    info = places.load_places().set_index("adcode")
    codes = sorted(printed["adcode"].unique())
    return pd.DataFrame({"adcode": codes, "city": [info.at[a, "short_name"] for a in codes],
                         "province": [info.at[a, "province"] for a in codes]})


def metric_columns(level: Level) -> list[str]:
    """Metric ids of a template: overall; overall + pillars; or the 54 third-level indicators."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    if level == "overall":
        return [columns.SCORE]
    if level == "pillars":
        return [columns.SCORE, *columns.pillars()]
    tree = columns.tree()
    return [i for i in tree.loc[tree["level"] == 3, "id"] if i != columns.UNNAMED]


def _header(metric: str, lang: Lang) -> str:
    """Chinese names in ``zh``; ids in ``en`` (economy, economy.innovation.key_fields, …)."""
    if metric == columns.SCORE:
        return "总分" if lang == "zh" else "overall"
    return columns.label(metric, "zh") if lang == "zh" else metric


def frame(level: Level = "pillars", lang: Lang = "zh") -> pd.DataFrame:
    """The template table: adcode, city, province, then one empty column per metric."""
    c = cities()
    head = ["adcode", "城市", "省份"] if lang == "zh" else ["adcode", "city", "province"]
    out = pd.DataFrame({head[0]: c["adcode"], head[1]: c["city"], head[2]: c["province"]})
    for metric in metric_columns(level):
        out[_header(metric, lang)] = pd.Series(float("nan"), index=out.index)
    return out


def csv_bytes(level: Level = "pillars", lang: Lang = "zh") -> bytes:
    """``frame`` as CSV, UTF-8 with BOM (opens correctly in Excel on a Chinese Windows machine),
    written by the formula-safe ``tabular.to_csv``."""
    return tabular.to_csv(frame(level, lang))


def xlsx_bytes(level: Level = "pillars", lang: Lang = "zh") -> bytes:
    """An XLSX: sheet 1 has a title row, a blank row and the table; sheet 2 the instructions.
    Every cell is stored by the formula-safe ``tabular.set_cell``."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("di_tpl_sheet_data", lang)
    tabular.set_cell(ws["A1"], t("di_tpl_title", lang))
    ws["A1"].font = Font(bold=True, size=13)
    table = frame(level, lang)
    rows = [list(table.columns), *table.itertuples(index=False, name=None)]
    for r, row in enumerate(rows, start=3):  # row 2 stays blank
        for c, value in enumerate(row, start=1):
            tabular.set_cell(ws.cell(row=r, column=c), value)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "D4"
    ws.column_dimensions["A"].width, ws.column_dimensions["C"].width = 10, 16
    return with_help(wb, t("di_tpl_help", lang), lang)


def with_help(wb, text: str, lang: Lang) -> bytes:
    """``wb`` with an instructions sheet holding ``text`` (one line per row), as XLSX bytes."""
    notes = wb.create_sheet(t("di_tpl_sheet_help", lang))
    for r, line in enumerate(text.split("\n"), start=1):
        tabular.set_cell(notes.cell(row=r, column=1), line)
    notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
