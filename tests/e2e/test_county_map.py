"""The national county map (2,875 units) drawn offline in Chromium from one exported file."""

from __future__ import annotations

from dei_geo import cli

MAX_BYTES = 2_500_000  # the bound for the national county map


def _hover(page, frame, lat, lon):
    point = frame.evaluate(
        """([lat, lon]) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            map.setView([lat, lon], 9, {animate: false});
            const p = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""", [lat, lon])
    page.mouse.move(*point)
    tip = frame.locator(".leaflet-tooltip").last  # the newest (an earlier one may still fade out)
    tip.wait_for(timeout=10_000)
    return tip.inner_text()


def test_national_county_map_draws_every_unit_offline(tmp_path, offline_page, map_frame, wait_for_polygons):
    data = tmp_path / "counties.csv"
    data.write_text("区县,地级市,总分\n西湖区,杭州,80\n鼓楼区,南京,55\n", encoding="utf-8")
    out = tmp_path / "counties.html"
    assert cli.main(["export", "--level", "county", "--data", str(data), "--out", str(out)]) == 0
    assert out.stat().st_size <= MAX_BYTES
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    assert wait_for_polygons(frame, at_least=2875) == 2875  # every county-level unit, each hoverable
    legend = frame.locator(".unit-legend").inner_text()
    assert "无数据 (2873)" in legend and "65.0–85.0 (1)" in legend and "50.0–65.0 (1)" in legend
    assert "一线" not in legend and "(0)" not in legend  # bands, not city tiers; empty bands unlisted
    (south, west), (north, east) = frame.evaluate(
        "() => { const b = Object.values(window).find(v => v instanceof L.Map).getBounds();"
        " return [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]; }")
    assert south < 30.2 < 32.1 < north and west < 118.7 < 120.2 < east and north - south < 15  # on the file's counties
    assert _hover(offline_page, frame, 30.2465, 120.1189) == "西湖区 · 杭州市: 80.0"  # near 西湖区's seat
    assert _hover(offline_page, frame, 22.19, 113.543).endswith("澳门特别行政区")  # the Macau peninsula
    assert offline_page.blocked_requests == []
    assert offline_page.js_errors == []


def test_province_map_states_n(tmp_path, offline_page, map_frame, wait_for_polygons):
    out = tmp_path / "provinces.html"
    assert cli.main(["export", "--level", "province", "--out", str(out), "--lang", "en"]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    assert wait_for_polygons(frame, at_least=34) == 34
    assert _hover(offline_page, frame, 29.2, 120.5) == "浙江省 · n = 11/11: 65.1"  # 2023 mean of 浙江's 11 cities
    assert offline_page.blocked_requests == [] and offline_page.js_errors == []


def test_dense_points_are_clustered_offline(tmp_path, offline_page, map_frame, wait_for_polygons):
    rows = "\n".join(f"园区{i},{120 + (i % 15) * 0.02:.2f},{30 + (i // 15) * 0.02:.2f}" for i in range(150))
    pts = tmp_path / "zones.csv"
    pts.write_text("名称,经度,纬度\n" + rows + "\n", encoding="utf-8")
    out = tmp_path / "zones.html"
    assert cli.main(["export", "--level", "province", "--points", str(pts), "--out", str(out)]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    wait_for_polygons(frame, at_least=34)
    frame.locator(".marker-cluster").first.wait_for(timeout=10_000)  # 150 points: clustered
    assert "150" in frame.locator(".marker-cluster").first.inner_text()
    assert offline_page.blocked_requests == [] and offline_page.js_errors == []


def test_province_county_map_opens_on_the_province(tmp_path, offline_page, map_frame, wait_for_polygons):
    out = tmp_path / "zhejiang.html"
    assert cli.main(["export", "--level", "county", "--province", "浙江", "--out", str(out)]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    assert wait_for_polygons(frame, at_least=90) == 90  # 浙江's 90 county-level units
    south, west, north, east = frame.evaluate(
        """() => { const b = Object.values(window).find(v => v instanceof L.Map).getBounds();
                   return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }""")
    # the view holds 浙江 (27.0–31.2°N, 118.0–123.0°E) and not much more: not the whole country
    assert south <= 27.2 and north >= 31.1 and west <= 118.1 and east >= 122.9
    assert north - south < 9 and east - west < 12
    legend = frame.locator(".unit-legend").inner_text()
    assert "一线" not in legend and "无数据 (90)" in legend and "(0)" not in legend  # no values: no empty bands
    assert offline_page.blocked_requests == [] and offline_page.js_errors == []
