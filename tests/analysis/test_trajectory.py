"""A city over the years (``analysis.trajectory``) and its biggest moves in words
(``wording.trajectory``), on a small synthetic panel whose ranks and moves are known by hand."""

import pandas as pd
import pytest

from dei_geo.analysis import trajectory
from dei_geo.core.tiers import load_tiers
from dei_geo.wording import change as change_words
from dei_geo.wording import trajectory as words

HZ, BJ, SH, CD = 330100, 110100, 310100, 510100
PANEL = pd.DataFrame({  # 成都 has no 2022 row: 2022 ranks are among three cities
    "adcode": [HZ, BJ, SH, CD, HZ, BJ, SH, HZ, BJ, SH, CD],
    "year": [2021, 2021, 2021, 2021, 2022, 2022, 2022, 2023, 2023, 2023, 2023],
    "score": [60.0, 90.0, 80.0, 62.0, 66.0, 91.0, 70.0, 70.0, 92.0, 88.0, 75.0],
    "government": [50.0, 80.0, 70.0, 40.0, 56.1, 70.0, 72.0, 80.0, 60.0, 90.0, 85.0],
})


def test_table_gives_each_year_value_rank_among_that_years_cities_and_tier():
    traj = trajectory.table(PANEL, HZ, ["score", "government"])
    assert list(traj["year"]) == [2021, 2022, 2023]
    assert list(traj["score"]) == [60.0, 66.0, 70.0]
    assert list(traj["score_rank"]) == [4, 3, 4] and list(traj["score_n"]) == [4, 3, 4]
    assert list(traj["government_rank"]) == [3, 3, 3]
    assert list(traj["tier"]) == ["t3", "t2", "t2"]  # 60 二线, 66 and 70 新一线


def test_a_city_with_a_missing_year_and_one_absent():
    traj = trajectory.table(PANEL, CD, ["score"])
    assert list(traj["year"]) == [2021, 2023] and list(traj["score_rank"]) == [3, 3]
    assert trajectory.table(PANEL, 440100, ["score"]).empty  # 广州 is not in the panel


def test_biggest_moves_by_size_then_the_largest_rank_move():
    traj = trajectory.table(PANEL, HZ, ["score", "government"])
    moved = trajectory.moves(traj, ["score", "government"], n=2)
    # changes: score +6.0 (rank 4→3, +1) and +4.0 (3→4, −1); government +6.1 (3→3) and +23.9 (3→3)
    assert [(m["start"], m["end"], m["metric"], round(m["change"], 1), m["rank_change"], m["reason"])
            for m in moved] == [(2022, 2023, "government", 23.9, 0, "value"),
                                (2021, 2022, "government", 6.1, 0, "value"),
                                (2021, 2022, "score", 6.0, 1, "rank")]
    assert (moved[2]["tier_before"], moved[2]["tier_after"]) == ("t3", "t2")
    assert moved[0]["tier_before"] is None  # tiers belong to the overall score


def test_a_city_that_never_moves_has_no_moves():
    flat = pd.DataFrame({"adcode": [HZ, BJ, HZ, BJ], "year": [2021, 2021, 2022, 2022],
                         "score": [60.0, 70.0, 60.0, 70.0]})
    assert trajectory.moves(trajectory.table(flat, HZ, ["score"]), ["score"]) == []


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["2022→2023 数字政府 +23.9，排名不变", "2021→2022 总分 +6.0，排名上升 1 位，二线城市 → 新一线城市"]),
    ("en", ["2022→2023 Digital government +23.9, rank unchanged",
            "2021→2022 Overall score +6.0, rank up 1, Tier 2 → New tier 1"]),
])
def test_moves_in_words(lang, expected):
    traj = trajectory.table(PANEL, HZ, ["score", "government"])
    moved = trajectory.moves(traj, ["score", "government"], n=1)
    names = change_words.tier_names(load_tiers(), lang)
    assert words.moves(moved, names, lang) == expected
    assert words.rank_move(-18, lang) == {"zh": "排名下降 18 位", "en": "rank down 18"}[lang]
