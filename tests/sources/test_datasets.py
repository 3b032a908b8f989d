"""The DEI 2023 transcription: the report's own checks, provenance and the one-row-per-city view."""

import pandas as pd
import pytest

from dei_geo.core.places import resolve
from dei_geo.core.tiers import classify
from dei_geo.sources.datasets import Dataset, one_row_per_city

# --- overall ranking (p.14–16) ---------------------------------------------------------------

def test_printed_rows_and_missing_rank(ds):
    p = ds.printed
    assert len(p) == 256 == ds.meta["printed_rows"]
    assert ds.meta["evaluated_cities"] == 257
    assert list(p["rank"]) == sorted(p["rank"]) and p["rank"].is_unique
    assert set(range(1, 258)) - set(p["rank"]) == {166}
    assert set(p["page"]) == {14, 15, 16}


def test_scores_non_increasing_with_rank(ds):
    assert ds.printed["score"].is_monotonic_decreasing
    assert ds.printed["score"].between(0, 100).all()


def test_top_three_match_the_text(ds):
    top = ds.printed.head(3)
    assert list(top["city"]) == ["上海", "杭州", "北京"] and list(top["score"]) == [93.6, 92.9, 92.4]


def test_every_printed_name_resolves_to_its_adcode(ds):
    for city, adcode in zip(ds.printed["city"], ds.printed["adcode"]):
        assert resolve(city) == adcode
    assert ds.printed["adcode"].nunique() == 255


def test_bozhou_is_kept_twice_and_flagged(ds):
    rows = ds.printed[ds.printed["city"] == "亳州"]
    assert list(zip(rows["rank"], rows["score"])) == [(163, 47.4), (203, 42.7)]
    assert rows["note"].str.contains("printed twice").all()
    assert (ds.printed.loc[ds.printed["city"] != "亳州", "note"] == "").all()


# --- pillars --------------------------------------------------------------------------------

def test_pillars(ds):
    p = ds.pillars.set_index("pillar")
    assert list(p.index) == ["infrastructure", "economy", "society", "government", "ecology"]
    assert list(p["weight"]) == [0.15, 0.25, 0.25, 0.25, 0.10]
    assert list(p["mean"]) == [58.5, 61.3, 52.1, 53.3, 48.1]
    assert list(p["page"]) == [17, 20, 23, 26, 29]


def test_weighted_pillar_means_match_overall_mean(ds):
    weighted = (ds.pillars["weight"] * ds.pillars["mean"]).sum()
    assert weighted == pytest.approx(55.26, abs=0.005)
    reported = {m["page"]: m["value"] for m in ds.meta["overall_mean"]}
    assert reported == {14: 55.2, 8: 55.3}
    # Pillar means are rounded to 0.1, so the weighted mean is known to ±0.05; each reported
    # mean (itself ±0.05) must be compatible with it.
    assert all(abs(weighted - v) <= 0.1 for v in reported.values())


def test_pillar_cities(ds):
    pc = ds.pillar_cities
    assert len(pc) == 25 and (pc.groupby("pillar").size() == 5).all()
    assert set(pc["pillar"]) == set(ds.pillars["pillar"])
    for city, adcode in zip(pc["city"], pc["adcode"]):
        assert resolve(city) == adcode
    hz = pc[(pc["pillar"] == "infrastructure") & (pc["city"] == "杭州")].iloc[0]
    assert (hz["score"], hz["pillar_rank"], hz["rank_rise"], hz["page"]) == (97.6, 1, 1, 17)
    for _, g in pc.groupby("pillar"):
        assert g["pillar_rank"].is_monotonic_increasing and g["score"].is_monotonic_decreasing


# --- indicator tree (附录01 p.51–52) ---------------------------------------------------------

def test_indicator_counts_and_tree(ds):
    ind = ds.indicators
    assert list(ind["level"].value_counts().sort_index()) == [5, 15, 54]
    assert ind["id"].is_unique
    level1 = ind[ind["level"] == 1]
    assert list(level1["id"]) == list(ds.pillars["pillar"])
    assert list(level1["weight_printed"]) == list(ds.pillars["weight"])
    parents = ind.set_index("id")["level"]
    child = ind[ind["level"] > 1]
    assert (child["parent"].map(parents) == child["level"] - 1).all()
    assert (child["id"].str.rsplit(".", n=1).str[0] == child["parent"]).all()


def test_indicator_weights_as_printed(ds):
    ind = ds.indicators
    sums = ind[ind["level"] > 1].groupby("parent")["weight_printed"].sum().round(4)
    odd = {"government.informatization": 1.04, "government.service_efficacy": 0.60}
    assert sums.drop(list(odd)).eq(1.0).all()
    assert sums[list(odd)].to_dict() == odd
    info = ind[ind["parent"] == "government.informatization"]
    assert len(info) == 8 and (info["weight_printed"] == 0.13).all()
    assert info["weight_note"].str.contains("104%").all()


def test_unnamed_service_efficacy_child(ds):
    se = ds.indicators[ds.indicators["parent"] == "government.service_efficacy"]
    assert list(se["name_zh"]) == ["数字技术辅助决策", "突发公共事件应对", "（未列名）"]
    unnamed = se.iloc[2]
    assert pd.isna(unnamed["weight_printed"])
    assert "40%" in unnamed["weight_note"] and "not printed" in unnamed["weight_note"]


def test_ecology_structure(ds):
    ind = ds.indicators.set_index("id")
    children = ds.indicators.groupby("parent")["name_zh"].apply(list)
    assert children["ecology"] == ["数据要素市场", "数据政策环境", "网络安全保护"]
    assert list(ind.loc[["ecology.data_market", "ecology.policy", "ecology.cybersecurity"],
                        "weight_printed"]) == [0.4, 0.3, 0.3]
    assert children["ecology.cybersecurity"] == ["网络安全制度机制", "关键基础设施防护",
                                                 "网络安全基础设施", "网络安全技术研发"]


# --- clusters, cores, circles (p.9, 附录03 p.53) -----------------------------------------------

PRINTED_COUNTS = {"长三角城市群": 41, "京津冀城市群": 13, "粤港澳大湾区": 11, "成渝城市群": 16,
                  "山东半岛城市群": 8, "东南沿海城市群": 18, "呼包鄂乌城市群": 4, "北部湾城市群": 8,
                  "武汉都市圈": 6, "中原城市群": 29}


def test_cluster_member_counts(ds):
    cl = ds.clusters
    assert cl.groupby("cluster", sort=False).size().to_dict() == PRINTED_COUNTS
    assert (cl.groupby("cluster")["count_printed"].first() == cl.groupby("cluster").size()).all()
    assert not cl.duplicated(["cluster", "adcode"]).any()


def test_cluster_evaluation_and_membership(ds):
    cl = ds.clusters
    assert set(cl.loc[~cl["evaluated"], "member"]) == {"香港", "澳门"}
    assert cl[cl["cluster"] == "粤港澳大湾区"]["evaluated"].sum() == 9
    assert set(cl.loc[cl["evaluated"], "adcode"]) <= set(ds.scores["adcode"])
    assert not set(cl.loc[~cl["evaluated"], "adcode"]) & set(ds.scores["adcode"])
    for member, adcode in zip(cl["member"], cl["adcode"]):
        assert resolve(member) == adcode
    in_two = cl.groupby("member")["cluster"].apply(set)
    assert in_two["邢台"] == {"京津冀城市群", "中原城市群"}
    assert in_two["丽水"] == {"长三角城市群", "东南沿海城市群"}


def test_cores_and_metro_circles():
    from dei_geo.core import paths
    cores = pd.read_csv(paths.DEI_2023 / "cores.csv")
    clusters = pd.read_csv(paths.DEI_2023 / "clusters.csv")
    assert list(cores["core"]) == ["京津冀城市群", "长三角城市群", "粤港澳大湾区城市群", "成渝城市群"]
    assert set(cores["cluster"]) <= set(clusters["cluster"])
    circles = pd.read_csv(paths.DEI_2023 / "metro_circles.csv")
    assert len(circles) == 20 and list(circles["order"]) == list(range(1, 21))
    assert circles["circle"].is_unique and (circles["page"] == 9).all()
    assert list(circles["circle"].iloc[[0, 18, 19]]) == ["福州都市圈", "呼包鄂榆", "乌鲁木齐都市圈"]


# --- quality notes and provenance ----------------------------------------------------------

def test_quality_notes(ds):
    n = ds.notes.set_index("id")
    assert n.index.is_unique
    assert {"bozhou_printed_twice", "rank_166_missing", "tier3_count_99_vs_98",
            "overall_mean_55_2_vs_55_3", "gov_informatization_weights_104",
            "service_efficacy_unnamed_child", "indicator_rows_misplaced", "hubaoeyu_not_metro_circle",
            "hong_kong_not_evaluated", "macau_not_evaluated"} <= set(n.index)
    assert n[["subject", "text_zh", "text_en", "page"]].ne("").all().all()
    assert n.loc["bozhou_printed_twice", "adcode"] == 341600
    for adcode in n["adcode"].dropna():
        assert resolve(adcode) == adcode


def test_meta(ds):
    assert ds.label == "DEI 2023"
    assert ds.meta["report_id"] == "CN-173X30-20230531-BR-HZ-V1.0"
    assert ds.meta["publisher"] == "新华三集团 数字中国研究院" and ds.meta["date"] == "2023-05"
    assert ds.meta["source_note"] == "数据来源：新华三集团《城市数字化发展指数(2023)》"


# --- one row per city ----------------------------------------------------------------------

def test_scores_one_row_per_city(ds):
    s = ds.scores
    assert list(s.columns[:7]) == ["adcode", "city", "rank", "score", "tier", "status", "note"]
    # then each pillar's published score and pillar rank (issue 4; 25 values in all)
    assert list(s.columns[7:9]) == ["infrastructure", "infrastructure_rank"] and len(s.columns) == 17
    assert len(s) == 255 and s["adcode"].is_unique
    assert set(s["status"]) == {"ok", "conflict"}
    ok = s[s["status"] == "ok"]
    assert ok["score"].notna().all() and ok["tier"].notna().all()
    assert list(s["tier"].cat.categories) == ["t1", "t2", "t3", "t4", "t5"]


def test_bozhou_is_a_conflict_without_score(ds):
    bz = ds.scores[ds.scores["status"] == "conflict"]
    assert list(bz["adcode"]) == [341600]
    row = bz.iloc[0]
    assert pd.isna(row["score"]) and pd.isna(row["rank"])
    assert row["tier"] == "t4"
    assert all(x in row["note"] for x in ["163", "47.4", "203", "42.7"])


def test_conflict_tier_is_computed_not_fixed():
    printed = pd.DataFrame({"rank": [1, 2, 3], "city": ["甲", "乙", "甲"], "score": [66.0, 60.0, 45.0],
                            "adcode": [1, 2, 1], "note": ["", "", ""]})
    printed["tier"] = classify(printed["score"])
    out = one_row_per_city(printed).set_index("adcode")
    assert pd.isna(out.loc[1, "tier"]) and out.loc[1, "status"] == "conflict"
    assert out.loc[2, "tier"] == "t3"


def test_dataset_requires_one_row_per_adcode(ds):
    dup = pd.concat([ds.scores.head(1)] * 2)
    with pytest.raises(ValueError):
        Dataset(label="x", scores=dup, tiers=ds.tiers)
    Dataset(label="user", scores=ds.scores.head(3), tiers=ds.tiers)  # context tables are optional
