"""Spillover statistics: published reference values, islands, reproducibility, rings and decay."""

import json

import geopandas as gpd
import numpy as np
import pytest
from esda import Moran_Local
from esda.significance import calculate_significance
from libpysal import examples
from libpysal.graph import Graph
from shapely.geometry import box

from dei_geo import cli
from dei_geo.analysis import regions, spatial
from dei_geo.core import places
from dei_geo.sources import datasets
from dei_geo.wording import spatial as spatial_words


@pytest.fixture(scope="module")
def columbus():
    return gpd.read_file(examples.get_path("columbus.shp"))  # bundled with libpysal: offline


@pytest.fixture(scope="module")
def dei(ds):
    return spatial.dei_spillover(ds)


# --- published reference ------------------------------------------------------------------------
def test_columbus_crime_queen_morans_i_matches_spdep_and_esda(columbus):
    w = spatial.build_weights(columbus)
    assert w.links == 236 and len(w.attached) == 0
    sp = spatial.Spillover(columbus["CRIME"], w)
    assert sp.I == pytest.approx(0.50019, abs=5e-6)
    assert sp.EI == pytest.approx(-1 / 48)
    assert sp.p_sim == pytest.approx(0.001)  # no permutation reaches it (999 permutations)


def test_permutations_are_seeded_and_leave_the_global_rng_alone(columbus):
    w = spatial.build_weights(columbus)
    np.random.seed(7)
    before = np.random.random(3)
    np.random.seed(7)
    a = spatial.Spillover(columbus["CRIME"], w, seed=1)
    after = np.random.random(3)
    b = spatial.Spillover(columbus["CRIME"], w, seed=1)
    c = spatial.Spillover(columbus["CRIME"], w, seed=2)
    assert np.array_equal(before, after)
    assert a.z_sim == b.z_sim and a.local.equals(b.local)
    assert not np.array_equal(a.local["p_lisa"], c.local["p_lisa"])


def test_lisa_classes_follow_the_quadrants_and_alpha(columbus):
    sp = spatial.Spillover(columbus["CRIME"], spatial.build_weights(columbus), alpha=0.05)
    loc = sp.local
    sig = loc[loc["lisa"] != "ns"]
    assert (sig["p_lisa"] <= 0.05).all() and (loc.loc[loc["lisa"] == "ns", "p_lisa"] > 0.05).all()
    quadrants = [("HH", True, True), ("LL", False, False), ("HL", True, False), ("LH", False, True)]
    for cls, z_pos, lag_pos in quadrants:
        part = loc[loc["lisa"] == cls]
        assert ((part["z"] > 0) == z_pos).all() and ((part["lag"] > 0) == lag_pos).all()
    assert loc["p_lisa"].min() >= 3 / 1000  # two-sided with 999 permutations
    assert set(loc.loc[loc["gi"] == "hot", "Zs"] > 0) <= {True}
    assert sp.lisa_counts.sum() == sp.gi_counts.sum() == 49


def test_two_sided_p_values_are_esdas_definition():
    rng = np.random.default_rng(0)
    sims, stat = rng.normal(size=(300, 999)), rng.normal(scale=2, size=300)
    stat[:5], stat[5:10] = 10, -10  # beyond every simulation
    sims[10:15], stat[10:15] = 0, 0  # all ties
    expected = np.minimum(calculate_significance(stat, sims, alternative="two-sided"), 1)
    assert np.array_equal(spatial.two_sided(stat, sims), expected)
    assert spatial.two_sided(stat, sims)[0] == pytest.approx(3 / 1000)


# --- islands ------------------------------------------------------------------------------------
def _grid_with_island():
    cells = [box(x, y, x + 1, y + 1) for x in range(6) for y in range(6)]
    gdf = gpd.GeoDataFrame({"v": np.arange(37.0)}, geometry=cells + [box(20, 20, 21, 21)])
    gdf.loc[36, "v"] = 1000.0  # an extreme value on an island
    return gdf


def test_plain_esda_calls_an_island_significant_ours_never_does():
    gdf = _grid_with_island()
    raw = Graph.build_contiguity(gdf.geometry, rook=False)
    assert list(raw.isolates) == [36]
    with pytest.warns(DeprecationWarning), np.errstate(invalid="ignore"):
        plain = Moran_Local(gdf["v"].to_numpy(), raw, permutations=999, seed=1)
    assert plain.p_sim[36] == pytest.approx(0.001)  # the pitfall: lag 0, "significant"
    w = spatial.build_weights(gdf)
    assert w.attached.to_dict("records") == [{"island": 36, "neighbour": 35, "distance_km": pytest.approx(
        w.attached["distance_km"].iloc[0])}]
    assert 35 in set(w.graph[36].index) and 36 in set(w.graph[35].index)  # linked both ways
    for alpha in (0.05, 0.5, 0.99):
        sp = spatial.Spillover(gdf["v"], w, alpha=alpha)
        assert sp.local.at[36, "island"] and sp.local.at[36, "lisa"] == "ns" and sp.local.at[36, "gi"] == "ns"


def test_dei_islands_are_attached_and_never_significant(ds, dei):
    attached = {places.display_name(r.island): places.display_name(r.neighbour)
                for r in dei.w.attached.itertuples()}
    assert attached == {"海口": "湛江", "三亚": "海口", "拉萨": "海西", "金昌": "西宁"}
    for alpha in (0.05, 0.1, 0.5):
        sp = spatial.dei_spillover(ds, alpha=alpha)
        islands = sp.local[sp.local["island"]]
        assert len(islands) == 4 and (islands["lisa"] == "ns").all() and (islands["gi"] == "ns").all()


def test_unscored_cities_are_dropped_before_the_weights(ds, dei):
    assert len(dei.w.ids) == 254 == ds.scores["score"].notna().sum()
    assert places.resolve("亳州") not in dei.w.ids  # printed twice, no single score
    assert len(dei.w.graph.isolates) == 0 and dei.w.graph.cardinalities.min() >= 1


def test_knn_weights_have_no_islands(ds):
    sp = spatial.dei_spillover(ds, weights="knn", k=6)
    assert sp.w.links == 254 * 6 and len(sp.w.attached) == 0 and not sp.local["island"].any()
    with pytest.raises(ValueError, match="k must be"):
        spatial.dei_spillover(ds, weights="knn", k=0)


def test_dei_2023_overall_score_is_positively_autocorrelated(dei):
    assert dei.I == pytest.approx(0.206, abs=5e-4) and dei.p_sim == pytest.approx(0.001)
    assert dei.w.links == 1194
    hh = {places.display_name(a) for a in dei.local.index[dei.local["lisa"] == "HH"]}
    assert {"苏州", "嘉兴", "东莞"} <= hh


def test_clear_errors(ds):
    with pytest.raises(ValueError, match="unknown metric"):
        spatial.dei_spillover(ds, metric="nonsense")
    with pytest.raises(ValueError, match="too few"):
        spatial.dei_spillover(ds, metric="economy")  # pillar scores exist for a handful of cities
    with pytest.raises(ValueError, match="alpha"):
        spatial.dei_spillover(ds, alpha=0)


# --- rings and decay ----------------------------------------------------------------------------
def test_rings_partition_the_units_and_match_the_distance_rule(ds):
    sh = places.resolve("上海")
    rings = spatial.ring_means(ds, sh)
    assert rings["ring"].astype(str).tolist() == ["0–50 km", "50–100 km", "100–200 km", "200–300 km"]
    scores = ds.scores.set_index("adcode")["score"].dropna()
    within = [a for a in regions.within(sh, 100).index if a != sh and a in scores.index]
    assert rings["n"].iloc[:2].sum() == len(within)
    assert rings["mean"].iloc[0] == pytest.approx(scores[places.resolve("苏州")])  # 苏州 alone, 28.9 km
    assert rings["diff_national"].iloc[0] == pytest.approx(scores[places.resolve("苏州")] - scores.mean())


def test_decay_fit_matches_an_independent_regression(ds):
    sz = places.resolve("深圳")
    pts = spatial.around(ds, sz)
    slope, intercept = np.polyfit(np.log(pts["distance_km"]), pts["value"], 1)
    fit = spatial.decay(ds, sz)
    assert fit["slope"] == pytest.approx(slope) and fit["intercept"] == pytest.approx(intercept)
    assert fit["ci_low"] < fit["slope"] < fit["ci_high"] < 0  # the lead fades with distance
    assert fit["per_doubling"] == pytest.approx(slope * np.log(2))
    national = ds.scores["score"].mean()
    assert intercept + slope * np.log(fit["fade_km"]) == pytest.approx(national)


def test_cli_spillover_json(capsys):
    assert cli.main(["spillover", "--metric", "overall", "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["metric"] == "overall" and rep["weights"]["kind"] == "queen"
    assert rep["weights"]["links"] == 1194 and len(rep["weights"]["islands_attached"]) == 4
    assert sum(rep["lisa_counts"].values()) == 254 and len(rep["cores"]) == 26
    sh = next(c for c in rep["cores"] if c["city"] == "上海")
    assert [r["ring"] for r in sh["rings"]] == ["0–50 km", "50–100 km", "100–200 km", "200–300 km"]
    assert cli.main(["spillover", "--metric", "nonsense"]) == 1
    capsys.readouterr()
    assert cli.main(["spillover", "--permutations", "0"]) == 1  # a message, not a traceback
    assert "permutations must be at least 99, got 0" in capsys.readouterr().err


def test_city_card_lists_regions_and_lisa_class(ds, dei):
    facts = spatial.city_card(ds, places.resolve("咸阳"), dei)
    assert facts["regions"][0]["membership"] == "partial" and facts["lisa"] in spatial.LISA_CLASSES
    card = spatial_words.city_card(facts, "zh")
    assert card["regions"] == [{"id": "circle:西安都市圈", "kind": "都市圈", "name": "西安都市圈",
                                "membership": "部分纳入"}]
    assert card["lisa"] in {"高-高", "低-低", "高-低", "低-高", "不显著"} and 0 < card["p_lisa"] <= 1
    assert spatial.city_card(ds, places.resolve("海口"), dei)["island"] is True
    assert spatial.city_card(ds, places.resolve("阿里地区"), dei) == {"regions": []}  # not evaluated


# --- decay significance and small datasets ------------------------------------------------------
def test_no_fade_distance_when_the_slope_may_be_zero(ds, capsys):
    bj = spatial.decay(ds, places.resolve("北京"))
    assert bj["ci_low"] < 0 < bj["ci_high"] and bj["significant"] is False
    assert np.isnan(bj["fade_km"])  # the fitted line would cross the mean near 220 km: not claimed
    sz = spatial.decay(ds, places.resolve("深圳"))
    assert sz["significant"] is True and sz["fade_km"] == pytest.approx(135.5, abs=0.1)
    assert cli.main(["spillover", "--format", "json"]) == 0
    cores = {c["city"]: c for c in json.loads(capsys.readouterr().out)["cores"]}
    assert cores["北京"]["fade_km"] is None and cores["北京"]["significant"] is False
    assert cores["深圳"]["fade_km"] > 0 and cores["深圳"]["significant"] is True


def _subset(ds, n, start=0):
    """``n`` scored cities: the top 8 hold five core cities, ranks 101–102 none."""
    return datasets.from_table(ds.scores[["adcode", "score"]].dropna().iloc[start:start + n], f"{n} cities")


@pytest.mark.parametrize(("n", "start"), [(8, 0), (2, 100)])
def test_small_datasets_skip_spillover_with_a_reason_and_keep_the_rings(ds, n, start):
    small = _subset(ds, n, start)
    with pytest.raises(spatial.TooFewUnits, match="too few") as err:
        spatial.dei_spillover(small)
    assert (err.value.n, err.value.need) == (n, spatial.MIN_UNITS)
    assert spatial_words.too_few(spatial.too_few(small), "zh") == (
        f"空间溢出统计（Moran's I、LISA、Gi*）至少需要 30 个有得分的城市，当前数据只有 {n} 个，已跳过。")
    en = spatial_words.too_few(spatial.too_few(small), "en")
    assert f"need at least 30 scored cities; this dataset has {n}" in en
    assert spatial.too_few(ds) is None
    rings, cores = spatial.cores_table(small)
    assert "significant" in cores.columns and "fade_km" in cores.columns
    scored_cores = set(regions.centres()["adcode"]) & set(small.scores["adcode"])
    assert set(cores["adcode"]) == scored_cores and len(rings) == 4 * len(scored_cores)
    assert len(scored_cores) == (5 if n == 8 else 0)


def test_stored_local_classes_are_those_of_a_fresh_computation(ds, dei, tmp_path):
    """data/derived/dei_2023_spillover.json is what `dei-geo data spillover` writes today."""
    fresh = spatial.store(ds, tmp_path / "fresh.json")
    assert fresh.read_text(encoding="utf-8") == spatial.STORED.read_text(encoding="utf-8"), (
        "stale: run `dei-geo data spillover`")
    for city in ("咸阳", "海口", "上海"):
        adcode = places.resolve(city)
        assert spatial.city_card(ds, adcode) == spatial.city_card(ds, adcode, dei)


def test_stored_classes_are_not_used_for_other_scores(ds):
    other = datasets.from_table(ds.scores[["adcode", "score"]].dropna().assign(score=lambda d: 100 - d.score),
                                "mirror")
    assert spatial.stored(ds) is not None and spatial.stored(other) is None
