"""Bounded echo of what a user links (issue 16): a 100,000-character ``?city=`` is shown as a short
escaped prefix, never whole; an XLSX upload is read once."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dei_geo.sources import limits

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def test_a_huge_city_link_is_echoed_as_a_short_escaped_prefix():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "*" + "x" * 100_000
    at.run()
    assert not at.exception
    warning = " ".join(w.value for w in [*at.sidebar.warning, *at.warning])
    assert warning and len(warning) < 300  # was 100,000 characters
    assert "\\*xx" in warning and "…" in warning  # escaped, shortened
    assert warning.count("x") <= limits.ECHO_CHARS


def test_echo_shortens_and_marks():
    assert limits.echo("abc") == "abc"
    assert limits.echo("x" * 100) == "x" * limits.ECHO_CHARS + "…"


def test_an_uploaded_xlsx_is_opened_once(monkeypatch):
    import io

    import openpyxl

    from dei_geo.sources import loader

    opened = []
    real = loader.load_workbook
    monkeypatch.setattr(loader, "load_workbook", lambda *a, **k: opened.append(1) or real(*a, **k))
    wb = openpyxl.Workbook()
    wb.active.append(["说明：test_an_uploaded_xlsx_is_opened_once"])  # content unique to this test
    ws = wb.create_sheet("得分")
    ws.append(["城市", "总分"])
    ws.append(["杭州", 92.9])
    out = io.BytesIO()
    wb.save(out)
    page = str(Path(__file__).resolve().parents[1] / "apps" / "data_panel_app.py")
    at = AppTest.from_file(page, default_timeout=120).run()
    at.file_uploader(key="di_file").set_value(("two.xlsx", out.getvalue(), "application/octet-stream")).run()
    assert not at.exception
    assert at.selectbox(key="di_sheet").options[1:] == ["Sheet", "得分"]
    assert opened == [1]  # was twice: once for the sheet names, once for the data
