"""``dei-geo validate --level``, ``dei-geo rollup`` on county- and city-level files."""

import json

from dei_geo import cli

COUNTY_FILE = ("区县,省份,总分,人口\n朝阳区,北京,80,10\n朝阳区,吉林,70,30\n鼓楼区,,60,5\n西湖区,北京,50,1\n"
               "不存在区,,40,1\n西湖区,浙江,abc,1\n330106,,55,2\n")


def _write(tmp_path, text, name="scores.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_county_file_is_detected_and_ambiguity_lists_candidates(tmp_path, capsys):
    path = _write(tmp_path, COUNTY_FILE)
    assert cli.main(["validate", path, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["level"], report["detected"], report["rows_kept"]) == ("county", "county", 3)
    assert report["rows_rejected"] == [4, 5, 6, 7]
    by_row = {i["row"]: i for i in report["issues"]}
    assert by_row[4]["code"] == "ambiguous_county" and by_row[4]["column"] == "A"
    assert by_row[4]["candidates"] == ["鼓楼区 (江苏省 南京市, 320106)", "鼓楼区 (江苏省 徐州市, 320302)",
                                       "鼓楼区 (福建省 福州市, 350102)", "鼓楼区 (河南省 开封市, 410204)"]
    assert by_row[5]["code"] == "not_in_context"  # 西湖区 is not in 北京
    assert by_row[6]["code"] == "unknown_county"
    assert (by_row[7]["code"], by_row[7]["column"], by_row[7]["value"]) == ("not_numeric", "C", "abc")


def test_text_report_in_both_languages(tmp_path, capsys):
    path = _write(tmp_path, COUNTY_FILE)
    assert cli.main(["validate", path]) == 1
    zh = capsys.readouterr().out
    assert "按内容自动识别" in zh and "第 4 行 A 列（区县）" in zh and "鼓楼区 (福建省 福州市, 350102)" in zh
    assert cli.main(["validate", path, "--lang", "en"]) == 1
    en = capsys.readouterr().out
    assert "could be several county-level units" in en and "Add a province or prefecture column" in en


def test_context_column_resolves_and_the_file_is_valid(tmp_path, capsys):
    path = _write(tmp_path, "区县,地级市,总分\n鼓楼区,南京,60\n鼓楼区,徐州,61\n朝阳区,长春,62\n")
    assert cli.main(["validate", path, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_duplicate_county_rows_are_both_rejected(tmp_path, capsys):
    path = _write(tmp_path, "区县,省份,总分\n西湖区,浙江,60\n330106,,61\n")
    assert cli.main(["validate", path, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [i["code"] for i in report["issues"]] == ["duplicate_county", "duplicate_county"]
    assert report["rows_kept"] == 0


def test_city_file_goes_to_the_city_check_unless_forced(tmp_path, capsys):
    path = _write(tmp_path, "城市,总分\n杭州,80\n宁波,70\n")
    assert cli.main(["validate", path]) == 0
    assert "文件级别" not in capsys.readouterr().out  # the usual city report
    assert cli.main(["validate", path, "--level", "county", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "set by --level; its contents look city level" in out and "\"杭州\" is not a known" in out
    names = _write(tmp_path, "名称,总分\n萧山区,80\n义乌市,70\n", "names.csv")  # a 名称 column of counties
    assert cli.main(["validate", names, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["detected"] == "county"
    assert cli.main(["validate", names, "--level", "city"]) == 1  # forced city: unknown cities


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["validate", str(tmp_path / "nope.csv"), "--level", "county"]) == 2


def test_rollup_with_weights(tmp_path, capsys):
    path = _write(tmp_path, "区县,地级市,总分,人口\n西湖区,杭州,80,100\n上城区,杭州,70,300\n义乌市,金华,60,\n"
                            "鼓楼区,南京,50,10\n")
    assert cli.main(["rollup", path, "--weight", "人口", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {r["name"]: r for r in out["rows"]}
    assert (out["level"], out["by"]) == ("county", "province")
    zj = rows["浙江省"]
    assert (zj["n"], zj["units"], zj["rank"], zj["n_weighted"], zj["weight_missing"]) == (3, 90, 1, 2, 1)
    assert zj["mean"] == 70.0 and zj["weighted_mean"] == (80 * 100 + 70 * 300) / 400
    assert cli.main(["rollup", path, "--by", "prefecture"]) == 0
    text = capsys.readouterr().out
    assert "1. 杭州市：均值 75.00（n = 2/13）" in text
    assert cli.main(["rollup", path, "--weight", "GDP"]) == 2
    assert "GDP" in capsys.readouterr().err


def test_rollup_of_a_city_file(tmp_path, capsys):
    path = _write(tmp_path, "城市,总分\n杭州,80\n宁波,70\n南京,60\n")
    assert cli.main(["rollup", path, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "1. 浙江省: mean 75.00 (n = 2/11)" in out and "2. 江苏省: mean 60.00 (n = 1/13)" in out


def test_points_command(tmp_path, capsys):
    path = _write(tmp_path, "名称,经度,纬度,城市\n杭州高新区,120.21,30.19,杭州\n填反了,30.19,120.21,杭州\n")
    assert cli.main(["points", path]) == 1
    out = capsys.readouterr().out
    assert "第 3 行 B/C 列 [错误] 经纬度可能填反了" in out and "GCJ-02" in out
    ok = _write(tmp_path, "名称,经度,纬度\n杭州高新区,120.21,30.19\n", "ok.csv")
    assert cli.main(["points", ok, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["points"] == 1
    assert cli.main(["points", str(tmp_path / "missing.csv")]) == 2


def test_county_profile_with_context_and_ranks(tmp_path, capsys):
    data = _write(tmp_path, "区县,地级市,总分\n西湖区,杭州,80\n上城区,杭州,70\n义乌市,金华,90\n")
    assert cli.main(["profile", "西湖区", "--province", "浙江", "--data", data]) == 0
    out = capsys.readouterr().out
    assert out.startswith("西湖区（杭州市，浙江省；市辖区；行政区划代码 330106）")
    assert "相邻区县（6 个）：上城区、拱墅区、滨江区、萧山区、余杭区、富阳区" in out
    assert "浙江省内排名：第 2/3 名（均值 80.0）" in out and "杭州市内排名：第 1/2 名（均值 75.0）" in out
    assert cli.main(["profile", "鼓楼区"]) == 2  # ambiguous without context: every candidate listed
    assert "鼓楼区 (河南省 开封市, 410204)" in capsys.readouterr().err
    assert cli.main(["profile", "肥乡区", "--format", "json"]) == 0  # not a city name: the county card
    card = json.loads(capsys.readouterr().out)
    assert card["former_adcodes"] == [130428] and card["nearest_top_tier"]["adcode"] == 110100
    assert cli.main(["profile", "杭州", "--format", "json"]) == 0  # a city: the city card as before
    assert json.loads(capsys.readouterr().out)["adcode"] == 330100


def test_regions_at_county_level(tmp_path, capsys):
    from dei_geo.core import counties

    zj = counties.load_counties().query("province_adcode == 330000")["adcode"]  # 浙江's 90 counties
    data = _write(tmp_path, "区县,总分\n" + "\n".join(f"{a},{60 + i % 20}" for i, a in enumerate(zj)) + "\n")
    assert cli.main(["regions", "--level", "county", "--data", data, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    by_name = {r["name"]: r for r in out["regions"]}
    assert by_name["全国"]["scored"] == 90 and by_name["长三角城市群"]["scored"] == 90
    assert out["spillover"]["n"] == 90
    assert cli.main(["regions", "--level", "county"]) == 2  # no --data
