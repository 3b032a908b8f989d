"""Region map layers: what is drawn, how it is styled, escaping, offline, deterministic ids."""

import collections
import dataclasses
import re

import numpy as np
import pytest
from branca.element import Element
from pyproj import Geod

from dei_geo.analysis import regions
from dei_geo.core import i18n, places
from dei_geo.maps import assets, export, overlays, selection, web
from dei_geo.sources import datasets


@pytest.fixture(scope="module")
def layers(ds):
    return {layer.key: layer for layer in overlays.prepare(ds, "zh")}


def _html(ds, groups):
    with web.deterministic_ids():
        m = web.build_map(web.prepare_map(ds))
        overlays.add_to(m, groups)
        m.get_root().header.add_child(Element(assets.inline_head(m)), name="offline_assets", index=1)
        return m.get_root().render()


def test_six_switchable_layers(layers):
    assert list(layers) == ["cores", "circles", "clusters", "rings", "lisa", "gi"]
    cores = layers["cores"]
    assert len(cores.features["features"]) == 4 and len(cores.labels) == 4
    assert "长三角城市群" in cores.labels[0][2]  # dissolved outline, labelled
    assert len(layers["clusters"].features["features"]) == 6


def test_circles_partial_members_and_low_confidence_look_different(layers):
    circles = layers["circles"]
    feats = circles.features["features"]
    assert len(feats) == 83 and len(circles.points["features"]) == 20  # one core marker per circle
    partial = [f["id"] for f in feats if "部分纳入" in f["properties"]["tip"]]
    full = [f["id"] for f in feats if "全部纳入" in f["properties"]["tip"]]
    assert partial and full
    assert all(circles.styles[i]["dashArray"] for i in partial)
    assert not any(circles.styles[i]["dashArray"] for i in full)
    # outlines only: the score colours underneath are not tinted
    assert all(s.get("fill") is False or s.get("fillOpacity", 1) <= 0.05 for s in circles.styles.values())
    assert "低可信度" in circles.name and "20 个极点都市圈" in circles.name and "二十大" not in circles.name
    markers = {f["id"]: f["properties"]["tip"] for f in circles.points["features"]}
    dalian = next(i for i, tip in markers.items() if "大连都市圈" in tip)
    xian = next(i for i, tip in markers.items() if "西安都市圈" in tip)
    assert "低可信度" in markers[dalian] and "低可信度" not in markers[xian]
    assert circles.point_styles[dalian]["fillColor"] == "#ffffff"  # hollow marker
    assert circles.point_styles[dalian]["color"] == overlays.LOW_CONFIDENCE_COLOR
    assert "仙桃" in next(tip for tip in markers.values() if "武汉都市圈" in tip)  # wider members named
    assert "咸阳" in markers[places.resolve("西安")]  # partial members named on the core marker


def test_rings_are_true_distances_from_the_centre(layers):
    rings = layers["rings"]
    sh = regions.centres().set_index("adcode").loc[places.resolve("上海")]
    ring = next(f for f in rings.features["features"] if f["id"] == "r310100_100")
    xy = np.array(ring["geometry"]["coordinates"])
    _, _, d = Geod(ellps="WGS84").inv(np.full(len(xy), sh.lon), np.full(len(xy), sh.lat), xy[:, 0], xy[:, 1])
    assert np.allclose(d / 1000, 100, atol=0.05)
    assert rings.styles["r310100_100"]["color"] == overlays.RADIUS_COLOR  # the rule's R in bold
    assert rings.points["features"][0]["id"] in set(regions.centres()["adcode"])
    assert len(rings.points["features"]) == 26


def test_lisa_layer_marks_islands_and_classes(layers, ds):
    lisa = layers["lisa"]
    assert len(lisa.features["features"]) == 254
    haikou = places.resolve("海口")
    tip = next(f["properties"]["tip"] for f in lisa.features["features"] if f["id"] == haikou)
    assert "孤岛" in tip and "不显著" in tip and lisa.styles[haikou]["dashArray"]
    assert "α = 0.05" in lisa.name


def test_every_string_is_escaped(ds, monkeypatch):
    evil = "<img src=x onerror=alert(1)>"
    real = regions.circles
    monkeypatch.setattr(regions, "circles", lambda: [dataclasses.replace(real()[0], name=evil, source=evil)])
    monkeypatch.setitem(i18n.catalogue("zh"), "lyr_cores", evil)
    built = overlays.prepare(ds, "zh")
    html = _html(ds, overlays.build(built))
    # JSON carries "<" as \u003c: the raw tag must appear in neither form, only HTML-escaped
    assert "<img src=x" not in html and "\\u003cimg src=x" not in html
    assert html.count("\\u0026lt;img src=x onerror=alert(1)\\u0026gt;") >= 3  # tooltip, source, layer name


def test_offline_and_deterministic(ds, layers):
    a = _html(ds, overlays.build(list(layers.values()), show=("cores",)))
    b = _html(ds, overlays.build(list(layers.values()), show=("cores",)))
    assert a == b
    assert export.EXTERNAL.search(a) is None
    assert "awesome" not in a.lower() and "font-awesome" not in a.lower()
    top = re.findall(r"^\s*var (\w+) = ", a, flags=re.M)
    dup = [n for n, c in collections.Counter(top).items() if c > 1 and n not in ("ctl", "div", "opts")]
    assert dup == []
    assert "feature_group_region000001" in a and "layer_control_region_control" in a


def test_english_layers(ds):
    en = overlays.prepare(ds, "en")
    assert en[0].name == "Four core clusters"
    assert "Partial" not in en[1].name and "partly included" in en[1].name
    assert "20 metro circles" in en[1].name and "low confidence" in en[1].name


# --- clicks go through to the cities (a click selects the feature id's city) ------------------
def _geojsons(group):
    return [e for e in assets.walk(group) if type(e).__name__ == "GeoJson"]


def test_overlays_let_clicks_select_the_city_underneath(ds, layers):
    known = set(ds.scores["adcode"])
    for key in ("lisa", "gi"):  # per-city layers: the id is the city's adcode
        feats = layers[key].features["features"]
        assert feats and all(type(f["id"]) is int and f["id"] in known for f in feats)
        f = feats[0]
        assert selection.clicked_adcode({"last_active_drawing": f}, known) == f["id"]
    cores = set(regions.centres()["adcode"])
    for key in ("circles", "rings"):  # core markers: the core city's adcode
        assert all(f["id"] in cores for f in layers[key].points["features"])
    groups = dict(zip(layers, overlays.build(list(layers.values()))))
    for key in ("cores", "circles", "clusters", "rings"):  # outlines spanning cities: click-through
        assert not layers[key].interactive
        outline = _geojsons(groups[key])[0]
        assert outline.options.get("interactive") is False
        assert not any(type(c).__name__ == "GeoJsonTooltip" for c in outline._children.values())
    for key in ("circles", "rings"):  # the markers stay interactive, with their tooltips
        markers = _geojsons(groups[key])[1]
        assert "interactive" not in markers.options
    for key in ("lisa", "gi"):
        (local,) = _geojsons(groups[key])
        assert "interactive" not in local.options
    html = _html(ds, list(groups.values()))
    assert html.count('"interactive": false') >= 4


# --- small datasets ------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "start"), [(8, 0), (2, 100)])
def test_small_dataset_keeps_the_outlines_and_says_why_lisa_is_missing(ds, n, start):
    scored = ds.scores[["adcode", "score"]].dropna()
    small = datasets.from_table(scored.iloc[start:start + n], f"{n} cities")
    built = {layer.key: layer for layer in overlays.prepare(small, "en")}
    assert list(built) == list(overlays.KEYS)
    assert len(built["cores"].features["features"]) == 4 and len(built["circles"].features["features"]) == 83
    for key in ("lisa", "gi"):
        assert built[key].features["features"] == []
        assert f"at least 30 scored cities; this dataset has {n}" in built[key].skipped
        assert f"this dataset has {n}" in built[key].name
    html = _html(small, overlays.build(list(built.values()), show=("lisa", "cores")))
    assert "not shown: needs at least 30 scored cities" in html
