"""The selected city over the years on the map page's card (the full app, AppTest): a 3-year upload
with two pillars, then 杭州's per-year score, rank and tier and its biggest moves, in 中文 and English;
nothing of the kind for a single-year upload."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.sources import datasets

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
HZ = 330100


def page(name: str) -> str:
    return f"dei_geo/app/pages/{name}.py"


def _panel() -> pd.DataFrame:
    """Three years for the 2023 cities: 总分, 数字政府 and 数字经济 drifting by a seeded rule;
    杭州's 数字政府 jumps +12.0 from 2022 to 2023 (its biggest move)."""
    scores = datasets.load_dei_2023().scores.dropna(subset=["score", "adcode"]).drop_duplicates("adcode")
    rng = np.random.default_rng(3)
    rows = []
    for year, shift in ((2021, -4.0), (2022, -2.0), (2023, 0.0)):
        for a, s in zip(scores["adcode"], scores["score"]):
            gov = min(99.0, s + shift + rng.normal(0, 1.0))
            if a == HZ:
                gov = {2021: 70.0, 2022: 72.0, 2023: 84.0}[year]
            rows.append({"城市代码": int(a), "年份": year, "总分": round(min(99.0, s + shift + rng.normal(0, 1.0)), 1),
                         "数字政府": round(gov, 1), "数字经济": round(min(99.0, s + shift), 1)})
    return pd.DataFrame(rows)


def _upload(lang: str, table: pd.DataFrame) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page("data")).run()
    at.file_uploader(key="di_file").set_value(("panel.csv", table.to_csv(index=False).encode(), "text/csv")).run()
    assert not at.exception, at.exception
    at.switch_page(page("map")).run()
    at.session_state["selected_city"] = HZ
    at.run()
    assert not at.exception, at.exception
    return at


def _card_table(at: AppTest, year_col: str) -> pd.DataFrame | None:
    return next((d.value for d in at.dataframe if year_col in d.value.columns), None)


@pytest.mark.parametrize("lang, year, rank, tier, moves, up", [
    ("zh", "年份", "排名（总分）", "分级", "最大的变化", "2022→2023 数字政府 +12.0"),
    ("en", "Year", "Rank (Overall score)", "Tier", "Biggest moves", "2022→2023 Digital government +12.0"),
])
def test_the_card_shows_the_citys_trajectory_and_biggest_moves(lang, year, rank, tier, moves, up):
    table = _panel()
    at = _upload(lang, table)
    said = " ".join(m.value for m in at.markdown)
    assert {"zh": "杭州的历年轨迹", "en": "杭州 over the years"}[lang] in said
    card = _card_table(at, year)
    assert card is not None and list(card[year]) == [2021, 2022, 2023]
    mine = table[table["城市代码"] == HZ].set_index("年份")
    assert list(card.iloc[:, 1]) == list(mine["总分"])  # the score column, as uploaded
    for y, shown in zip((2021, 2022, 2023), card[rank]):  # rank among that year's cities, of how many
        year_rows = table[table["年份"] == y]
        expected = (year_rows["总分"] > mine.loc[y, "总分"]).sum() + 1
        assert shown.replace(" ", "").startswith(f"{expected}/" if lang == "zh" else f"{expected}of"), shown
    assert card[tier].iloc[-1] in {"新一线城市", "一线城市", "New tier 1", "Tier 1"}
    assert moves in said and up in said
    assert {"zh": "排名", "en": "rank"}[lang] in said.split(up)[1].split("\n")[0]  # its rank move beside it


def test_a_single_year_upload_keeps_the_card_as_it_was():
    one = _panel()
    one = one[one["年份"] == 2023].drop(columns="年份")
    at = _upload("zh", one)
    said = " ".join(m.value for m in at.markdown)
    assert "杭州的历年轨迹" not in said and "最大的变化" not in said
    assert _card_table(at, "年份") is None
