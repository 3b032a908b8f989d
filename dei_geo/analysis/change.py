"""Compare two datasets (e.g. a user's year against the bundled 2023): score difference, rank change."""

from __future__ import annotations

import dataclasses

import pandas as pd

from dei_geo.sources.datasets import Dataset

CHANGE, RANK_CHANGE, NO_VALUE = "change", "rank_change", "no_value"


def _side(ds: Dataset, metric: str) -> pd.DataFrame:
    if metric not in ds.scores:
        raise ValueError(f"{ds.label} has no column {metric!r}")
    rank = "rank" if metric == "score" else f"{metric}_rank"
    s = ds.scores
    return pd.DataFrame({"adcode": s["adcode"], "city": s["city"], "value": s[metric].astype(float),
                         "rank": s[rank] if rank in s else pd.Series(pd.NA, index=s.index)})


def compare(base: Dataset, other: Dataset, metric: str = "score") -> pd.DataFrame:
    """Every city in either dataset: base and other value and rank, ``change`` (other − base) and
    ``rank_change`` (base rank − other rank: positive = moved up). A city missing on either side,
    or with no value there (e.g. 亳州's conflicting rows), gets NaN change and ``no_value`` says
    which side: ``base``, ``other`` or ""."""
    a, b = _side(base, metric), _side(other, metric)
    out = a.merge(b, on="adcode", how="outer", suffixes=("_base", "_other"))
    out["city"] = out["city_base"].fillna(out["city_other"])
    out[CHANGE] = out["value_other"] - out["value_base"]
    out[RANK_CHANGE] = (out["rank_base"].astype("Float64") - out["rank_other"].astype("Float64")
                        ).astype("Int64")
    out[NO_VALUE] = ""
    out.loc[out["value_base"].isna(), NO_VALUE] = "base"
    out.loc[out["value_other"].isna(), NO_VALUE] = "other"
    cols = ["adcode", "city", "value_base", "value_other", CHANGE, "rank_base", "rank_other",
            RANK_CHANGE, NO_VALUE]
    return out[cols].sort_values(CHANGE, ascending=False, na_position="last").reset_index(drop=True)


def with_change(other: Dataset, base: Dataset, metric: str = "score", name: str = CHANGE) -> Dataset:
    """``other`` plus columns ``name`` (other − base) and ``rank_{name}`` (positive = moved up),
    ready for ``maps.prepare_map(metric=name)``. Cities only in ``base`` get no row."""
    diff = compare(base, other, metric).set_index("adcode")
    scores = other.scores.copy()
    scores[name] = scores["adcode"].map(diff[CHANGE]).astype(float)
    scores[f"rank_{name}"] = scores["adcode"].map(diff[RANK_CHANGE]).astype("Float64")
    return dataclasses.replace(other, scores=scores)


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
