"""Rings and distance decay around core cities at county level, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from dei_geo.analysis import county_regions, regions

KM_PER_DEGREE = 111.3195  # one degree of longitude on the equator (WGS-84 a = 6378.137 km)


def _synthetic():
    """A core at (0, 0) on the equator; six counties due east at known distances, one of them in
    the core's own prefecture, one beyond 300 km."""
    lons = [0.1, 0.2, 0.4, 0.7, 1.5, 2.5, 3.0]
    seats = pd.DataFrame({"adcode": [1, 2, 3, 4, 5, 6, 7], "lon": lons, "lat": 0.0,
                          "prefecture_adcode": [100, 200, 200, 300, 300, 400, 400]})
    values = pd.Series([99.0, 90.0, 80.0, 70.0, 60.0, 50.0, 40.0], index=[1, 2, 3, 4, 5, 6, 7])
    centres = pd.DataFrame({"adcode": [100], "city": ["核心"], "lon": [0.0], "lat": [0.0]})
    return values, seats, centres


def test_bands_by_hand():
    values, seats, centres = _synthetic()
    rings, cores = county_regions.rings_around(values, seats, centres)
    national = values.mean()  # 69.86: every value given, the core's own county too
    # distances: 22.3, 44.5 | 77.9 | 167.0 | 278.3 km; 11.1 km (own) and 334 km (beyond) left out
    assert rings["n"].tolist() == [2, 1, 1, 1]
    assert rings["mean"].tolist() == pytest.approx([85.0, 70.0, 60.0, 50.0])
    assert rings["diff_national"].tolist() == pytest.approx([85.0 - national, 70.0 - national,
                                                            60.0 - national, 50.0 - national])
    core = cores.iloc[0]
    assert (core["own"], core["n"], core["fade_ring"]) == (1, 5, "100–200 km")
    d = np.array([0.2, 0.4, 0.7, 1.5, 2.5]) * KM_PER_DEGREE
    slope, intercept = np.polyfit(np.log(d), [90, 80, 70, 60, 50], 1)
    assert core["slope"] == pytest.approx(slope, rel=1e-4)
    assert core["per_doubling"] == pytest.approx(slope * np.log(2), rel=1e-4)
    assert core["significant"] and core["slope"] < 0


def test_a_core_with_no_county_around_is_left_out():
    values, seats, centres = _synthetic()
    far = pd.DataFrame({"adcode": [999], "city": ["远方"], "lon": [60.0], "lat": [0.0]})
    rings, cores = county_regions.rings_around(values, seats, pd.concat([centres, far]))
    assert cores["city"].tolist() == ["核心"] and set(rings["city"]) == {"核心"}
    empty_rings, empty = county_regions.rings_around(values, seats, far)
    assert empty.empty and empty_rings.empty


def test_real_cores_are_the_city_levels_and_distances_are_to_seats():
    table = pd.DataFrame({"adcode": [320505, 330106, 310115], "score": [80.0, 70.0, 90.0]})
    rings, cores = county_regions.core_rings(table, "score")
    assert set(cores["adcode"]) <= set(regions.centres()["adcode"])
    shanghai = cores.set_index("city").loc["上海"]
    assert shanghai["own"] == 1  # 浦东新区 is 上海's own
    band = rings[(rings["city"] == "上海") & (rings["n"] > 0)]
    assert band["ring"].tolist() == ["50–100 km", "100–200 km"]  # 苏州虎丘区 ~80 km, 杭州西湖区 ~165 km
