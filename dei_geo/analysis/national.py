"""The national figures — mean, tier counts, cities counted — each computed here once, on a basis.

The 2023 report's own numbers disagree with each other and with its table, so a national figure
is only meaningful with its basis (a code; ``wording.national`` says it in words):

* ``units`` — the map's units with one score: what the map, the city card, the region table and
  the spillover statistics count. A unit printed twice with two scores (亳州) has no single score:
  it is counted in ``conflicts``, in no tier and in no mean. 2023: 254 units, mean 55.37,
  tiers 6/56/84/96/12, one conflict.
* ``printed`` — every row the source prints (亳州 twice, rank 166 absent): 256 rows, mean 55.29,
  tiers 6/56/84/98/12.
* ``reported`` — what the source states: 257 evaluated, tiers 6/56/84/99/12 with its tier means,
  and its overall mean, given twice (55.2 on p.14, 55.3 on p.8). Only for a dataset that carries
  the report's statements (``meta["evaluated_cities"]``); a user's table has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from dei_geo.sources.datasets import Dataset

UNITS, PRINTED, REPORTED = "units", "printed", "reported"
BASES = (UNITS, PRINTED, REPORTED)


@dataclass(frozen=True)
class Figures:
    """The national figures on one basis. ``mean`` is None where the basis has no score;
    ``means`` lists every stated (value, page) of the reported mean (the report states two)."""

    basis: str
    n: int  # cities (units, rows) counted in the mean
    mean: float | None
    tiers: dict[str, int]  # tier id → count, in 一线 → 四线 order
    tier_means: dict[str, float | None]
    conflicts: int = 0  # units with no single score (units basis)
    listed: int | None = None  # units listed in the data, conflicts included (units basis)
    means: tuple[tuple[float, int | None], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        """JSON-safe (no NaN), scores to one decimal."""
        return {"basis": self.basis, "n": self.n, "mean": _one(self.mean), "tiers": dict(self.tiers),
                "tier_means": {k: _one(v) for k, v in self.tier_means.items()},
                "conflicts": self.conflicts,
                "listed": self.listed, "means": [{"value": v, "page": p} for v, p in self.means]}


def _one(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _counted(scores: pd.Series, tier: pd.Series, ids: list[str], basis: str, **extra) -> Figures:
    frame = pd.DataFrame({"score": scores.astype(float).to_numpy(), "tier": tier.astype(object).to_numpy()})
    frame = frame[frame["score"].notna()]
    counts = frame["tier"].value_counts()
    means = frame.groupby("tier")["score"].mean()
    return Figures(basis, len(frame), _num(frame["score"].mean()) if len(frame) else None,
                   {t: int(counts.get(t, 0)) for t in ids},
                   {t: _num(means.get(t)) for t in ids}, **extra)


@lru_cache(maxsize=8)
def figures(ds: Dataset) -> dict[str, Figures]:
    """The national figures of ``ds`` by basis (``units``, ``printed`` and, where the dataset
    carries the source's statements, ``reported``)."""
    ids = list(ds.tiers["tier"])
    s = ds.scores
    one = s["status"].eq("ok")
    out = {UNITS: _counted(s.loc[one, "score"], s.loc[one, "tier"], ids, UNITS,
                           conflicts=int((~one).sum()), listed=len(s))}
    printed = ds.printed if len(ds.printed) else s
    out[PRINTED] = _counted(printed["score"], printed["tier"], ids, PRINTED)
    if "evaluated_cities" in ds.meta:
        stated = tuple((float(m["value"]), m.get("page")) for m in ds.meta.get("overall_mean", []))
        t = ds.tiers.set_index("tier")
        out[REPORTED] = Figures(
            REPORTED, int(ds.meta["evaluated_cities"]), stated[0][0] if stated else None,
            {i: int(t.at[i, "count_reported"]) for i in ids},
            {i: _num(t.at[i, "mean_reported"]) for i in ids}, means=stated)
    return out


def units(ds: Dataset) -> Figures:
    """The ``units`` figures: what the map, the card and the region table count."""
    return figures(ds)[UNITS]

