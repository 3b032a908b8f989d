"""Reading score tables: encodings, delimiters, title rows, sheets, header names, file-level errors."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from dei_geo.core import columns
from dei_geo.sources import loader, validate

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "import"
ROWS = "城市,总分,数字经济\n杭州,92.9,95.2\n成都,90.1,92.1\n"


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _problem(source, **kw) -> loader.FileProblem:
    with pytest.raises(loader.FileProblem) as err:
        loader.read(source, **kw)
    return err.value


@pytest.mark.parametrize("encoding, shown", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"),
                                             ("gbk", "GB18030"), ("gb18030", "GB18030"),
                                             ("utf-16", "UTF-16")])
def test_encodings_people_send(encoding, shown):
    raw = loader.read(ROWS.encode(encoding), name="x.csv")
    assert raw.encoding == shown
    assert raw.header == ["城市", "总分", "数字经济"]  # no BOM left on the first header
    assert raw.rows[0] == (2, ["杭州", "92.9", "95.2"])


def test_real_gbk_and_bom_files_read_the_same():
    gbk, bom = loader.read(FIX / "gbk.csv"), loader.read(FIX / "utf8_bom.csv")
    assert gbk.rows == bom.rows and gbk.file == "gbk.csv"
    assert (FIX / "gbk.csv").read_bytes() != (FIX / "utf8_bom.csv").read_bytes()


def test_gb18030_only_characters_decode():
    text = "城市,总分,备注\n杭州,92.9,𠀀\n"  # U+20000 exists in GB18030, not in GBK
    raw = loader.read(text.encode("gb18030"), name="x.csv")
    assert raw.rows[0][1][2] == "𠀀"


@pytest.mark.parametrize("sep", ["\t", ";"])
def test_tab_and_semicolon_delimiters(sep):
    raw = loader.read(ROWS.replace(",", sep).encode(), name="x.txt")
    assert raw.header == ["城市", "总分", "数字经济"]


def test_title_rows_above_the_header_count_in_row_numbers():
    text = "2024年 城市数字化发展指数\n\n" + ROWS
    raw = loader.read(text.encode(), name="x.csv")
    assert raw.header_row == 3 and raw.rows[0][0] == 4


def test_blank_lines_keep_excel_row_numbers():
    raw = loader.read("城市,总分\n杭州,90\n\n成都,80\n".encode(), name="x.csv")
    assert [r for r, cells in raw.rows if cells] == [2, 4]


def test_xlsx_title_row_and_sheet_choice():
    raw = loader.read(FIX / "title_row.xlsx")
    assert raw.sheet == "2024得分" and raw.sheets == ["说明", "2024得分"]
    assert raw.header_row == 3 and raw.header == ["adcode", "城市", "总分", "数字政府"]
    assert raw.rows[0] == (4, [330100, "杭州", 93.1, 90])
    assert loader.sheet_names(FIX / "title_row.xlsx") == ["说明", "2024得分"]


def test_wrong_sheet_names_the_sheets_there():
    p = _problem(FIX / "title_row.xlsx", sheet="Sheet1")
    assert p.code == "sheet_not_found" and p.params["sheets"] == ["说明", "2024得分"]
    assert _problem(FIX / "title_row.xlsx", sheet="说明").code == "no_header"


def test_no_sheet_with_a_header():
    data = _xlsx({"a": [["hello"]], "b": [["world"]]})
    assert _problem(data, name="x.xlsx").code == "no_sheet_with_header"


def test_xlsx_detected_by_content_not_extension():
    data = _xlsx({"Sheet": [["城市", "总分"], ["杭州", 92.9]]})
    assert loader.read(data, name="renamed.csv").sheet == "Sheet"


@pytest.mark.parametrize("source, code", [
    (FIX / "empty.csv", "empty_file"),
    (b"   \n\n", "empty_file"),
    (FIX / "legacy.xls", "legacy_xls"),
    (FIX / "no_city_column.csv", "missing_city_column"),
    (b"PK\x03\x04 not really a zip", "bad_xlsx"),
    ("随便写点什么\n没有表头\n".encode(), "no_header"),
    ("城市,总分\n".encode(), "no_data_rows"),
    (b"\xff\xfe\x00", "bad_encoding"),
    (b"\x81\x20\x81\x20", "bad_encoding"),
])
def test_file_level_problems(source, code):
    assert _problem(source, name="f").code == code


def test_missing_city_column_names_the_header_row():
    p = _problem(("标题\n" + "省份,总分\n浙江,90\n").encode(), name="x.csv")
    assert p.code == "missing_city_column" and p.row == 2


def test_size_limit_for_bytes_and_paths(tmp_path):
    p = _problem(b"x" * 2048, name="big.csv", max_bytes=1024)
    assert p.code == "too_large"  # exact sizes: "1.0 MB exceeds 1.0 MB" said nothing
    assert p.params == {"size": "2,048", "size_mb": "0.00", "limit": "1,024", "limit_mb": "0.00"}
    path = tmp_path / "big.csv"
    path.write_bytes(("城市,总分\n" + "杭州,90\n" * 300).encode())
    assert _problem(path, max_bytes=1024).code == "too_large"
    assert _problem(tmp_path / "absent.csv").code == "not_found"


def test_sheet_given_for_a_csv():
    assert _problem(ROWS.encode(), name="x.csv", sheet="数据").code == "sheet_in_csv"


@pytest.mark.parametrize("header, field", [
    ("城市", "city"), ("City", "city"), (" 城市名称 ", "city"), ("adcode", "adcode"),
    ("行政区划代码", "adcode"), ("总分", "score"), ("Overall Score", "score"), ("总分（0-100）", "score"),
    ("数字基础设施", "infrastructure"), ("Digital infrastructure", "infrastructure"),
    ("INFRASTRUCTURE", "infrastructure"), ("数据开放共享", "government.open_data"),
    ("关键领域创新", "economy.innovation.key_fields"),
    ("economy.innovation.key_fields", "economy.innovation.key_fields"),
    ("互联网+公共服务", "society.public_services.internet_plus"), ("年份", "year"), ("省份", "province"),
    ("（未列名）", None), ("government.service_efficacy.unnamed", None), ("GDP", None), ("", None),
])
def test_header_names_in_chinese_english_and_ids(header, field):
    assert columns.match(header) == field


def test_every_indicator_name_and_id_is_recognised():
    tree = columns.tree()
    named = tree[tree["id"] != columns.UNNAMED]
    assert all(columns.match(n) == i for n, i in zip(named["name_zh"], named["id"]))
    assert all(columns.match(i) == i for i in named["id"])
    assert len(columns.metrics()) == 1 + 5 + 15 + 53


def test_limits_on_rows_and_columns(monkeypatch):
    monkeypatch.setattr(loader, "MAX_ROWS", 3)
    monkeypatch.setattr(loader, "MAX_COLUMNS", 4)
    many = "城市,总分\n" + "杭州,90\n" * 4
    assert _problem(many.encode(), name="x.csv").code == "too_many_rows"
    assert loader.read(("城市,总分\n" + "杭州,90\n" * 3 + "\n" * 50).encode(), name="x.csv")
    wide = "城市,总分,a,b,c\n杭州,90,1,2,3\n"
    assert _problem(wide.encode(), name="x.csv").code == "too_many_columns"
    long_sheet = _xlsx({"s": [["城市", "总分"], *[["杭州", 90]] * 20]})
    assert _problem(long_sheet, name="x.xlsx").code == "too_many_rows"


def test_formatted_but_empty_cells_far_out_are_not_data():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["城市", "总分"])
    ws.append(["杭州", 92.9])
    ws.cell(row=3000, column=800).font = openpyxl.styles.Font(bold=True)  # styled, no value
    out = io.BytesIO()
    wb.save(out)
    raw = loader.read(out.getvalue(), name="styled.xlsx")
    assert raw.header == ["城市", "总分"] and raw.rows == [(2, ["杭州", 92.9])]


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8,  # random bytes saved as .xlsx
    "随便写点什么\n没有表头\n".encode(),  # a text file renamed .xlsx that is no score table either
    "城市;总分\n".encode("utf-16-le")[:7],  # truncated junk
])
def test_a_fake_xlsx_is_reported_as_not_an_excel_file(data):
    p = _problem(data, name="成绩.xlsx")
    assert p.code == "not_xlsx" and p.params["ext"] == ".xlsx"
    assert _problem(data, name="成绩.xlsx", sheet="Sheet1").code == "not_xlsx"
    from dei_geo.sources import validate

    report = validate.validate(data, name="成绩.xlsx")
    why, fix = report.issues[0].why("zh"), report.issues[0].fix("zh")
    assert "不是有效的 Excel 文件" in why and "找不到表头" not in why
    assert "WPS" in fix and "CSV" in fix
    assert "not a valid Excel file" in report.issues[0].why("en")


def test_a_csv_renamed_xlsx_that_reads_as_csv_is_read():
    table = loader.read("城市,总分\n杭州,93.5\n".encode(), name="renamed.xlsx")
    assert table.header == ["城市", "总分"] and table.encoding == "UTF-8"


def test_a_cell_may_be_as_long_as_the_file():
    note = "长" * 200_000  # over the csv module's default limit of 131,072 characters
    raw = loader.read(f"城市,总分,备注\n杭州,90,{note}\n".encode(), name="x.csv")
    assert raw.rows == [(2, ["杭州", "90", note])]


def test_an_over_long_csv_cell_is_reported_at_its_cell(monkeypatch):
    def low(max_bytes):  # a limit below the file size, which the loader itself never sets
        csv.field_size_limit(1000)
        return 1000

    monkeypatch.setattr(loader, "_field_limit", low)
    saved = csv.field_size_limit()
    text = "标题\n城市,总分,备注\n杭州,90,\"多行\n" + "长" * 2000 + "\"\n"
    try:
        p = _problem(text.encode(), name="x.csv")
        report = validate.validate(text.encode(), name="x.csv")
    finally:
        csv.field_size_limit(saved)
    assert (p.code, p.row, p.params["column"]) == ("cell_too_long", 3, "C")
    (issue,) = report.errors
    assert issue.cell == "C3" and "第 3 行 C 列" in issue.why("zh") and "1,000" in issue.why("zh")
    assert "row 3, column C" in issue.why("en")


def test_formulas_without_computed_values_are_read_as_formulas():
    data = _xlsx({"s": [["城市", "总分", "备注"], ["杭州", "=90+2.9", "=A2"], ["宁波", 80]]})
    raw = loader.read(data, name="x.xlsx")
    assert raw.rows == [(2, ["杭州", "=90+2.9", "=A2"]), (3, ["宁波", 80])]
    assert isinstance(raw.rows[0][1][1], loader.Formula) and isinstance(raw.rows[0][1][2], loader.Formula)
