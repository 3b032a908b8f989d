"""Province and prefecture rollups against a hand computation."""

import pandas as pd
import pytest

from dei_geo.analysis import rollup

TABLE = pd.DataFrame({
    "adcode": [330106, 330102, 330782, 320106, 110105],  # 西湖区, 上城区 (杭州), 义乌市 (金华), 鼓楼区 (南京), 朝阳区
    "score": [80.0, 70.0, 60.0, 50.0, None],
    "pop": [100, 300, None, 10, 5],
})


def test_county_province_rollup_by_hand():
    out = rollup.rollup(TABLE, "score", "county", weight="pop").set_index("name")
    zj = out.loc["浙江省"]
    assert (zj["n"], zj["units"], zj["rank"]) == (3, 90, 1)
    assert zj["mean"] == pytest.approx((80 + 70 + 60) / 3)
    assert zj["median"] == 70 and (zj["min"], zj["max"]) == (60, 80)
    assert zj["weighted_mean"] == pytest.approx((80 * 100 + 70 * 300) / 400)  # 义乌 has no weight
    assert (zj["n_weighted"], zj["weight_missing"]) == (2, 1)
    js = out.loc["江苏省"]
    assert (js["n"], js["mean"], js["rank"], js["weighted_mean"], js["rank_weighted"]) == (1, 50, 2, 50, 2)
    bj = out.loc["北京市"]  # a unit without a value: listed with n = 0 and no rank
    assert bj["n"] == 0 and pd.isna(bj["rank"]) and bj["units"] == 16
    assert len(out) == 34 and list(out.index[:2]) == ["浙江省", "江苏省"]


def test_prefecture_rollup_and_ties():
    t = pd.DataFrame({"adcode": [330106, 330102, 330782], "score": [70.0, 70.0, 70.0]})
    out = rollup.rollup(t, "score", "county", by="prefecture").set_index("name")
    assert (out.loc["杭州市", "n"], out.loc["杭州市", "units"], out.loc["杭州市", "rank"]) == (2, 13, 1)
    assert out.loc["金华市", "rank"] == 1  # tied means share the rank
    assert pd.isna(out.loc["杭州市", "weighted_mean"])


def test_city_level_rollup_of_the_bundled_data():
    from dei_geo.sources import datasets

    ds = datasets.load_dei_2023()
    ok = ds.scores[ds.scores["status"].eq("ok")][["adcode", "score"]]
    out = rollup.rollup(ok, "score").set_index("name")
    zj = ok[ok["adcode"] // 10000 == 33]["score"]
    assert out.loc["浙江省", "mean"] == pytest.approx(zj.mean())
    assert out.loc["浙江省", "n"] == len(zj) and out.loc["浙江省", "units"] == 11
    assert out["n"].sum() == len(ok)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="duplicate"):
        rollup.rollup(pd.DataFrame({"adcode": [330106, 330106], "score": [1, 2]}), "score", "county")
    with pytest.raises(ValueError, match="not county-level"):
        rollup.rollup(pd.DataFrame({"adcode": [999999], "score": [1]}), "score", "county")
    with pytest.raises(ValueError, match="prefecture"):
        rollup.rollup(TABLE, "score", "city", by="prefecture")
