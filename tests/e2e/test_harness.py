"""Proves the e2e harness (conftest.py) on self-made material, not project code.

1. exported HTML with Leaflet inlined -> draws offline, no JS errors;
2. the same map with folium's CDN links -> requests are blocked and recorded,
   the map does not draw (the blocking is real);
3. a tiny Streamlit app (st_folium, Leaflet as data: URLs) -> title + polygon
   inside the component iframe, nothing remote attempted; the same app with
   ``?assets=cdn`` (folium's CDN links) -> blocked, no map.
"""

from __future__ import annotations

import textwrap
import time

import folium
import pytest
from branca.element import Element
from offlinefolium.elements import _res as OFFLINE_RES  # asset URL -> text

LEAFLET_JS_URL = dict(folium.Map.default_js)["leaflet"]
LEAFLET_CSS_URL = dict(folium.Map.default_css)["leaflet_css"]

SQUARE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "square"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[116.0, 39.0], [117.0, 39.0], [117.0, 40.0], [116.0, 40.0], [116.0, 39.0]]],
            },
        }
    ],
}


def _leaflet_text() -> tuple[str, str]:
    # folium-offline pins the same asset URLs as folium 0.20; fail loudly if not.
    assert LEAFLET_JS_URL in OFFLINE_RES, f"folium-offline lacks {LEAFLET_JS_URL}"
    assert LEAFLET_CSS_URL in OFFLINE_RES, f"folium-offline lacks {LEAFLET_CSS_URL}"
    return OFFLINE_RES[LEAFLET_JS_URL], OFFLINE_RES[LEAFLET_CSS_URL]


def _raw(tag: str, body: str) -> Element:
    # Substitute via a Jinja variable so '{{' etc. in the asset cannot break rendering.
    el = Element(f"<{tag}>{{{{ this.body }}}}</{tag}>")
    el.body = body
    return el


def _base_map() -> folium.Map:
    # tiles=None: a tile layer would itself be a (blocked) network request.
    m = folium.Map(location=[39.5, 116.5], zoom_start=7, tiles=None)
    folium.GeoJson(SQUARE, name="square").add_to(m)
    return m


def inline_leaflet_map() -> folium.Map:
    js, css = _leaflet_text()
    m = _base_map()
    # Instance attributes: never mutate the class lists (folium.Map.default_js).
    m.default_js = []
    m.default_css = []
    header = m.get_root().header
    header.add_child(_raw("style", css), name="leaflet_css")
    header.add_child(_raw("script", js), name="leaflet")
    return m


def _assert_visible_polygon(frame) -> None:
    # A path can exist with d="M0 0" (zero-size map): insist on a real on-screen box.
    box = frame.locator("path.leaflet-interactive").first.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10, box


# --------------------------------------------------------------------------


def test_inline_exported_map_draws_offline(tmp_path, offline_page, map_frame, count_polygons):
    out = tmp_path / "inline_map.html"
    inline_leaflet_map().save(str(out))
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html and 'rel="stylesheet"' not in html, "not self-contained"

    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page, timeout=10_000)
    assert frame == offline_page.main_frame
    assert count_polygons(frame) == 1
    _assert_visible_polygon(frame)
    assert offline_page.js_errors == []
    assert offline_page.blocked_requests == []


def test_cdn_map_is_blocked_and_does_not_draw(tmp_path, offline_page, map_frame, count_polygons):
    out = tmp_path / "cdn_map.html"
    _base_map().save(str(out))  # folium's default CDN <script src>/<link> tags
    assert LEAFLET_JS_URL in out.read_text(encoding="utf-8")

    # 'load' fires only after every parser-blocking <script src> has failed and the
    # inline map script has run (and thrown), so no sleep is needed.
    offline_page.goto(out.as_uri(), wait_until="load")

    assert offline_page.blocked_requests, "nothing was blocked: the network cut is fake"
    assert LEAFLET_JS_URL in offline_page.blocked_requests
    assert offline_page.locator(".leaflet-container").count() == 0
    assert count_polygons(offline_page.main_frame) == 0
    assert any("L is not defined" in e for e in offline_page.page_errors), offline_page.js_errors
    with pytest.raises(AssertionError, match="no .leaflet-container"):
        map_frame(offline_page, timeout=1_000)


STREAMLIT_APP = textwrap.dedent(
    '''
    import base64
    import folium
    import streamlit as st
    from offlinefolium.elements import _res
    from streamlit_folium import st_folium

    def data_url(mime, text):
        return f"data:{mime};base64," + base64.b64encode(text.encode()).decode()

    st.title("Harness Probe Map")
    m = folium.Map(location=[39.5, 116.5], zoom_start=7, tiles=None)
    if st.query_params.get("assets", "inline") != "cdn":
        js = dict(folium.Map.default_js)["leaflet"]
        css = dict(folium.Map.default_css)["leaflet_css"]
        # Instance attributes: keep only Leaflet, as data: URLs (jquery/bootstrap dropped).
        m.default_js = [("leaflet", data_url("text/javascript", _res[js]))]
        m.default_css = [("leaflet_css", data_url("text/css", _res[css]))]
    folium.GeoJson(SQUARE, name="square").add_to(m)
    st_folium(m, width=700, height=450, returned_objects=[], key="probe")
    '''
)

COMPONENT_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture(scope="module")
def probe_app_url(tmp_path_factory, streamlit_server):
    app = tmp_path_factory.mktemp("probe_app") / "probe_app.py"
    app.write_text(f"SQUARE = {SQUARE!r}\n" + STREAMLIT_APP, encoding="utf-8")
    # a tmp app has no .streamlit/config.toml
    return streamlit_server(app, env={"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})


def test_streamlit_folium_app_draws_offline(probe_app_url, offline_page, map_frame, wait_for_polygons):
    from playwright.sync_api import expect

    offline_page.goto(probe_app_url)
    expect(offline_page.get_by_role("heading", name="Harness Probe Map")).to_be_visible(timeout=30_000)

    frame = map_frame(offline_page, timeout=30_000)
    assert frame != offline_page.main_frame, "map should live in the component iframe"
    assert wait_for_polygons(frame, at_least=1, timeout=15_000) >= 1
    _assert_visible_polygon(frame)
    assert offline_page.blocked_requests == []
    assert offline_page.js_errors == []


def test_streamlit_folium_cdn_variant_is_blocked(probe_app_url, offline_page, map_frame, count_polygons):
    """Same app, folium's CDN links: the component must fail to draw offline."""
    from playwright.sync_api import expect

    offline_page.goto(probe_app_url + "/?assets=cdn")
    expect(offline_page.get_by_role("heading", name="Harness Probe Map")).to_be_visible(timeout=30_000)
    expect(offline_page.locator(COMPONENT_IFRAME)).to_be_attached(timeout=30_000)

    deadline = time.monotonic() + 30
    while LEAFLET_JS_URL not in offline_page.blocked_requests and time.monotonic() < deadline:
        offline_page.wait_for_timeout(100)
    assert LEAFLET_JS_URL in offline_page.blocked_requests, offline_page.blocked_requests
    with pytest.raises(AssertionError, match="no .leaflet-container"):
        map_frame(offline_page, timeout=2_000)
    component = offline_page.frame_locator(COMPONENT_IFRAME)
    assert component.locator("path.leaflet-interactive").count() == 0
