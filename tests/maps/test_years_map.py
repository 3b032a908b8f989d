"""The multi-year offline HTML map (maps.years): one file, every year, deterministic, ≤ 1.5 MB."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from dei_geo.core import places, tabular
from dei_geo.maps import markup, years
from dei_geo.sources import panel


@pytest.fixture(scope="module")
def five_years():
    rng = np.random.default_rng(4)
    pl = places.load_places()
    base = rng.uniform(30, 90, len(pl))
    rows = []
    for i, year in enumerate(range(2019, 2024)):
        score = np.clip(base + rng.normal(0, 3, len(pl)) + i, 0, 100).round(1)
        rows += [{"城市": n, "年份": year, "总分": s} for n, s in zip(pl["short_name"], score)]
    rows[0]["城市"] = "{{7*7}}<script>alert(1)</script>"  # rejected as unknown, never in the page
    p = panel.read([tabular.to_csv(pd.DataFrame(rows))], names=["five.csv"])
    return p, years.prepare_years({y: p.dataset(y, f"<b>{{{{x}}}}</b> {y}") for y in p.years})


def test_five_years_of_370_units_fit_in_one_deterministic_file(five_years):
    _, ym = five_years
    html = years.to_html(ym)
    assert len(html.encode("utf-8")) <= 1_500_000
    assert html == years.to_html(ym)
    assert html.count('"type":"Feature"') + html.count('"type": "Feature"') >= 370  # one GeoJSON
    assert "{{x}}" not in html and "<b>{{" not in html  # the label is escaped text


def test_each_year_carries_its_own_colours_and_legend(five_years):
    p, ym = five_years
    data = years._year_data(ym)
    assert [y["year"] for y in data["years"]] == p.years and len(data["ids"]) == 370
    hz = data["ids"].index(330100)
    for y, pm in zip(data["years"], ym.maps):
        assert data["palette"][y["fill"][hz]] == pm.styles[330100]["fillColor"]
        tip = y["tips"][hz]
        score = p.table.set_index(["adcode", "year"]).loc[(330100, y["year"]), "score"]
        assert f"{score:.1f}" in tip
    assert data["years"][0]["legend"] != data["years"][-1]["legend"]  # scores rise: the tier counts move


def test_the_payload_is_a_safe_javascript_string(five_years):
    _, ym = five_years
    html = years.to_html(ym)
    found = re.search(r"JSON\.parse\((\".*?\")\);", html, re.S)
    assert found
    literal = found.group(1)
    assert "<" not in literal and "{{" not in literal
    assert json.loads(json.loads(literal))["years"][0]["year"] == 2019
    assert markup.JINJA_DELIMITER.search(literal) is None
