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
