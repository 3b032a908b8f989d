"""A multi-year score template: the single-year template (``template``) repeated once per year, in
the long layout ``sources.panel`` reads (adcode, 城市, 省份, 年份, then the score columns)."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from dei_geo.core import tabular
from dei_geo.core.i18n import Lang, t
from dei_geo.sources import template


def frame(years: list[int], level: template.Level = "pillars", lang: Lang = "zh") -> pd.DataFrame:
    """One row per city and year (years in the order given, cities in adcode order within a year)."""
    if not years or len(set(years)) != len(years):
        raise ValueError("give one or more distinct years")
    one = template.frame(level, lang)
    head = t("yr_col_year", lang)
    parts = []
    for year in years:
        part = one.copy()
        part.insert(3, head, year)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def csv_bytes(years: list[int], level: template.Level = "pillars", lang: Lang = "zh") -> bytes:
    """``frame`` as CSV, UTF-8 with BOM, formula-safe (``tabular.to_csv``)."""
    return tabular.to_csv(frame(years, level, lang))


def xlsx_bytes(years: list[int], level: template.Level = "pillars", lang: Lang = "zh") -> bytes:
    """An XLSX: the long table with its header on row 1 (frozen), and an instructions sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("di_tpl_sheet_data", lang)
    table = frame(years, level, lang)
    for r, row in enumerate([list(table.columns), *table.itertuples(index=False, name=None)], start=1):
        for c, value in enumerate(row, start=1):
            tabular.set_cell(ws.cell(row=r, column=c), value)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "E2"
    return template.with_help(wb, t("yr_tpl_help", lang), lang)
