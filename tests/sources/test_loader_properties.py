"""Property-based tests: random tables and random bytes never crash the loader; every file is
either accepted or rejected with a message, and every non-blank data row is kept or listed."""

import csv
import io
import re

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dei_geo.core import places
from dei_geo.sources import loader, validate

VALID = [*places.load_places()["short_name"][:60], "宁波市", "330300", "hangzhou", "黔西南州"]
DISTINCT = ["总分", "economy", "关键领域创新", "年份", "省份", "GDP"]
HEADERS = ["城市", "city", "adcode", "总分", "overall", "数字经济", "economy", "关键领域创新", "年份",
           "省份", "GDP", "", "总分"]
CITIES = ["杭州", "杭州市", "330100", "hangzhou", "suzhou", "宁波", "杭洲", "台湾", "仙桃", "", "北京"]
# text openpyxl can store (no XML control characters) and that survives CSV quoting
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
CELL = st.one_of(st.none(), st.sampled_from(CITIES), TEXT,
                 st.floats(allow_nan=True, allow_infinity=True, width=32),
                 st.integers(-1000, 3000), st.sampled_from(["", "-", "85.5", "100", "101", "2023"]))


GOOD = {"城市": st.sampled_from(VALID), "city": st.sampled_from(VALID), "adcode": st.sampled_from(VALID),
        "年份": st.sampled_from([2022, "2023", "2024年"])}
SCORE = st.one_of(st.none(), st.floats(0, 100), st.integers(0, 100).map(str))


@st.composite
def tables(draw):
    """A header (known and unknown names), maybe title rows, then rows that are mostly well formed."""
    width = draw(st.integers(1, 6))
    if draw(st.booleans()):  # any names, repeats allowed
        header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    else:  # a city column first, then distinct fields
        header = [draw(st.sampled_from(["城市", "adcode"])), *draw(st.permutations(DISTINCT))[:width - 1]]
    titles = draw(st.lists(st.lists(TEXT, max_size=2), max_size=2))
    body = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 3)):  # well formed
            body.append([draw(GOOD.get(h, SCORE)) for h in header])
        else:
            body.append(draw(st.lists(CELL, max_size=width + 1)))
    return [*titles, header, *body]


def _csv(rows, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["" if c is None else c for c in r] for r in rows])
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append([c if not isinstance(c, float) or c == c and abs(c) != float("inf") else str(c)
                          for c in r])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check(report: validate.Report, data: bytes, name: str) -> None:
    assert isinstance(report, validate.Report)
    if report.ok:  # only rows without any score are left out, each one said (a warning)
        unscored = {i.row for i in report.issues if i.code == "no_value"}
        assert set(report.rejected["row"]) <= unscored and (not report.table.empty or unscored)
    else:
        assert report.errors
    for issue in report.issues:
        for lang in ("zh", "en"):
            assert issue.why(lang).strip() and issue.fix(lang).strip()
    table = report.table
    if not table.empty:
        metrics = table.drop(columns=["row", "adcode", "city", "year"], errors="ignore")
        assert ((metrics >= 0) & (metrics <= 100) | metrics.isna()).all().all()
        keys = ["adcode", "year"] if "year" in table else ["adcode"]
        assert not table.duplicated(keys).any()
    try:
        raw = loader.read(data, name=name)
    except loader.FileProblem:
        assert table.empty and report.rejected.empty
        return
    fatal = any(i.code in ("duplicate_column", "no_metric_columns") for i in report.errors)
    nonblank = [r for r, cells in raw.rows if any(c is not None and str(c).strip() for c in cells)]
    if fatal:
        assert table.empty
    else:  # nothing silently dropped
        assert sorted([*table["row"], *report.rejected["row"]]) == nonblank


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tables(), st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"]))
def test_random_csv_tables(rows, encoding):
    data = _csv(rows, encoding)
    _check(validate.validate(data, name="random.csv"), data, "random.csv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_xlsx_tables(rows):
    data = _xlsx(rows)
    _check(validate.validate(data, name="random.xlsx"), data, "random.xlsx")


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(data):
    report = validate.validate(data, name="noise.bin")
    _check(report, data, "noise.bin")


@SETTINGS
@given(st.binary(max_size=200))
def test_random_bytes_behind_a_zip_signature(data):
    report = validate.validate(b"PK\x03\x04" + data, name="x.xlsx")
    assert [i.code for i in report.errors] == ["bad_xlsx"]
    assert re.search(r"\S", report.errors[0].fix("zh"))
