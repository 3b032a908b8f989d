"""One set of national figures (dei_geo.analysis.national): each computed once, shown everywhere
with its basis and beside the report's own figure where they differ."""

import pandas as pd
import pytest

from dei_geo import cli
from dei_geo.analysis import national, profile, regions
from dei_geo.app import tables
from dei_geo.maps import web
from dei_geo.sources import datasets
from dei_geo.wording import national as national_words
from dei_geo.wording import profile as profile_words


@pytest.fixture(scope="module")
def figs(ds):
    return national.figures(ds)


def test_the_three_bases_of_2023(figs):
    units, printed, reported = figs["units"], figs["printed"], figs["reported"]
    assert (units.n, units.listed, units.conflicts) == (254, 255, 1)  # 亳州: no single score
    assert round(units.mean, 1) == 55.4 and units.tiers == {"t1": 6, "t2": 56, "t3": 84, "t4": 96, "t5": 12}
    assert printed.n == 256 and round(printed.mean, 2) == 55.29 and printed.tiers["t4"] == 98
    assert reported.n == 257 and reported.tiers["t4"] == 99 and reported.means == ((55.2, 14), (55.3, 8))


def test_a_users_table_has_no_reported_figures():
    mine = datasets.from_table(pd.DataFrame({"adcode": [330100, 110100], "score": [90.0, 70.0]}), "x")
    figs = national.figures(mine)
    assert "reported" not in figs and figs["units"].n == 2 and figs["units"].mean == 80.0
    assert "报告" not in national_words.mean(figs, "zh")


def test_every_place_shows_the_same_figure_with_its_basis(ds, figs, capsys):
    said = "全国均分 55.4（地图单元，n = 254；报告 55.2（p.14） / 55.3（p.8））"
    assert national_words.mean(figs, "zh") == said
    # the city card (app and CLI)
    card = profile.city_profile(ds, 330100)
    assert (card["context"]["national_mean"], card["context"]["national_scored"]) == (55.4, 254)
    assert said in profile_words.to_text(card, "zh")
    # the region table's national row: the same n, mean and tier counts (was 255 / 97)
    row = regions.region_table(ds, []).iloc[0]
    assert (row["scored"], row["t4"], row["evaluated"]) == (254, 96, 255)
    assert row["mean"] == pytest.approx(figs["units"].mean)
    # the map legend counts map units and shows the report's count where it differs
    legend = {r.label: r for r in web.prepare_map(ds).legend}
    assert legend["三线城市（40.0–50.0）"].count == 96 and "99" in legend["三线城市（40.0–50.0）"].note
    assert legend["新一线城市（65.0–85.0）"].note == ""
    assert said in web.prepare_map(ds).notes
    # the overview's tier table: every basis side by side, means to one decimal
    tiers = tables.tiers(ds, "zh").set_index("分级")
    assert list(tiers.loc["三线城市", ["地图单元", "印刷行数", "报告所述"]]) == [96, 98, 99]
    assert tiers.loc["三线城市", "均分（印刷行）"] == 43.9
    # the CLI
    assert cli.main(["regions", "--radius", "0"]) == 0
    out = capsys.readouterr().out
    assert national_words.summary(figs, "zh") in out
    assert "地图单元 254 个" in out and "印刷 256 行" in out and "报告所述参评 257 个" in out


# --- tiers (附录02 p.53, means p.14) ------------------------------------------------------------

def test_tier_counts_printed_vs_reported(ds):
    figs = national.figures(ds)
    printed, reported = figs[national.PRINTED].tiers, figs[national.REPORTED].tiers
    assert list(printed.values()) == [6, 56, 84, 98, 12]
    assert list(reported.values()) == [6, 56, 84, 99, 12]
    assert sum(reported.values()) == ds.meta["evaluated_cities"]


def test_tier_means_match_reported_to_one_decimal(ds):
    figs = national.figures(ds)
    assert list(figs[national.REPORTED].tier_means.values()) == [91.5, 72.2, 57.0, 44.0, 39.1]
    assert [round(m, 1) for m in figs[national.PRINTED].tier_means.values()] == [91.5, 72.2, 57.0, 43.9, 39.1]
    # 三线 matches once the unprinted rank-166 city (scored between its neighbours) is the 99th.
    t4 = ds.printed.loc[ds.printed["tier"] == "t4", "score"]
    neighbours = ds.printed.set_index("rank").loc[[167, 165], "score"]
    assert list(neighbours) == [46.7, 47.0]
    for missing in neighbours:
        assert round((t4.sum() + missing) / (len(t4) + 1), 1) == 44.0
