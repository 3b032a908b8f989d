"""Class breaks: report tiers (left-closed), quantiles and natural breaks."""

import numpy as np
import pandas as pd
import pytest

from dei_geo.core import tiers
from dei_geo.maps import classify


@pytest.fixture(scope="module")
def tier_table():
    return tiers.load_tiers()


def test_tier_classes_are_left_closed_and_ordered_low_to_high(tier_table):
    values = pd.Series([85.0, 84.99, 65.0, 50.0, 49.99, 40.0, 39.99, np.nan])
    c = classify.classify(values, "tiers", tier_table, lang="zh")
    assert [lab.split("（")[0] for lab in c.labels] == ["四线城市", "三线城市", "二线城市", "新一线城市", "一线城市"]
    assert list(c.codes) == [4, 3, 3, 2, 1, 1, 0, -1]
    assert c.labels[-1] == "一线城市（≥85.0）" and c.labels[0] == "四线城市（<40.0）"


def test_quantiles_split_evenly_and_leave_missing_unclassed(tier_table):
    values = pd.Series(list(range(1, 101)) + [np.nan], dtype=float)
    c = classify.classify(values, "quantiles", tier_table, k=4)
    assert classify.counts(c) == [25, 25, 25, 25]
    assert c.codes.iloc[-1] == -1
    assert c.upper[-1] == 100.0


def test_natural_breaks_find_obvious_groups(tier_table):
    values = pd.Series([10, 11, 12, 50, 51, 52, 90, 91, 92], dtype=float)
    c = classify.classify(values, "natural_breaks", tier_table, k=3)
    assert classify.counts(c) == [3, 3, 3]


def test_bad_requests_say_what_is_allowed(tier_table):
    with pytest.raises(ValueError, match="k must be one of"):
        classify.classify(pd.Series([1.0, 2.0]), "quantiles", tier_table, k=12)
    with pytest.raises(ValueError, match="distinct values"):
        classify.classify(pd.Series([1.0, 1.0, 1.0]), "quantiles", tier_table, k=5)
    with pytest.raises(ValueError, match="unknown scheme"):
        classify.classify(pd.Series(np.arange(10.0)), "jenks", tier_table, k=3)


def test_a_centred_map_of_any_scale_keeps_its_classes():
    """Small effects (a model's spillover of 0.002) are not all lumped into the zero class."""
    import pandas as pd

    from dei_geo.maps import classify

    small = pd.Series([-0.0021, -0.0011, -0.0002, 0.0, 0.0004, 0.0013, 0.0024])
    unit = classify.display_unit(small)
    assert unit == pytest.approx(1e-5) and classify.decimals(unit) == 5
    classes = classify.diverging(small, 7, unit=unit)
    assert len(set(classes.codes)) == 7 and "+0.00240" in classes.labels[-1]
    assert classify.display_unit(pd.Series([-12.5, 30.1])) == pytest.approx(0.1)  # scores: as before
    assert len(set(classify.diverging(small, 7).codes)) == 1  # the score rounding would lump them
