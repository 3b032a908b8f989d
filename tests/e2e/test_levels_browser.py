"""The map's levels in a real browser (headless Chromium, 1440×900, network cut off): the sidebar's
level switch to 省 and a click on a province, a county upload at 区县 with a click on a county
opening its prefecture's counties, a click there opening the county card, and 返回全国."""

from __future__ import annotations

import time
from pathlib import Path

from dei_geo.core import counties
from dei_geo.sources import boundaries

POINT = """([lat, lng]) => {
  const c = window.map.latLngToContainerPoint([lat, lng]);
  return [c.x, c.y];
}"""


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)


def _frame_titled(page, text: str, polygons: int, timeout_s: float = 60):
    """The map frame whose title contains ``text``, once it has ``polygons`` units drawn."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if (text in frame.locator(".dei-title").first.inner_text(timeout=200)
                        and frame.locator("path.leaflet-interactive").count() >= polygons):
                    return frame
            except Exception:  # no map in this frame, or it is being replaced
                pass
        page.wait_for_timeout(100)
    raise AssertionError(f"no map titled {text!r} with {polygons} polygons")


def _inside(layer: str, adcode: int, key: str = "adcode") -> tuple[float, float]:
    """A point inside the unit (lat, lng), where a click lands on it."""
    units = boundaries.layer(layer, "web").set_index(key)
    p = units.geometry.loc[adcode].point_on_surface()
    return p.y, p.x


def _click(page, frame, lat_lng) -> None:
    frame.wait_for_function("() => !window.map._animatingZoom")
    x, y = frame.evaluate(POINT, list(lat_lng))
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def _zhejiang_csv(tmp_path) -> Path:
    z = counties.load_counties().query("province_adcode == 330000")
    rows = [f"{n},{p},{v}" for i, (n, p, v) in enumerate(zip(z["name"], z["province"], range(90)))]
    path = tmp_path / "zj.csv"
    path.write_text("区县,省份,总分\n" + "\n".join(f"{r}" for r in rows) + "\n", encoding="utf-8")
    return path


def test_the_province_level_and_a_click_on_a_province(app_url, page):
    from playwright.sync_api import expect

    page.goto(app_url)
    _frame_titled(page, "城市数字化发展指数", 370)
    _idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("省", exact=True).click()
    frame = _frame_titled(page, "省份均值", 34)
    assert "level=province" in page.url
    _idle(page)
    _click(page, frame, _inside("provinces", 330000, "province_adcode"))
    expect(page.get_by_text("浙江省").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("在有值的 31 个省份中排第")).to_be_visible(timeout=30_000)
    assert not page.js_errors and not page.blocked_requests


def test_a_county_upload_drills_down_by_clicks_to_a_county_card(app_url, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(app_url + "/data")
    expect(page.get_by_role("heading", name="导入自有数据")).to_be_visible(timeout=30_000)
    page.locator('input[type="file"]').set_input_files(str(_zhejiang_csv(tmp_path)))
    expect(page.get_by_text("这是区县级数据：保留 90 行")).to_be_visible(timeout=60_000)
    _idle(page)
    page.get_by_role("link", name="地图", exact=True).click()
    _frame_titled(page, "城市数字化发展指数", 370)
    _idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("区县", exact=True).click()
    frame = _frame_titled(page, "zj.csv：总分（区县）", 2875, timeout_s=120)  # every county drawn
    _idle(page)
    west_lake = _inside("counties", 330106)
    frame.evaluate("([lat, lng]) => window.map.setView([lat, lng], 9, {animate: false})", list(west_lake))
    _click(page, frame, west_lake)  # zoomed in as a user would: 西湖区 opens 杭州's counties and its card
    frame = _frame_titled(page, "杭州市：总分", 13)
    frame.wait_for_function("() => window.map.getZoom() >= 7.5 && !window.map._animatingZoom",
                            timeout=10_000)  # fitted to 杭州, not the national view
    assert frame.locator("path.leaflet-interactive").count() < 100  # only 杭州's 13 (and the outline)
    assert "pref=330100" in page.url and "county=330106" in page.url
    expect(page.get_by_text("西湖区（杭州市，浙江省；市辖区；行政区划代码 330106）")).to_be_visible(timeout=30_000)
    _idle(page)
    _click(page, frame, _inside("counties", 330110))  # 余杭区, in the drill-down
    expect(page.get_by_text("余杭区（杭州市，浙江省；市辖区；行政区划代码 330110）")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("浙江省内排名")).to_be_visible()
    assert "county=330110" in page.url
    _idle(page)
    page.go_back()  # Back: the previous card (the URL holds the drill-down)
    expect(page.get_by_text("西湖区（杭州市，浙江省；市辖区；行政区划代码 330106）")).to_be_visible(timeout=30_000)
    assert "county=330106" in page.url
    _idle(page)
    page.get_by_role("button", name="← 返回全国").click()
    _frame_titled(page, "zj.csv：总分（区县）", 2875, timeout_s=120)
    assert "pref=" not in page.url
    # opened at /data, Streamlit's frontend first probes /data/_stcore/… (404) before the root: its noise
    assert not [e for e in page.js_errors if "/_stcore/" not in e] and not page.blocked_requests


def test_a_dense_point_table_is_clustered_on_the_city_map_offline(app_url, page, tmp_path):
    from playwright.sync_api import expect

    rows = [f"园区{i},{120 + i % 10 / 100:.2f},{30.2 + i // 10 / 100:.2f}" for i in range(150)]
    path = tmp_path / "parks.csv"
    path.write_text("名称,经度,纬度\n" + "\n".join(rows) + "\n填反了,30.27,120.15\n", encoding="utf-8")
    page.goto(app_url + "/data")
    expect(page.get_by_role("heading", name="导入自有数据")).to_be_visible(timeout=30_000)
    page.locator('input[type="file"]').set_input_files(str(path))
    expect(page.get_by_text("parks.csv：150 个点可上图，1 行被拒。")).to_be_visible(timeout=60_000)  # the swapped row
    expect(page.get_by_text("150 个点将作为点位图层")).to_be_visible()
    _idle(page)
    page.get_by_role("link", name="地图", exact=True).click()
    frame = _frame_titled(page, "城市数字化发展指数", 370)
    frame.wait_for_selector(".marker-cluster", timeout=30_000)  # clustered, the plugin loaded offline
    clusters = frame.evaluate("""() => Array.from(document.querySelectorAll('.marker-cluster'))
                                 .reduce((n, el) => n + parseInt(el.innerText), 0)""")
    assert clusters == 150  # every valid point is in a cluster; the swapped row is not drawn
    _idle(page)
    page.get_by_text("显示点位：parks.csv（150 个）").click()  # hide them
    page.wait_for_timeout(500)
    _idle(page)
    frame = _frame_titled(page, "城市数字化发展指数", 370)
    frame.wait_for_function("() => !document.querySelector('.marker-cluster')", timeout=30_000)
    assert not [e for e in page.js_errors if "/_stcore/" not in e] and not page.blocked_requests


def test_the_city_cards_button_drills_down_and_back(app_url, page):
    from playwright.sync_api import expect

    page.goto(app_url + "/?city=330100")
    _frame_titled(page, "城市数字化发展指数", 370)
    _idle(page)
    page.get_by_role("button", name="查看下辖区县").click()  # the card sits in the map's fragment
    frame = _frame_titled(page, "杭州市：区县边界", 13)  # no county file: outlines
    frame.wait_for_function("() => window.map.getZoom() >= 7.5 && !window.map._animatingZoom", timeout=10_000)
    assert "pref=330100" in page.url
    expect(page.get_by_text("只画边界")).to_be_visible()
    _idle(page)
    page.get_by_role("button", name="← 返回全国").click()
    _frame_titled(page, "城市数字化发展指数", 370)
    expect(page.get_by_role("heading", name="杭州\u3000杭州市")).to_have_count(0, timeout=30_000)  # national
    assert "pref=" not in page.url and "city=" not in page.url
    assert not page.js_errors and not page.blocked_requests
