"""The Streamlit app, driven by Streamlit's AppTest (no browser): the pages along the top, the
sidebar's view, the URL."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGES = ("map", "ranking", "compare", "regions", "models", "data", "export")


def page(name: str) -> str:
    return f"dei_geo/app/pages/{name}.py"


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at


def _texts(at) -> str:
    return " ".join(e.value for kind in ("markdown", "caption", "header", "subheader", "title", "info", "warning")
                    for e in getattr(at, kind))


def test_opens_in_chinese_on_the_map_page_with_the_tier_tables(app, markdown_tables):
    assert app.sidebar.title[0].value == "城市数字化发展指数地图"
    counts, means = markdown_tables(app)  # Markdown, not data grids: a lighter first screen
    assert not app.dataframe
    assert list(counts["印刷行数"]) == ["6", "56", "84", "98", "12"]
    assert list(counts["报告所述"]) == ["6", "56", "84", "99", "12"]
    assert "分数区间" not in counts.columns and len(counts.columns) == 4  # fits beside the map
    assert list(means.columns) == ["分级", "均分（印刷行）", "报告均分"]
    notes = _texts(app)
    assert "亳州" in notes and "166" in notes and "55.3" in notes
    assert dict(app.query_params) == {}  # the default view needs no parameter


def test_every_page_renders_without_an_error(app, markdown_tables):
    for name in PAGES[1:]:
        app.switch_page(page(name)).run()
        assert not app.exception, (name, app.exception)
    app.switch_page(page("map")).run()
    assert not app.exception and markdown_tables(app)  # back on the map page: its tier tables


def test_ranking_page_marks_the_gap_and_filters(app):
    app.switch_page(page("ranking")).run()
    table = app.dataframe[0].value  # a Styler: the selected row is highlighted
    assert len(table) == 257 and table.iloc[0]["城市"] == "上海"
    assert (table["城市"] == "亳州").sum() == 2
    gap = table[table["排名"] == 166]
    assert len(gap) == 1 and "第 166 名" in gap.iloc[0]["说明"]
    app.multiselect(key="rank_province").set_value(["浙江省"]).run()
    table = app.dataframe[0].value
    assert set(table["省份"]) == {"浙江省"} and len(table) == 11 and 166 not in set(table["排名"])
    assert any("显示 11 / 256 行" in c.value for c in app.caption)
    app.multiselect(key="rank_province").set_value([]).run()
    app.query_params["city"] = "330100"  # a city selected: its row is highlighted, nothing breaks
    app.run()
    assert not app.exception and len(app.dataframe[0].value) == 257
    app.selectbox(key="rank_region").set_value("four_cores").run()
    table = app.dataframe[0].value
    assert {"上海", "北京", "广州", "成都"} <= set(table["城市"]) and "拉萨" not in set(table["城市"])


def test_english_switch_and_classification(app):
    app.sidebar.radio(key="w_lang").set_value("en").run()
    assert not app.exception
    assert app.sidebar.title[0].value == "City Digital Development Index map"
    assert dict(app.query_params) == {"lang": "en"}
    app.sidebar.selectbox(key="w_scheme_en").set_value("natural_breaks").run()
    assert not app.exception
    assert app.sidebar.slider(key="w_k").value == 5
    assert dict(app.query_params) == {"lang": "en", "scheme": "natural_breaks"}
    app.switch_page(page("ranking")).run()
    assert "Rank" in app.dataframe[0].value.columns


def test_pillar_metric_says_most_cities_are_unpublished(app):
    app.sidebar.selectbox(key="w_metric_zh").set_value("economy").run()
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "只公布了 25 个分项得分" in captions and "未公布" in captions
    app.sidebar.selectbox(key="w_scheme_zh").set_value("quantiles").run()
    app.sidebar.slider(key="w_k").set_value(7).run()
    assert not app.exception  # 5 published values cannot make 7 classes: a warning, not a crash
    assert any("无法分为 7 级" in w.value for w in app.warning)
    assert dict(app.query_params) == {"metric": "economy", "scheme": "quantiles", "k": "7"}


def test_a_link_reproduces_the_view():
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"city": "hangzhou", "metric": "economy", "scheme": "quantiles", "k": "4",
                       "layers": "cores,lisa", "lang": "en"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="w_metric_en").value == "economy"
    assert at.sidebar.selectbox(key="w_scheme_en").value == "quantiles"
    assert at.sidebar.slider(key="w_k").value == 4
    assert at.sidebar.multiselect(key="w_layers_en").value == ["cores", "lisa"]
    assert at.session_state["selected_city"] == 330100
    assert dict(at.query_params)["city"] == "330100"  # the link's name becomes the adcode


def test_a_changed_url_wins_over_the_state_as_back_and_forward_do(app):
    app.query_params["city"] = "330100"  # what the browser's Back/Forward sends with its rerun
    app.run()
    assert app.session_state["selected_city"] == 330100
    del app.query_params["city"]
    app.run()
    assert app.session_state["selected_city"] is None  # Back to a URL without ?city=: no card


def test_bad_settings_in_a_link_are_named_and_ignored():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["scheme"] = "<b>x</b>"
    at.query_params["k"] = "99"
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "scheme=\\<b\\>x\\</b\\>" in warnings and "k=99" in warnings
    assert at.sidebar.selectbox(key="w_scheme_zh").value == "tiers"


def test_a_linked_metric_the_data_lacks_is_named_and_the_overall_score_shown():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["metric"] = "nonsense"
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["地图指标“nonsense”不在当前数据中，改为显示总分。"]
    assert at.sidebar.selectbox(key="w_metric_zh").value == "score" and "metric" not in at.query_params


def test_city_card_from_a_link_shows_its_regions_and_lisa_class():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "hangzhou"
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "长三角城市群（全部纳入）" in text
    assert "LISA：" in text and "Gi*：" in text
    captions = " ".join(c.value for c in at.caption)
    assert "邻接" in captions and "queen_web" not in captions and "seat_geodesic" not in captions  # methods in words


def test_english_card_names_the_city_in_pinyin_and_offers_its_brief():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "330100"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "Hangzhou · 杭州 (杭州市)"
    labels = [b.label for b in at.get("download_button")]
    assert "City brief (PDF)" in labels and "City brief (PPTX)" in labels


def test_a_page_switch_keeps_the_city_picked_after_the_links_were_drawn(app):
    app.session_state["selected_city"] = 330100  # as a click on the map (a fragment run) leaves it
    app.switch_page(page("ranking")).run()  # the link drawn before the click carries no ?city=
    assert app.session_state["selected_city"] == 330100
    assert dict(app.query_params)["city"] == "330100"


def test_card_buttons_clear_and_add_to_the_comparison():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "330100"
    at.run()
    at.button(key="compare_add").click().run()
    assert at.session_state["compare_cities"] == [330100]
    assert any("已在对比中（1/5）" in c.value for c in at.caption)
    at.button(key="clear_city").click().run()
    assert at.session_state["selected_city"] is None and "city" not in dict(at.query_params)
    at.query_params["city"] = "320100"
    at.run()
    at.button(key="compare_add").click().run()
    at.switch_page(page("compare")).run()
    assert at.multiselect(key="compare_cities").value == [330100, 320100]
    table = at.dataframe[0].value  # the comparison of the two, a column per city (five fit the width)
    assert list(table.columns) == ["杭州", "南京"] and table.loc["得分", "杭州"] == "92.9"


def test_comparison_picker_labels_carry_pinyin_in_both_languages(app):
    app.switch_page(page("compare")).run()
    picker = app.multiselect(key="compare_cities")
    assert "杭州 Hangzhou（浙江省）" in picker.options
    app.sidebar.radio(key="w_lang").set_value("en").run()
    assert "Hangzhou 杭州 (浙江省)" in app.multiselect(key="compare_cities").options


def test_region_layers_are_chosen_in_the_sidebar(app):
    picker = app.sidebar.multiselect(key="w_layers_zh")
    assert picker.value == []  # the first map loads without the extra layers
    picker.set_value(["cores", "lisa"]).run()
    assert not app.exception
    assert dict(app.query_params) == {"layers": "cores,lisa"}


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


def test_choices_survive_a_language_switch_and_a_page_switch(app):
    app.sidebar.selectbox(key="w_scheme_zh").set_value("quantiles").run()
    app.sidebar.radio(key="w_lang").set_value("en").run()
    assert not app.exception
    assert app.sidebar.selectbox(key="w_scheme_en").value == "quantiles"  # shown with its English label
    app.sidebar.radio(key="w_lang").set_value("zh").run()
    assert app.sidebar.selectbox(key="w_scheme_zh").value == "quantiles"
    app.switch_page(page("regions")).run()
    app.radio(key="sp_weights").set_value("knn").run()
    app.switch_page(page("map")).run()
    assert app.session_state["sp_weights"] == "knn"  # the regions page's weights still reach the map
    app.switch_page(page("regions")).run()
    assert app.radio(key="sp_weights").value == "knn"


def test_export_page_offers_every_output_and_the_tables(app):
    app.session_state["compare_cities"] = [330100, 320100]
    app.switch_page(page("export")).run()
    assert not app.exception
    labels = [b.label for b in app.get("download_button")]
    assert any("HTML" in label for label in labels) and any("PNG" in label for label in labels)
    assert any("SVG" in label for label in labels)
    assert any("区域统计" in label for label in labels), labels
    assert any("城市对比" in label for label in labels), labels
    assert app.text_input(key="export_title").value.startswith("DEI 2023")


def test_an_unscored_unit_gets_a_card_that_says_so():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "542500"
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "阿里　阿里地区"
    assert any("未参评" in i.value for i in at.info)
