"""The index engine: indicator scores (0–100) → second level → pillars → overall, then ranks and tiers.

Weight rule — how the printed weights (附录01, ``indicators.csv``) become the weights used:

1. A child with no printed weight is left out: 服务效能's third child is neither named nor weighted
   (its 40% is only inferred), so no one can score it.
2. Within every sibling group the weights are divided by their sum, so each group adds up to 1:
   政务信息化's eight printed 13% (sum 104%) become 12.5% each; 服务效能's two named 30% become 50%
   each. Every other group already sums to 100% and is unchanged.
3. Edited weights go through step 2 too (sliders need not add up to 100).

A parent is computed from its children wherever the table has any of them. Missing children, per
``missing``: ``report`` (default) leaves the parent empty and lists the gap; ``zero`` counts them as
0; ``renormalise`` averages the children present over their weights.

A parent value the user supplied is replaced by the computed one only for a city whose children are
ALL present, each one supplied or itself computed from complete children (so nothing imputed goes
into it); the largest difference is then reported. Everywhere else the supplied value is kept,
whatever ``missing`` says, and the gap table (effect ``kept``) and a note say so: a file with
总分 and 数字经济 only keeps its 总分. ``missing`` applies to parents the user did not supply (or left
blank for that city).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from dei_geo.analysis import defaults
from dei_geo.core import columns
from dei_geo.sources import datasets

MISSING = defaults.MISSING_RULES
ROOT = columns.SCORE


def _tree() -> pd.DataFrame:
    t = columns.tree()
    return t[t["weight_printed"].notna()].reset_index(drop=True)


@lru_cache(maxsize=1)
def _children() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for row in _tree().itertuples():
        out.setdefault(row.parent if isinstance(row.parent, str) else ROOT, []).append(row.id)
    return {k: tuple(v) for k, v in out.items()}


def _order() -> list[str]:
    """Parents bottom-up: second level, pillars, then the overall score."""
    t = _tree()
    return [*t.loc[t["level"] == 2, "id"], *t.loc[t["level"] == 1, "id"], ROOT]


def normalise(weights: dict[str, float]) -> dict[str, float]:
    """Divide each sibling group by its sum (step 2 of the weight rule); unknown ids are an error."""
    known = {k for kids in _children().values() for k in kids}
    unknown = set(weights) - known
    if unknown:
        raise ValueError(f"unknown indicator ids in weights: {sorted(unknown)}")
    if any(not (w >= 0) for w in weights.values()):
        raise ValueError("weights must be non-negative numbers")
    out = {}
    for kids in _children().values():
        total = sum(weights.get(k, 0.0) for k in kids)
        if total <= 0:
            raise ValueError(f"the weights of {', '.join(kids)} add up to 0")
        out.update({k: weights.get(k, 0.0) / total for k in kids})
    return out


def printed_weights() -> dict[str, float]:
    """The weights as printed (fractions), the unnamed child left out (step 1)."""
    t = _tree()
    return dict(zip(t["id"], t["weight_printed"].astype(float)))


def published_weights() -> dict[str, float]:
    """The printed weights after the weight rule: every sibling group sums to 1."""
    return normalise(printed_weights())


def weight_table(weights: dict[str, float] | None = None, lang: str = "zh") -> pd.DataFrame:
    """Every indicator with its printed weight, the weight used, and whether the rule changed it."""
    used = normalise({**printed_weights(), **(weights or {})})
    t = columns.tree()
    out = pd.DataFrame({
        "id": t["id"], "level": t["level"], "parent": t["parent"].fillna(""),
        "name": [columns.label(i, lang) if i != columns.UNNAMED else n
                 for i, n in zip(t["id"], t["name_zh"])],
        "printed": t["weight_printed"], "used": t["id"].map(used),
    })
    out["changed"] = ~((out["printed"] - out["used"]).abs() < 1e-9)
    return out


@dataclass(frozen=True)
class Result:
    """Computed values (one row per adcode), per-city gaps and table-level notes."""

    values: pd.DataFrame
    gaps: pd.DataFrame  # adcode, node, missing (child ids, "|"-joined), effect
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (code, params): wording.index


def compute(table: pd.DataFrame, weights: dict[str, float] | None = None,
            missing: str = "report") -> Result:
    """Aggregate a validated table (``adcode`` plus metric columns) up the tree; see module doc."""
    if missing not in MISSING:
        raise ValueError(f"missing must be one of {', '.join(MISSING)}")
    w = normalise({**printed_weights(), **(weights or {})})
    if table["adcode"].duplicated().any():
        raise ValueError("one row per city is needed (a table with several years: pick one first)")
    base = table.set_index("adcode")
    # an all-blank column (e.g. an unfilled template column) counts as absent
    have = {m: base[m].astype(float) for m in columns.metrics() if m in base and base[m].notna().any()}
    supplied = set(have)
    # per city: the value is real data (supplied, or computed from complete children only)
    complete = {m: v.notna() for m, v in have.items()}
    blank = pd.Series(False, index=base.index)
    computed: set[str] = set()
    gaps, notes = [], []
    for node in _order():
        kids = _children()[node]
        if not any(k in have for k in kids):
            continue
        absent = [k for k in kids if k not in have]
        x = pd.DataFrame({k: have.get(k, pd.Series(float("nan"), index=base.index)) for k in kids})
        weight = pd.Series([w[k] for k in kids], index=kids)
        value = _aggregate(x, weight, missing)
        full = pd.concat([complete.get(k, blank) for k in kids], axis=1).all(axis=1)
        kept = pd.Series(False, index=base.index)
        if node in supplied:
            given = have[node]
            kept = given.notna() & ~full
            redone = given.notna() & full
            if redone.any():
                diff = (value[redone] - given[redone]).abs().max()
                notes.append(("note_replaced", {"node": node, "diff": float(diff),
                                                "n": int(redone.sum())}))
            if kept.any():
                notes.append(("note_kept", {"node": node, "n": int(kept.sum())}))
            value = value.where(full | given.isna(), given)
            complete[node] = given.notna() | full
        else:
            complete[node] = full & value.notna()
        if absent:  # "kept" when no city gets the missing rule for this branch
            notes.append(("note_absent", {"node": node, "children": "|".join(absent),
                                          "effect": "kept" if kept[~full].all() else missing}))
        gaps += _gaps(node, x, absent, computed, missing, kept)
        have[node] = value
        computed.add(node)
    values = pd.DataFrame({m: have[m] for m in columns.metrics() if m in have}).reset_index()
    gap_frame = pd.DataFrame(gaps, columns=["adcode", "node", "missing", "effect"])
    return Result(values=values, gaps=gap_frame, notes=notes)


def _aggregate(x: pd.DataFrame, weight: pd.Series, missing: str) -> pd.Series:
    if missing == "zero":
        return (x.fillna(0.0) * weight).sum(axis=1)
    if missing == "renormalise":
        present = (x.notna() * weight).sum(axis=1)
        return ((x.fillna(0.0) * weight).sum(axis=1) / present).where(present > 0)
    return (x * weight).sum(axis=1, skipna=False)


def _gaps(node, x, absent, computed, missing, kept) -> list[tuple]:
    """Cities with a missing child that is an input (computed children report their own gaps);
    effect ``kept`` where the city's supplied value of ``node`` was kept."""
    cause = [k for k in x.columns if k not in computed and k not in absent]
    if not cause:
        return []
    blank = x[cause].isna()
    effect = {"report": "not_computed", "zero": "as_zero", "renormalise": "renormalised"}[missing]
    return [(adcode, node, "|".join(b.index[b]), "kept" if kept[adcode] else effect)
            for adcode, b in blank[blank.any(axis=1)].iterrows()]


def score_dataset(table: pd.DataFrame, label: str, weights: dict[str, float] | None = None,
                  missing: str = "report", meta: dict | None = None) -> tuple[datasets.Dataset, Result]:
    """``compute`` then ``datasets.from_table``: a Dataset with ranks and tiers of the computed scores."""
    result = compute(table, weights, missing)
    extra = [c for c in ("city", "year") if c in table]
    values = result.values.merge(table[["adcode", *extra]], on="adcode")
    ds = datasets.from_table(values, label, meta=meta)
    return ds, result


def scored_frame(ds: datasets.Dataset, lang: str = "zh") -> pd.DataFrame:
    """What ``dei-geo score`` writes: adcode, city, [year], score, rank, tier name, then every
    pillar/indicator in tree order. Metric headers are ids, so the file loads again as is."""
    s = ds.scores
    tiers = dict(zip(ds.tiers["tier"], ds.tiers["name_zh" if lang == "zh" else "name_en"]))
    out = s[["adcode", "city", *(["year"] if "year" in s else []), "score", "rank"]].copy()
    out["tier"] = s["tier"].map(tiers).astype(object)
    metrics = [m for m in columns.metrics() if m in s and m != columns.SCORE]
    derived = [d for d in columns.DERIVED if d in s]
    out = pd.concat([out, s[metrics + derived].round(4)], axis=1)
    out["score"] = out["score"].round(4)
    return out.sort_values(["rank", "adcode"], na_position="last").reset_index(drop=True)


def scored_csv(ds: datasets.Dataset, lang: str = "zh") -> bytes:
    """``scored_frame`` as CSV bytes via ``table_export.to_csv``: UTF-8 with BOM, text cells that a
    spreadsheet would run as a formula (a city or file name starting with ``=`` …) neutralised."""
    from dei_geo.core.tabular import to_csv

    return to_csv(scored_frame(ds, lang))

