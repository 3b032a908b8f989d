"""Covariates from a user's file: numeric columns by city (and year), units, nothing dropped silently."""

from dei_geo.sources import covariates

CSV = ("2023年城市数据\n城市,年份,人均GDP(元),人口（万人）,类型\n杭州,2023,\"150,000\",1237,省会\n"
       "宁波,2023,160000,961,计划单列\n火星,2023,1,2,x\n杭州,2022,140000,1220,省会\n温州,2023,na,967,地级\n"
       "宁波,2023,1,1,重复\n")


def test_numeric_columns_units_text_columns_and_dropped_rows():
    cov = covariates.read(CSV.encode("gbk"), name="cov.csv")
    assert cov.columns == ["人均GDP", "人口", "类型"] and cov.units == {"人均GDP": "元", "人口": "万人", "类型": ""}
    assert cov.text_columns == {"类型": (3, "省会")} and cov.numeric == ["人均GDP", "人口"]
    assert cov.years == [2022, 2023]
    dropped = cov.dropped.to_dict("records")
    assert {"row": 5, "value": "火星", "reason": "unknown_city"} in dropped
    assert [d["reason"] for d in dropped].count("duplicate_city") == 2  # both 宁波 2023 rows, none kept
    y2023 = covariates.for_year(cov, 2023)
    assert y2023.loc[330100, "人均GDP"] == 150000.0 and y2023["人均GDP"].isna().sum() == 1  # 温州: na
    assert 330200 not in y2023.index
