"""The hostile-input corpus (issue 16, tests/corpus/): every file refused or read with its own
message code, where it is (row / column), an exit code from ``dei-geo validate``, and no valid row
lost. Big files are made here (tests/corpus/build.py); their time and memory are measured by
bench/bench_limits.py (BENCHMARKS.md), never asserted."""

import errno
import json
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
