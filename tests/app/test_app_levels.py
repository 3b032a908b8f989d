"""The map page's levels (issue 13), through the full app (AppTest): 省 (province means with n, the
province card), 区县 with a county upload, the drill-down from 杭州 (``pref=`` in the URL, back to
the national map), county cards (rank in province by hand), and the English switch."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.app import leaflet
from dei_geo.core import counties, places
from dei_geo.maps import web
from dei_geo.sources import datasets

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def page(name: str) -> str:
    return f"dei_geo/app/pages/{name}.py"


def zhejiang() -> dict[int, float]:
    """Synthetic scores for Zhejiang's 90 county-level units (distinct, deterministic)."""
    z = counties.load_counties().query("province_adcode == 330000")
    return {int(a): round(30 + (i * 37) % 61 + i / 100, 2) for i, a in enumerate(z["adcode"])}


def county_csv(scores: dict[int, float]) -> bytes:
    info = counties.load_counties().set_index("adcode")
    rows = ["区县,地级市,省份,总分"] + [",".join([*info.loc[a, ["name", "prefecture", "province"]], str(v)])
                                      for a, v in scores.items()]
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def drawn(monkeypatch):
    """The PreparedMap of every map built in the last run (base maps are not shared here)."""
    got = []
    build_map = web.build_map
    monkeypatch.setattr(leaflet, "_static", lambda key, build, widget_key: leaflet.static_args(build(), widget_key))

    def record(pm, *a, **kw):
        got.append(pm)
        return build_map(pm, *a, **kw)

    monkeypatch.setattr(web, "build_map", record)
    return got


def _texts(at) -> str:
    assert not [w.value for w in at.warning if "链接中的" in w.value]  # no URL parameter refused
    return " ".join(e.value for e in [*at.caption, *at.markdown, *at.info, *at.warning])


def _table(at, column: str) -> pd.DataFrame:
    """The table with a column headed ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _upload(at, data: bytes):
    at.switch_page(page("data")).run()
    at.file_uploader(key="di_file").set_value(("zj.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    at.switch_page(page("map")).run()
    assert not at.exception, at.exception
    return at


def test_the_province_level_shows_province_means_with_n_and_a_link_reproduces_it(drawn):
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert at.sidebar.radio(key="w_level").options == ["省", "市"]  # no county file yet: said in one line
    assert "先在“我的数据”上传区县级得分文件" in _texts(at)
    at.sidebar.radio(key="w_level").set_value("province").run()
    assert not at.exception, at.exception
    assert at.query_params["level"] == "province"
    table = _table(at, "有值单元 / 单元数").set_index("省份")
    # by hand: the bundled scores grouped by each city's province
    scores = datasets.load_dei_2023().scores[["adcode", "score"]].dropna()
    province = scores["adcode"].map(places.load_places().set_index("adcode")["province"])
    zj = scores[province == "浙江省"]["score"]
    assert table.loc["浙江省", "均值"] == round(zj.mean(), 1)
    assert table.loc["浙江省", "有值单元 / 单元数"] == f"{len(zj)} / 11"
    means = scores.groupby(province)["score"].mean().sort_values(ascending=False)
    assert table.loc[means.index[0], "名次"] == 1 and table.loc[means.index[-1], "名次"] == len(means)
    tips = {f["id"]: f["properties"]["tip"] for f in drawn[-1].cities["features"]}
    assert len(tips) == 34 and f"有值单元：{len(zj)} / 11" in tips[330000]
    assert "无数据" in tips[710000]  # 台湾: no city evaluated, no mean, no rank
    # the URL alone reproduces the view, in English too
    again = AppTest.from_file(APP, default_timeout=180)
    again.query_params["level"] = "province"
    again.query_params["lang"] = "en"
    again.run()
    assert not again.exception, again.exception
    assert again.sidebar.radio(key="w_level").value == "province"
    assert "(province means)" in drawn[-1].title
    assert "Rank" in _table(again, "Units with a value / units").columns


def test_the_province_card_ranks_its_cities(drawn):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["level"] = "province"
    at.run()
    at.session_state["lva_province"] = 330000  # what a click on 浙江 sets (the browser test clicks)
    at.run()
    assert not at.exception, at.exception
    assert "在有值的" in _texts(at) and "浙江省" in _texts(at)
    cities = _table(at, "城市")
    assert list(cities["名次"])[:1] == [1] and cities["城市"].iloc[0] == "杭州市"
    assert len(cities) == 11


def test_a_county_upload_offers_the_county_level_and_maps_it(drawn):
    scores = zhejiang()
    at = _upload(AppTest.from_file(APP, default_timeout=180).run(), county_csv(scores))
    assert at.sidebar.radio(key="w_level").options == ["省", "市", "区县"]
    at.sidebar.radio(key="w_level").set_value("county").run()
    assert not at.exception, at.exception
    assert at.query_params["level"] == "county"
    pm = drawn[-1]
    assert len(pm.cities["features"]) == 2875
    legend = {row.label: row.count for row in pm.legend}
    assert legend["无数据"] == 2875 - 90 and sum(legend.values()) == 2875
    table = _table(at, "有值单元 / 单元数").set_index("省份")
    assert table.loc["浙江省", "有值单元 / 单元数"] == "90 / 90"
    assert table.loc["浙江省", "均值"] == round(sum(scores.values()) / 90, 1)


def test_drill_down_from_hangzhou_shows_its_counties_and_goes_back(drawn):
    scores = zhejiang()
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["city"] = "330100"
    at = _upload(at.run(), county_csv(scores))
    at.button(key="lva_drill").click().run()
    assert not at.exception, at.exception
    assert at.query_params["pref"] == "330100"
    pm = drawn[-1]
    ids = {f["id"] for f in pm.cities["features"]}
    assert ids == set(counties.load_counties().query("prefecture_adcode == 330100")["adcode"])
    counties_table = _table(at, "区县")
    mine = sorted((v for a, v in scores.items() if a in ids), reverse=True)
    assert list(counties_table["总分"]) == [round(v, 1) for v in mine]
    assert "13 / 13 个区县有值" in _texts(at)
    at.button(key="lva_back").click().run()
    assert not at.exception, at.exception
    assert "pref" not in at.query_params and "city" not in at.query_params  # 返回全国: the national view
    assert len(drawn[-1].cities["features"]) == 370


def test_a_county_card_ranks_it_in_its_province_and_prefecture(drawn):
    scores = zhejiang()
    at = AppTest.from_file(APP, default_timeout=180)
    at = _upload(at.run(), county_csv(scores))
    at.query_params["pref"] = "330100"
    at.query_params["county"] = "330106"  # 西湖区, as a link (a click on the map sets the same)
    at.run()
    assert not at.exception, at.exception
    west_lake = scores[330106]
    in_province = 1 + sum(v > west_lake for v in scores.values())
    hangzhou = [v for a, v in scores.items() if a // 100 == 3301]
    in_prefecture = 1 + sum(v > west_lake for v in hangzhou)
    text = _texts(at)
    assert f"浙江省内排名：第 {in_province}/90 名" in text
    assert f"杭州市内排名：第 {in_prefecture}/13 名" in text
    assert "西湖区（杭州市，浙江省；市辖区；行政区划代码 330106）" in text
    assert at.metric[0].value == f"{west_lake:.1f}"
    at.button(key="lva_nb_330105").click().run()  # a neighbour: 拱墅区
    assert not at.exception, at.exception
    assert at.query_params["county"] == "330105" and "拱墅区" in _texts(at)


def test_drill_down_without_county_data_draws_outlines_and_a_card_without_rank(drawn):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["pref"] = "330100"
    at.run()
    assert not at.exception, at.exception
    assert {row.label: row.count for row in drawn[-1].legend} == {"无数据": 13}
    assert "只画边界" in _texts(at)
    at.query_params["county"] = "330106"
    at.run()
    assert "不显示得分与排名" in _texts(at) and "排名：第" not in _texts(at)
    at.query_params["level"] = "county"  # not available without a county file: the city map, said why
    del at.query_params["pref"]
    del at.query_params["county"]
    at.run()
    assert at.sidebar.radio(key="w_level").value == "city"


POINTS = ("名称,经度,纬度,城市,总分\n"
          "西湖数据中心,120.13,30.25,杭州,80\n"
          "填反了,30.27,120.15,杭州,70\n"
          "<img src=x onerror=alert(1)>{{7*7}},114.06,22.54,深圳,60\n"
          "写错城市,121.47,31.23,杭州,50\n")


@pytest.fixture
def scripts(monkeypatch):
    """The component arguments of every base map built in the last runs."""
    got = []

    def record(key, build, widget_key):
        got.append(leaflet.static_args(build(), widget_key))
        return got[-1]

    monkeypatch.setattr(leaflet, "_static", record)
    return got


def test_a_point_table_reports_a_swapped_row_and_the_map_draws_the_valid_points(scripts):
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page(page("data")).run()
    at.file_uploader(key="di_file").set_value(("parks.csv", POINTS.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    issues = _table(at, "处理").set_index("位置")
    assert "经纬度可能填反了" in issues.loc["第 3 行 B/C 列", "问题"]
    assert issues.loc["第 3 行 B/C 列", "处理"] == "该行未上图"
    assert "不在所填城市杭州内，而在上海" in issues.loc["第 5 行 D 列", "问题"]  # kept, reported
    assert "GCJ-02" in _texts(at) and "3 个点将作为点位图层" in _texts(at)
    at.switch_page(page("map")).run()
    assert not at.exception, at.exception
    script = scripts[-1]["script"]
    assert script.count("L.circleMarker(") == 3  # the valid rows: the swapped one is not drawn
    assert "[30.25, 120.13]" in script and "[30.27, 120.15]" not in script and "[120.15, 30.27]" not in script
    assert "<img src=x" not in script and "{{7*7}}" not in script and "&lt;img src=x" in script
    at.toggle(key="pt_show").set_value(False).run()  # hidden: a base map without them
    assert "L.circleMarker(" not in scripts[-1]["script"]


def test_dense_points_are_clustered_with_the_plugin_inlined(scripts):
    rows = "\n".join(f"园区{i},{120 + i % 10 / 100:.2f},{30.2 + i // 10 / 100:.2f}" for i in range(150))
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page(page("data")).run()
    at.file_uploader(key="di_file").set_value(("many.csv", f"名称,经度,纬度\n{rows}\n".encode(), "text/csv")).run()
    at.switch_page(page("map")).run()
    assert not at.exception, at.exception
    args = scripts[-1]
    assert args["script"].count("L.circleMarker(") == 150 and "L.markerClusterGroup(" in args["script"]
    assert all(link.startswith("data:") for link in [*args["js_links"], *args["css_links"]])  # no CDN


def test_a_link_with_an_unknown_prefecture_or_level_is_refused_and_said(drawn):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["pref"] = "999999"
    at.query_params["level"] = "town"
    at.run()
    assert not at.exception, at.exception
    warned = " ".join(w.value for w in at.warning)
    assert "pref=999999 无法识别" in warned and "level=town 无法识别" in warned
    assert len(drawn[-1].cities["features"]) == 370  # the city map, nothing guessed


def test_a_prefecture_picked_by_name_at_the_county_level_drills_into_it(drawn):
    at = _upload(AppTest.from_file(APP, default_timeout=180).run(), county_csv(zhejiang()))
    at.sidebar.radio(key="w_level").set_value("county").run()
    at.selectbox(key="lva_pick").set_value(330200).run()  # 宁波
    assert not at.exception, at.exception
    assert at.query_params["pref"] == "330200"
    assert {f["id"] for f in drawn[-1].cities["features"]} == set(
        counties.load_counties().query("prefecture_adcode == 330200")["adcode"])
