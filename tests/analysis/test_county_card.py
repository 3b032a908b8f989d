"""The county card: parents, neighbours, seat, ranks within province and prefecture."""

import pandas as pd

from dei_geo.analysis import county_card
from dei_geo.sources import boundaries


def test_neighbours_are_symmetric_and_cross_prefectures():
    for a in boundaries.layer("counties", "web")["adcode"].iloc[::97]:
        for b in county_card.neighbours(a):
            assert a in county_card.neighbours(b)
    assert 330109 in county_card.neighbours(330106)  # 萧山区 borders 西湖区
    assert 330782 not in county_card.neighbours(330106)  # 义乌 does not


def test_ranks_by_hand():
    table = pd.DataFrame({"adcode": [330106, 330102, 330782, 320106], "score": [80.0, 70.0, 90.0, 99.0]})
    card = county_card.county_card(330106, table)
    assert card["value"] == 80.0
    assert card["in_province"] == {"rank": 2, "n": 3, "mean": 80.0}  # 浙江: 90, 80, 70 (南京 not counted)
    assert card["in_prefecture"] == {"rank": 1, "n": 2, "mean": 75.0}  # 杭州: 80, 70
    assert card["prefecture"] == {"adcode": 330100, "name": "杭州市"} and card["province"]["name"] == "浙江省"
    missing = county_card.county_card(330108, table)  # 滨江区: no value
    assert missing["value"] is None and missing["in_prefecture"]["rank"] is None


def test_nearest_top_tier_is_measured_from_the_seats():
    card = county_card.county_card(460301, top_tier=(440300, 310100))  # 西沙区 → 深圳, not 上海
    assert card["seat"]["source"] == "prefecture_seat"  # 三沙's seat on 永兴岛 lies in 西沙区
    assert card["nearest_top_tier"]["adcode"] == 440300
    assert 620 < card["nearest_top_tier"]["distance_km"] < 680
