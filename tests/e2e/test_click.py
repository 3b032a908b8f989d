"""Clicking a city's polygon in the real app (headless Chromium, network cut) opens its card.

The pixel is computed from the city's lat/lng through the Leaflet map object in the
streamlit-folium frame (``latLngToContainerPoint``). The point is the pole of inaccessibility of
the city's largest part (far from every edge, so the click cannot land on a neighbour).
"""

from __future__ import annotations

from shapely.ops import polylabel

from dei_geo.sources import boundaries

FIND_MAP = """() => {
    for (const name of Object.keys(window)) {
        try { if (window[name] instanceof L.Map) return name; } catch (e) {}
    }
    return null;
}"""


def _inside(adcode: int) -> tuple[float, float]:
    """(lat, lng) well inside the city's largest polygon (web LOD, as drawn)."""
    units = boundaries.layer("cities", "web").set_index("adcode")
    shape = units.loc[adcode, "geometry"]
    part = max(getattr(shape, "geoms", [shape]), key=lambda p: p.area)
    point = polylabel(part, tolerance=0.01)
    return point.y, point.x


def _leaflet(page, map_frame, wait_for_polygons):
    frame = map_frame(page, timeout=60_000)
    assert wait_for_polygons(frame, at_least=370, timeout=30_000) == 370
    name = frame.evaluate(FIND_MAP)
    assert name, "no L.Map instance among the component frame's globals"
    return frame, name


def _click_city(page, frame, name: str, adcode: int, zoom: float = 6) -> None:
    lat, lng = _inside(adcode)
    x, y = frame.evaluate(
        """([name, lat, lng, zoom]) => {
            const map = window[name];
            map.setView([lat, lng], zoom, {animate: false});
            const p = map.latLngToContainerPoint([lat, lng]);
            return [p.x, p.y];
        }""",
        [name, lat, lng, zoom],
    )
    box = frame.frame_element().bounding_box()  # the frame's place on the page
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_click_a_city_then_home(app_url, offline_page, map_frame, wait_for_polygons):
    from playwright.sync_api import expect

    page = offline_page
    page.goto(app_url)
    frame, name = _leaflet(page, map_frame, wait_for_polygons)
    frame.evaluate("(name) => { window[name].__probe = 'first mount'; }", name)

    _click_city(page, frame, name, 330100)
    expect(page.get_by_role("heading", name="杭州\u3000杭州市")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("92.9").first).to_be_visible()
    expect(page.get_by_text("2 / 257")).to_be_visible()
    assert page.url.endswith("?city=330100")
    outline = frame.locator('path[stroke="#e6550d"]')
    expect(outline).to_have_count(1, timeout=10_000)

    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)  # the run has ended (a click during a run is dropped)
    frame.wait_for_function(f"() => window['{name}'].getZoom() > 6 && !window['{name}']._animatingZoom")
    page.wait_for_timeout(500)  # the map framed 杭州 and settled
    frame.evaluate("() => document.querySelector('.dei-home a').click()")  # ⌂: back to the national view
    frame.wait_for_function(f"() => window['{name}'].getZoom() < 5")  # fitted to China
    # The map survived the reruns: the same Leaflet object (no remount).
    assert frame.evaluate("(name) => window[name].__probe", name) == "first mount"
    assert page.blocked_requests == []
    assert page.js_errors == []


def test_clicking_the_same_city_again_after_clearing(app_url, offline_page, map_frame, wait_for_polygons):
    """streamlit-folium only reports a click whose value changed: the click counter makes it so."""
    from playwright.sync_api import expect

    page = offline_page
    page.goto(app_url)
    frame, name = _leaflet(page, map_frame, wait_for_polygons)
    heading = page.get_by_role("heading", name="亳州\u3000亳州市")

    _click_city(page, frame, name, 341600)  # 亳州: conflicting rows
    expect(heading).to_be_visible(timeout=30_000)
    expect(page.get_by_text("数据冲突").first).to_be_visible()
    page.get_by_role("button", name="取消选择").click()
    expect(heading).to_have_count(0, timeout=30_000)
    assert "city=" not in page.url

    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)  # the run has ended (a click during a run is dropped)
    frame.wait_for_function(f"() => window['{name}'].getZoom() < 5 && !window['{name}']._animatingZoom")
    _click_city(page, frame, name, 341600)  # the very same pixel
    expect(heading).to_be_visible(timeout=30_000)
    assert page.url.endswith("?city=341600")
    assert page.js_errors == [] and page.blocked_requests == []
