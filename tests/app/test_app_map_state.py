"""The full app (AppTest): your data on the map, rank change among the common cities, region
settings on the LISA / Gi* layers and the card, one set of national figures, search."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.app import leaflet
from dei_geo.maps import overlays, web

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def page(name: str) -> str:
    return f"dei_geo/app/pages/{name}.py"
SIX = "城市,总分\n北京,93.0\n上海,91.0\n杭州,94.0\n拉萨,35.2\n成都,88.0\n西安,75.0\n".encode()


@pytest.fixture
def drawn(monkeypatch):
    """What the app hands to the map: the PreparedMap and the overlay layers of the last run."""
    got = {}
    build_map, build = web.build_map, overlays.build
    # base maps are cached across sessions (leaflet._static): here every run builds its own
    monkeypatch.setattr(leaflet, "_static", lambda key, build, widget_key: leaflet.static_args(build(), widget_key))

    def record_map(pm, *a, **kw):
        got["pm"] = pm
        return build_map(pm, *a, **kw)

    def record_layers(layers, *a, **kw):
        got["layers"] = {layer.key: layer for layer in layers}
        return build(layers, *a, **kw)

    monkeypatch.setattr(web, "build_map", record_map)
    monkeypatch.setattr(overlays, "build", record_layers)
    return got


def _texts(at) -> str:
    return " ".join(e.value for e in [*at.caption, *at.markdown, *at.info, *at.warning])


def test_upload_shows_your_data_and_rank_change_among_the_common_cities(drawn):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page("data")).run()
    at.file_uploader(key="di_file").set_value(("six.csv", SIX, "text/csv")).run()
    assert not at.exception, at.exception
    at.switch_page(page("map")).run()  # the upload stays in use on another page
    assert not at.exception, at.exception
    assert at.toggle(key="di_show_user").value is True  # the map switched to the upload
    assert drawn["pm"].title.startswith("自有数据（six.csv）")
    assert {r.label: r.count for r in drawn["pm"].legend}["无数据"] == 364  # not 未参评
    at.sidebar.selectbox(key="w_metric_zh").set_value("rank_change").run()
    assert not at.exception, at.exception
    notes = " ".join(drawn["pm"].notes)
    assert "6 个城市之间的排名" in notes and "以 0 为中心" in notes
    tips = {f["id"]: f["properties"]["tip"] for f in drawn["pm"].cities["features"]}
    assert "：0" in tips[540100] and "+88" not in tips[540100]  # 拉萨: last of six both times
    assert all("." not in r.label for r in drawn["pm"].legend[:-1])  # whole-number rank classes
    at.toggle(key="di_show_user").set_value(False).run()  # the one switch back to the report
    assert not at.exception and drawn["pm"].title.startswith("DEI 2023")


def test_region_settings_reach_the_lisa_layers_and_the_card(drawn):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["city"] = "hangzhou"
    at.run()
    at.switch_page(page("regions")).run()
    at.radio(key="sp_weights").set_value("knn").run()
    at.selectbox(key="sp_alpha").set_value(0.1).run()
    at.switch_page(page("map")).run()
    at.sidebar.multiselect(key="w_layers_zh").set_value(["lisa", "gi"]).run()
    assert not at.exception, at.exception
    for key in ("lisa", "gi"):
        assert "6 近邻，α = 0.1" in drawn["layers"][key].name
    captions = " ".join(c.value for c in at.caption)
    assert "地图上的 LISA / Gi* 图层与城市卡片使用：6 近邻，α = 0.1" in captions  # above the map
    assert "6 近邻（Albers 投影下的政府驻地距离）" in captions  # the city card's weights


def test_national_figures_are_the_same_beside_the_map_and_on_the_card(markdown_tables):
    at = AppTest.from_file(APP, default_timeout=120).run()
    summary = ("全国：地图单元 254 个有唯一得分，均分 55.4（另 1 个数据冲突，不计入）；印刷 256 行，均分 55.3；"
               "报告所述参评 257 个，均分 55.2（p.14） / 55.3（p.8）。")
    assert summary in [c.value for c in at.caption]  # the overview beside the map
    tiers = markdown_tables(at)[0].set_index("分级")
    assert list(tiers.loc["三线城市", ["地图单元", "印刷行数", "报告所述"]]) == ["96", "98", "99"]
    at.text_input(key="city_search").set_value("杭州").run()
    assert "全国均分 55.4（地图单元，n = 254；报告 55.2（p.14） / 55.3（p.8））" in _texts(at)
    at.switch_page(page("regions")).run()
    assert summary in [c.value for c in at.caption]  # the same sentence under the region table


def test_search_lists_a_prefix_and_says_no_match_for_nonsense():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.text_input(key="city_search").set_value("张").run()
    assert "以“张”开头的城市：" in " ".join(w.value for w in at.sidebar.warning)
    assert {b.label for b in at.sidebar.button} >= {"张家口（河北省）", "张家界（湖南省）", "张掖（甘肃省）"}
    for nonsense in ("xyz", "nowhere"):
        at.sidebar.text_input(key="city_search").set_value(nonsense).run()
        assert any("也没有相近的名称" in w.value for w in at.sidebar.warning)
        assert not any(b.key.startswith("pick_") for b in at.sidebar.button if b.key)


def test_correction_reaches_the_lisa_layers_legend_and_the_card(drawn):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["city"] = "hangzhou"
    at.run()
    at.switch_page(page("regions")).run()
    at.selectbox(key="sp_correction").set_value("bonferroni").run()
    assert "LISA p ≤ 0.0001969" in " ".join(c.value for c in at.caption)  # the regions page's statistics
    at.switch_page(page("map")).run()
    at.sidebar.multiselect(key="w_layers_zh").set_value(["lisa", "gi"]).run()
    assert not at.exception, at.exception
    cut = f"{0.05 / 254:.4g}"
    for key in ("lisa", "gi"):
        assert "Queen 邻接，α = 0.05，Bonferroni" in drawn["layers"][key].name
        assert f"显著：Bonferroni，p ≤ {cut}" in drawn["layers"][key].legend
    captions = " ".join(c.value for c in at.caption)
    assert "使用：Queen 邻接，α = 0.05，Bonferroni" in captions  # above the map and on the card
    assert f"LISA 显著：Bonferroni，p ≤ {cut}" in captions  # the card's cut-offs
