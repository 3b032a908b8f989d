"""The columns a user's score table may have: header names in Chinese or English, and labels.

Metric columns are named by id: ``score`` (the overall index), the pillar ids of ``pillars.csv``
and the indicator ids of ``indicators.csv``. A header matches a column when, after NFKC, case
folding, dropping spaces/underscores/hyphens and a trailing "(…)" unit, it equals the id, the
Chinese name or (pillars) the English name. The unnamed 服务效能 child has no printed name or
weight and is not an input column (see the weight rule in ``index``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from dei_geo.core import paths, places
from dei_geo.core.i18n import Lang, t

CITY, ADCODE, YEAR, SCORE = "city", "adcode", "year", "score"
UNNAMED = "government.service_efficacy.unnamed"
DERIVED_LABEL = {"shift": "di_m_shift", "rank_shift": "di_m_rank_shift", "change": "di_m_change",
                 "rank_change": "di_m_rank_change", "year_change": "di_m_year_change",
                 "rank_year_change": "di_m_rank_year_change",
                 "tier_year_change": "yr_m_tier_year_change"}  # see change.with_change; → catalogue key
DERIVED = tuple(DERIVED_LABEL)
TRANSITIONS = ("tier_year_change",)  # derived tier moves, mapped as categories (change.with_tier_transition)

# fields that are not metrics, and columns we recognise but do not use (listed, never silent)
_WORDS = {
    CITY: ["城市", "城市名称", "城市名", "城市简称", "地市", "地区", "名称", "市", "city", "cityname", "name"],
    ADCODE: ["adcode", "行政区划代码", "区划代码", "城市代码", "代码", "code"],
    YEAR: ["年份", "年度", "年", "year"],
    SCORE: ["总分", "总得分", "得分", "综合得分", "指数", "总指数", "数字化发展指数", "城市数字化发展指数",
            "dei", "score", "overall", "overallscore", "total", "index"],
    "province": ["省份", "省", "所属省份", "province"],
    "rank": ["排名", "名次", "rank"],
    "tier": ["分级", "等级", "城市分级", "tier"],
    "note": ["备注", "说明", "note", "notes", "comment"],
}
INFO = ("province", "rank", "tier", "note")


def normalise(text) -> str:
    """The comparison key of a header: ``places.clean`` (NFKC, no invisible characters),
    case-folded, no spaces/_/-, no trailing (unit)."""
    key = places.clean(text).casefold()
    key = re.sub(r"[\s_\-]+", "", key)
    stripped = re.sub(r"\([^()]*\)$", "", key)
    return stripped or key


@lru_cache(maxsize=1)
def tree() -> pd.DataFrame:
    """The indicator tree (``indicators.csv``) with ``name_en`` for pillars (others: empty)."""
    ind = pd.read_csv(paths.DEI_2023 / "indicators.csv", keep_default_na=False, na_values=[""])
    pil = pd.read_csv(paths.DEI_2023 / "pillars.csv")[["pillar", "name_en"]]
    out = ind.merge(pil, left_on="id", right_on="pillar", how="left").drop(columns="pillar")
    out["name_en"] = out["name_en"].fillna("")
    return out


def pillars() -> list[str]:
    """The five pillar ids in printed order."""
    t = tree()
    return list(t.loc[t["level"] == 1, "id"])


def metrics() -> list[str]:
    """Every metric column a table may carry: ``score`` then the tree (unnamed child excluded)."""
    return [SCORE, *(i for i in tree()["id"] if i != UNNAMED)]


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    vocab = {normalise(w): field for field, words in _WORDS.items() for w in words}
    for row in tree().itertuples():
        if row.id == UNNAMED:
            continue
        for word in (row.id, row.name_zh, row.name_en):
            if word:
                vocab.setdefault(normalise(word), row.id)
    return vocab


def match(header) -> str | None:
    """The field a header names (``city``, ``adcode``, ``year``, a metric id, an INFO id) or None."""
    if header is None or (isinstance(header, float) and pd.isna(header)):
        return None
    return _vocabulary().get(normalise(header))


def label(metric: str, lang: Lang = "zh") -> str:
    """Display name of a metric column: 总分/Overall score, 数字经济/Digital economy, 关键领域创新 …"""
    if metric == SCORE:
        return t("metric_overall", lang)
    if metric in DERIVED:
        return t(DERIVED_LABEL[metric], lang)
    row = tree().loc[tree()["id"] == metric]
    if row.empty:
        return metric
    zh, en = row["name_zh"].iloc[0], row["name_en"].iloc[0]
    if lang == "zh":
        return zh
    return en or f"{zh} ({metric})"  # indicators have no printed English name


def available(scores: pd.DataFrame, lang: Lang = "zh") -> dict[str, str]:
    """Mappable metric columns of a score table that hold at least one value → their labels."""
    ids = [*metrics(), *DERIVED]
    return {m: label(m, lang) for m in ids if m in scores and scores[m].notna().any()}
