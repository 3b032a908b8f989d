"""The Streamlit app, driven by Streamlit's AppTest (no browser)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at


def test_opens_in_chinese_on_the_2023_tier_map(app):
    assert app.title[0].value == "城市数字化发展指数地图"
    tiers, ranking = app.dataframe[0].value, app.dataframe[1].value
    assert list(tiers["城市数（印刷行）"]) == [6, 56, 84, 98, 12]
    assert list(tiers["报告所述"]) == [6, 56, 84, 99, 12]
    assert len(ranking) == 256 and ranking.iloc[0]["城市"] == "上海"
    assert (ranking["城市"] == "亳州").sum() == 2
    notes = " ".join(md.value for md in app.markdown)
    assert "亳州" in notes and "166" in notes and "55.3" in notes


def test_english_switch_and_classification(app):
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "City Digital Development Index map"
    assert "Rank" in app.dataframe[1].value.columns
    app.sidebar.selectbox(key="scheme").set_value("natural_breaks").run()
    assert not app.exception
    assert app.sidebar.slider(key="k").value == 5
