"""The comparison page's CSV download goes through the formula-safe writer (``core.tabular``)."""

import io
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
EVIL = '=HYPERLINK("http://x")'


def test_comparison_csv_neutralises_a_cell_starting_with_equals(monkeypatch):
    import streamlit

    from dei_geo.analysis import compare

    got, download, cards = {}, streamlit.download_button, compare.cards

    def record(label, data, *args, **kw):
        got[label] = data
        return download(label, data, *args, **kw)

    def evil_cards(*args, **kw):  # a city whose name a spreadsheet would run as a formula
        out = cards(*args, **kw)
        out[0] = {**out[0], "short_name": EVIL}
        return out

    monkeypatch.setattr(streamlit, "download_button", record)
    monkeypatch.setattr(compare, "cards", evil_cards)
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("dei_geo/app/pages/compare.py").run()
    at.multiselect(key="compare_cities").set_value([330100, 320100]).run()
    assert not at.exception, at.exception
    data = got["下载对比表（CSV）"]
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # still opens in Excel
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["城市"].tolist() == ["'" + EVIL, "南京"]
    cells = [*back.columns, *back.to_numpy().ravel().tolist()]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
