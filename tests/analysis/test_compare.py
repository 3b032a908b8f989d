"""Cities side by side (dei_geo.analysis.compare) and the comparison tab."""

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.analysis import compare
from dei_geo.core import places, tabular
from dei_geo.wording import compare as compare_words

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture(scope="module")
def frame(ds):
    return compare_words.table(compare.cards(ds, [330100, 341600, 542500]))


def test_one_row_per_city_in_the_order_picked(frame):
    assert list(frame["城市"]) == ["杭州", "亳州", "阿里"]
    assert list(frame["状态"]) == ["参评", "数据冲突", "未参评"]
    hz = frame.iloc[0]
    assert (hz["得分"], hz["排名"], hz["分级"], hz["城市画像"]) == (92.9, 2, "一线城市", "领导者")
    assert (hz["数字基础设施"], hz["最近一线城市"]) == (97.6, "上海")
    assert frame["得分"].iloc[1:].isna().all()  # no invented score for 亳州 or 阿里
    assert frame.iloc[1]["分级"] == "三线城市"
    assert pd.isna(frame.iloc[0]["数字社会"])  # not published


def test_english_columns(ds):
    en = compare_words.table(compare.cards(ds, [330100, 310100], "en"), "en")
    assert {"City", "Score", "Rank", "Digital economy", "Nearest tier-1 city"} <= set(en.columns)


@pytest.mark.parametrize("codes, message", [
    ([330100], "compare 2–5 cities, got 1"),
    ([110100, 310100, 330100, 440300, 510100, 440100], "compare 2–5 cities, got 6"),
    ([330100, 330100, 310100], "more than once: 杭州"),
])
def test_two_to_five_distinct_cities(ds, codes, message):
    with pytest.raises(ValueError, match=message):
        compare.cards(ds, codes)


def test_unknown_city(ds):
    with pytest.raises(places.UnknownPlace):
        compare.cards(ds, [330100, 999999])


def test_csv_opens_in_excel_on_chinese_windows(frame):
    data = tabular.to_csv(frame)  # what the comparison download writes
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel would otherwise read GBK
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(frame.columns)  # the BOM is not glued to the first header
    assert list(back["城市"]) == ["杭州", "亳州", "阿里"] and back["得分"].iloc[0] == 92.9
    assert pd.isna(back["得分"].iloc[2])  # empty cell, not "nan" or "None"
    assert b"nan" not in data and b"None" not in data


def test_comparison_page():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("dei_geo/app/pages/compare.py").run()
    assert "请至少选择 2 个城市。" in [i.value for i in at.info]
    at.multiselect(key="compare_cities").set_value([330100, 710000]).run()
    assert not at.exception
    table = at.dataframe[0].value  # a column per city
    assert list(table.columns) == ["杭州", "台湾"] and list(table.loc["状态"]) == ["参评", "未参评"]
    assert "下载对比表（CSV）" in [b.label for b in at.get("download_button")]
