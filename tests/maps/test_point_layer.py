"""Points on the city map (``maps.point_layer``): escaped tooltips, clustering with the plugin
inlined (no CDN), in the offline HTML export too; the level maps fitted to a prefecture."""

import folium
import pandas as pd

from dei_geo.maps import export, level_map, point_layer, web
from dei_geo.sources import datasets


def _points(n: int) -> pd.DataFrame:
    return pd.DataFrame({"row": range(2, n + 2), "name": [f"<b>园区{i}</b>{{{{7*7}}}}" for i in range(n)],
                         "lon": [120 + i % 10 / 100 for i in range(n)], "lat": [30.2 + i // 10 / 100 for i in range(n)],
                         "city": pd.NA, "found": 330100, "score": [50.0 + i % 7 for i in range(n)]})


def test_few_points_are_plain_markers_with_escaped_tooltips_in_the_export():
    pm = web.prepare_map(datasets.load_dei_2023())
    html = export.to_html(pm, lambda: [point_layer.layer(_points(3), "zh")])
    assert html.count("L.circleMarker(") == 3 and "markerClusterGroup" not in html
    assert "&lt;b&gt;园区0&lt;/b&gt;&#123;&#123;7*7&#125;&#125;" in html and "<b>园区0</b>" not in html
    assert "杭州市" in html and "总分：50.0" in html


def test_dense_points_are_clustered_offline_in_the_export():
    pm = web.prepare_map(datasets.load_dei_2023())
    html = export.to_html(pm, lambda: [point_layer.layer(_points(150), "zh")])
    assert html.count("L.circleMarker(") == 150 and "L.markerClusterGroup(" in html
    assert html.index(".setMaxZoom(18)") < html.index("L.markerClusterGroup(")  # clustering needs a max zoom
    assert not export.EXTERNAL.search(html)  # the plugin inlined


def test_a_prefecture_map_opens_on_its_counties_not_the_country():
    pm = level_map.county_map(None, "总分", "t", "s", "tiers", 5, "zh", prefecture=330100)
    m = level_map.fitted(web.build_map(pm), pm)
    fits = [c.bounds for c in m._children.values() if isinstance(c, folium.FitBounds)]
    assert fits == [level_map.bounds(pm)]  # one fit: the national one is gone (Leaflet would drop a second)
    (south, west), (north, east) = level_map.bounds(pm)
    assert 29 < south < north < 31 and 118 < west < east < 121
    (lat, lng), zoom = level_map.view_of(pm)
    assert south < lat < north and west < lng < east and zoom >= 7.5
