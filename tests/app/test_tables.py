"""Display tables beside the map."""

from dei_geo.app import tables
from dei_geo.sources import datasets


def test_tier_table_puts_computed_beside_reported():
    ds = datasets.load_dei_2023()
    t = tables.tiers(ds, "zh")
    assert list(t["分数区间"]) == ["≥85", "65–85", "50–65", "40–50", "<40"]
    assert list(t["印刷行数"]) == [6, 56, 84, 98, 12]
    assert list(t["报告所述"]) == [6, 56, 84, 99, 12]
    assert list(t["均分（印刷行）"].round(1)) == [91.5, 72.2, 57.0, 43.9, 39.1]


def test_ranking_keeps_both_bozhou_rows_with_their_note():
    r = tables.ranking(datasets.load_dei_2023(), "en")
    bozhou = r[r["City"] == "Bozhou 亳州"]  # English mode: pinyin and the printed name
    assert list(bozhou["Rank"]) == [163, 203] and list(bozhou["Score"]) == [47.4, 42.7]
    assert bozhou["Note"].str.len().min() > 0
    assert 166 not in set(r["Rank"])
    assert r.loc[r["City"] == "Hangzhou 杭州", "Province"].item() == "浙江省"
    assert "杭州" in set(tables.ranking(datasets.load_dei_2023(), "zh")["城市"])  # Chinese: the name alone


def test_coverage_counts():
    ds = datasets.load_dei_2023()
    assert tables.coverage(ds, 370) == {"evaluated": 257, "printed": 256, "units": 370, "unscored": 115}


def test_markdown_table_escapes_cells_and_rounds_numbers():
    import pandas as pd

    frame = pd.DataFrame({"a|b": ["x*y", "[link](http://x)"], "mean": [57.04, float("nan")], "n": [3, 4]})
    lines = tables.markdown(frame).splitlines()
    assert lines[0] == r"| a\|b | mean | n |" and lines[1] == "|---|---|---|"
    assert lines[2] == r"| x\*y | 57.0 | 3 |"
    assert lines[3] == r"| \[link\](http://x) | — | 4 |"  # no link, no empty cell
