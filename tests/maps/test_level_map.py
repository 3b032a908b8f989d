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
