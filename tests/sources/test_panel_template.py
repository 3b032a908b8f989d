"""The multi-year template (sources.panel_template): every city for every year; filled, it reads back."""

import io

from openpyxl import load_workbook

from dei_geo.core import tabular
from dei_geo.sources import loader, panel, panel_template


def test_template_has_every_city_for_every_year_and_reads_back():
    years = [2021, 2022, 2023]
    frame = panel_template.frame(years, "overall", "zh")
    assert len(frame) == 255 * 3 and list(frame.columns[:4]) == ["adcode", "城市", "省份", "年份"]
    raw = loader.read(panel_template.csv_bytes(years, "overall"), name="tpl.csv")
    assert raw.header[:4] == ["adcode", "城市", "省份", "年份"]
    filled = frame.assign(总分=50.0)
    p = panel.read([tabular.to_csv(filled)], names=["filled.csv"])
    assert p.ok and p.years == years and len(p.table) == 255 * 3


def test_xlsx_template_has_the_header_on_row_one_and_instructions():
    wb = load_workbook(io.BytesIO(panel_template.xlsx_bytes([2022, 2023], "pillars", "en")))
    data, help_ = wb.worksheets
    assert [c.value for c in data[1]][:4] == ["adcode", "city", "province", "Year"]
    assert data.max_row == 1 + 255 * 2
    assert "long layout" in help_["A1"].value
