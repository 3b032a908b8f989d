"""Province (and prefecture) rollups of a city- or county-level table: numbers and codes only.

``rollup`` groups the units of a table by their province (or, for counties, their prefecture):
n (units with a value) beside the units the level has there, the mean, median, min and max, the
weighted mean when a weight column is given (population, GDP: units with a missing or non-positive
weight are left out of it and counted), and ranks (1 = highest mean; ties share the lowest rank).
Provinces with no value are listed with n = 0 and no rank, so nothing disappears silently.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from dei_geo.core import counties, places

Level = Literal["city", "county"]
By = Literal["province", "prefecture"]
COLUMNS = ["code", "name", "n", "units", "mean", "median", "min", "max", "rank",
           "weighted_mean", "n_weighted", "weight_missing", "rank_weighted"]


def _parents(level: Level) -> pd.DataFrame:
    """adcode → province_adcode, province, prefecture_adcode, prefecture for every unit of a level."""
    if level == "county":
        return counties.load_counties().set_index("adcode")[
            ["province_adcode", "province", "prefecture_adcode", "prefecture"]]
    t = places.load_places().set_index("adcode")
    return t.assign(prefecture_adcode=t.index, prefecture=t["name"])[
        ["province_adcode", "province", "prefecture_adcode", "prefecture"]]


def rollup(table: pd.DataFrame, value: str, level: Level = "city", by: By = "province",
           weight: str | None = None) -> pd.DataFrame:
    """One row per province (or prefecture) of ``level``: see the module docstring.

    ``table`` has an ``adcode`` column of that level (unique) and the ``value`` column (NaN =
    no value); ``weight`` names a column of weights. Sorted by rank, then code.
    """
    if by == "prefecture" and level != "county":
        raise ValueError("a prefecture rollup needs county-level units")
    if table["adcode"].duplicated().any():
        raise ValueError(f"duplicate adcodes: {sorted(set(table['adcode'][table['adcode'].duplicated()]))}")
    parents = _parents(level)
    unknown = sorted(set(table["adcode"]) - set(parents.index))
    if unknown:
        raise ValueError(f"adcodes that are not {level}-level units: {unknown[:10]}")
    code, name = f"{by}_adcode", by
    groups = parents.groupby(code)[name].first()
    units = parents.groupby(code).size()
    frame = table[["adcode", value, *([weight] if weight else [])]].copy()
    frame[value] = pd.to_numeric(frame[value], errors="coerce")
    frame = frame.join(parents[[code]], on="adcode").dropna(subset=[value])
    stats = frame.groupby(code)[value].agg(["size", "mean", "median", "min", "max"])
    out = pd.DataFrame({"code": groups.index.astype(int), "name": groups.to_numpy(),
                        "units": units.reindex(groups.index).to_numpy()}).set_index("code")
    out = out.join(stats.rename(columns={"size": "n"}))
    out["n"] = out["n"].fillna(0).astype(int)
    out["rank"] = out["mean"].rank(ascending=False, method="min").astype("Int64")
    if weight:
        w = pd.to_numeric(frame[weight], errors="coerce")
        ok = w.notna() & (w > 0)
        weighted = frame[ok].assign(_w=w[ok], _wx=w[ok] * frame.loc[ok, value]).groupby(code)
        out["weighted_mean"] = weighted["_wx"].sum() / weighted["_w"].sum()
        out["n_weighted"] = weighted.size().reindex(out.index).fillna(0).astype(int)
        out["weight_missing"] = out["n"] - out["n_weighted"]
        out["rank_weighted"] = out["weighted_mean"].rank(ascending=False, method="min").astype("Int64")
    else:
        out["weighted_mean"], out["n_weighted"] = np.nan, 0
        out["weight_missing"], out["rank_weighted"] = 0, pd.array([pd.NA] * len(out), dtype="Int64")
    out = out.reset_index()
    return out.sort_values(["rank", "code"], na_position="last", ignore_index=True)[COLUMNS]


def _plain(v):
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if pd.isna(v):
        return None
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    return float(v) if isinstance(v, (np.floating, float)) else v


def to_records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows (NaN / NA → None, numbers as Python numbers, lists kept)."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
