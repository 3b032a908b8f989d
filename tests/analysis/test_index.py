"""The index engine: weights after the documented rule, a hand-computed aggregation, missing
indicators, edited weights, ranks and tiers, comparison, pillar maps, and ``dei-geo score``."""

import io

import numpy as np
import pandas as pd
import pytest

from dei_geo import cli
from dei_geo.analysis import change, index
from dei_geo.core import columns, places
from dei_geo.maps import web
from dei_geo.sources import datasets
from dei_geo.wording import change as change_words
from dei_geo.wording import index as index_words

HZ, NB = places.resolve("杭州"), places.resolve("宁波")


@pytest.fixture(scope="module")
def bundled():
    return datasets.load_dei_2023()


def _leaves() -> list[str]:
    t = columns.tree()
    return [i for i in t.loc[t["level"] == 3, "id"] if i != columns.UNNAMED]


def _table(overrides: dict[str, float], base: float = 50.0) -> pd.DataFrame:
    """杭州 with ``overrides`` over ``base``; 宁波 at ``base`` everywhere."""
    leaves = _leaves()
    rows = [{"adcode": HZ, "city": "杭州", **{k: overrides.get(k, base) for k in leaves}},
            {"adcode": NB, "city": "宁波", **{k: base for k in leaves}}]
    return pd.DataFrame(rows)


# --- weights ------------------------------------------------------------------------------

def test_every_group_sums_to_one_after_the_rule():
    w = index.published_weights()
    tree = columns.tree().set_index("id")
    sums = pd.Series(w).groupby(lambda i: tree.at[i, "parent"] if isinstance(tree.at[i, "parent"], str)
                                else "score").sum()
    assert len(sums) == 21  # the root, 5 pillars, 15 second-level groups
    assert np.allclose(sums, 1.0)
    assert columns.UNNAMED not in w and len(w) == 5 + 15 + 53


def test_the_rule_changes_only_the_two_anomalous_groups():
    table = index.weight_table()
    changed = table[table["changed"]]
    assert set(changed["parent"]) == {"government.informatization", "government.service_efficacy"}
    info = table[table["parent"] == "government.informatization"]
    assert (info["printed"] == 0.13).all() and np.allclose(info["used"], 0.125) and len(info) == 8
    service = table[table["parent"] == "government.service_efficacy"].set_index("id")
    assert service.loc["government.service_efficacy.decision_support", "used"] == pytest.approx(0.5)
    assert pd.isna(service.loc[columns.UNNAMED, "used"])  # shown, left out
    pillars = table[table["level"] == 1]
    assert list(pillars["used"]) == pytest.approx([0.15, 0.25, 0.25, 0.25, 0.10])


def test_edited_weights_are_renormalised_and_checked():
    w = index.normalise({**index.printed_weights(), "infrastructure": 0.5, "economy": 0.5})
    assert w["infrastructure"] == pytest.approx(0.5 / 1.6)  # .5 + .5 + .25 + .25 + .1
    with pytest.raises(ValueError, match="unknown"):
        index.normalise({"nope": 1.0})
    with pytest.raises(ValueError, match="add up to 0"):
        index.normalise({**index.printed_weights(), **{p: 0.0 for p in columns.pillars()}})


# --- aggregation --------------------------------------------------------------------------

def test_hand_computed_example():
    """杭州: everything 50 except
    信息基础设施: connectivity 80, computing 60, security 40 → .4·80+.4·60+.2·40 = 64
      数字基础设施 = .4·64 + .4·50 + .2·50 = 55.6
    政务信息化: party building 100, seven others 50 → (13·100 + 7·13·50)/104 = 56.25 (= 12.5% each)
    服务效能: decision support 90, emergency response 50 → 70 (50/50; the unnamed child is left out)
      数字政府 = .2·50 + .5·56.25 + .3·70 = 59.125
    总分 = .15·55.6 + .25·50 + .25·50 + .25·59.125 + .1·50 = 53.12125
    """
    table = _table({
        "infrastructure.information.connectivity": 80, "infrastructure.information.computing": 60,
        "infrastructure.information.security": 40, "government.informatization.party_building": 100,
        "government.service_efficacy.decision_support": 90,
    })
    ds, result = index.score_dataset(table, "hand")
    hz = ds.scores.set_index("adcode").loc[HZ]
    assert hz["infrastructure.information"] == pytest.approx(64)
    assert hz["infrastructure"] == pytest.approx(55.6)
    assert hz["government.informatization"] == pytest.approx(56.25)
    assert hz["government.service_efficacy"] == pytest.approx(70)
    assert hz["government"] == pytest.approx(59.125)
    assert hz["score"] == pytest.approx(53.12125)
    assert ds.scores.set_index("adcode").loc[NB, "score"] == pytest.approx(50)
    assert hz["rank"] == 1 and hz["tier"] == "t3" and hz["government_rank"] == 1
    assert result.gaps.empty and result.notes == []


def test_one_row_per_city_is_required():
    table = pd.DataFrame({"adcode": [HZ, HZ], "year": [2022, 2023], "score": [80.0, 90.0]})
    with pytest.raises(ValueError, match="one row per city"):
        index.compute(table)


def test_pillars_only_give_the_overall_score():
    table = pd.DataFrame({"adcode": [HZ], "infrastructure": [80.0], "economy": [60.0], "society": [40.0],
                          "government": [70.0], "ecology": [90.0]})
    ds, _ = index.score_dataset(table, "p")
    assert ds.scores.loc[0, "score"] == pytest.approx(.15 * 80 + .25 * 60 + .25 * 40 + .25 * 70 + .1 * 90)


@pytest.mark.parametrize("missing, expected", [
    ("report", None),
    ("zero", 0.4 * 80 + 0.4 * 0 + 0.2 * 40),
    ("renormalise", (0.4 * 80 + 0.2 * 40) / 0.6),
])
def test_missing_indicators_are_reported_and_zero_only_when_chosen(missing, expected):
    table = _table({"infrastructure.information.connectivity": 80,
                    "infrastructure.information.security": 40,
                    "infrastructure.information.computing": float("nan")})
    ds, result = index.score_dataset(table, "m", missing=missing)
    hz = ds.scores.set_index("adcode").loc[HZ]
    if expected is None:
        assert pd.isna(hz["infrastructure.information"]) and pd.isna(hz["score"]) and pd.isna(hz["rank"])
    else:
        assert hz["infrastructure.information"] == pytest.approx(expected)
    (gap,) = result.gaps.itertuples()
    assert (gap.adcode, gap.node, gap.missing) == (HZ, "infrastructure.information",
                                                   "infrastructure.information.computing")
    assert gap.effect == {"report": "not_computed", "zero": "as_zero", "renormalise": "renormalised"}[missing]


def test_an_absent_branch_is_a_table_level_note():
    table = _table({}).drop(columns=[c for c in _leaves() if c.startswith("ecology.")])
    ds, result = index.score_dataset(table, "a")
    assert ds.scores["score"].isna().all() and ds.scores["government"].notna().all()
    assert ("note_absent", {"node": "score", "children": "ecology", "effect": "report"}) in result.notes
    ds, _ = index.score_dataset(table, "a", missing="renormalise")
    assert ds.scores["score"].tolist() == pytest.approx([50, 50])


def test_a_supplied_parent_is_replaced_by_the_computed_value_and_said_so():
    table = pd.DataFrame({"adcode": [HZ, NB], "score": [99.0, 42.0],
                          **{p: [50.0, None] for p in columns.pillars()}})
    ds, result = index.score_dataset(table, "s")
    assert ds.scores["score"].tolist() == [50.0, 42.0]  # 宁波 cannot be computed: supplied kept
    (note,) = [n for n in result.notes if n[0] == "note_replaced"]
    assert note[1]["node"] == "score" and note[1]["diff"] == pytest.approx(49)


@pytest.mark.parametrize("missing", index.MISSING)
def test_a_supplied_overall_with_incomplete_children_is_kept_under_every_missing_rule(missing):
    """城市,总分,数字经济: 总分 cannot be recomputed from one pillar of five, whatever ``missing`` says."""
    table = pd.DataFrame({"adcode": [HZ, NB], "score": [93.5, 80.0], "economy": [96.0, 70.0]})
    ds, result = index.score_dataset(table, "s", missing=missing)
    s = ds.scores.set_index("adcode")
    assert s.loc[HZ, "score"] == pytest.approx(93.5) and s.loc[NB, "score"] == pytest.approx(80.0)
    assert s.loc[HZ, "tier"] == "t1" and s.loc[HZ, "economy"] == pytest.approx(96.0)
    assert not [n for n in result.notes if n[0] == "note_replaced"]  # nothing was recomputed
    assert ("note_kept", {"node": "score", "n": 2}) in result.notes
    (absent,) = [p for k, p in result.notes if k == "note_absent"]
    assert absent["effect"] == "kept"
    text = " ".join(index_words.messages(result, "zh"))
    assert "也能由其子项计算" not in text and "相差" not in text
    assert "2 个城市的子项不全，沿用表中填报值" in text and "沿用填报值" in text
    assert "supplied value is kept" in " ".join(index_words.messages(result, "en"))


@pytest.mark.parametrize("missing", index.MISSING)
def test_a_supplied_parent_is_replaced_only_where_all_children_are_present(missing):
    """杭州 has all five pillars: its 总分 is recomputed; 宁波 lacks 数字生态: its 总分 is kept; 温州
    supplied no 总分: it is computed under the missing rule."""
    wz = places.resolve("温州")
    pillars = {"infrastructure": 60.0, "economy": 60.0, "society": 60.0, "government": 60.0}
    table = pd.DataFrame({"adcode": [HZ, NB, wz], "score": [99.0, 42.0, None],
                          **{p: [v, v, v] for p, v in pillars.items()},
                          "ecology": [60.0, None, None]})
    ds, result = index.score_dataset(table, "s", missing=missing)
    s = ds.scores.set_index("adcode")["score"]
    assert s[HZ] == pytest.approx(60.0) and s[NB] == pytest.approx(42.0)
    expected = {"report": None, "zero": 0.9 * 60, "renormalise": 60.0}[missing]
    assert pd.isna(s[wz]) if expected is None else s[wz] == pytest.approx(expected)
    (replaced,) = [p for k, p in result.notes if k == "note_replaced"]
    assert replaced["diff"] == pytest.approx(39) and replaced["n"] == 1
    assert ("note_kept", {"node": "score", "n": 1}) in result.notes
    gaps = result.gaps.set_index("adcode")
    assert gaps.loc[NB, "effect"] == "kept"
    assert gaps.loc[wz, "effect"] == {"report": "not_computed", "zero": "as_zero",
                                      "renormalise": "renormalised"}[missing]


def test_imputed_children_do_not_replace_a_supplied_parent():
    """A pillar computed with a child counted as 0 is not real data: the supplied 总分 stays."""
    table = _table({"infrastructure.information.computing": float("nan")})
    table["score"] = [77.0, 66.0]
    ds, result = index.score_dataset(table, "z", missing="zero")
    s = ds.scores.set_index("adcode")
    assert s.loc[HZ, "score"] == pytest.approx(77.0)  # kept: 数字基础设施 was imputed
    assert s.loc[HZ, "infrastructure"] < 50  # the pillar itself is computed with the 0
    assert s.loc[NB, "score"] == pytest.approx(50.0)  # complete: recomputed
    assert ("note_kept", {"node": "score", "n": 1}) in result.notes


def test_cli_score_zero_keeps_the_supplied_overall(tmp_path, capsys):
    src, out = tmp_path / "p.csv", tmp_path / "scored.csv"
    src.write_text("城市,总分,数字经济\n杭州,93.5,96\n宁波,80,70\n", encoding="utf-8")
    assert cli.main(["score", str(src), "--out", str(out), "--missing", "zero"]) == 0
    printed = capsys.readouterr().out
    assert "沿用表中填报值" in printed and "相差" not in printed
    got = pd.read_csv(out, encoding="utf-8-sig").set_index("city")
    assert got.loc["杭州", "score"] == pytest.approx(93.5) and got.loc["杭州", "tier"] == "一线城市"


def test_scored_csv_neutralises_formula_text():
    table = pd.DataFrame({"adcode": [HZ, NB], "score": [90.0, 80.0]})
    ds, _ = index.score_dataset(table, "x")
    ds.scores.loc[0, "city"] = "=HYPERLINK(\"http://x\")"
    data = index.scored_csv(ds)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back.loc[0, "city"] == "'=HYPERLINK(\"http://x\")" and back.loc[0, "score"] == 90.0


def test_blank_template_columns_count_as_absent():
    table = pd.DataFrame({"adcode": [HZ, NB], "score": [90.0, 80.0],
                          **{p: [np.nan, np.nan] for p in columns.pillars()}})
    ds, result = index.score_dataset(table, "blank")
    assert ds.scores["score"].tolist() == [90.0, 80.0] and result.gaps.empty and not result.notes


def test_edited_pillar_weights_move_ranks_and_reset_restores_them():
    table = pd.DataFrame({"adcode": [HZ, NB], "infrastructure": [100.0, 0.0], "economy": [0.0, 100.0],
                          "society": [50.0, 50.0], "government": [50.0, 50.0], "ecology": [50.0, 50.0]})
    published, _ = index.score_dataset(table, "x")
    assert published.scores.set_index("adcode").loc[NB, "rank"] == 1
    edited, _ = index.score_dataset(table, "x", weights={"infrastructure": 0.5})
    assert edited.scores.set_index("adcode").loc[HZ, "rank"] == 1
    shifted = change.with_change(edited, published, name="shift").scores.set_index("adcode")
    assert shifted.loc[HZ, "rank_shift"] == 1 and shifted.loc[NB, "rank_shift"] == -1
    reset, _ = index.score_dataset(table, "x", weights={})
    assert reset.scores["score"].tolist() == published.scores["score"].tolist()


# --- datasets, comparison, maps -----------------------------------------------------------

def test_from_table_ranks_ties_and_tiers():
    table = pd.DataFrame({"adcode": [HZ, NB, 320500], "score": [85.0, 85.0, 64.99]})
    ds = datasets.from_table(table, "t")
    assert ds.scores["rank"].tolist() == [1, 1, 3]
    assert ds.scores["tier"].astype(str).tolist() == ["t1", "t1", "t3"]
    assert ds.scores["city"].tolist() == ["杭州", "宁波", "苏州"]
    with pytest.raises(ValueError, match="several years"):
        datasets.from_table(table.assign(year=[2022, 2023, 2023]), "y")


def test_bundled_dataset_carries_the_25_published_pillar_scores(bundled):
    s = bundled.scores.set_index("adcode")
    assert sum(s[p].notna().sum() for p in columns.pillars()) == 25
    assert s.loc[HZ, "infrastructure"] == 97.6 and s.loc[HZ, "infrastructure_rank"] == 1
    assert s.loc[HZ, "economy"] == 95.2 and pd.isna(s.loc[HZ, "society"])
    assert bundled.meta["missing_metric"] == "unpublished"
    assert list(columns.available(bundled.scores, "zh")) == ["score", *columns.pillars()]


def test_pillar_map_says_the_other_cities_are_unpublished(bundled):
    pm = web.prepare_map(bundled, metric="economy", lang="zh")
    legend = {row.label: row.count for row in pm.legend}
    assert legend["未公布（报告未发布该项得分）"] == 250 and legend["未参评"] == 115
    assert sum(row.count for row in pm.legend) == 370
    assert not any("一线" in label for label in legend)  # tier names belong to the overall score
    tips = {f["id"]: f["properties"]["tip"] for f in pm.cities["features"]}
    assert "数字经济：95.2" in tips[HZ] and "排名：2 / 257" in tips[HZ] and "分级" not in tips[HZ]
    assert "未公布" in tips[places.resolve("北京")]
    assert pm.title.endswith("数字经济")
    en = web.prepare_map(bundled, metric="economy", lang="en")
    assert any(row.label.startswith("Not published") for row in en.legend)


def test_indicator_map_of_user_data_escapes_and_flags_blanks(bundled):
    table = _table({"infrastructure.information.computing": float("nan")})
    ds, _ = index.score_dataset(table, "<b>mine</b>")
    pm = web.prepare_map(ds, metric="infrastructure.information", scheme="tiers", lang="zh")
    legend = {row.label: row.count for row in pm.legend}
    assert legend["无数据（表中该项为空）"] == 1 and legend["无数据"] == 368  # not in the file
    assert "未参评" not in legend  # 未参评 is the report's word for a unit it did not evaluate
    html = web.build_map(pm).get_root().render()
    assert "<b>mine</b>" not in html and "\\u0026lt;b\\u0026gt;mine\\u0026lt;/b\\u0026gt;" in html
    with pytest.raises(ValueError, match="no column"):
        web.prepare_map(ds, metric="nope")


def test_compare_with_the_bundled_data(bundled):
    table = pd.DataFrame({"adcode": [HZ, places.resolve("上海"), places.resolve("北京"),
                                     places.resolve("亳州"), 659001],
                          "score": [95.0, 90.0, 80.0, 50.0, 40.0]})
    mine = datasets.from_table(table, "2024")
    diff = change.compare(bundled, mine).set_index("adcode")
    assert diff.loc[HZ, "change"] == pytest.approx(95.0 - 92.9)
    assert diff.loc[HZ, "rank_base"] == 2 and diff.loc[HZ, "rank_other"] == 1
    assert diff.loc[HZ, "rank_change"] == 1
    assert pd.isna(diff.loc[places.resolve("亳州"), "change"])  # conflicting rows: no single score
    assert diff.loc[places.resolve("亳州"), "no_value"] == "base"
    notes = change_words.notes(diff, bundled.label, mine.label, "zh")
    assert "DEI 2023" in notes.loc[places.resolve("亳州")]
    assert pd.isna(diff.loc[659001, "change"])  # 石河子 was not evaluated in 2023
    assert len(diff) == 255 + 1  # every bundled city, plus 石河子
    pm = web.prepare_map(change.with_change(mine, bundled), metric="change", scheme="quantiles", k=3,
                          lang="en")
    assert pm.title.endswith("Score change (vs the bundled data)")
    pd.testing.assert_frame_equal(bundled.scores, datasets.load_dei_2023().scores)  # untouched


# --- dei-geo score ------------------------------------------------------------------------

def test_cli_score_writes_the_computation(tmp_path, capsys):
    src, out = tmp_path / "ind.csv", tmp_path / "scored.csv"
    _table({"economy.innovation.key_fields": 90}).to_csv(src, index=False, encoding="gbk")
    assert cli.main(["score", str(src), "--out", str(out)]) == 0
    assert "2 cities, 2 with an overall score" in capsys.readouterr().out
    got = pd.read_csv(out, encoding="utf-8-sig")
    assert list(got.columns[:6]) == ["adcode", "city", "score", "rank", "tier", "infrastructure"]
    assert got.loc[0, "city"] == "杭州" and got.loc[0, "score"] == pytest.approx(50 + .25 * .3 * .4 * 40)
    assert cli.main(["score", str(out), "--out", str(tmp_path / "again.csv")]) == 0  # loads again


def test_cli_score_refuses_rejected_rows_unless_asked(tmp_path, capsys):
    src, out = tmp_path / "bad.csv", tmp_path / "scored.csv"
    src.write_text("城市,总分\n杭州,90\n杭洲,80\n", encoding="utf-8")
    assert cli.main(["score", str(src), "--out", str(out)]) == 1 and not out.exists()
    assert "杭洲" in capsys.readouterr().err
    assert cli.main(["score", str(src), "--out", str(out), "--keep-valid"]) == 0 and out.exists()
    assert cli.main(["score", str(src), "--out", str(out), "--keep-valid", "--weight", "x=1"]) == 2


def test_cli_export_with_data(tmp_path):
    src, out = tmp_path / "p.csv", tmp_path / "m.html"
    src.write_text("城市,数字经济\n杭州,90\n宁波,80\n", encoding="utf-8")
    assert cli.main(["export", "--data", str(src), "--metric", "economy", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "数字经济" in text and "无数据" in text and "未参评" not in text


def test_cli_score_writes_the_format_its_extension_names(tmp_path, capsys):
    src, xlsx, csv_out = tmp_path / "p.csv", tmp_path / "scored.xlsx", tmp_path / "again.CSV"
    src.write_text("城市,总分\n杭州,93.5\n宁波,80\n", encoding="utf-8")
    assert cli.main(["score", str(src), "--out", str(xlsx)]) == 0
    assert xlsx.read_bytes()[:4] == b"PK\x03\x04"  # a real workbook, not CSV text
    got = pd.read_excel(xlsx)
    assert list(got.columns[:5]) == ["adcode", "city", "score", "rank", "tier"]
    assert got.loc[0, "city"] == "杭州" and got.loc[0, "score"] == pytest.approx(93.5)
    assert cli.main(["score", str(xlsx), "--out", str(csv_out)]) == 0  # loads again
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(csv_out, encoding="utf-8-sig")["city"].tolist() == ["杭州", "宁波"]


@pytest.mark.parametrize("name", ["scored.txt", "scored.xls", "scored.json", "scored"])
def test_cli_score_refuses_an_output_format_it_cannot_write(tmp_path, capsys, name):
    src = tmp_path / "p.csv"
    src.write_text("城市,总分\n杭州,93.5\n", encoding="utf-8")
    assert cli.main(["score", str(src), "--out", str(tmp_path / name)]) == 2
    assert ".csv" in capsys.readouterr().err and not (tmp_path / name).exists()


def test_cli_score_never_overwrites_its_input(tmp_path, capsys, monkeypatch):
    src = tmp_path / "p.csv"
    src.write_text("城市,总分\n杭州,93.5\n", encoding="utf-8")
    before = src.read_bytes()
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.csv").symlink_to(src)
    monkeypatch.chdir(tmp_path)
    for out in (str(src), "p.csv", "sub/../p.csv", "link.csv"):
        assert cli.main(["score", "p.csv", "--out", out, "--lang", "en"]) == 2
        assert "is the input file" in capsys.readouterr().err
    assert src.read_bytes() == before
