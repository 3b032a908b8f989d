"""Compare two datasets (e.g. a user's year against the bundled 2023): score difference, rank change."""

from __future__ import annotations

import dataclasses

import pandas as pd

from dei_geo.sources.datasets import Dataset

CHANGE, RANK_CHANGE, NO_VALUE = "change", "rank_change", "no_value"


def _side(ds: Dataset, metric: str) -> pd.DataFrame:
    if metric not in ds.scores:
        raise ValueError(f"{ds.label} has no column {metric!r}")
    s = ds.scores
    tier = s["tier"].astype(object) if metric == "score" else pd.Series(None, index=s.index, dtype=object)
    return pd.DataFrame({"adcode": s["adcode"], "city": s["city"], "value": s[metric].astype(float),
                         "tier": tier.where(s[metric].notna(), None)})


def compare(base: Dataset, other: Dataset, metric: str = "score") -> pd.DataFrame:
    """Every city in either dataset: base and other value, ``change`` (other − base), and ranks
    among the cities with a value in BOTH datasets — ``rank_base``, ``rank_other`` (1 = highest,
    ties share the best rank), ``rank_change`` = rank_base − rank_other (positive = moved up) —
    so that a 6-city file is ranked against the same 6 cities of the base, never its rank among 6
    against a rank among 257. ``tier_base`` / ``tier_other``: tier ids of the overall score
    (None for other metrics or without a value). A city missing on either side, or with no value
    there (e.g. 亳州's conflicting rows), gets NaN change and ranks, and ``no_value`` says which
    side: ``base``, ``other`` or "". ``attrs["n_common"]``: how many cities were ranked."""
    a, b = _side(base, metric), _side(other, metric)
    out = a.merge(b, on="adcode", how="outer", suffixes=("_base", "_other"))
    out["city"] = out["city_base"].fillna(out["city_other"])
    out[CHANGE] = out["value_other"] - out["value_base"]
    common = out["value_base"].notna() & out["value_other"].notna()
    for side in ("base", "other"):
        ranks = out.loc[common, f"value_{side}"].rank(ascending=False, method="min")
        out[f"rank_{side}"] = ranks.reindex(out.index).astype("Int64")
    out[RANK_CHANGE] = (out["rank_base"] - out["rank_other"]).astype("Int64")
    out[NO_VALUE] = ""
    out.loc[out["value_base"].isna(), NO_VALUE] = "base"
    out.loc[out["value_other"].isna(), NO_VALUE] = "other"
    cols = ["adcode", "city", "value_base", "value_other", CHANGE, "rank_base", "rank_other",
            RANK_CHANGE, "tier_base", "tier_other", NO_VALUE]
    out = out[cols].sort_values(CHANGE, ascending=False, na_position="last").reset_index(drop=True)
    out.attrs["n_common"] = int(common.sum())
    return out


def with_change(other: Dataset, base: Dataset, metric: str = "score", name: str = CHANGE) -> Dataset:
    """``other`` plus columns ``name`` (other − base) and ``rank_{name}`` (rank among the cities
    in both, positive = moved up), ready for ``maps.prepare_map(metric=name)``; how many cities
    were ranked is in ``meta["common"][name]`` (and ``[f"rank_{name}"]``). Cities only in
    ``base`` get no row."""
    diff = compare(base, other, metric)
    by_city = diff.set_index("adcode")
    scores = other.scores.copy()
    scores[name] = scores["adcode"].map(by_city[CHANGE]).astype(float)
    scores[f"rank_{name}"] = scores["adcode"].map(by_city[RANK_CHANGE]).astype("Float64")
    n = diff.attrs["n_common"]
    common = {**other.meta.get("common", {}), name: n, f"rank_{name}": n}
    return dataclasses.replace(other, scores=scores, meta={**other.meta, "common": common})


TIER_MOVES = ("up", "down", "same")  # tier_move codes (tier order: 一线 first)
TRANSITIONS = ("up2", "up1", "same", "down1", "down2", "one_year")  # transition codes, up first


def _tier_steps(diff: pd.DataFrame, tiers: pd.DataFrame) -> pd.Series:
    """Tiers moved from ``tier_base`` to ``tier_other`` (+1 = one tier up, −2 = two down; NaN
    without a tier on either side), by the order of ``tiers`` (一线 first)."""
    order = {t: i for i, t in enumerate(tiers["tier"])}
    return (diff["tier_base"].map(order) - diff["tier_other"].map(order)).astype(float)


def tier_transitions(base: Dataset, other: Dataset) -> pd.DataFrame:
    """Every city with an overall score in either dataset: adcode, city, both scores and tier ids,
    ``tier_steps`` (+2 = two tiers up, NaN unless scored in both) and ``transition`` (a code of
    ``TRANSITIONS``: up2 = two tiers up or more, up1, same, down1, down2 = two down or more,
    one_year = scored in one of the two only). The tier moves of ``city_changes`` (and so of
    ``dei-geo change``) are the signs of the same steps."""
    diff = compare(base, other)
    diff = diff[diff["value_base"].notna() | diff["value_other"].notna()].copy()
    steps = _tier_steps(diff, base.tiers)
    diff["tier_steps"] = steps
    code = pd.Series("one_year", index=diff.index, dtype=object)
    code[steps >= 2], code[steps == 1], code[steps == 0] = "up2", "up1", "same"
    code[steps == -1], code[steps <= -2] = "down1", "down2"
    diff["transition"] = code
    cols = ["adcode", "city", "value_base", "value_other", "tier_base", "tier_other", "tier_steps", "transition"]
    return diff[cols].reset_index(drop=True)


def with_tier_transition(other: Dataset, base: Dataset, base_name: str, other_name: str,
                         name: str = "tier_year_change") -> Dataset:
    """``other`` plus column ``name``: the tiers each city moved since ``base`` (``tier_steps``,
    NaN unless scored in both); ``meta["transitions"][name]`` keeps ``tier_transitions`` (cities
    scored only in ``base`` included) and the two names (e.g. years) for the map's categories."""
    frame = tier_transitions(base, other)
    scores = other.scores.copy()
    scores[name] = scores["adcode"].map(frame.set_index("adcode")["tier_steps"]).astype(float)
    kept = {**other.meta.get("transitions", {}),
            name: {"frame": frame, "base": base_name, "other": other_name}}
    return dataclasses.replace(other, scores=scores, meta={**other.meta, "transitions": kept})


def city_changes(base: Dataset, other: Dataset) -> pd.DataFrame:
    """What ``dei-geo change`` reports: one row per city of ``other`` (in rank order of
    ``other``'s score among the common cities, then the rest), with both scores, the difference,
    both ranks among the cities in both datasets, the rank change, both tier ids and
    ``tier_move`` (``up``, ``down``, ``same``; "" without a score on either side).
    ``attrs``: ``n_common``, ``n_other`` (cities in ``other``), ``n_base`` (cities in ``base``)."""
    diff = compare(base, other)
    mine = set(other.scores["adcode"])
    out = diff[diff["adcode"].isin(mine)].copy()
    steps = _tier_steps(out, base.tiers)
    move = pd.Series("", index=out.index, dtype=object)
    move[steps > 0], move[steps < 0], move[steps == 0] = "up", "down", "same"
    out["tier_move"] = move
    out = out.sort_values(["rank_other", "value_other"], ascending=[True, False], na_position="last")
    out.attrs.update(n_common=diff.attrs["n_common"], n_other=len(mine), n_base=len(base.scores))
    return out.reset_index(drop=True)


def shift_table(edited: Dataset, published: Dataset, lang: str = "zh") -> pd.DataFrame:
    """Edited against published weights, one row per city scored in either: score, rank and tier
    (name) before and after, ``rank_shift`` (positive = moved up) and ``tier_moved``. Cities that
    change tier come first, then by the size of the rank move."""
    def side(ds: Dataset) -> pd.DataFrame:
        names = dict(zip(ds.tiers["tier"], ds.tiers["name_zh" if lang == "zh" else "name_en"]))
        s = ds.scores
        return pd.DataFrame({"adcode": s["adcode"], "city": s["city"], "score": s["score"],
                             "rank": s["rank"].astype("Float64"),
                             "tier": s["tier"].map(names).astype(object)})

    out = side(published).merge(side(edited), on="adcode", how="outer",
                                suffixes=("_published", "_edited"))
    out = out.dropna(subset=["score_published", "score_edited"], how="all")
    out["city"] = out["city_published"].fillna(out["city_edited"])
    out["rank_shift"] = (out["rank_published"] - out["rank_edited"]).astype("Int64")
    for col in ("rank_published", "rank_edited"):
        out[col] = out[col].astype("Int64")
    out["tier_moved"] = (out["tier_published"] != out["tier_edited"]) & out["tier_edited"].notna()
    out["_order"] = out["rank_shift"].abs().astype("Float64").fillna(-1)
    out = out.sort_values(["tier_moved", "_order", "rank_edited"], ascending=[False, False, True],
                          na_position="last")
    cols = ["adcode", "city", "score_published", "score_edited", "rank_published", "rank_edited",
            "rank_shift", "tier_published", "tier_edited", "tier_moved"]
    return out[cols].reset_index(drop=True)
