"""Province and county choropleths of the app's level switch: legends name score bands, not city tiers."""

from __future__ import annotations

from dei_geo.analysis import rollup
from dei_geo.maps import level_map


def test_province_means_in_tiers_are_labelled_by_score_band(ds):
    rolled = rollup.rollup(ds.scores[["adcode", "score"]], "score", "city")
    pm = level_map.province_map(rolled, "总分", "t", "s", "tiers", 5, "zh")
    labels = [row.label for row in pm.legend]
    assert not any("城市" in label for label in labels), labels  # 一线城市 … are cities' tiers
    assert any(label.startswith("≥") or "–" in label for label in labels)
    assert sum(row.count for row in pm.legend) == len(pm.cities["features"])


def test_a_county_file_of_one_city_gets_a_legend_without_empty_classes_and_a_view_on_its_counties():
    import pandas as pd

    values = pd.Series({330106: 70.0, 330110: 80.0})  # 西湖区, 余杭区
    pm = level_map.county_map(values, "总分", "t", "s", "tiers", 5, "zh")
    assert all(row.count > 0 for row in pm.legend), [(r.label, r.count) for r in pm.legend]
    assert sum(row.count for row in pm.legend) == len(pm.cities["features"])
    (lat, lng), zoom = level_map.view_of(pm, frozenset(values.index))
    assert abs(lat - 30.3) < 1 and abs(lng - 120.0) < 1 and zoom > 7  # on 杭州, not the whole country
