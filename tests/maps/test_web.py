"""The national choropleth: classes, legend, unscored and conflicting units, escaping."""

import dataclasses

import pytest

from dei_geo.core import places
from dei_geo.maps import web


def _by_id(prepared):
    return {f["id"]: f for f in prepared.cities["features"]}


def test_tier_map_legend_counts_units_and_flags_bozhou(ds):
    pm = web.prepare_map(ds, scheme="tiers", lang="zh")
    assert len(pm.cities["features"]) == 370
    legend = {row.label.split("（")[0]: row.count for row in pm.legend}
    # 6/56/84 as printed; 三线: 98 printed rows = 96 cities + 亳州's two rows, and 亳州 is
    # counted once, in its own conflict row (it is still coloured as 三线); 四线 12
    assert legend == {"一线城市": 6, "新一线城市": 56, "二线城市": 84, "三线城市": 96,
                      "四线城市": 12, "未参评": 115, "数据冲突": 1}
    assert sum(legend.values()) == 370
    bozhou = places.resolve("亳州")
    style = pm.styles[bozhou]
    assert style["dashArray"] and style["color"] == web.CONFLICT_COLOR
    tip = _by_id(pm)[bozhou]["properties"]["tip"]
    assert "#163 · 47.4" in tip and "#203 · 42.7" in tip  # both printed rows, no single value


def test_tooltips_of_scored_and_unscored_units(ds):
    pm = web.prepare_map(ds, lang="zh")
    feats = _by_id(pm)
    hz = feats[places.resolve("杭州")]["properties"]["tip"]
    assert "杭州" in hz and "得分：92.9" in hz and "2 / 257" in hz and "一线城市" in hz
    ali = feats[places.resolve("阿里地区")]["properties"]["tip"]
    assert "未参评" in ali and "得分" not in ali
    en = _by_id(web.prepare_map(ds, lang="en"))[places.resolve("杭州")]["properties"]["tip"]
    assert "Rank: 2 of 257" in en and "Hangzhou 杭州" in en


def test_tier_boundaries_are_left_closed(ds):
    scores = ds.scores.copy()
    probe = {"杭州": 85.0, "南京": 84.99, "上海": 65.0, "北京": 50.0, "深圳": 40.0, "成都": 39.99}
    for name, value in probe.items():
        scores.loc[scores.adcode == places.resolve(name), ["score", "status"]] = [value, "ok"]
    pm = web.prepare_map(dataclasses.replace(ds, scores=scores), lang="zh")
    feats = _by_id(pm)
    expected = {"杭州": "一线", "南京": "新一线", "上海": "新一线", "北京": "二线", "深圳": "三线",
                "成都": "四线"}
    for name, tier in expected.items():
        tip = feats[places.resolve(name)]["properties"]["tip"]
        assert f"分级：{tier}城市" in tip, (name, tip)


@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks"])
def test_numeric_schemes_class_every_scored_unit(ds, scheme):
    pm = web.prepare_map(ds, scheme=scheme, k=5, lang="en")
    classed = [row for row in pm.legend if row.style == "fill" and row.label != "Not evaluated"]
    assert len(classed) == 5
    assert sum(row.count for row in classed) == 254  # 255 scored units minus 亳州 (no single value)
    if scheme == "quantiles":
        assert max(r.count for r in classed) - min(r.count for r in classed) <= 2


def test_every_string_reaching_html_is_escaped(ds, monkeypatch):
    evil = "<img src=x onerror=alert(1)>"
    table = places.load_places()
    table.loc[table.adcode == places.resolve("杭州"), "short_name"] = evil
    monkeypatch.setattr(places, "load_places", lambda: table)
    tiers = ds.tiers.copy()
    tiers.loc[0, "name_zh"] = evil
    pm = web.prepare_map(dataclasses.replace(ds, tiers=tiers), lang="zh")
    html = web.build_map(pm).get_root().render()
    assert evil not in html
    # escaped as HTML, then JSON-encoded for the tooltip data and the legend's script
    assert html.count("\\u0026lt;img src=x onerror=alert(1)\\u0026gt;") >= 2


def test_map_has_no_basemap(ds):
    html = web.build_map(web.prepare_map(ds)).get_root().render()
    assert "tile.openstreetmap" not in html and "L.tileLayer" not in html


def test_pillar_legend_lists_only_ranges_that_hold_cities(ds):
    """A pillar is published for a few cities: the score ranges without any are not listed,
    and the listed rows still account for every unit."""
    pm = web.prepare_map(ds, metric="economy")
    classes = [row for row in pm.legend if row.label.startswith(("≥", "<")) or "–" in row.label]
    assert classes and all(row.count > 0 for row in classes)
    assert sum(row.count for row in pm.legend) == 370
    full = web.prepare_map(ds)  # the overall score keeps the report's five tiers
    assert len([row for row in full.legend if "城市" in row.label]) == 5
