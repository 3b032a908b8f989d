"""Multi-year import (sources.panel): long, wide, stacked and several single-year files, and every
year rule with its file, row, column, why and fix."""

import io

import pandas as pd
import pytest
from openpyxl import Workbook

from dei_geo.sources import panel, validate


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def _codes(p, severity=None):
    return [i.code for i in p.issues if severity is None or i.severity == severity]


def _one(p, code):
    found = [i for i in p.issues if i.code == code]
    assert len(found) == 1, [i.code for i in p.issues]
    return found[0]


def _value(p, city_adcode, year, metric="score"):
    t = p.table
    return t.loc[(t["adcode"] == city_adcode) & (t["year"] == year), metric].item()


def _xlsx(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- layouts ---------------------------------------------------------------------------------
def test_long_layout_keeps_a_row_per_city_and_year():
    p = panel.read([_csv("城市,年份,总分,数字经济\n杭州,2021,90.1,88\n杭州,2022,92.9,95.2\n成都,2022,85,92.1\n")],
                   names=["long.csv"])
    assert p.layouts == {"long.csv": "long"} and p.years == [2021, 2022]
    assert _value(p, 330100, 2022, "economy") == 95.2 and _value(p, 510100, 2022) == 85
    assert p.ok and len(p.table) == 3
    cov = p.coverage().set_index("adcode")
    assert cov.loc[510100, "years"] == [2022] and cov.loc[330100, "n_years"] == 2


def test_wide_layout_reads_the_year_from_each_header():
    p = panel.read([_csv("城市,总分_2021,2022年总分,数字经济(2021),数字经济（2022）\n"
                         "杭州,90.1,92.9,88,95.2\n成都,84,85,90,92.1\n")], names=["wide.csv"])
    assert p.layouts == {"wide.csv": "wide"} and p.years == [2021, 2022]
    assert _value(p, 330100, 2021) == 90.1 and _value(p, 330100, 2022, "economy") == 95.2
    assert _value(p, 510100, 2021, "economy") == 90 and p.ok
    assert p.wide().loc[510100].tolist() == [84, 85]


def test_stacked_layout_reads_a_row_of_years_under_merged_score_headers():
    data = _xlsx({"数据": [["城市", "总分", None, "数字经济", None],
                           [None, 2021, 2022, 2021, 2022],
                           ["杭州", 90.1, 92.9, 88, 95.2],
                           ["成都", 84, 85, 90, 92.1]]},
                 merges={"数据": ["B1:C1", "D1:E1"]})
    p = panel.read([data], names=["stacked.xlsx"])
    assert p.layouts == {"stacked.xlsx [数据]": "stacked"}
    assert _value(p, 330100, 2022) == 92.9 and _value(p, 510100, 2021, "economy") == 90
    assert set(p.table["row"]) == {3, 4}  # Excel rows: the year row is a header, not data


def test_several_single_year_files_take_the_year_from_their_names():
    p = panel.read([_csv("城市,总分\n杭州,90.1\n成都,84\n"), _csv("城市,总分\n杭州,92.9\n")],
                   names=["dei_2021.csv", "2022年城市数字化发展指数.csv"])
    assert p.years == [2021, 2022] and _value(p, 330100, 2022) == 92.9
    notes = [i for i in p.issues if i.code == "year_from_name"]
    assert [i.params["year"] for i in notes] == [2021, 2022] and {i.severity for i in notes} == {"info"}
    partial = _one(p, "partial_years")
    assert partial.params["cities"] == ["成都"] and "成都" in partial.why("zh")


def test_sheets_named_by_year_are_each_read():
    data = _xlsx({"2021": [["城市", "总分"], ["杭州", 90.1]], "2022年": [["城市", "总分"], ["杭州", 92.9]]})
    p = panel.read([data], names=["years.xlsx"])
    assert p.years == [2021, 2022] and _value(p, 330100, 2021) == 90.1
    assert set(p.layouts) == {"years.xlsx [2021]", "years.xlsx [2022年]"}


def test_a_file_without_any_year_is_refused_with_a_fix_and_the_others_are_read():
    p = panel.read([_csv("城市,总分\n杭州,90\n"), _csv("城市,年份,总分\n杭州,2022,92.9\n")],
                   names=["scores.csv", "long.csv"])
    issue = _one(p, "year_missing")
    assert issue.file == "scores.csv" and issue.severity == "error" and not p.ok
    assert "年份" in issue.fix("zh") and "--year" in issue.fix("en")
    assert p.years == [2022] and len(p.table) == 1
    # the year given by the caller is used when the name has none
    q = panel.read([_csv("城市,总分\n杭州,90\n")], names=["scores.csv"], year=2021)
    assert q.years == [2021] and q.ok


def test_a_name_with_two_years_is_ambiguous():
    p = panel.read([_csv("城市,总分\n杭州,90\n")], names=["dei_2021_vs_2022.csv"])
    issue = _one(p, "year_ambiguous")
    assert "2021" in issue.why("zh") and "2022" in issue.why("en") and p.table.empty


# --- bad input -------------------------------------------------------------------------------
def test_wrong_years_in_a_year_column_are_rejected_by_row_and_cell():
    p = panel.read([_csv("城市,年份,总分\n杭州,2021.5,90\n成都,1850,80\n宁波,二〇二一,70\n苏州,,75\n无锡,2022年,71\n")],
                   names=["long.csv"])
    bad = {(i.code, i.cell) for i in p.errors}
    assert bad == {("year_invalid", "B2"), ("year_invalid", "B3"), ("year_invalid", "B4"), ("year_blank", "B5")}
    assert p.table["adcode"].tolist() == [320200] and p.years == [2022]  # valid rows kept
    assert len(p.rejected_frame()) == 4


def test_a_city_twice_in_one_year_keeps_neither_row_but_the_other_years():
    p = panel.read([_csv("城市,年份,总分\n杭州,2021,90\n杭州市,2021,91\n杭州,2022,92.9\n")], names=["long.csv"])
    dup = [i for i in p.errors if i.code == "duplicate_city"]
    assert [i.row for i in dup] == [2, 3] and "2021" in dup[0].why("zh")
    assert p.table[["adcode", "year"]].values.tolist() == [[330100, 2022]]


def test_the_same_city_and_year_in_two_files_keeps_neither():
    p = panel.read([_csv("城市,总分\n杭州,90\n成都,80\n"), _csv("城市,年份,总分\n杭州,2021,91\n")],
                   names=["dei_2021.csv", "more.csv"])
    found = [i for i in p.issues if i.code == "duplicate_across_files"]
    assert sorted((i.file, i.row) for i in found) == [("dei_2021.csv", 2), ("more.csv", 2)]
    assert "dei_2021.csv 2" in found[0].why("en") and "more.csv 2" in found[0].why("en")
    assert p.table["adcode"].tolist() == [510100]


def test_a_year_column_and_year_headers_together_are_a_mixed_layout():
    p = panel.read([_csv("城市,年份,总分_2021,总分_2022\n杭州,2021,90,92\n"), _csv("城市,总分_2022\n成都,85\n")],
                   names=["mixed.csv", "ok.csv"])
    issue = _one(p, "mixed_layout")
    assert (issue.file, issue.cell, issue.severity) == ("mixed.csv", "B1", "error")
    assert "总分_2021" in issue.why("zh") and "long" in issue.fix("en")
    assert p.table["adcode"].tolist() == [510100]


def test_non_numeric_cells_in_a_wide_file_name_the_header_as_written():
    p = panel.read([_csv("城市,总分_2021,总分_2022\n杭州,abc,92.9\n成都,84,85\n")], names=["wide.csv"])
    issue = _one(p, "not_numeric")
    assert (issue.cell, issue.header, issue.value) == ("B2", "总分_2021", "abc")
    assert "总分_2021" in issue.why("zh")
    # 杭州 2021 rejected, 杭州 2022 kept
    assert sorted(map(tuple, p.table[["adcode", "year"]].values.tolist())) == [
        (330100, 2022), (510100, 2021), (510100, 2022)]
    rejected = p.rejected_frame("en")
    assert rejected["Year"].tolist() == ["2021"] and "总分_2021" in rejected.columns


def test_a_score_column_without_a_year_among_year_columns_is_listed_not_imported():
    p = panel.read([_csv("城市,总分_2021,总分_2022,数字经济\n杭州,90,92,95\n")], names=["wide.csv"])
    issue = _one(p, "yearless_column")
    assert (issue.cell, issue.severity) == ("D1", "warning") and "数字经济_2022" in issue.fix("zh")
    assert "economy" not in p.table or p.table["economy"].isna().all()


def test_an_implausible_header_year_is_not_read_as_a_year():
    p = panel.read([_csv("城市,总分_1985,总分_2022\n杭州,90,92\n")], names=["wide.csv"])
    issue = _one(p, "year_header_invalid")
    assert (issue.cell, issue.params["year"]) == ("B1", 1985) and p.years == [2022]


def test_a_city_with_no_value_in_any_year_is_said():
    p = panel.read([_csv("城市,总分_2021,总分_2022\n杭州,90,92\n成都,,\n")], names=["wide.csv"])
    issue = _one(p, "no_value")
    assert issue.row == 3 and "成都" not in set(p.table["city"])


def test_former_and_report_names_resolve_to_one_unit_across_years():
    text = "城市,年份,总分\n襄樊,2021,50\n襄阳,2022,52\n黔西南州,2021,40\n黔西南布依族苗族自治州,2022,41\n"
    p = panel.read([_csv(text)], names=["long.csv"])
    assert p.ok and p.table.groupby("adcode")["year"].apply(list).to_dict() == {
        420600: [2021, 2022], 522300: [2021, 2022]}
    note = _one(p, "renamed_city")
    assert (note.row, note.value, note.severity) == (2, "襄樊", "info")
    assert "襄阳" in note.why("zh") and "2010" in note.why("en")
    assert p.renamed[["written", "adcode", "renamed"]].values.tolist() == [["襄樊", 420600, 2010]]


def test_missing_years_between_the_first_and_last_are_noted():
    p = panel.read([_csv("城市,年份,总分\n杭州,2019,80\n杭州,2022,92\n")], names=["long.csv"])
    assert _one(p, "year_gap").params["missing"] == [2020, 2021]


# --- one year as a dataset; single-year files unchanged ----------------------------------------
def test_one_year_becomes_a_dataset_ranked_among_that_years_cities():
    p = panel.read([_csv("城市,年份,总分\n杭州,2021,90\n成都,2021,95\n杭州,2022,92\n")], names=["long.csv"])
    ds = p.dataset(2021)
    assert ds.scores.set_index("adcode")["rank"].to_dict() == {330100: 2, 510100: 1}
    assert p.dataset(2022).scores["rank"].tolist() == [1]
    with pytest.raises(ValueError, match="2023"):
        p.dataset(2023)


def test_a_single_year_file_reads_as_validate_reads_it():
    data = _csv("城市,总分,数字经济\n杭州,92.9,95.2\n成都,85,x\n")
    report = validate.validate(data, name="one.csv")
    p = panel.read([data], names=["one.csv"], year=2022)
    assert p.table["adcode"].tolist() == report.table["adcode"].tolist()
    assert [(i.code, i.cell) for i in p.errors] == [(i.code, i.cell) for i in report.errors]


def test_messages_exist_in_both_languages():
    p = panel.read([_csv("城市,总分\n杭州,90\n")], names=["scores.csv"])
    d_zh, d_en = p.to_dict("zh"), p.to_dict("en")
    assert d_zh["issues"][0]["why"] != d_en["issues"][0]["why"]
    assert isinstance(pd.DataFrame(d_en["issues"]), pd.DataFrame) and d_en["valid"] is False
