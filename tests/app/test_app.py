"""The Streamlit app, driven by Streamlit's AppTest (no browser)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at


def test_opens_in_chinese_on_the_2023_tier_map(app):
    assert app.title[0].value == "城市数字化发展指数地图"
    tiers, ranking = app.dataframe[0].value, app.dataframe[1].value
    assert list(tiers["印刷行数"]) == [6, 56, 84, 98, 12]
    assert list(tiers["报告所述"]) == [6, 56, 84, 99, 12]
    assert len(ranking) == 256 and ranking.iloc[0]["城市"] == "上海"
    assert (ranking["城市"] == "亳州").sum() == 2
    notes = " ".join(md.value for md in app.markdown)
    assert "亳州" in notes and "166" in notes and "55.3" in notes


def test_english_switch_and_classification(app):
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "City Digital Development Index map"
    assert "Rank" in app.dataframe[1].value.columns
    app.sidebar.selectbox(key="scheme_en").set_value("natural_breaks").run()
    assert not app.exception
    assert app.sidebar.slider(key="k").value == 5


def test_pillar_metric_says_most_cities_are_unpublished(app):
    app.sidebar.selectbox(key="metric_zh").set_value("economy").run()
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "只公布了 25 个分项得分" in captions and "未公布" in captions
    app.sidebar.selectbox(key="scheme_zh").set_value("quantiles").run()
    app.sidebar.slider(key="k").set_value(7).run()
    assert not app.exception  # 5 published values cannot make 7 classes: a warning, not a crash
    assert any("无法分为 7 级" in w.value for w in app.warning)
    assert app.dataframe and app.tabs  # the rest of the page is still there


def test_regions_and_export_tabs_render(app):
    headers = " ".join(h.value for h in app.subheader)
    assert "导出" in headers
    region_tables = [df.value for df in app.dataframe if "区域" in " ".join(map(str, df.value.columns))]
    assert region_tables and len(region_tables[0]) > 30  # national row, clusters, circles


def test_city_card_from_a_link_shows_its_regions_and_lisa_class():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "hangzhou"
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "长三角城市群（全部纳入）" in text
    assert "LISA：" in text and "Gi*：" in text


def test_region_layers_are_chosen_in_the_sidebar(app):
    picker = app.sidebar.multiselect(key="layers")
    assert picker.value == []  # the first map loads without the extra layers
    picker.set_value(["cores", "lisa"]).run()
    assert not app.exception


def test_links_cannot_inject_markdown_and_ambiguous_links_offer_choices():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "**通知**[重新登录](http://evil.example/login)"
    at.run()
    assert not at.exception
    warning = " ".join(w.value for w in [*at.sidebar.warning, *at.warning])
    assert r"\*\*通知\*\*\[重新登录\]\(http://evil.example/login\)" in warning
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "suzhou"
    at.run()
    labels = [b.label for b in at.sidebar.button]
    assert any(label.startswith("苏州") for label in labels) and any(label.startswith("宿州") for label in labels)


def test_choices_survive_a_language_switch(app):
    app.sidebar.selectbox(key="scheme_zh").set_value("quantiles").run()
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.sidebar.selectbox(key="scheme_en").value == "quantiles"  # shown with its English label
    app.sidebar.radio(key="lang").set_value("zh").run()
    assert app.sidebar.selectbox(key="scheme_zh").value == "quantiles"


def test_export_tab_offers_region_and_comparison_tables(app):
    app.multiselect(key="compare_cities").set_value([330100, 320100]).run()
    assert not app.exception
    labels = [b.label for b in app.get("download_button")]
    assert any("区域统计" in label or "区域" in label for label in labels), labels
    assert any("城市对比" in label or "对比" in label for label in labels), labels
