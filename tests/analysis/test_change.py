"""Change against the bundled data (dei_geo.analysis.change): ranks among the common cities,
tier moves, ``dei-geo change`` and the change maps (diverging around 0)."""

import json

import pandas as pd
import pytest

from dei_geo import cli
from dei_geo.analysis import change
from dei_geo.core import places, theme
from dei_geo.maps import classify, web
from dei_geo.sources import datasets

SIX = "城市,总分\n北京,93.0\n上海,91.0\n杭州,94.0\n拉萨,35.2\n成都,88.0\n西安,75.0\n"


@pytest.fixture(scope="module")
def six():
    table = pd.DataFrame({"adcode": [places.resolve(c) for c in ("北京", "上海", "杭州", "拉萨", "成都", "西安")],
                          "score": [93.0, 91.0, 94.0, 35.2, 88.0, 75.0]})
    return datasets.from_table(table, "six")


def test_rank_change_of_a_partial_upload_compares_ranks_among_the_common_cities(ds, six):
    diff = change.compare(ds, six).set_index("adcode")
    lhasa = diff.loc[places.resolve("拉萨")]
    assert lhasa["change"] == pytest.approx(35.2 - 57.1)
    # 拉萨 is last of the six in both: no move (it was +88: rank 6 of 6 against rank 94 of 257)
    assert (lhasa["rank_base"], lhasa["rank_other"], lhasa["rank_change"]) == (6, 6, 0)
    hz, sh = diff.loc[places.resolve("杭州")], diff.loc[places.resolve("上海")]
    assert (hz["rank_base"], hz["rank_other"], hz["rank_change"]) == (2, 1, 1)
    assert (sh["rank_base"], sh["rank_other"], sh["rank_change"]) == (1, 3, -2)
    assert diff.attrs["n_common"] == 6
    assert diff["rank_base"].dropna().max() == 6  # nobody is ranked among cities the file lacks


def test_city_changes_give_both_scores_ranks_and_the_tier_move(ds, six):
    rows = change.city_changes(ds, six).set_index("city")
    assert list(rows.index)[:2] == ["杭州", "北京"]  # in the file's order of rank
    assert rows.loc["拉萨", "tier_base"] == "t3" and rows.loc["拉萨", "tier_other"] == "t5"
    assert rows.loc["拉萨", "tier_move"] == "down" and rows.loc["杭州", "tier_move"] == "same"
    assert rows.loc["西安", "tier_move"] == "same"


def test_cli_change_json_and_text(tmp_path, capsys):
    src = tmp_path / "six.csv"
    src.write_text(SIX + "石河子,40\n", encoding="utf-8")
    assert cli.main(["change", str(src), "--format", "json", "--lang", "en"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_common"] == 6 and out["n_other"] == 7 and out["rank_basis"] == "common"
    assert "among the 6 cities" in out["rank_note"]
    lhasa = next(c for c in out["cities"] if c["city"] == "拉萨")
    assert lhasa == {"adcode": 540100, "city": "拉萨", "score_base": 57.1, "score_other": 35.2,
                     "change": -21.9, "rank_base": 6, "rank_other": 6, "rank_change": 0,
                     "tier_base": "Tier 2", "tier_other": "Tier 4", "tier_move": "down", "note": ""}
    shz = next(c for c in out["cities"] if c["city"] == "石河子")
    assert shz["score_base"] is None and shz["rank_change"] is None and "no score in DEI 2023" in shz["note"]
    assert cli.main(["change", str(src)]) == 0
    text = capsys.readouterr().out
    assert "6 个城市之间的排名" in text
    assert "拉萨：57.1 → 35.2（-21.9）；排名 6 → 6（0）；二线城市 → 四线城市（降级）" in text


def test_rank_change_map_says_among_which_cities_and_uses_whole_numbers(ds, six):
    mine = change.with_change(six, ds)
    assert mine.meta["common"]["rank_change"] == 6
    pm = web.prepare_map(mine, metric="rank_change", scheme="quantiles", k=5, lang="zh")
    assert any("6 个城市之间的排名" in note for note in pm.notes)
    assert any("以 0 为中心" in note for note in pm.notes)  # the legend states the scheme
    tips = {f["id"]: f["properties"]["tip"] for f in pm.cities["features"]}
    assert "6 个共有城市之间的排名" in tips[places.resolve("上海")] and "：-2" in tips[places.resolve("上海")]
    labels = [row.label for row in pm.legend]
    assert "0" in labels and all("." not in label for label in labels[:-1])  # whole numbers
    assert labels[-1] == "无数据"  # units not in the file: no data, not 未参评
    centre = theme.DIVERGING[2][2]
    assert next(r.color for r in pm.legend if r.label == "0") == centre


def test_score_change_map_is_diverging_around_zero(ds, six):
    pm = web.prepare_map(change.with_change(six, ds), metric="change", scheme="tiers", lang="en")
    colours = [r.color for r in pm.legend if r.label not in ("No data",)]
    assert set(colours) <= set(theme.DIVERGING[2]) and not set(colours) & set(theme.SEQUENTIAL[5])
    assert any(note.startswith("Classes: diverging around 0") for note in pm.notes)


def test_diverging_classes_are_centred_on_zero():
    got = classify.diverging(pd.Series([-88.0, -20, -3, 0, 0, 1, 5, 12, 40, None]), k=5, whole=True)
    assert got.labels == ["−88", "−20 – −3", "0", "+1 – +5", "+12 – +40"]
    assert got.colors == theme.DIVERGING[2] and got.colors[2] == "#f5f5f5"
    # only gains: the colours stay on the positive side, 0 keeps the neutral colour
    up = classify.diverging(pd.Series([0.0, 1.5, 2.5]), k=5)
    assert up.labels == ["0.0", "+1.5", "+2.5"] and up.colors == theme.DIVERGING[2][2:]
