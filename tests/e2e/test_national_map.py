"""The national tier map in a real browser with the network cut off: exported file and app."""

from __future__ import annotations

from pathlib import Path

from dei_geo import cli

ROOT = Path(__file__).resolve().parents[2]


def test_exported_html_draws_offline(tmp_path, offline_page, map_frame, wait_for_polygons):
    out = tmp_path / "map.html"
    assert cli.main(["export", "--out", str(out)]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    assert wait_for_polygons(frame, at_least=370) == 370  # every city-level unit is clickable
    assert frame.locator(".dei-legend").inner_text().count("个") >= 6
    assert "一线城市" in frame.locator(".dei-legend").inner_text()
    assert "城市数字化发展指数" in frame.locator(".dei-title").inner_text()
    assert offline_page.title().startswith("DEI 2023")
    assert offline_page.blocked_requests == []
    assert offline_page.js_errors == []


def test_tooltip_shows_the_city_facts(tmp_path, offline_page, map_frame, wait_for_polygons):
    out = tmp_path / "map.html"
    assert cli.main(["export", "--out", str(out)]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    wait_for_polygons(frame, at_least=370)
    point = frame.evaluate(
        """() => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            const p = map.latLngToContainerPoint([30.27, 120.15]);   // 杭州
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    offline_page.mouse.move(*point)
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for(timeout=10_000)
    assert "杭州" in tip.inner_text() and "92.9" in tip.inner_text()


def test_app_draws_the_map_offline(streamlit_server, offline_page, map_frame, wait_for_polygons):
    base = streamlit_server(ROOT / "streamlit_app.py")
    offline_page.goto(base, wait_until="domcontentloaded")
    offline_page.get_by_text("城市数字化发展指数地图").first.wait_for(timeout=60_000)
    frame = map_frame(offline_page, timeout=60_000)
    assert wait_for_polygons(frame, at_least=370, timeout=60_000) >= 370
    assert "一线城市" in frame.locator(".dei-legend").inner_text()
    assert offline_page.blocked_requests == []
    assert offline_page.js_errors == []


def test_exported_map_with_region_layers_draws_offline(tmp_path, offline_page, map_frame,
                                                       wait_for_polygons):
    out = tmp_path / "layers.html"
    assert cli.main(["export", "--out", str(out), "--layers", "cores,circles,lisa", "--city", "杭州"]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    assert wait_for_polygons(frame, at_least=371) > 370  # cities plus the visible region layers
    switcher = frame.locator(".leaflet-control-layers")
    assert switcher.count() == 1 and "四大核心城市群" in switcher.inner_text()
    assert offline_page.blocked_requests == [] and offline_page.js_errors == []
