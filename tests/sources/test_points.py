"""Point tables (高新区/经开区, data centres): inside China, inside the stated city, swapped, datum."""

import pytest

from dei_geo.sources import loader, points

TABLE = ("名称,经度,纬度,城市,总分\n杭州高新区,120.21,30.19,杭州,90\n苏州工业园区,120.72,31.32,苏州,88\n"
         "填反了,30.19,120.21,杭州,80\n纽约,-73.9,40.7,,70\n城市不对,120.72,31.32,杭州,60\n坏值,abc,30.1,,50\n"
         "永兴岛,112.3387,16.8318,三沙,\n,,,,\n")


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("pts") / "zones.csv"
    path.write_text(TABLE, encoding="utf-8")
    return points.check(loader.read(path))


def test_valid_points_are_kept_with_the_city_they_fall_in(table):
    kept = table.points.set_index("name")
    assert list(kept.index) == ["杭州高新区", "苏州工业园区", "城市不对", "永兴岛"]
    assert kept.loc["杭州高新区", "found"] == 330100 and kept.loc["永兴岛", "found"] == 460300
    assert kept.loc["苏州工业园区", "总分"] == 88


def test_each_problem_is_named_with_its_row(table):
    found = {(i.code, i.row, i.severity) for i in table.issues}
    assert found == {("swapped", 4, "error"), ("outside_china", 5, "error"), ("not_in_city", 6, "warning"),
                     ("not_a_coordinate", 7, "error")}
    wrong_city = next(i for i in table.issues if i.code == "not_in_city")
    assert wrong_city.params == {"city": "杭州", "found": "苏州"}
    assert not table.ok


def test_gps_shift_is_the_known_gcj02_offset(table):
    median, most = table.gps_shift_m
    assert 200 < median < 700 and most < 800  # GCJ-02 moves points in China by a few hundred metres


def test_a_table_without_coordinates_is_refused(tmp_path):
    path = tmp_path / "no_xy.csv"
    path.write_text("名称,总分\n杭州高新区,90\n", encoding="utf-8")
    checked = points.check(loader.read(path))
    assert [i.code for i in checked.issues] == ["missing_coordinates"] and checked.points.empty
