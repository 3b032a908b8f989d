"""``dei-geo regions --level county``: the rings and decay around core cities, in zh/en and JSON."""

import json

from dei_geo import cli


def _file(tmp_path):
    path = tmp_path / "yrd.csv"
    rows = ["行政区划代码,总分", "320505,80", "320506,78", "330106,70", "330110,66", "320106,62", "340104,50"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_rings_in_json_and_words(tmp_path, capsys):
    path = _file(tmp_path)
    assert cli.main(["regions", "--level", "county", "--data", path, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    shanghai = next(c for c in out["cores"] if c["city"] == "上海")
    assert shanghai["own"] == 0 and shanghai["n"] == 5  # 合肥's 蜀山区 is ~400 km away
    bands = {r["ring"]: r for r in out["rings"] if r["city"] == "上海"}
    assert bands["50–100 km"]["n"] == 2 and bands["50–100 km"]["mean"] == 79.0  # 苏州's 虎丘, 吴中
    assert cli.main(["regions", "--level", "county", "--data", path]) == 0
    zh = capsys.readouterr().out
    assert "核心城市周边的区县" in zh and "上海（不计本市 0 个区县）：0–50 km 无区县；50–100 km 均值 79.0（2 个）" in zh
    assert cli.main(["regions", "--level", "county", "--data", path, "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert "Counties around the core cities" in en and "50–100 km mean 79.0 (2)" in en
    assert "points per doubling" in en or "each doubling of distance" in en
