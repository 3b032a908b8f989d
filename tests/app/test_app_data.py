"""The data panel, driven by Streamlit's AppTest through a page that renders only the panel."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.sources import template

APP = str(Path(__file__).resolve().parents[1] / "apps" / "data_panel_app.py")
FIX = Path(__file__).resolve().parents[1] / "fixtures" / "import"


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at


def _frame(at, column: str):
    """The first dataframe shown with ``column`` (AppTest does not look dataframes up by key)."""
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def _upload(at, name: str, data: bytes):
    at.file_uploader(key="di_file").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    return at


def _pillar_file() -> bytes:
    f = template.frame("pillars")
    rng = np.random.default_rng(3)
    for col in f.columns[4:]:
        f[col] = rng.uniform(30, 95, len(f)).round(1)
    return f.to_csv(index=False).encode("gbk")


def test_nothing_uploaded_offers_the_templates(app):
    assert app.subheader[0].value == "导入自有数据"
    assert app.session_state["returned"] is None
    labels = [b.label for b in app.download_button]
    assert labels == ["下载模板（XLSX）", "下载模板（CSV）"]


def test_a_gbk_file_with_a_bad_row_is_reported_and_the_good_rows_kept(app):
    _upload(app, "gbk.csv", (FIX / "gbk.csv").read_bytes())
    assert "导入 2 行，拒绝 1 行" in app.error[0].value
    issues = _frame(app, "单元格/列")
    assert issues.iloc[0]["单元格/列"] == "A4" and "杭州" in issues.iloc[0]["问题"]
    assert "下载被拒绝的行（CSV）" in [b.label for b in app.download_button]
    returned = app.session_state["returned"]
    assert returned["cities"] == 2 and returned["metrics"][:2] == ["score", "economy"]
    assert app.session_state["legend"]["无数据"] == 368 and "未参评" not in app.session_state["legend"]


def test_xlsx_with_two_sheets_offers_a_sheet_choice(app):
    _upload(app, "title_row.xlsx", (FIX / "title_row.xlsx").read_bytes())
    assert app.selectbox(key="di_sheet").options == ["自动（第一个含城市列的工作表）", "说明", "2024得分"]
    assert any("工作表：2024得分；表头在第 3 行" in c.value for c in app.caption)
    app.selectbox(key="di_sheet").set_value("说明").run()
    assert "前 10 行中找不到表头" in _frame(app, "单元格/列").iloc[0]["问题"]
    assert app.session_state["returned"] is None


def test_pillar_weights_move_ranks_and_reset_restores_them(app):
    _upload(app, "pillars.csv", _pillar_file())
    assert app.success[0].value.startswith("pillars.csv：导入 255 行")
    before = app.session_state["returned"]["scores"]
    assert app.slider(key="di_w_infrastructure").value == 15
    app.slider(key="di_w_infrastructure").set_value(60).run()
    shift = _frame(app, "变化（正数为上升）")
    assert shift["变化（正数为上升）"].abs().max() > 0
    returned = app.session_state["returned"]
    assert "rank_shift" in returned["metrics"] and returned["scores"] != before
    app.button(key="di_reset").click().run()
    assert app.slider(key="di_w_infrastructure").value == 15
    assert app.session_state["returned"]["scores"] == before
    assert _frame(app, "变化（正数为上升）") is None


def test_indicator_file_with_a_gap_and_the_missing_policy(app):
    f = template.frame("indicators")
    for col in f.columns[3:]:
        f[col] = 60.0
    f.iloc[0, 3] = np.nan  # 北京 lacks 连接基础设施
    _upload(app, "ind.csv", f.to_csv(index=False).encode("utf-8-sig"))
    assert app.session_state["returned"]["scores"]["北京"] != app.session_state["returned"]["scores"]["北京"]
    gaps = _frame(app, "缺少")
    assert gaps.iloc[0]["城市"] == "北京" and gaps.iloc[0]["缺少"] == "连接基础设施"
    app.radio(key="di_missing").set_value("renormalise").run()
    assert app.session_state["returned"]["scores"]["北京"] == pytest.approx(60.0)
    app.selectbox(key="metric").set_value("infrastructure.information").run()
    assert not app.exception and app.caption[-1].value.endswith("城市数字化发展指数：信息基础设施")
    app.selectbox(key="metric").set_value("change").run()  # a difference: quantiles, not tiers
    assert not app.exception and "无数据" in app.session_state["legend"]
    assert not any("一线" in label for label in app.session_state["legend"])


def test_english_and_hostile_file_names(app):
    app.sidebar.radio(key="lang").set_value("en").run()
    _upload(app, "<img src=x onerror=alert(1)>[x](javascript:alert(1)).csv",
            b"city,overall\nHangzhou,90\n")
    assert app.success[0].value.startswith("\\<img src=x onerror=alert\\(1\\)\\>")
    assert app.session_state["returned"]["cities"] == 1
    assert app.session_state["returned"]["metrics"] == ["score", "change", "rank_change"]
    assert "Your data (<img" in app.session_state["returned"]["label"]  # escaped where it is drawn


def _recording_downloads(monkeypatch) -> dict:
    """The bytes the panel hands to ``st.download_button``, by widget key."""
    import streamlit

    got, original = {}, streamlit.download_button

    def record(label, data, *args, **kw):
        got[kw.get("key")] = data() if callable(data) else data  # a large one is built on click
        return original(label, data, *args, **kw)

    monkeypatch.setattr(streamlit, "download_button", record)
    return got


def test_downloads_built_from_the_file_neutralise_formulas(app, monkeypatch):
    import io

    import pandas as pd

    got = _recording_downloads(monkeypatch)
    evil = "=cmd|' /C calc'!A0"
    _upload(app, "evil.csv", f'城市,总分\n杭州,93.5\n"{evil}",80\n宁波,"-2+3"\n'.encode())
    assert {"di_dl_issues", "di_dl_rejected", "di_dl_scored"} <= set(got)
    for key in ("di_dl_issues", "di_dl_rejected", "di_dl_scored"):
        data = got[key]
        assert data.startswith(b"\xef\xbb\xbf"), key
        cells = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str,
                            keep_default_na=False).to_numpy().ravel().tolist()
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), key
    rejected = pd.read_csv(io.BytesIO(got["di_dl_rejected"]), encoding="utf-8-sig", dtype=str)
    assert "'" + evil in rejected["城市"].tolist()
    scored = pd.read_csv(io.BytesIO(got["di_dl_scored"]), encoding="utf-8-sig")
    assert scored.loc[0, "score"] == 93.5  # numbers stay numbers


def test_a_supplied_overall_is_kept_when_only_one_pillar_is_given(app):
    data = "城市,总分,数字经济\n杭州,93.5,96\n宁波,80,70\n".encode()
    for missing in ("zero", "renormalise", "report"):
        _upload(app, "p.csv", data)
        if app.radio(key="di_missing").value != missing:
            app.radio(key="di_missing").set_value(missing).run()
        scores = app.session_state["returned"]["scores"]
        assert scores["杭州"] == pytest.approx(93.5) and scores["宁波"] == pytest.approx(80.0), missing
        captions = " ".join(c.value for c in app.caption)
        assert "也能由其子项计算" not in captions and "相差" not in captions, missing
        assert "沿用表中填报值" in captions, missing
        legend = app.session_state["legend"]
        assert any("一线" in label and n == 1 for label, n in legend.items()), (missing, legend)


def test_weight_view_shows_percentages_and_tier_moves(app):
    _upload(app, "pillars.csv", _pillar_file())
    app.slider(key="di_w_infrastructure").set_value(60).run()
    weights = _frame(app, "使用权重")
    used = dict(zip(weights["指标"], weights["使用权重"]))
    assert used["数字基础设施"] == pytest.approx(100 * 60 / 145, abs=0.01)  # 41.38 (%), not 0.4138
    assert weights["印刷权重"].max() == pytest.approx(25.0)
    shift = _frame(app, "变化（正数为上升）")
    assert {"分级（公布权重）", "分级（调整后）", "排名（公布权重）", "排名（调整后）",
            "得分（公布权重）", "得分（调整后）"} <= set(shift.columns)
    moved = shift["分级（公布权重）"] != shift["分级（调整后）"]
    assert moved.any() and moved.iloc[: moved.sum()].all()  # tier moves listed first
    assert any("改变了分级" in c.value for c in app.caption)
    assert (shift["排名（公布权重）"] - shift["排名（调整后）"] == shift["变化（正数为上升）"]).all()
