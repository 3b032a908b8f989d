"""The compact county/province HTML map: lossless enough, deterministic, offline, inert text."""

import numpy as np
import pandas as pd
import pytest
import shapely

from dei_geo.maps import unit_map
from dei_geo.sources import boundaries


@pytest.fixture(scope="module")
def counties():
    return boundaries.layer("counties", "web")


@pytest.fixture(scope="module")
def topo(counties):
    return unit_map.encode(counties)


def test_topology_decodes_to_the_same_polygons(counties, topo):
    rel = []
    for shape, geom in zip(topo["shapes"], counties.geometry.values):
        rings = unit_map.decode(topo, shape)
        decoded = shapely.make_valid(shapely.MultiPolygon([(r[0], r[1:]) for r in rings]))
        rel.append(decoded.symmetric_difference(geom).area / geom.area)
    rel = np.array(rel)
    assert len(rel) == 2875
    assert np.median(rel) < 0.001 and rel.max() < 0.02  # quantisation: ~15 m steps
    arc_points = sum(len(a) // 2 for a in topo["arcs"])
    assert arc_points < 0.7 * shapely.get_num_coordinates(counties.geometry.values).sum()  # shared once


def test_province_lines_are_the_arcs_between_provinces(counties, topo):
    borders = unit_map.border_arcs(topo["shapes"], counties["province_adcode"].tolist())
    lines = shapely.union_all([shapely.LineString(p) for p in (unit_map.decode(topo, [[[a]]])[0][0]
                                                               for a in borders)])
    province = counties.groupby("province_adcode").geometry.agg(lambda g: shapely.coverage_union_all(g.values))
    shared = province[330000].boundary.intersection(province[320000].boundary)  # 浙江–江苏
    assert shared.length > 0 and shared.difference(lines.buffer(0.001)).length < 0.01 * shared.length
    inner = counties.set_index("adcode").geometry[330106].boundary  # 西湖区: inside 浙江, no province line
    assert inner.intersection(lines).length == 0


def test_html_is_small_deterministic_and_offline():
    vals = pd.Series({330106: 80.0, 320106: 55.0})
    html = unit_map.unit_map_html(vals, title="t")
    assert len(html.encode()) < 1_500_000
    assert unit_map.unit_map_html(vals, title="t") == html
    assert unit_map.EXTERNAL.search(html) is None
    zj = unit_map.unit_map_html(vals, province=330000)
    assert len(zj.encode()) < len(html.encode()) / 3


def test_hostile_title_stays_text():
    title = "</script><script>alert(1)</script>{{7*7}}"
    html = unit_map.unit_map_html(None, level="provinces", title=title)
    assert "</script><script>alert(1)" not in html and "{{7*7}}" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#123;&#123;7*7&#125;&#125;" in html  # <title>


def test_unknown_province_is_refused():
    with pytest.raises(ValueError, match="no counties"):
        unit_map.unit_map_html(None, province=990000)


def test_a_partial_file_opens_on_its_units_and_an_embedded_map_leaves_the_wheel_to_the_page():
    import json
    import re

    html = unit_map.unit_map_html(pd.Series({330106: 70.0, 330110: 80.0}), scroll_zoom=False)
    data = json.loads(re.search(r"var D = (\{.*?\}), map = ", html, re.S).group(1))
    (south, west), (north, east) = data["bounds"]
    assert 29.5 < south < north < 31 and 119 < west < east < 121  # 西湖区 and 余杭区, not China
    assert '"scrollWheelZoom": false' in html
    assert data["counts"][:-1].count(0) >= 1 and "if (!D.counts[c]) { return; }" in html  # empty classes unlisted
