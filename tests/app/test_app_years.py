"""Your data over years on the data page (AppTest through the data-panel page): the map's year on
a slider, the dynamics in words, the risers between two years, a city's trajectory, the offline
year-slider map."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.core import tiers as tiers_mod
from dei_geo.sources import datasets

APP = str(Path(__file__).resolve().parents[1] / "apps" / "data_panel_app.py")


def _panel_csv() -> bytes:
    """Three years of overall scores for the 2023 cities: 2023's scores with a seeded drift."""
    scores = datasets.load_dei_2023().scores.dropna(subset=["score", "adcode"]).drop_duplicates("adcode")
    rng = np.random.default_rng(11)
    rows = ["城市代码,年份,总分"]
    for year, shift in ((2021, -6.0), (2022, -3.0), (2023, 0.0)):
        noise = rng.normal(0, 2.0, len(scores))
        rows += [f"{int(a)},{year},{min(99.0, s + shift + e):.1f}" for a, s, e in
                 zip(scores["adcode"], scores["score"], noise)]
    return ("\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.file_uploader(key="di_file").set_value(("panel.csv", _panel_csv(), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def test_several_years_bring_the_slider_risers_and_map(app):
    assert app.select_slider(key="di_year").value == 2023  # the map shows the last year
    assert any("多年数据：2021–2023（3 年）" in s.value for s in app.subheader)
    risers = next(d.value for d in app.dataframe if "上升名次" in d.value.columns)
    assert len(risers) == 10 and (risers["上升名次"] > 0).all()
    assert list(risers.columns[1:3]) == ["2022 年排名", "2023 年排名"]
    assert "下载带年份滑块的离线地图（HTML）" in [b.label for b in app.download_button]
    app.select_slider(key="di_year").set_value(2021).run()
    assert not app.exception and app.session_state["returned"]["label"].endswith("2021")


def test_dynamics_in_words_and_a_pointer_to_the_citys_card(app):
    app.session_state["selected_city"] = 330100
    app.toggle(key="yr_compute").set_value(True).run()
    assert not app.exception, app.exception
    said = " ".join(m.value for m in app.markdown)
    assert "分级转移" in said or "转移" in said
    assert "杭州的历年轨迹" not in said  # one trajectory: on the map page's card (test_app_trajectory)
    assert any("显示在地图页的城市卡片上" in c.value for c in app.caption)
    assert not any("年份" in d.value.columns for d in app.dataframe)


def test_the_change_between_two_years_is_mapped_around_zero(app):
    app.toggle(key="yr_map_change").set_value(True).run()
    assert not app.exception, app.exception
    returned = app.session_state["returned"]
    assert {"year_change", "rank_year_change", "tier_year_change"} <= set(returned["metrics"])
    assert returned["label"].endswith("2022→2023")
    app.selectbox(key="metric").set_value("rank_year_change").run()
    assert not app.exception, app.exception
    title = " ".join(c.value for c in app.caption)
    assert "排名变化（较起始年份）" in title and "个共有城市之间的排名" in title


def test_the_tier_transitions_between_two_years_are_map_categories(app):
    app.toggle(key="yr_map_change").set_value(True).run()
    app.selectbox(key="metric").set_value("tier_year_change").run()
    assert not app.exception, app.exception
    assert any("分级变化（较起始年份）" in c.value for c in app.caption)  # the map's title
    legend = app.session_state["legend"]
    assert list(legend) == ["升两级及以上", "升一级", "不变", "降一级", "降两级及以上", "仅一年有数据", "无数据"]
    table = pd.read_csv(io.BytesIO(_panel_csv()))
    tiers = {y: tiers_mod.classify(g.set_index("城市代码")["总分"]) for y, g in table.groupby("年份")}
    order = {t: i for i, t in enumerate(tiers_mod.load_tiers()["tier"])}
    steps = (tiers[2022].astype(object).map(order) - tiers[2023].astype(object).map(order)).dropna()  # + = up
    assert legend["升一级"] == (steps == 1).sum() > 0 and legend["降一级"] == (steps == -1).sum() > 0
    assert legend["不变"] == (steps == 0).sum() and legend["升两级及以上"] == (steps >= 2).sum()
    assert sum(legend.values()) == 370
