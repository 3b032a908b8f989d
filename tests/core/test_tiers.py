"""Tier classification: left-closed intervals from data/dei_2023/tiers.csv."""

import math

import pandas as pd
import pytest

from dei_geo.core.tiers import classify, labels, load_tiers


def test_tier_table():
    t = load_tiers()
    assert list(t["tier"]) == ["t1", "t2", "t3", "t4", "t5"]
    assert list(t["name_zh"]) == ["一线城市", "新一线城市", "二线城市", "三线城市", "四线城市"]
    assert list(t["lower"]) == [85, 65, 50, 40, 0]
    assert math.isnan(t["upper"][0]) and list(t["upper"][1:]) == [85, 65, 50, 40]
    assert t["portrait_zh"].str.startswith(("领导者", "追赶者", "新兴者", "觉醒者", "观望者")).all()


@pytest.mark.parametrize("score, tier", [
    (100, "t1"), (85.0, "t1"), (84.99, "t2"), (65.0, "t2"), (64.99, "t3"), (50.0, "t3"),
    (49.99, "t4"), (40.0, "t4"), (39.99, "t5"), (0, "t5"),
])
def test_boundaries_are_left_closed(score, tier):
    assert classify([score])[0] == tier


def test_nan_stays_nan():
    assert pd.isna(classify([float("nan"), 50.0])[0])


def test_series_keeps_index_and_category_order():
    s = pd.Series([39.0, 93.6], index=[341600, 310100])
    out = classify(s)
    assert isinstance(out, pd.Series) and list(out.index) == [341600, 310100]
    assert list(out) == ["t5", "t1"]
    assert list(out.cat.categories) == ["t1", "t2", "t3", "t4", "t5"]


def test_labels_come_from_the_csv():
    assert labels()["t2"] == "新一线城市"
    assert labels("en")["t2"] == "New tier 1"


def test_gap_between_tiers_is_rejected():
    t = load_tiers()
    t.loc[t["tier"] == "t2", "lower"] = 66
    with pytest.raises(ValueError):
        classify([70], t)
