"""Offline assets: Leaflet only, from folium-offline, inline or as data: URLs."""

import base64

import folium

from dei_geo.maps import assets


def test_map_keeps_only_leaflet_and_points_it_at_data_urls():
    m = assets.use_data_urls(folium.Map(tiles=None))
    assert [name for name, _ in m.default_js] == ["js0"]
    js_url = m.default_js[0][1]
    assert js_url.startswith("data:text/javascript;charset=utf-8;base64,")
    assert b"Leaflet" in base64.b64decode(js_url.split(",", 1)[1])[:400]
    assert folium.Map.default_js[0][1].startswith("https://")  # the class defaults are untouched


def test_inline_head_carries_the_files_behind_folium_urls():
    head = assets.inline_head(folium.Map(tiles=None))
    assert head.count("<script>") == 1 and head.count("<style>") == 1
    assert ".leaflet-container" in head and "https://" not in head.split("<script>")[0][:100]
