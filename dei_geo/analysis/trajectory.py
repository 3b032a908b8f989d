"""A city over the years of a multi-year table (issue 12): per year its values, the rank of each
metric among that year's cities and the tier of its overall score; and its biggest year-on-year
moves. Numbers and codes only (``wording.trajectory`` says them)."""

from __future__ import annotations

import pandas as pd

from dei_geo.core import columns
from dei_geo.core import tiers as tiers_mod

MOVE_REASONS = ("value", "rank")  # why a move is listed: among the largest changes, or the largest rank move


def table(panel: pd.DataFrame, adcode: int, metrics: list[str], tiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per year in which ``adcode`` has a row of ``panel`` (long: adcode, year, metrics),
    in year order: ``year``; per metric ``m`` its value, ``{m}_rank`` (among that year's cities with
    a value, 1 = highest, ties share the best rank; NA without a value) and ``{m}_n`` (how many
    were ranked that year); ``tier`` (tier id of ``score``, None without one)."""
    metrics = [m for m in metrics if m in panel]
    years = panel.groupby("year")
    out = panel.loc[panel["adcode"] == adcode, ["year", *metrics]].copy()
    for m in metrics:
        rank = years[m].rank(ascending=False, method="min")
        out[f"{m}_rank"] = rank.loc[out.index].astype("Int64")
        out[f"{m}_n"] = out["year"].map(years[m].count()).astype(int)
    if columns.SCORE in metrics:
        out["tier"] = tiers_mod.classify(out[columns.SCORE].astype(float), tiers).astype(object)
        out["tier"] = out["tier"].where(out["tier"].notna(), None)
    else:
        out["tier"] = None
    out["year"] = out["year"].astype(int)
    return out.sort_values("year").reset_index(drop=True)


def moves(traj: pd.DataFrame, metrics: list[str], n: int = 3) -> list[dict]:
    """The city's biggest year-on-year moves between consecutive rows of ``table`` (the city's own
    years: 2021→2023 over a year it lacks): the ``n`` largest changes of any metric in points (by
    |change|, then |rank change|), plus the largest rank move when it is not among them. Each:
    ``start``, ``end``, ``metric``, ``change`` (points), ``rank_change`` (positive = moved up;
    None without both ranks), ``tier_before`` / ``tier_after`` (overall score only, else None),
    ``reason`` (``MOVE_REASONS``). A metric that did not move at all is not listed."""
    found = []
    rows = traj.to_dict("records")
    for before, after in zip(rows, rows[1:]):
        for m in metrics:
            if m not in traj or pd.isna(before[m]) or pd.isna(after[m]):
                continue
            change = float(after[m]) - float(before[m])
            ranks = before[f"{m}_rank"], after[f"{m}_rank"]
            rank_change = None if pd.isna(ranks[0]) or pd.isna(ranks[1]) else int(ranks[0]) - int(ranks[1])
            if round(change, 1) == 0 and not rank_change:
                continue
            score = m == columns.SCORE
            found.append({"start": int(before["year"]), "end": int(after["year"]), "metric": m,
                          "change": round(change, 4), "rank_change": rank_change,
                          "tier_before": before["tier"] if score else None,
                          "tier_after": after["tier"] if score else None, "reason": "value"})
    by_value = sorted(found, key=lambda x: (-abs(x["change"]), -abs(x["rank_change"] or 0)))
    chosen = by_value[:n]
    ranked = [x for x in found if x["rank_change"]]
    if ranked:
        top = max(ranked, key=lambda x: (abs(x["rank_change"]), abs(x["change"])))
        if top not in chosen:
            chosen.append({**top, "reason": "rank"})
    return chosen
