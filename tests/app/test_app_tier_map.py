"""The tier transitions between two years of an upload on the map page (the full app, AppTest):
offered beside the score and rank change once the change map is switched on, in the URL's
``metric``, drawn as categories whose legend names the two years."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.app import leaflet
from dei_geo.maps import web

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
# 2022 → 2023: 北京 same, 上海 up one, 杭州 up two, 拉萨 down one, 成都 down two; 西安 / 南京 one year
PANEL = ("城市,年份,总分\n北京,2022,90\n北京,2023,91\n上海,2022,70\n上海,2023,88\n杭州,2022,45\n"
         "杭州,2023,70\n拉萨,2022,45\n拉萨,2023,38\n成都,2022,86\n成都,2023,52\n西安,2022,60\n南京,2023,70\n")


def page(name: str) -> str:
    return f"dei_geo/app/pages/{name}.py"


@pytest.fixture
def drawn(monkeypatch):
    """The PreparedMap the map page draws (every run builds its own base map)."""
    got = {}
    build_map = web.build_map
    monkeypatch.setattr(leaflet, "_static", lambda key, build, widget_key: leaflet.static_args(build(), widget_key))

    def record(pm, *a, **kw):
        got["pm"] = pm
        return build_map(pm, *a, **kw)

    monkeypatch.setattr(web, "build_map", record)
    return got


def test_tier_transitions_are_a_map_metric_with_categories(drawn):
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.switch_page(page("data")).run()
    at.file_uploader(key="di_file").set_value(("panel.csv", PANEL.encode(), "text/csv")).run()
    at.toggle(key="yr_map_change").set_value(True).run()
    assert not at.exception, at.exception
    at.switch_page(page("map")).run()
    options = at.sidebar.selectbox(key="w_metric_zh").options
    assert {"较起始年份的变化", "排名变化（较起始年份）", "分级变化（较起始年份）"} <= set(options)
    at.sidebar.selectbox(key="w_metric_zh").set_value("tier_year_change").run()
    assert not at.exception, at.exception
    assert dict(at.query_params)["metric"] in ("tier_year_change", ["tier_year_change"])  # in the URL
    pm = drawn["pm"]
    assert "分级变化（较起始年份）" in pm.title
    assert {r.label: r.count for r in pm.legend} == {
        "升两级及以上": 1, "升一级": 1, "不变": 1, "降一级": 1, "降两级及以上": 1, "仅一年有数据": 2, "无数据": 363}
    assert any("2022 年 → 2023 年" in note for note in pm.notes)
    tips = {f["id"]: f["properties"]["tip"] for f in pm.cities["features"]}
    assert "2022 → 2023：二线城市 → 四线城市" not in tips[510100] and "一线城市 → 二线城市" in tips[510100]


def test_the_urls_metric_opens_the_tier_map_in_english(drawn):
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(page("data")).run()
    at.file_uploader(key="di_file").set_value(("panel.csv", PANEL.encode(), "text/csv")).run()
    at.toggle(key="yr_map_change").set_value(True).run()
    at.switch_page(page("map")).run()
    assert "Tier change" not in drawn["pm"].title  # the overall score first
    at.query_params["metric"] = "tier_year_change"  # a link (or Back) naming the metric
    at.run()
    assert not at.exception, at.exception
    assert "Tier change (since the start year)" in drawn["pm"].title
    legend = pd.Series({r.label: r.count for r in drawn["pm"].legend})
    assert list(legend.index[:6]) == ["Up two tiers or more", "Up one tier", "Same tier", "Down one tier",
                                      "Down two tiers or more", "Data in one year only"]
    assert legend.sum() == 370 and legend["Data in one year only"] == 2
