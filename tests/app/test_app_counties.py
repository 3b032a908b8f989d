"""County-level data on the data page (AppTest through the data-panel page): detected, every
problem by row with the candidates of an ambiguous name, the county map, province means with n."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dei_geo.app import county_panel
from dei_geo.maps import export

APP = str(Path(__file__).resolve().parents[1] / "apps" / "data_panel_app.py")
COUNTIES = "区县,省份,总分\n朝阳区,北京,80\n朝阳区,吉林,70\n鼓楼区,,60\n西湖区,浙江,50\n余杭区,浙江,70\n"


def test_a_county_file_is_checked_mapped_and_rolled_up_by_province():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.file_uploader(key="di_file").set_value(("counties.csv", COUNTIES.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert any("区县级数据：保留 4 行，拒绝 1 行" in i.value for i in at.info)
    issues = next(d.value for d in at.dataframe if "可能的区县" in d.value.columns)
    assert "第 4 行 A 列" in issues.iloc[0]["位置"] and "鼓楼区 (福建省 福州市, 350102)" in issues.iloc[0]["可能的区县"]
    provinces = next(d.value for d in at.dataframe if "有值区县 / 区县数" in d.value.columns).set_index("省份")
    assert provinces.loc["浙江省", "均值"] == 60.0 and provinces.loc["浙江省", "有值区县 / 区县数"].startswith("2 / ")
    assert provinces.loc["北京市", "均值"] == 80.0
    assert "下载区县地图（离线 HTML）" in [b.label for b in at.download_button]
    assert at.session_state["returned"] is None  # the city map is not fed a county file


def test_the_county_map_is_one_offline_page_with_every_county():
    html = county_panel._map(COUNTIES.encode(), "counties.csv", None, "score", "zh")
    assert "counties.csv：总分（区县）" in html
    assert not export.EXTERNAL.search(html)  # no script, link, image or frame loaded from elsewhere


def test_a_hostile_file_name_stays_text_on_the_county_map():
    html = county_panel._map(COUNTIES.encode(), "<img src=x onerror=alert(1)>{{7*7}}.csv", None, "score", "zh")
    assert "<img src=x" not in html and "{{7*7}}" not in html  # escaped: entities in HTML, \\u escapes in JSON
    assert "&lt;img src=x onerror=alert(1)&gt;&#123;&#123;7*7&#125;&#125;.csv" in html  # the <title>, literal


def test_a_county_file_gets_its_regions_and_spillover_as_the_cli_computes_them():
    import pandas as pd

    from dei_geo.analysis import county_regions
    from dei_geo.analysis import regions as city_regions
    from dei_geo.sources import county_table, loader

    info = pd.read_csv(Path(__file__).resolve().parents[2] / "data" / "counties.csv")
    east = info[info["province"].isin(["浙江省", "江苏省", "上海市"])]
    text = "区县,省份,总分\n" + "".join(f"{r.name},{r.province},{40 + r.adcode % 41}\n" for r in east.itertuples())
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.file_uploader(key="di_file").set_value(("east.csv", text.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert not any("基尼系数" in d.value.columns for d in at.dataframe)  # computed on request only
    at.toggle(key="lva_regions_on").set_value(True).run()

    table = county_table.check(loader.read(text.encode(), "east.csv", None)).table
    expected = county_regions.region_table(table, "score", city_regions.clusters() + city_regions.circles())
    shown = next(d.value for d in at.dataframe if "区域" in d.value.columns and "基尼系数" in d.value.columns)
    yrd = shown.set_index("区域").loc["长三角城市群"]
    row = expected.set_index("name").loc["长三角城市群"]
    assert yrd["有得分"] == row["scored"] > 100 and yrd["平均分"] == round(row["mean"], 1)
    moran = county_regions.spillover(table, "score")
    assert any(f"Moran's I = {moran.I:.3f}" in c.value and f"n = {moran.w.graph.n}" in c.value for c in at.caption)
    assert any(m.value.startswith("- 上海") and "50–100 km 均值" in m.value for m in at.markdown)  # rings
