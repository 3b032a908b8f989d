"""County names resolved in their context: never by first match."""

import pytest

from dei_geo.core import counties, places


def test_a_repeated_name_is_an_error_listing_every_candidate_with_its_parents():
    with pytest.raises(counties.AmbiguousCounty) as err:
        counties.resolve("鼓楼区")
    listed = [str(c) for c in err.value.listed]
    assert listed == ["鼓楼区 (江苏省 南京市, 320106)", "鼓楼区 (江苏省 徐州市, 320302)",
                      "鼓楼区 (福建省 福州市, 350102)", "鼓楼区 (河南省 开封市, 410204)"]
    with pytest.raises(counties.AmbiguousCounty, match="北京市.*吉林省 长春市"):
        counties.resolve("朝阳区")
    assert isinstance(err.value, places.AmbiguousPlace)  # callers catching the city error catch this


@pytest.mark.parametrize(("name", "context", "adcode"), [
    ("朝阳区", {"province": "北京"}, 110105),
    ("朝阳区", {"province": "吉林省"}, 220104),
    ("朝阳区", {"prefecture": "长春"}, 220104),
    ("鼓楼区", {"province": "江苏", "prefecture": "徐州市"}, 320302),
    ("鼓楼区", {"prefecture": "350100"}, 350102),
    ("西湖", {"province": 330000}, 330106),
    ("330106", {}, 330106),
    ("义乌市", {}, 330782),
    ("肥乡县", {}, 130407),  # a former name (cpca's older table) finds today's unit
])
def test_context_resolves(name, context, adcode):
    assert counties.resolve(name, **context) == adcode


def test_blank_context_is_no_context():
    assert counties.resolve("义乌", province="", prefecture=None) == 330782


def test_a_name_outside_its_stated_province_says_where_it_is():
    with pytest.raises(counties.UnknownContext) as err:
        counties.resolve("西湖区", province="北京")
    assert err.value.suggestions == ["西湖区 (浙江省 杭州市, 330106)", "西湖区 (江西省 南昌市, 360103)"]


def test_unknown_names_and_contexts():
    with pytest.raises(places.UnknownPlace):
        counties.resolve("不存在区")
    with pytest.raises(places.UnknownPlace):
        counties.resolve("西湖区", province="火星省")
    with pytest.raises(places.UnknownPlace):
        counties.resolve("鼓楼区", province="江苏", prefecture="杭州")  # 杭州 is not in 江苏


def test_every_repeated_official_name_needs_context():
    table = counties.load_counties()
    repeated = table[table["name"].duplicated(keep=False)]
    assert {"朝阳区", "鼓楼区", "市中区", "城关区", "新华区"} <= set(repeated["name"])
    for row in repeated.itertuples():
        with pytest.raises(counties.AmbiguousCounty):
            counties.resolve(row.name)
        assert counties.resolve(row.name, prefecture=row.prefecture_adcode) == row.adcode


@pytest.mark.parametrize(("cells", "level"), [
    (["杭州", "宁波", "温州"], "city"),
    (["西湖区", "上城区", "义乌市", None, ""], "county"),
    (["330106", "330102", "330100"], "county"),
    (["330100", "330200"], "city"),
    ([], "city"),
])
def test_detect_level(cells, level):
    assert counties.detect_level(cells) == level


def test_county_headers():
    assert counties.is_county_header("区县") and counties.is_county_header(" County ")
    assert counties.is_county_header("县（市、区）") and not counties.is_county_header("城市")
    assert counties.is_prefecture_header("地级市") and not counties.is_prefecture_header("区县")
