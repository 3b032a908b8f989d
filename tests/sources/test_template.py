"""Templates: the cities they list (honestly 255), their layout, and template → fill → validate → map."""

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dei_geo.analysis import index
from dei_geo.core import columns
from dei_geo.maps import web
from dei_geo.sources import datasets, template, validate


def test_lists_the_255_nameable_cities_once():
    c = template.cities()
    ds = datasets.load_dei_2023()
    assert len(c) == 255 and c["adcode"].is_unique
    assert set(c["adcode"]) == set(ds.scores["adcode"])
    assert (c["city"] == "亳州").sum() == 1


def test_the_257_256_255_gap_is_stated():
    for lang, words in {"zh": ["257", "256", "166", "亳州", "255"],
                        "en": ["257", "256", "166", "亳州", "255"]}.items():
        wb = openpyxl.load_workbook(io.BytesIO(template.xlsx_bytes("pillars", lang)))
        help_text = "\n".join(str(r[0]) for r in wb.worksheets[1].iter_rows(values_only=True))
        assert all(w in help_text for w in words)


@pytest.mark.parametrize("level, n", [("overall", 1), ("pillars", 6), ("indicators", 53)])
def test_levels(level, n):
    zh, en = template.frame(level, "zh"), template.frame(level, "en")
    assert list(zh.columns[:3]) == ["adcode", "城市", "省份"] and len(zh.columns) == 3 + n
    assert all(columns.match(h) is not None for h in [*zh.columns, *en.columns])
    assert [columns.match(h) for h in zh.columns[3:]] == [columns.match(h) for h in en.columns[3:]]


def test_csv_has_a_bom_and_xlsx_a_title_row():
    assert template.csv_bytes().startswith(b"\xef\xbb\xbf")
    wb = openpyxl.load_workbook(io.BytesIO(template.xlsx_bytes()))
    assert wb.sheetnames == ["数据", "说明"]
    ws = wb["数据"]
    assert "数据模板" in ws["A1"].value and ws["A2"].value is None and ws["A3"].value == "adcode"
    assert ws.max_row == 3 + 255


def test_unfilled_template_is_valid_and_has_nothing_to_map():
    r = validate.validate(template.xlsx_bytes(), name="t.xlsx")
    assert r.ok and r.table.empty and r.header_row == 3  # no score anywhere: nothing imported
    assert r.issues[0].code == "info_column"  # 省份: recognised, not used
    assert {i.code for i in r.issues[1:]} <= {"no_value", "report_more"} and len(r.rejected) == 255
    assert r.issues[1].code == "no_value"  # each row is said (the list capped by the input limits)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip_template_fill_validate_map(lang):
    rng = np.random.default_rng(7)
    wb = openpyxl.load_workbook(io.BytesIO(template.xlsx_bytes("indicators", lang)))
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=4, min_col=4):
        for cell in row:
            cell.value = round(float(rng.uniform(20, 100)), 1)
    ws.cell(row=5, column=4).value = None  # one blank indicator: reported, not zero
    ws.cell(row=6, column=1).value = None  # a row keyed by name only, with a typo: rejected
    ws.cell(row=6, column=2).value = "杭洲"
    ws.cell(row=7, column=2).value = "宁波"  # adcode and name disagree: rejected
    out = io.BytesIO()
    wb.save(out)

    report = validate.validate(out.getvalue(), name="filled.xlsx")
    assert [(i.code, i.cell) for i in report.errors] == [("unknown_city", "B6"),
                                                         ("adcode_city_mismatch", "B7")]
    assert len(report.table) == 253 and list(report.rejected["row"]) == [6, 7]
    ds, result = index.score_dataset(report.table, "filled")
    assert ds.scores["score"].notna().sum() == 252 and len(result.gaps) == 1
    assert ds.scores["score"].dropna().between(20, 100).all()

    pm = web.prepare_map(ds, metric="score", lang=lang)
    assert len(pm.cities["features"]) == 370
    counts = {row.label: row.count for row in pm.legend}
    assert counts[web.t("di_metric_missing", lang)] == 1
    assert counts[web.t("di_no_data", lang)] == 370 - 253  # not in the file: no data, not 未参评
    assert sum(counts.values()) == 370
    pillar = web.prepare_map(ds, metric="economy", scheme="quantiles", lang=lang)
    assert sum(r.count for r in pillar.legend) == 370


def test_filled_csv_template_round_trips_through_gbk():
    f = template.frame("pillars")
    f["总分"] = np.linspace(30, 95, len(f)).round(1)
    r = validate.validate(f.to_csv(index=False).encode("gbk"), name="gbk.csv")
    assert r.ok and r.encoding == "GB18030"
    ds, _ = index.score_dataset(r.table, "gbk")
    assert ds.scores["rank"].min() == 1 and ds.scores["tier"].notna().all()
    assert pd.Series(ds.scores["score"]).max() == 95.0
