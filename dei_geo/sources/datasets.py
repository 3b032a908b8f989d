"""Datasets keyed by adcode; the bundled one is DEI 2023 as transcribed in ``data/dei_2023``."""

from __future__ import annotations

import tomllib
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dei_geo.core import columns, paths, places
from dei_geo.core.tiers import classify, load_tiers

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
    first = ~printed["adcode"].duplicated(keep="first")
    repeated = printed["adcode"].duplicated(keep=False)
    singles = printed.loc[~repeated, ["adcode", "city", "rank", "score", "tier", "note"]].assign(status="ok")
    rows = []
    for adcode, group in printed[repeated].groupby("adcode", sort=False):
        head = group.iloc[0]
        tiers = group["tier"].unique()
        listed = "; ".join(f"rank {r}: {s}" for r, s in zip(group["rank"], group["score"]))
        rows.append({"adcode": adcode, "city": head["city"], "rank": pd.NA, "score": float("nan"),
                     "tier": tiers[0] if len(tiers) == 1 else pd.NA, "status": "conflict",
                     "note": f"{head['city']} is printed {len(group)} times ({listed}); no single score"})
    conflicts = pd.DataFrame(rows, columns=SCORE_COLUMNS, index=printed.index[first & repeated])
    order = printed.index[first]  # first appearance, as the printed table lists them
    rows = pd.concat([singles.astype({"tier": object}), conflicts.astype({"tier": object})]).loc[order]
    out = rows[list(SCORE_COLUMNS)].reset_index(drop=True)
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
    pillar_cities = _csv(folder, "pillar_cities.csv")
    return Dataset(
        label="DEI 2023",
        scores=with_pillars(one_row_per_city(printed), pillar_cities),
        tiers=tiers,
        printed=printed,
        pillars=_csv(folder, "pillars.csv"),
        pillar_cities=pillar_cities,
        indicators=_csv(folder, "indicators.csv"),
        clusters=_csv(folder, "clusters.csv"),
        notes=_csv(folder, "quality_notes.csv", dtype={"adcode": "Int64"}),
        meta={**meta, "missing_metric": "unpublished"},
    )


# --- pillar columns and user tables (issue 4) ---
def with_pillars(scores: pd.DataFrame, pillar_cities: pd.DataFrame) -> pd.DataFrame:
    """Add each pillar's published score and pillar rank as columns ``{pillar}``, ``{pillar}_rank``.

    The report publishes them for 25 (city, pillar) pairs only; every other cell stays NaN.
    """
    out = scores.copy()
    for pillar in columns.pillars():
        rows = pillar_cities[pillar_cities["pillar"] == pillar].set_index("adcode")
        out[pillar] = out["adcode"].map(rows["score"]).astype(float)
        out[f"{pillar}_rank"] = out["adcode"].map(rows["pillar_rank"]).astype("Int64")
    return out


def from_table(table: pd.DataFrame, label: str, tiers: pd.DataFrame | None = None,
               meta: dict | None = None) -> Dataset:
    """A Dataset from a validated or computed table: ``adcode`` plus metric columns, one row per city.

    ``rank`` (1 = highest; ties share the best rank) and ``tier`` follow ``score``; each pillar
    column gets ``{pillar}_rank``. A table spanning several years must be filtered to one first.
    """
    tiers = load_tiers() if tiers is None else tiers
    scores = table.drop(columns=["row"], errors="ignore").reset_index(drop=True)
    if "year" in scores and scores["year"].nunique() > 1:
        raise ValueError(f"{label}: the table has several years; choose one")
    if "city" not in scores:
        scores["city"] = [places.display_name(a) for a in scores["adcode"]]
    if "score" not in scores:
        scores["score"] = float("nan")
    ranked = {"rank": "score", **{f"{p}_rank": p for p in columns.pillars() if p in scores}}
    for rank, metric in ranked.items():
        scores[rank] = scores[metric].rank(ascending=False, method="min").astype("Int64")
    scores["tier"] = classify(scores["score"], tiers)
    scores["status"], scores["note"] = "ok", ""
    printed = scores[["rank", "city", "score", "adcode", "tier", "note"]].sort_values("rank")
    return Dataset(label=label, scores=scores, tiers=tiers, printed=printed.reset_index(drop=True),
                   meta={"missing_metric": "missing", **(meta or {})})


_FINGERPRINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # dataset → its fingerprint


def fingerprint(ds: Dataset) -> str:
    """A hash of the dataset's numbers (the same scores give the same fingerprint).

    Computed once per dataset object (datasets are not changed after they are built): the app
    asks for it on every run, and hashing the scores cost more than the rest of a warm run."""
    if ds not in _FINGERPRINTS:
        values = pd.util.hash_pandas_object(ds.scores.select_dtypes("number"), index=True)
        _FINGERPRINTS[ds] = f"{int(values.sum()) & (2**64 - 1):016x}"
    return _FINGERPRINTS[ds]
