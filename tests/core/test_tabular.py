"""Table downloads: CSV with BOM, XLSX that openpyxl (and Excel) read, no formula injection."""

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from dei_geo.app import tables
from dei_geo.core import tabular as te

EVIL = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "安全", "a=b"]


@pytest.fixture
def evil():
    return pd.DataFrame({"名称": EVIL, "排名变化": [-3, 2, 0, -1, 5, 7, -12, 1],
                         "得分": [55.2, -0.5, None, 1.0, 2.0, 3.0, 4.0, 5.0]})


def test_csv_has_a_bom_and_round_trips_chinese(ds):
    ranking = tables.ranking(ds)
    data = te.to_csv(ranking)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(ranking.columns)
    assert len(back) == 256 and back.iloc[0]["城市"] == "上海"
    assert (back["城市"] == "亳州").sum() == 2


def test_csv_neutralises_text_but_keeps_negative_numbers(evil):
    rows = list(csv.reader(io.StringIO(te.to_csv(evil).decode("utf-8-sig"), newline="")))
    names = [r[0] for r in rows[1:]]
    assert names[:6] == ["'" + v for v in EVIL[:6]]
    assert names[6:] == ["安全", "a=b"]  # only a leading trigger counts
    assert [r[1] for r in rows[1:]] == ["-3", "2", "0", "-1", "5", "7", "-12", "1"]  # numbers stay
    assert rows[1][2] == "55.2" and rows[2][2] == "-0.5" and rows[3][2] == ""


def test_text_that_looks_numeric_is_still_text(evil):
    assert te.neutralise("-3") == "'-3" and te.neutralise(-3) == -3 and te.neutralise(-0.5) == -0.5


def test_xlsx_opens_with_sheets_types_and_no_formula(ds, evil):
    data = te.to_xlsx({"城市排名": tables.ranking(ds), "分级统计": tables.tiers(ds), "evil": evil})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["城市排名", "分级统计", "evil"]
    ws = wb["城市排名"]
    assert [c.value for c in ws[1]] == list(tables.ranking(ds).columns)
    assert ws["A2"].value == 1 and ws["B2"].value == "上海" and isinstance(ws["D2"].value, float)
    assert ws.max_row == 257 and ws.freeze_panes == "A2"
    bad = wb["evil"]
    # a bare CR comes back as LF through the stdlib XML parser, as CR through lxml (both installed
    # setups occur: python-pptx brings lxml): compare with CR and LF taken as one
    typed = [v.replace("\r", "\n") for v in EVIL]
    read = [bad.cell(row=r, column=1).value for r in range(2, 10)]
    assert [v.replace("\r", "\n") for v in read] == typed  # shown as typed
    for r in range(2, 10):
        cell = bad.cell(row=r, column=1)
        assert cell.data_type == "s"
        assert cell.quotePrefix == te.is_risky(EVIL[r - 2])
    assert [bad.cell(row=r, column=2).value for r in range(2, 10)] == [-3, 2, 0, -1, 5, 7, -12, 1]
    assert bad["C3"].value == -0.5 and bad["C4"].value is None
    sheets = zipfile.ZipFile(io.BytesIO(data))
    xml = "".join(sheets.read(n).decode() for n in sheets.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the workbook


def test_sheet_names_are_made_valid_and_unique():
    t = pd.DataFrame({"a": [1]})
    wb = openpyxl.load_workbook(io.BytesIO(te.to_xlsx({"a/b": t, "a_b": t, "x" * 40: t})))
    assert wb.sheetnames == ["a_b", "a_b (2)", "x" * 31]


def test_write_picks_the_format_from_the_suffix(tmp_path, evil):
    assert te.write(evil, tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert openpyxl.load_workbook(te.write({"t": evil}, tmp_path / "t.xlsx")).sheetnames == ["t"]
    with pytest.raises(ValueError, match="one table"):
        te.write({"a": evil, "b": evil}, tmp_path / "t.csv")
    with pytest.raises(ValueError, match="csv, xlsx"):
        te.write(evil, tmp_path / "t.ods")
