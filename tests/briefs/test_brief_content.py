"""The facts and words of a brief: ranks, peers, published means only, the unscored and the conflict."""

from dei_geo.briefs import content, words

HANGZHOU, HUZHOU, BOZHOU, ALI = 330100, 330500, 341600, 542500


def test_province_rank_counts_the_scored_units_of_the_province(ds):
    assert content.province_rank(ds, HANGZHOU, 330000) == (1, 11)
    assert content.province_rank(ds, HUZHOU, 330000) == (8, 11)  # 8th of Zhejiang's 11 by score
    rank, n = content.province_rank(ds, BOZHOU, 340000)
    assert rank is None and n == 15  # 亳州 has no single score; Anhui's other 15 units do


def test_peers_are_the_nearest_scores_of_the_same_tier(ds):
    peers = content.peers(ds, HUZHOU)
    scores = ds.scores.set_index("adcode")
    assert len(peers) == content.PEERS and HUZHOU not in [p["adcode"] for p in peers]
    assert {scores.at[p["adcode"], "tier"] for p in peers} == {scores.at[HUZHOU, "tier"]}
    gaps = [abs(p["score"] - 62.2) for p in peers]
    assert gaps == sorted(gaps)
    others = scores[(scores["tier"] == "t3") & (scores["status"] == "ok")].drop(index=HUZHOU)
    assert max(gaps) <= sorted((others["score"] - 62.2).abs())[content.PEERS - 1] + 1e-9
    assert content.peers(ds, BOZHOU) == [] and content.peers(ds, ALI) == []


def test_words_use_published_means_and_say_unpublished(ds):
    page = words.page(content.gather(ds, HUZHOU, "zh"), "zh")
    overall = page.scores.rows[0]
    assert overall[1] == "62.2" and "55.2（p.14）" in overall[2] and overall[3] == "57.0（p.14）"
    pillars = page.scores.rows[1:]
    assert len(pillars) == 5 and all(row[3] == "未公布" for row in pillars)  # no pillar means by tier
    assert dict(page.headline)["浙江省内排名"] == "8 / 11"
    hangzhou = words.page(content.gather(ds, HANGZHOU, "en"), "en")
    infra = hangzhou.scores.rows[1]
    assert infra[1] == "97.6 (rank 1)" and infra[2] == "58.5 (p.17)"  # published for 杭州


def test_conflict_shows_both_printed_rows(ds):
    page = words.page(content.gather(ds, BOZHOU, "zh"), "zh")
    assert "第163名 47.4分" in page.status and "第203名 42.7分" in page.status
    assert page.scores.rows[0][1] == "47.4、42.7"
    assert any("亳州" in flag and "两次" in flag for flag in page.flags)


def test_unscored_unit_gets_a_brief_that_says_so(ds):
    page = words.page(content.gather(ds, ALI, "en"), "en")
    assert "not evaluated" in page.status and dict(page.headline)["Score"] == "Not evaluated"
    assert page.peers.startswith("No single score")


def test_unscored_unit_has_no_tier_column_name_and_no_pillar_scores(ds):
    page = words.page(content.gather(ds, 710000, "zh"), "zh")  # 台湾: not evaluated
    assert page.scores.header[3] == "分级均值"
    assert [row[1] for row in page.scores.rows] == ["未参评"] * 6
