"""Datasets keyed by adcode; the bundled one is DEI 2023 as transcribed in ``data/dei_2023``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import paths
from .tiers import classify, load_tiers

SCORE_COLUMNS = ["adcode", "city", "rank", "score", "tier", "status", "note"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """City scores, one row per ``adcode``, plus whatever context the source publishes.

    ``scores`` has SCORE_COLUMNS; ``status`` is 'ok' or 'conflict' (source contradicts itself:
    score and rank NaN, the reason in ``note``). ``printed`` keeps the rows exactly as published.
    """

    label: str
    scores: pd.DataFrame
    tiers: pd.DataFrame
    printed: pd.DataFrame = field(default_factory=pd.DataFrame)
    pillars: pd.DataFrame = field(default_factory=pd.DataFrame)
    pillar_cities: pd.DataFrame = field(default_factory=pd.DataFrame)
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    clusters: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(SCORE_COLUMNS) - set(self.scores.columns)
        if missing:
            raise ValueError(f"{self.label}: scores lack columns {sorted(missing)}")
        if self.scores["adcode"].duplicated().any():
            raise ValueError(f"{self.label}: scores must have one row per adcode")


def one_row_per_city(printed: pd.DataFrame) -> pd.DataFrame:
    """Collapse printed rows to one per adcode; a city printed more than once becomes a conflict.

    A conflict keeps a tier only when every printed score falls in the same tier.
    """
    rows = []
    for adcode, group in printed.groupby("adcode", sort=False):
        first = group.iloc[0]
        if len(group) == 1:
            rows.append({**first[["adcode", "city", "rank", "score"]], "tier": first["tier"],
                         "status": "ok", "note": first["note"]})
            continue
        tiers = group["tier"].unique()
        listed = "; ".join(f"rank {r}: {s}" for r, s in zip(group["rank"], group["score"]))
        rows.append({"adcode": adcode, "city": first["city"], "rank": pd.NA, "score": float("nan"),
                     "tier": tiers[0] if len(tiers) == 1 else pd.NA, "status": "conflict",
                     "note": f"{first['city']} is printed {len(group)} times ({listed}); no single score"})
    out = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    out["rank"] = out["rank"].astype("Int64")
    out["score"] = out["score"].astype(float)
    out["tier"] = pd.Categorical(out["tier"], categories=printed["tier"].cat.categories)
    return out


def _csv(folder: Path, name: str, **kw) -> pd.DataFrame:
    return pd.read_csv(folder / name, keep_default_na=False, na_values=[""], **kw)


def load_dei_2023(folder: Path = paths.DEI_2023) -> Dataset:
    """DEI 2023: the 256 printed rows, 255 scored cities and the report's context tables."""
    printed = _csv(folder, "overall_scores.csv", dtype={"note": str}).fillna({"note": ""})
    tiers = load_tiers(folder / "tiers.csv")
    printed["tier"] = classify(printed["score"], tiers)
    with open(folder / "source.toml", "rb") as f:
        meta = tomllib.load(f)
    return Dataset(
        label="DEI 2023",
        scores=one_row_per_city(printed),
        tiers=tiers,
        printed=printed,
        pillars=_csv(folder, "pillars.csv"),
        pillar_cities=_csv(folder, "pillar_cities.csv"),
        indicators=_csv(folder, "indicators.csv"),
        clusters=_csv(folder, "clusters.csv"),
        notes=_csv(folder, "quality_notes.csv", dtype={"adcode": "Int64"}),
        meta=meta,
    )


def tier_summary(ds: Dataset) -> pd.DataFrame:
    """Per tier: count and mean of the printed rows beside the counts and means the source reports."""
    got = ds.printed.groupby("tier", observed=False)["score"].agg(count="size", mean="mean")
    cols = ["tier", "name_zh", "count", "count_reported", "mean", "mean_reported"]
    return ds.tiers.join(got, on="tier")[cols]
