"""Regions at county level: members inherited from prefectures, listed partial counties, stats."""

import numpy as np
import pandas as pd
import pytest

from dei_geo.analysis import county_regions, regions
from dei_geo.core import counties


def _region(name):
    return next(r for r in regions.clusters() + regions.circles() if r.name == name)


def test_full_members_bring_every_county_of_their_prefecture():
    members, unresolved = county_regions.county_members(_region("长三角城市群"))
    table = counties.load_counties()
    hangzhou = set(table[table["prefecture_adcode"] == 330100]["adcode"])
    assert hangzhou <= set(members["adcode"]) and unresolved == []
    assert set(members["membership"]) == {"full"}


def test_listed_partial_counties_are_resolved_within_their_prefecture():
    members, unresolved = county_regions.county_members(_region("福州都市圈"))
    ningde = members[members["prefecture_adcode"] == 350900]  # "蕉城, 福安, 霞浦, 古田"
    assert sorted(counties.display_name(a) for a in ningde["adcode"]) == ["古田县", "福安市", "蕉城区", "霞浦县"]
    assert set(ningde["membership"]) == {"listed"}
    assert unresolved == [350700]  # 南平: "parts of 延平, 建阳, 建瓯" is not a list of whole counties
    assert set(members[members["prefecture_adcode"] == 350700]["membership"]) == {"partial_whole_prefecture"}


def test_region_table_by_hand():
    table = pd.DataFrame({"adcode": [330106, 330102, 320106, 110105], "score": [80.0, 70.0, 60.0, 50.0]})
    out = county_regions.region_table(table, "score", [_region("长三角城市群"), _region("京津冀城市群")])
    national, yrd, jjj = out.to_dict("records")
    assert national["scored"] == 4 and national["mean"] == pytest.approx(65.0)
    assert (yrd["scored"], yrd["mean"], yrd["median"]) == (3, pytest.approx(70.0), 70.0)
    assert jjj["scored"] == 1 and jjj["mean"] == 50.0 and np.isnan(jjj["gini"])


def test_spillover_needs_thirty_counties():
    from dei_geo.analysis import spatial

    few = pd.DataFrame({"adcode": [330106, 330102], "score": [1.0, 2.0]})
    with pytest.raises(spatial.TooFewUnits):
        county_regions.spillover(few, "score")
    zj = counties.load_counties().query("province_adcode == 330000")
    values = pd.DataFrame({"adcode": zj["adcode"], "score": zj["adcode"] % 97 + 0.5})
    sp = county_regions.spillover(values, "score")
    assert sp.w.graph.n == 90 and -1 < sp.I < 1
