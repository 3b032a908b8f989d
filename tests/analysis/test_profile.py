"""The city card (dei_geo.analysis.profile) and ``dei-geo profile``."""

import json
import subprocess
import sys

import numpy as np
import pytest
from pyproj import Geod

from dei_geo import cli
from dei_geo.analysis import profile
from dei_geo.core import places
from dei_geo.sources import boundaries
from dei_geo.wording import profile as profile_words


@pytest.fixture(scope="module")
def hangzhou(ds):
    return profile.city_profile(ds, 330100)


def _score(ds, adcode):
    return float(ds.scores.set_index("adcode").loc[adcode, "score"])


def test_scored_city_headline(hangzhou):
    c = hangzhou
    assert (c["short_name"], c["name"], c["province"]) == ("杭州", "杭州市", "浙江省")
    assert (c["status"], c["score"], c["rank"], c["rank_total"]) == ("scored", 92.9, 2, 257)
    assert (c["tier"]["id"], c["tier"]["name"], c["tier"]["portrait_word"]) == ("t1", "一线城市", "领导者")
    assert c["next_tier_up"] is None  # already 一线
    assert c["above_tier_floor"] == 7.9  # 92.9 - 85


def test_gap_to_the_next_tier_up(ds):
    urumqi = profile.city_profile(ds, 650100)  # 70.0, 新一线
    assert urumqi["tier"]["name"] == "新一线城市"
    assert urumqi["next_tier_up"] == {"id": "t1", "name": "一线城市", "lower": 85.0, "gap": 15.0}
    assert urumqi["above_tier_floor"] == 5.0
    lowest = ds.scores.loc[ds.scores["score"].idxmin()]  # a 四线 city: floor 0 means nothing
    card = profile.city_profile(ds, lowest["adcode"])
    assert card["tier"]["id"] == "t5" and card["above_tier_floor"] is None
    assert card["next_tier_up"]["name"] == "三线城市"
    assert card["next_tier_up"]["gap"] == round(40 - lowest["score"], 1)


def test_percentiles_nationally_and_in_province(ds, hangzhou):
    ok = ds.scores[ds.scores["status"].eq("ok")]
    assert hangzhou["percentile"]["national_n"] == len(ok) - 1 == 253
    # only 上海 (93.6) of the 253 others scores higher
    assert hangzhou["percentile"]["national"] == round(100 * 252 / 253, 1)
    assert hangzhou["percentile"]["province"] == 100.0
    assert hangzhou["percentile"]["province_n"] == 10  # the other scored 浙江 cities
    beijing = profile.city_profile(ds, 110100)
    assert beijing["percentile"]["province"] is None and beijing["percentile"]["province_n"] == 0
    assert beijing["context"]["province_mean"] == 92.4  # itself


def test_percentile_counts_ties_half():
    assert profile.percentile(50, [40, 50, 60, 70]) == 37.5
    assert profile.percentile(90, [10, 20]) == 100.0 and profile.percentile(5, [10, 20]) == 0.0
    assert profile.percentile(50, []) is None


def test_pillars_published_or_honestly_not(hangzhou):
    pillars = {p["pillar"]: p for p in hangzhou["pillars"]}
    assert list(pillars) == ["infrastructure", "economy", "society", "government", "ecology"]
    assert pillars["infrastructure"].items() >= {"published": True, "score": 97.6, "rank": 1,
                                                "national_mean": 58.5, "name": "数字基础设施"}.items()
    assert pillars["economy"]["score"] == 95.2
    assert pillars["society"].items() >= {"published": False, "score": None, "rank": None,
                                         "national_mean": 52.1}.items()


def test_neighbours_share_a_border_and_their_mean(ds, hangzhou):
    nb = hangzhou["neighbours"]
    names = {u["short_name"] for u in nb["cities"]}
    assert names == {"嘉兴", "湖州", "绍兴", "金华", "衢州", "黄山", "宣城"}
    assert nb["mean"] == round(np.mean([_score(ds, u["adcode"]) for u in nb["cities"]]), 1)
    assert "queen" in nb["method"]


def test_neighbours_are_symmetric_and_islands_have_none():
    units = boundaries.layer("cities", "web")["adcode"]
    for a in units:
        for b in profile.neighbours(a):
            assert a in profile.neighbours(b), (a, b)
    assert profile.neighbours(710000) == ()  # 台湾
    assert profile.neighbours(810000) == (440300,)  # 香港 – 深圳


def test_nearest_top_tier_city_distance_in_km(ds, hangzhou):
    near = hangzhou["nearest_top_tier"]
    assert near["short_name"] == "上海"
    # independent check: geodesic distance between the two seats as stored in the geodata layer
    units = boundaries.layer("cities", "web").set_index("adcode").loc[[330100, 310100]]
    lon, lat = units["anchor_lon"].to_numpy(), units["anchor_lat"].to_numpy()
    assert (units["anchor_source"] == "seat_cpca").all()
    geodesic_km = Geod(ellps="WGS84").inv(lon[0], lat[0], lon[1], lat[1])[2] / 1000
    assert near["distance_km"] == pytest.approx(geodesic_km, abs=0.1)
    beijing = profile.city_profile(ds, 110100)  # a 一线 city: the nearest *other* one
    assert beijing["nearest_top_tier"]["short_name"] != "北京"
    assert 1000 < profile.distance_km(110100, 310100) < 1200


def test_unscored_unit(ds):
    ali = profile.city_profile(ds, 542500)  # 阿里地区: not evaluated
    assert (ali["name"], ali["status"], ali["score"], ali["rank"], ali["tier"]) == (
        "阿里地区", "unscored", None, None, None)
    assert ali["percentile"]["national"] is None and ali["next_tier_up"] is None
    assert all(not p["published"] for p in ali["pillars"])
    assert {u["short_name"] for u in ali["neighbours"]["cities"]} == {"日喀则", "那曲", "巴音郭楞", "和田"}
    scored = [u for u in ali["neighbours"]["cities"] if u["status"] == "scored"]
    assert ali["neighbours"]["mean"] == round(np.mean([u["score"] for u in scored]), 2)
    taiwan = profile.city_profile(ds, 710000)
    assert taiwan["status"] == "unscored" and taiwan["neighbours"]["cities"] == []
    assert taiwan["neighbours"]["mean"] is None
    hong_kong = profile.city_profile(ds, 810000)
    assert [f["id"] for f in hong_kong["flags"]] == ["hong_kong_not_evaluated"]


def test_conflicting_city(ds):
    bozhou = profile.city_profile(ds, 341600)
    assert bozhou["status"] == "conflict" and bozhou["score"] is None and bozhou["rank"] is None
    assert [(r["rank"], r["score"]) for r in bozhou["printed_rows"]] == [(163, 47.4), (203, 42.7)]
    assert bozhou["tier"]["name"] == "三线城市"  # both printed rows are 三线
    assert bozhou["next_tier_up"] is None and bozhou["percentile"]["national"] is None
    assert [f["id"] for f in bozhou["flags"]] == ["bozhou_printed_twice"]
    assert "163" in bozhou["flags"][0]["text"]


def test_english_card(ds):
    c = profile.city_profile(ds, 330100, "en")
    assert (c["tier"]["name"], c["tier"]["portrait_word"]) == ("Tier 1", "Leaders")
    assert c["pillars"][0]["name"] == "Digital infrastructure"


def test_every_unit_has_a_strict_json_card(ds):
    for adcode in places.load_places()["adcode"]:
        json.dumps(profile.city_profile(ds, adcode), allow_nan=False)


def test_unknown_adcode_is_a_clear_error(ds):
    with pytest.raises(places.UnknownPlace, match="999999"):
        profile.city_profile(ds, 999999)


def test_text_card(ds):
    text = profile_words.to_text(profile.city_profile(ds, 330100))
    assert "杭州（杭州市）" in text and "92.9" in text and "2 / 257" in text
    assert "数字社会: 报告未公布" in text and "最近的一线城市：上海" in text
    ali = profile_words.to_text(profile.city_profile(ds, 542500))
    assert "未参评" in ali and "日喀则 未参评" in ali
    assert "第163名 47.4分; 第203名 42.7分" in profile_words.to_text(profile.city_profile(ds, 341600))


def test_cli_json_is_the_card(ds, capsys):
    assert cli.main(["profile", "hangzhou", "--format", "json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card.pop("spatial")["regions"]  # the card plus its regions and LISA class
    assert card == profile.city_profile(ds, 330100)


def test_cli_text_and_errors(capsys):
    assert cli.main(["profile", "330100", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Rank: 2 of 257" in out and "Tier 1 · Leaders" in out and "not published" in out
    assert cli.main(["profile", "杭洲"]) == 1
    assert "did you mean 杭州" in capsys.readouterr().err
    assert cli.main(["profile", "suzhou"]) == 1
    err = capsys.readouterr().err
    assert "苏州 (320500)" in err and "宿州 (341300)" in err


def test_console_script_profile():
    done = subprocess.run([sys.executable, "-m", "dei_geo.cli", "profile", "杭州", "--format", "text"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("杭州（杭州市）")
