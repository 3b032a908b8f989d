"""Finding a city (dei_geo.core.search) and the app's search box → city card path (AppTest)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.core import places, search

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.mark.parametrize("text", ["杭州", "杭州市", "hangzhou", " HangZhou ", "hang zhou", "330100", 330100])
def test_every_way_of_naming_hangzhou(text):
    match = search.find(text)
    assert (match.status, match.adcode) == ("found", 330100)


@pytest.mark.parametrize("text, adcode", [("阿里", 542500), ("台湾", 710000), ("Hong Kong", 810000),
                                          ("黔西南州", 522300), ("亳州", 341600)])
def test_unscored_units_aliases_and_conflicts_are_found(text, adcode):
    assert search.find(text).adcode == adcode


def test_ambiguous_pinyin_lists_both():
    match = search.find("suzhou")
    assert match.status == "ambiguous" and set(match.candidates) == {320500, 341300}
    with pytest.raises(places.AmbiguousPlace, match="宿州"):
        search.resolve("suzhou")


def test_homophone_slip_suggests_the_city_first():
    match = search.find("杭洲")  # typed with the wrong 洲
    assert match.status == "unknown" and match.candidates[0] == 330100
    with pytest.raises(places.UnknownPlace, match="did you mean 杭州"):
        search.resolve("杭洲")


def test_misspelt_pinyin_offers_closest():
    assert 330100 in search.find("hangzou").candidates


def test_nothing_close_and_nothing_typed():
    assert search.find("xyzzy").status == "unknown" and search.find("xyzzy").candidates == ()
    assert search.find("   ").status == "empty"


# --- the app: search box → card -----------------------------------------------------------
@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at


def _search(at, text):
    at.sidebar.text_input(key="city_search").input(text).run()
    assert not at.exception
    return at


def test_search_box_opens_the_card(app):
    _search(app, "hangzhou")
    assert app.subheader[0].value == "杭州\u3000杭州市"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["得分"] == "92.9" and metrics["排名"] == "2 / 257"
    assert metrics["全国百分位"] == "99.6" and metrics["省内百分位"] == "100.0"
    text = " ".join(md.value for md in app.markdown)
    assert "一线城市 · 领导者" in text and "相邻城市均分 57.6（7 个参评）" in text
    assert "最近的一线城市：上海" in text
    pillars = app.dataframe[0].value
    assert list(pillars["本市得分"]) == ["97.6 分（第1名）", "95.2 分（第2名）", "报告未公布", "报告未公布",
                                     "报告未公布"]
    assert list(pillars["全国均值"]) == [58.5, 61.3, 52.1, 53.3, 48.1]
    assert app.query_params["city"] == "330100"  # a link to this view
    assert app.sidebar.text_input(key="city_search").value == ""  # ready for the next search


def test_ambiguous_search_offers_a_choice(app):
    _search(app, "suzhou")
    assert "“suzhou”对应多个城市" in app.sidebar.warning[0].value
    assert not app.subheader or "宿州" not in app.subheader[0].value
    app.sidebar.button(key="pick_341300").click().run()
    assert app.subheader[0].value == "宿州\u3000宿州市"
    assert app.query_params["city"] == "341300"
    assert not app.sidebar.warning  # the choice is gone once made


def test_unknown_search_says_so(app):
    _search(app, "xyzzy")
    assert app.sidebar.warning[0].value == "未找到“xyzzy”，也没有相近的名称。"
    assert "city" not in app.query_params
    _search(app, "杭洲")
    assert app.sidebar.warning[0].value == "未找到“杭洲”。最接近的："
    assert app.sidebar.button[0].label == "杭州（浙江省）"


def test_unscored_and_conflicting_cards(app):
    _search(app, "阿里地区")
    assert app.subheader[0].value == "阿里\u3000阿里地区"
    assert app.info[0].value.startswith("**未参评**")
    _search(app, "亳州")
    warnings = " ".join(w.value for w in app.warning)
    assert "第163名 47.4分; 第203名 42.7分" in warnings and "无法确定单一得分" in warnings
    assert "亳州在“城市总分及排名”中出现两次" in warnings  # the data-quality flag


@pytest.mark.parametrize("text, query", [("杭\u200b州", "杭州"), ("\u200f杭州\u3000", "杭州"),
                                         ("\ufeffhangzhou", "hangzhou"), ("330100.0", "330100")])
def test_invisible_characters_and_float_adcodes_are_ignored(text, query):
    match = search.find(text)
    assert (match.status, match.adcode, match.query) == ("found", 330100, query)
    assert search.find("\u200b\u3000").status == "empty"


@pytest.mark.parametrize("link", ["杭\u200b州", "330100.0"])
def test_links_with_invisible_characters_or_a_float_adcode_open_the_card(link):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = link
    at.run()
    assert not at.exception and at.session_state["selected_city"] == 330100
    assert not [w.value for w in [*at.sidebar.warning, *at.warning] if "杭" in w.value or "330100" in w.value]
