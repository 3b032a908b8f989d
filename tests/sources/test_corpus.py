"""The hostile-input corpus (issue 16, tests/corpus/): every file refused or read with its own
message code, where it is (row / column), an exit code from ``dei-geo validate``, and no valid row
lost. Big files are made here (tests/corpus/build.py); their time and memory are measured by
bench/bench_limits.py (BENCHMARKS.md), never asserted."""

import errno
import json
import math
import sys
from pathlib import Path

import pytest

from dei_geo import cli
from dei_geo.core import files
from dei_geo.sources import limits, loader, validate

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
sys.path.insert(0, str(CORPUS))
import build  # noqa: E402


def _cli(path, capsys, *extra) -> tuple[int, dict]:
    code = cli.main(["validate", str(path), "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_the_committed_corpus_is_what_build_makes():
    for name, data in build.small().items():
        assert (CORPUS / name).read_bytes() == data, f"{name}: run python tests/corpus/build.py"


# file → (exit code, [(code, cell)] of the issues, rows kept)
EXPECTED = {
    "big5.csv": (1, [("big5", "")], []),
    "utf16le_no_bom.csv": (0, [], [2, 3]),
    "utf16be_no_bom.csv": (0, [], [2, 3]),
    "nul_byte.csv": (0, [("nul_removed", "")], [2, 3, 4]),
    "unclosed_quote.csv": (1, [("unclosed_quote", "A3")], []),
    "quoted_newline_ok.csv": (0, [("info_column", "C1")], [2, 3]),
    "date_score.xlsx": (1, [("date_value", "B3")], [2]),
    "hidden_sheet.xlsx": (0, [("sheet_hidden", "")], [2]),
    "two_data_sheets.xlsx": (0, [("other_sheets", "")], [2]),
    "merged_header.xlsx": (0, [("two_row_header", "")], [3]),
    "wide_row_bomb.xlsx": (1, [("xlsx_too_many_cells", "")], []),
    "far_row.xlsx": (0, [], [2]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name, capsys):
    code, issues, kept = EXPECTED[name]
    exit_code, d = _cli(CORPUS / name, capsys)
    assert exit_code == code
    assert [(i["code"], (i["column"] or "") + (str(i["row"]) if i["row"] and i["column"] else ""))
            for i in d["issues"]] == issues
    report = validate.validate(CORPUS / name)
    assert list(report.table["row"]) == kept
    for issue in report.issues:  # said in both languages, with a fix
        for lang in ("zh", "en"):
            assert issue.why(lang).strip() and issue.fix(lang).strip()


def test_big5_is_named_and_the_fix_says_how_to_save():
    issue = validate.validate(CORPUS / "big5.csv").issues[0]
    assert "Big5" in issue.why("zh") and "找不到表头" not in issue.why("zh")
    assert "UTF-8" in issue.fix("zh") and "简体" in issue.fix("zh")


def test_unclosed_quote_names_its_line_and_column():
    issue = validate.validate(CORPUS / "unclosed_quote.csv").issues[0]
    assert issue.params["line"] == 3 and "第 3 行" in issue.why("zh") and "A 列" in issue.why("zh")
    assert "quote is never closed" in issue.why("en")


def test_date_in_a_score_cell_is_its_own_problem():
    issue = validate.validate(CORPUS / "date_score.xlsx").errors[0]
    assert issue.code == "date_value" and "2023-05-01" in issue.why("zh") and "常规" in issue.fix("zh")


def test_a_stray_quote_inside_a_cell_is_no_unclosed_quote():
    report = validate.validate(CORPUS / "quoted_newline_ok.csv")
    assert report.ok and len(report.table) == 2


def test_a_hidden_sheet_is_read_last(tmp_path):
    data = build.xlsx([("隐藏", build.rows_xml([["城市", "总分"], ["杭州", 92.9]])),
                       ("可见", build.rows_xml([["城市", "总分"], ["宁波", 80.1]]))], hidden=("隐藏",))
    report = validate.validate(data, name="x.xlsx")
    assert report.sheet == "可见" and report.sheets == ["隐藏", "可见"]
    assert [i.code for i in report.issues] == []  # the hidden one is no rival


# --- files that are not files --------------------------------------------------------------------

def test_a_folder_and_a_device_are_named_for_what_they_are(tmp_path, capsys):
    code, d = _cli(tmp_path, capsys)
    assert code == 1 and d["issues"][0]["code"] == "is_directory"
    code, d = _cli("/dev/zero", capsys)  # never read: it has no end
    assert code == 1 and d["issues"][0]["code"] == "not_regular_file"
    assert cli.main(["validate", str(tmp_path / "absent.csv")]) == 2


def test_too_large_shows_exact_sizes(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (limits.MAX_BYTES + 1))
    issue = validate.validate(path).issues[0]
    assert issue.code == "too_large"
    assert "10,485,761" in issue.why("zh") and "10,485,760" in issue.why("zh")


# --- zip bombs: refused before anything is built -----------------------------------------------

def test_xlsx_refused_by_its_decompressed_size():
    data = build.bomb_shared_strings(limits.MAX_XLSX_UNZIPPED + 1_000_000)
    assert len(data) < 1_000_000  # a small file that unpacks past the limit
    report = validate.validate(data, name="bomb.xlsx")
    (issue,) = report.issues
    assert issue.code == "xlsx_too_large" and f"{limits.MAX_XLSX_UNZIPPED:,}" in issue.why("zh")


def test_xlsx_refused_by_its_cells_before_parsing(monkeypatch):
    parsed = []
    monkeypatch.setattr(loader.WorkSheetParser, "parse", lambda self: parsed.append(1) or iter(()))
    data = build.xlsx_at_cell_limit(limits.MAX_XLSX_CELLS + 100)
    report = validate.validate(data, name="many.xlsx")
    assert [i.code for i in report.issues] == ["xlsx_too_many_cells"] and parsed == []


def test_8m_rows_bomb_is_refused(tmp_path, capsys):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(build.bomb_rows(3_000_000))
    code, d = _cli(path, capsys)
    assert code == 1 and d["issues"][0]["code"] in ("xlsx_too_large", "xlsx_too_many_cells")


# --- reports stay bounded ------------------------------------------------------------------------

def test_ten_mb_of_duplicates_gives_a_short_report_and_every_row_downloadable(capsys, tmp_path):
    path = tmp_path / "dups.csv"
    path.write_bytes(build.big_duplicates_csv(note=True))
    code, d = _cli(path, capsys)
    assert code == 1 and d["rows_rejected"] == 99_999 and d["errors"] == 99_999
    codes = [i["code"] for i in d["issues"]]
    assert codes.count("duplicate_city") == limits.REPORT_PER_CODE and codes[-1] == "report_more"
    assert len(json.dumps(d)) < 100_000  # was 244 MB
    why = d["issues"][codes.index("duplicate_city")]["why"]
    assert "共 20,000 个" in why and len(why) < 400  # ten rows quoted, then the count
    report = validate.validate(path)
    rejected = report.rejected_frame("zh")
    assert len(rejected) == 99_999 and rejected.iloc[-1, 1].count("出现在第") == 1
    assert len(report.issues_frame("zh")) == len(codes)


def test_many_duplicates_corpus_file_lists_twenty_and_counts_all(capsys):
    code, d = _cli(CORPUS / "many_duplicates.csv", capsys)
    assert code == 1 and d["counts"] == {"duplicate_city": 300}
    assert d["rows_accepted"] == 1  # 北京, once: kept
    assert [i["code"] for i in d["issues"]].count("duplicate_city") == limits.REPORT_PER_CODE


def test_a_row_with_every_score_wrong_keeps_a_few_reasons_and_a_count():
    from dei_geo.core import columns

    metrics = list(columns.metrics())
    text = ",".join(["城市", *metrics]) + "\n" + ",".join(["杭州", *["x"] * len(metrics)]) + "\n"
    report = validate.validate(text.encode(), name="x.csv")
    first, n = report.reasons[2]
    assert len(first) == limits.REASONS_PER_ROW and n == len(metrics)
    why = report.rejected_frame("en").iloc[0, 1]
    assert f"{n - limits.REASONS_PER_ROW} more problems" in why
    assert report.counts[("not_numeric", "error")] == len(metrics)


def test_every_valid_row_survives_a_file_full_of_bad_ones():
    good = "杭州,92.9\n"
    bad = "杭洲,x\n" * 5_000
    report = validate.validate(("城市,总分\n" + bad + good + bad).encode(), name="x.csv")
    assert list(report.table["row"]) == [5_002] and len(report.rejected) == 10_000


# --- writes: all or nothing, with the path and the reason ---------------------------------------

def test_export_onto_a_folder_or_a_device_says_so_and_exits_1(tmp_path, capsys):
    folder = tmp_path / "map.html"
    folder.mkdir()
    assert cli.main(["export", "--out", str(folder), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert str(folder) in err and "existing folder" in err and "Traceback" not in err


def test_a_full_disk_leaves_no_half_written_file(tmp_path, monkeypatch, capsys):
    out = tmp_path / "scored.csv"
    out.write_bytes(b"old")
    src = tmp_path / "in.csv"
    src.write_text("城市,总分\n杭州,92.9\n", encoding="utf-8")
    real = files.os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    assert cli.main(["score", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert str(out) in err and "磁盘已满" in err
    assert out.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "scored.csv"]
    monkeypatch.setattr(files.os, "fsync", real)
    assert cli.main(["score", str(src), "--out", str(out)]) == 0 and out.read_bytes() != b"old"


def test_dev_full_is_refused_not_replaced(capsys):
    with pytest.raises(files.WriteFailed) as err:
        files.write_atomic(Path("/dev/full"), b"x")
    assert err.value.reason == "not_regular" and Path("/dev/full").is_char_device()


# --- score columns checked a whole column at a time ----------------------------------------------

def test_dense_errors_parse_each_distinct_score_text_once_and_report_the_same(monkeypatch):
    from dei_geo.core import columns

    metrics = list(columns.metrics())
    texts = ["x", "150", "", "92.9"]  # not numeric, out of range, blank, fine
    grid = [[texts[(i + k) % 4] for k in range(len(metrics))] for i in range(400)]
    seen = []
    real = validate._number
    monkeypatch.setattr(validate, "_number", lambda cell: seen.append(cell) or real(cell))
    text = ",".join(["城市", *metrics]) + "\n" + "".join(",".join(["杭洲", *r]) + "\n" for r in grid)
    report = validate.validate(text.encode(), name="d.csv")
    assert len(seen) <= 3 * len(metrics)  # once per distinct text of a column, not 400 × 74 times
    wrong = {"x": "not_numeric", "150": "out_of_range"}
    cells = [(wrong[t], 2 + i, _letter(k + 1)) for i, r in enumerate(grid) for k, t in enumerate(r) if t in wrong]
    assert report.counts == {("unknown_city", "error"): 400,
                             ("not_numeric", "error"): sum(c == "not_numeric" for c, _, _ in cells),
                             ("out_of_range", "error"): sum(c == "out_of_range" for c, _, _ in cells)}
    listed = [(i.code, i.row, i.column) for i in report.issues if i.code != "report_more"]
    assert [x for x in listed if x[0] == "unknown_city"] == [("unknown_city", 2 + i, "A") for i in range(20)]
    for code in wrong.values():  # the first 20 of each code in the file's order: row, then column
        assert [x for x in listed if x[0] == code] == [x for x in cells if x[0] == code][:20]
    assert [i.code for i in report.issues if i.code == "report_more"] == ["report_more"] * 3
    first, n = report.reasons[2]
    assert [i.code for i in first] == ["unknown_city", "not_numeric", "out_of_range", "not_numeric",
                                       "out_of_range"] and n == 1 + sum(r == 2 for _, r, _ in cells)
    assert len(report.rejected) == 400 and report.table.empty


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def test_a_whole_score_column_reads_every_text_as_one_cell_at_a_time_would():
    texts = ["92.9", " 92.9 ", "９２.９", "1e2", "1e3", "1e999", "-0", "-0.0", "100", "100.0000001",
             "nan", "inf", "-inf", "1_0", "", "  ", "—", "N/A", "缺失", "+5", ".5", "5.", "0x10", "92,9",
             "１００", "330100.0", "0.1e1", "1E-2", "\u200b88", "88\u200b", "9 9", "-1", "99.99999999999999"]
    cells = texts + [None] + texts[::-1]
    index, values, codes = validate._score_column(cells, text=True)
    for k, cell in enumerate(cells):
        value, code = validate._number(cell)
        assert validate._SCORE_CODES[codes[index[k]]] == code, cell
        if value is None:
            assert math.isnan(values[index[k]]), cell
        else:
            assert values[index[k]] == value and not math.isnan(value), cell


# --- a stray quote closed lines later by another stray quote -------------------------------------

def test_a_stray_quote_closed_lines_later_is_an_unclosed_quote_naming_the_lines(capsys, tmp_path):
    path = tmp_path / "stray.csv"
    path.write_text('城市,总分\n杭州,92.9\n"成都,90.1\n北京,92.4\n上海",91\n广州,88.5\n', encoding="utf-8")
    code, d = _cli(path, capsys)
    assert code == 1 and [(i["code"], i["column"], i["row"]) for i in d["issues"]] == [("unclosed_quote", "A", 3)]
    report = validate.validate(path)
    assert list(report.table["city"]) == ["杭州", "广州"]  # the rows before and after are kept
    (issue,) = report.issues
    assert (issue.params["line"], issue.params["last"]) == (3, 5)
    assert "文本第 3–5 行" in issue.why("zh") and "text lines 3–5" in issue.why("en")
    assert "line 5" in issue.fix("en") and "第 5 行" in issue.fix("zh")
    assert "找不到城市" not in issue.why("zh")  # no longer an unknown city "成都,90.1\n北京…"


def test_a_score_cell_with_line_breaks_is_an_unclosed_quote_after_a_real_multiline_note():
    text = '城市,总分,备注\n杭州,92.9,"两行\n备注"\n宁波,"80.1,好\n深圳,91.2\n"\n广州,88.5,\n'
    report = validate.validate(text.encode(), name="s.csv")
    assert [(i.code, i.cell, i.params) for i in report.issues if i.severity == "error"] == [
        ("unclosed_quote", "B3", {"line": 4, "last": 6})]
    assert list(report.table["row"]) == [2, 4]


def test_an_unclosed_quote_at_the_end_names_the_last_line_too():
    issue = validate.validate(CORPUS / "unclosed_quote.csv").issues[0]
    assert issue.params["last"] == 4 and "text lines 3–4" in issue.why("en")
