"""Tier transitions between two years as map categories (``maps.transition``): counted by hand on
a small synthetic panel, equal to what ``dei-geo change --from --to`` reports, in both languages."""

import json
from collections import Counter

import pytest

from dei_geo import cli
from dei_geo.analysis import change
from dei_geo.core import places, theme
from dei_geo.core import tiers as tiers_mod
from dei_geo.maps import transition, web
from dei_geo.sources import panel

# 2022 → 2023 by hand, tiers ≥85 一线 t1, 65–85 新一线 t2, 50–65 二线 t3, 40–50 三线 t4, <40 四线 t5
PANEL = """城市,年份,总分
北京,2022,90
北京,2023,91
上海,2022,70
上海,2023,88
杭州,2022,45
杭州,2023,70
拉萨,2022,45
拉萨,2023,38
成都,2022,86
成都,2023,52
西安,2022,60
南京,2023,70
"""
# 北京 t1→t1 same; 上海 t2→t1 up1; 杭州 t4→t2 up2; 拉萨 t4→t5 down1; 成都 t1→t3 down2;
# 西安 (2022 only) and 南京 (2023 only): one_year
BY_HAND = {"up2": ["杭州"], "up1": ["上海"], "same": ["北京"], "down1": ["拉萨"], "down2": ["成都"],
           "one_year": ["西安", "南京"]}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    path = tmp_path_factory.mktemp("tr") / "panel.csv"
    path.write_text(PANEL, encoding="utf-8")
    p = panel.read([path])
    before, after = p.dataset(2022, "2022"), p.dataset(2023, "2023")
    return path, change.with_tier_transition(after, before, "2022", "2023")


def _legend(pm) -> dict[str, int]:
    return {row.label: row.count for row in pm.legend}


def test_categories_counted_by_hand(files):
    _, ds = files
    frame = ds.meta["transitions"]["tier_year_change"]["frame"]
    got = {code: sorted(frame.loc[frame["transition"] == code, "city"]) for code in change.TRANSITIONS}
    assert got == {code: sorted(cities) for code, cities in BY_HAND.items()}
    steps = ds.scores.set_index("city")["tier_year_change"]
    assert steps["杭州"] == 2 and steps["成都"] == -2 and steps["北京"] == 0 and steps.isna()["南京"]


def test_the_legend_lists_every_category_with_its_count_and_the_two_years(files):
    _, ds = files
    pm = transition.prepare_map(ds, lang="zh")
    assert _legend(pm) == {"升两级及以上": 1, "升一级": 1, "不变": 1, "降一级": 1, "降两级及以上": 1,
                           "仅一年有数据": 2, "无数据": 370 - 7}
    assert "2022 年 → 2023 年" in pm.notes[0] and "一线城市（≥85.0）" in pm.notes[1]
    assert "分级变化（较起始年份）" in pm.title
    en = transition.prepare_map(ds, lang="en")
    assert _legend(en) == {"Up two tiers or more": 1, "Up one tier": 1, "Same tier": 1, "Down one tier": 1,
                           "Down two tiers or more": 1, "Data in one year only": 2, "No data": 363}
    assert "2022 → 2023" in en.notes[0]


def test_tooltips_state_the_pair_of_tiers_and_fills_follow_the_category(files):
    _, ds = files
    pm = transition.prepare_map(ds, lang="zh")
    tips = {f["id"]: f["properties"]["tip"] for f in pm.cities["features"]}
    assert "2022 → 2023：三线城市 → 新一线城市" in tips[places.resolve("杭州")]
    assert "升 2 级" in tips[places.resolve("杭州")] and "总分：45.0 → 70.0" in tips[places.resolve("杭州")]
    assert "二线城市 → 无数据" in tips[places.resolve("西安")] and "仅一年有数据" in tips[places.resolve("西安")]
    assert tips[places.resolve("广州")].endswith("无数据")
    fill = {a: s["fillColor"] for a, s in pm.styles.items()}
    assert fill[places.resolve("成都")] == theme.TRANSITION_COLORS["down2"]
    assert fill[places.resolve("北京")] == theme.TRANSITION_COLORS["same"]
    assert fill[places.resolve("广州")] == theme.UNSCORED_COLOR
    assert web.build_map(pm) is not None  # renders like any prepared map


def test_the_map_agrees_with_dei_geo_change(files, capsys):
    path, ds = files
    assert cli.main(["change", str(path), "--from", "2022", "--to", "2023", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    order = {name: i for i, name in enumerate(tiers_mod.load_tiers()["name_zh"])}  # 一线 first
    steps = [order[c["tier_base"]] - order[c["tier_other"]] for c in out["cities"] if c["tier_move"]]
    from_cli = Counter("up2" if s >= 2 else "up1" if s == 1 else "same" if s == 0 else
                       "down1" if s == -1 else "down2" for s in steps)
    legend = dict(zip(change.TRANSITIONS, [row.count for row in transition.prepare_map(ds).legend]))
    assert {code: legend[code] for code in ("up2", "up1", "same", "down1", "down2")} == \
        {code: from_cli[code] for code in ("up2", "up1", "same", "down1", "down2")}
    moves = Counter(c["tier_move"] for c in out["cities"])
    assert moves["up"] == legend["up1"] + legend["up2"] == 2 and moves["down"] == 2 and moves["same"] == 1


def test_transition_colours_cannot_be_read_as_tier_colours():
    """Up and down (and one year only) are far (RGB > 60) from every choropleth class colour; the
    no-move neutral is achromatic grey."""
    def rgb(c):
        return tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))

    tiers = {c for palette in theme.SEQUENTIAL.values() for c in palette}
    for code, colour in theme.TRANSITION_COLORS.items():
        if code == "same":
            assert len(set(rgb(colour))) == 1
            continue
        nearest = min(sum((a - b) ** 2 for a, b in zip(rgb(colour), rgb(c))) ** 0.5 for c in tiers)
        assert nearest > 60, (code, colour)
