"""Row-by-row validation: every error names file, row, column, why and how to fix; nothing is dropped."""

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dei_geo import cli
from dei_geo.sources import validate

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def _csv(text: str, name: str = "t.csv") -> validate.Report:
    return validate.validate(text.encode("utf-8"), name=name)


def _codes(report, severity="error"):
    return [(i.code, i.cell) for i in report.issues if i.severity == severity]


def test_a_clean_file_is_valid():
    r = _csv("城市,总分,数字经济\n杭州,92.9,95.2\n成都市,90.1,\n")
    assert r.ok and list(r.table["city"]) == ["杭州", "成都"] and r.rejected.empty
    assert list(r.table["adcode"]) == [330100, 510100]
    assert pd.isna(r.table.loc[1, "economy"])  # blank is missing, not 0
    assert r.columns == {"city": "城市", "score": "总分", "economy": "数字经济"}


def test_unknown_city_with_closest_matches_in_the_real_gbk_file():
    r = validate.validate(FIX / "gbk.csv")
    assert not r.ok and len(r.table) == 2 and list(r.rejected["row"]) == [4]
    (issue,) = r.errors
    assert (issue.file, issue.row, issue.column, issue.header, issue.value) == ("gbk.csv", 4, "A", "城市", "杭洲")
    assert "杭州" in issue.why("zh") and "adcode" in issue.fix("zh")
    assert "Unknown city" in issue.why("en")


def test_xlsx_fixture_rows_are_reported_at_their_excel_cells():
    r = validate.validate(FIX / "title_row.xlsx")
    assert r.sheet == "2024得分" and r.header_row == 3
    assert _codes(r) == [("not_numeric", "C5"), ("out_of_range", "D6")]
    assert list(r.table["city"]) == ["杭州", "深圳"]  # the adcode given as text "440300" resolves
    assert list(r.rejected["row"]) == [5, 6]
    assert list(r.rejected.columns) == ["row", "adcode", "城市", "总分", "数字政府"]
    assert r.rejected.iloc[0].tolist() == [5, "510100", "成都", "九十", "88"]


def test_duplicate_city_rejects_every_copy_and_lists_the_rows():
    r = _csv("城市,总分\n杭州,90\n宁波,80\n杭州市,91\n330100,92\n")
    assert list(r.table["city"]) == ["宁波"]
    dups = [i for i in r.errors if i.code == "duplicate_city"]
    assert [i.row for i in dups] == [2, 4, 5]
    assert "2、4、5" in dups[0].why("zh") and "2, 4, 5" in dups[0].why("en")


def test_same_city_in_different_years_is_not_a_duplicate():
    r = _csv("城市,年份,总分\n杭州,2022,90\n杭州,2023年,91\n杭州,2023,92\n")
    assert list(r.table["year"]) == [2022]
    assert [i.row for i in r.errors] == [3, 4]


@pytest.mark.parametrize("cell, code", [
    ("abc", "not_numeric"), ("85%", "not_numeric"), ("85,3", "not_numeric"), ("nan", "not_numeric"),
    ("inf", "not_numeric"), ("8_5", "not_numeric"), ("101", "out_of_range"), ("-0.1", "out_of_range"),
    ("1e3", "out_of_range"),
])
def test_bad_scores(cell, code):
    r = _csv(f"城市,总分\n杭州,\"{cell}\"\n")
    assert _codes(r) == [(code, "B2")] and r.table.empty


@pytest.mark.parametrize("cell, value", [("0", 0.0), ("100", 100.0), (" 85.5 ", 85.5), ("８５", 85.0)])
def test_accepted_scores(cell, value):
    r = _csv(f"城市,总分\n杭州,{cell}\n")
    assert r.ok and r.table.loc[0, "score"] == value


@pytest.mark.parametrize("cell", ["—", "N/A", ""])
def test_a_row_with_an_empty_score_is_reported_not_accepted(cell):
    r = _csv(f"城市,总分\n杭州,{cell}\n北京,90\n")
    assert _codes(r, "warning") == [("no_value", "B2")] and list(r.table["city"]) == ["北京"]
    assert r.ok and list(r.rejected["row"]) == [2]  # listed with the rows not imported
    issue = next(i for i in r.issues if i.code == "no_value")
    assert "总分" in issue.why("zh") and "No data" in issue.fix("en")


def test_a_blank_cell_beside_other_scores_is_a_gap_not_an_error():
    r = _csv("城市,总分,数字经济\n杭州,,80\n")
    assert r.ok and pd.isna(r.table.loc[0, "score"]) and r.table.loc[0, "economy"] == 80


def test_ambiguous_blank_and_mismatched_cities():
    r = _csv("adcode,城市,总分\n,suzhou,80\n,,70\n330100,宁波,60\n330200,宁波,50\n")
    assert _codes(r) == [("ambiguous_city", "B2"), ("city_blank", "B3"), ("adcode_city_mismatch", "B4")]
    assert "苏州市 (320500)" in r.errors[0].why("zh") and "宿州市 (341300)" in r.errors[0].why("zh")
    assert "杭州" in r.errors[2].why("zh")
    assert list(r.table["city"]) == ["宁波"]


def test_year_problems():
    r = _csv("城市,年份,总分\n杭州,,90\n宁波,23,80\n")
    assert _codes(r) == [("year_blank", "B2"), ("year_invalid", "B3")]


def test_columns_we_do_not_use_are_reported_not_dropped_silently():
    r = _csv("城市,GDP,省份,总分,\n杭州,2.0,浙江,90,x\n")
    assert r.ok
    warnings = [(i.code, i.column, i.severity) for i in r.issues]
    assert warnings == [("unknown_column", "B", "warning"), ("info_column", "C", "info"),
                        ("unnamed_column", "E", "warning")]


def test_two_columns_with_one_meaning_stop_the_file():
    r = _csv("城市,总分,Overall\n杭州,90,90\n")
    (issue,) = r.errors
    assert issue.code == "duplicate_column" and issue.column == "C"
    assert "B" in issue.why("zh") and r.table.empty


def test_a_city_column_alone_is_not_enough():
    assert _codes(_csv("城市,省份\n杭州,浙江\n")) == [("no_metric_columns", "1")]


@pytest.mark.parametrize("name, code", [("empty.csv", "empty_file"), ("legacy.xls", "legacy_xls"),
                                        ("no_city_column.csv", "missing_city_column")])
def test_file_level_problems_become_reports(name, code):
    r = validate.validate(FIX / name)
    assert not r.ok and [i.code for i in r.errors] == [code] and r.table.empty
    assert r.errors[0].why("zh") and r.errors[0].fix("en")


def test_wrong_sheet_and_too_large_are_reports():
    r = validate.validate(FIX / "title_row.xlsx", sheet="Sheet1")
    assert "说明、2024得分" in r.errors[0].why("zh")
    r = validate.validate(b"x" * 100, name="big.csv", max_bytes=10)
    assert r.errors[0].code == "too_large"


def test_nothing_is_silently_dropped():
    text = "城市,总分\n杭州,90\n\n杭洲,80\n宁波,abc\n,\n成都,70\n"
    r = _csv(text)
    nonblank = [n for n, line in enumerate(text.splitlines(), 1) if line.strip(",")][1:]
    assert sorted([*r.table["row"], *r.rejected["row"]]) == nonblank


def test_rejected_rows_download_opens_in_excel_with_reasons():
    r = _csv("城市,总分\n杭州,90\n杭洲,abc\n")
    data = r.rejected_csv("zh")
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == ["行", "问题", "城市", "总分"]
    assert back.loc[0, "城市"] == "杭洲" and "A3" in back.loc[0, "问题"] and "B3" in back.loc[0, "问题"]


def test_issue_table_and_json_name_cell_why_and_fix():
    r = _csv("城市,总分\n杭洲,80\n", name="mine.csv")
    frame = r.issues_frame("en")
    assert list(frame.columns) == ["File", "Sheet", "Row", "Cell/column", "Value", "Level", "Problem",
                                   "How to fix"]
    assert frame.iloc[0]["Cell/column"] == "A2" and frame.iloc[0]["Value"] == "杭洲"
    d = r.to_dict("zh")
    json.dumps(d, ensure_ascii=False)
    assert d["valid"] is False and d["issues"][0]["row"] == 2 and d["issues"][0]["fix"]


# --- dei-geo validate -------------------------------------------------------------------------

def test_cli_validate_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("城市,总分\n杭州,92.9\n", encoding="utf-8")
    assert cli.main(["validate", str(good)]) == 0
    assert cli.main(["validate", str(FIX / "gbk.csv")]) == 1
    out = capsys.readouterr().out
    assert "gbk.csv A4" in out and "杭洲" in out
    assert cli.main(["validate", str(tmp_path / "absent.csv")]) == 2
    assert "找不到文件" in capsys.readouterr().err  # through the catalogue, in the user's language


def test_cli_validate_json(capsys):
    assert cli.main(["validate", str(FIX / "title_row.xlsx"), "--format", "json", "--lang", "en"]) == 1
    d = json.loads(capsys.readouterr().out)
    assert d["sheet"] == "2024得分" and d["rows_accepted"] == 2 and d["rows_rejected"] == 2
    assert [(i["code"], i["row"], i["column"]) for i in d["issues"]] == [
        ("not_numeric", 5, "C"), ("out_of_range", 6, "D")]


def test_cli_validate_usage_error_exits_2():
    done = subprocess.run([sys.executable, "-m", "dei_geo.cli", "validate", "--format", "xml", "f.csv"],
                          capture_output=True, text=True)
    assert done.returncode == 2


def test_downloads_neutralise_formula_cells_from_the_file():
    evil = "=cmd|' /C calc'!A0"
    r = _csv(f'城市,总分\n杭州,90\n"{evil}",80\n宁波,"+1+1"\n')
    for data in (r.rejected_csv("zh"), r.issues_csv("zh"), r.issues_csv("en")):
        assert data.startswith(b"\xef\xbb\xbf")
        back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        cells = back.to_numpy().ravel().tolist()
        assert not any(isinstance(c, str) and c.startswith(("=", "+", "-", "@")) for c in cells)
        assert "'" + evil in cells
    rejected = pd.read_csv(io.BytesIO(r.rejected_csv("zh")), encoding="utf-8-sig", dtype=str)
    assert "'" + evil in rejected["城市"].tolist() and "'+1+1" in rejected["总分"].tolist()
    issues = pd.read_csv(io.BytesIO(r.issues_csv("zh")), encoding="utf-8-sig", dtype=str)
    assert "'" + evil in issues["内容"].tolist()
    assert issues["行"].tolist() == ["3", "4"]  # numbers stay numbers


# --- nothing lost or mangled silently ---------------------------------------------------------

def _scripted_xlsx(rows, cells: dict[str, str] | None = None) -> bytes:
    """An XLSX as a script writes it (openpyxl: formulas without computed values); ``cells``
    replaces cells' XML (``{"B2": '<c r="B2">…</c>'}``), e.g. to store a value as Excel does."""
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(buf), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for ref, xml in (cells or {}).items():
                    data = re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)'.encode(), xml.encode(), data)
            dst.writestr(item, data)
    return out.getvalue()


def test_formulas_saved_without_values_are_reported_never_read_as_blank(tmp_path, capsys):
    data = _scripted_xlsx([["城市", "总分", "数字经济", "备注"], ["杭州", "=90+2.9", 95.2, '=A2&"x"'],
                           ["宁波", 80, 70], ["温州", 60, "=B4-1"]])
    r = validate.validate(data, name="scripted.xlsx")
    assert not r.ok and list(r.table["city"]) == ["宁波"] and list(r.rejected["row"]) == [2, 4]
    assert [(i.code, i.cell, i.severity) for i in r.issues if i.code == "formula_no_value"] == [
        ("formula_no_value", "B2", "error"), ("formula_no_value", "C4", "error"),
        ("formula_no_value", "D2", "warning")]  # D: a note column, not imported
    b2 = r.errors[0]
    assert (b2.file, b2.row, b2.column, b2.value) == ("scripted.xlsx", 2, "B", "=90+2.9")
    assert "公式没有计算结果" in b2.why("zh") and "WPS" in b2.fix("zh") and "数值" in b2.fix("zh")
    assert "Formula without a computed value" in b2.why("en") and "paste them as values" in b2.fix("en")
    src = tmp_path / "scripted.xlsx"
    src.write_bytes(data)
    assert cli.main(["validate", str(src)]) == 1
    assert "scripted.xlsx Sheet B2" in capsys.readouterr().out
    assert cli.main(["score", str(src), "--out", str(tmp_path / "s.csv")]) == 1  # no blank score
    assert "=90+2.9" in capsys.readouterr().err and not (tmp_path / "s.csv").exists()


def test_formula_values_stored_by_excel_are_read_and_shared_formulas_reported():
    cached = _scripted_xlsx(
        [["城市", "总分", "数字经济"], ["杭州", "=90+2.9", 95.2], ["宁波", 80, "=IF(B3>90,B3,\"\")"]],
        {"B2": '<c r="B2"><f>90+2.9</f><v>92.9</v></c>',  # as Excel saves it
         "C3": '<c r="C3" t="str"><f>IF(B3&gt;90,B3,"")</f><v></v></c>'})  # result: empty text
    r = validate.validate(cached, name="excel.xlsx")
    assert r.ok and r.table["score"].tolist() == [92.9, 80.0] and pd.isna(r.table.loc[1, "economy"])
    shared = _scripted_xlsx(
        [["城市", "总分", "数字经济"], ["杭州", 91, 90], ["宁波", 81, 80]],
        {"C2": '<c r="C2"><f t="shared" ref="C2:C3" si="0">B2-1</f><v/></c>',
         "C3": '<c r="C3"><f t="shared" si="0"/><v/></c>'})
    r = validate.validate(shared, name="shared.xlsx")
    assert [(i.cell, i.value) for i in r.errors] == [("C2", "=B2-1"), ("C3", "=B3-1")]


def test_cli_validate_shows_control_characters_escaped(tmp_path, capsys):
    title = "\x1b]0;PWNED\x07\x1b[31m杭州"
    src = tmp_path / "bad\x1b[2Jname.csv"
    # (a control character inside a number is invisible and cleaned away: "\x9b8x" is still not one)
    src.write_text(f"城市,总分,数字经济,GDP\u202e\x1b[5m\n{title},90,\x9b8x,1\n", encoding="utf-8")
    assert cli.main(["validate", str(src)]) == 1
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
    assert r"\x1b]0;PWNED\x07\x1b[31m杭州" in out and r"\x9b8x" in out
    assert r"bad\x1b[2Jname.csv" in out  # file name
    assert r"GDP\u202e\x1b[5m" in out  # header (unknown column)
    assert cli.main(["validate", str(src), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
    d = json.loads(out)  # still valid JSON, the values as they are in the file
    assert d["file"] == src.name and {title, "\x9b8x"} <= {i["value"] for i in d["issues"]}


def test_a_200_kb_note_cell_does_not_reject_the_file():
    r = _csv("城市,总分,备注\n杭州,92.9," + "长" * 200_000 + "\n宁波,80,短\n")
    assert r.ok and list(r.table["city"]) == ["杭州", "宁波"]
    r = _csv("城市,总分\n杭州," + "9" * 200_000 + "\n")  # in a score column: quoted, shortened
    assert _codes(r) == [("not_numeric", "B2")] and len(r.errors[0].value) == 200_000
    assert len(r.errors[0].why("zh")) < 300


@pytest.mark.parametrize("cell", ["杭\u200b州", "\u200f杭州\u200e", "\ufeff杭州", "\u3000杭\u200b州\u3000",
                                  "杭州\u2060", "330100.0", "３３０１００.０", " 330100.00 "])
def test_invisible_characters_and_float_adcodes_in_city_cells(cell):
    r = _csv(f"城市,总分\n{cell},92.9\n")
    assert r.ok and list(r.table["adcode"]) == [330100]
    r = _csv(f"adcode,城市,总分\n{cell},杭州,92.9\n")
    assert r.ok and list(r.table["adcode"]) == [330100]


def test_invisible_characters_in_headers_and_scores():
    r = _csv("城市,\ufeff总分\u200b\n杭州,9\u200b2.9\n")  # a BOM inside: files pasted together
    assert r.ok and r.columns == {"city": "城市", "score": "\ufeff总分\u200b"}
    assert r.table["score"].tolist() == [92.9]


def test_a_file_with_a_county_column_but_no_city_column_is_one_clear_error():
    """The loader accepts a 区县 header row (for the county check); the city check must say what
    is missing rather than fail on the first row."""
    report = validate.validate("区县,省份,总分\n朝阳区,北京,80\n".encode(), name="c.csv")
    assert not report.ok and [i.code for i in report.issues if i.severity == "error"] == ["missing_city_column"]
    assert "没有城市列" in report.issues[-1].why("zh")
