"""The comparison table with its columns named in zh/en."""

from __future__ import annotations

import pandas as pd

from dei_geo.analysis.profile import CityCard
from dei_geo.core.i18n import t

STATUS = {"scored": "status_scored", "unscored": "status_unscored", "conflict": "status_conflict"}
TEXT_COLUMNS = ("col_city", "col_official_name", "col_province", "col_status", "col_tier",
                "col_portrait", "col_nearest")


def table(cards: list[CityCard], lang: str = "zh") -> pd.DataFrame:
    """One row per city card, columns named in ``lang``; missing values are empty (NaN/None)."""
    rows = []
    for c in cards:
        near = c["nearest_top_tier"] or {}
        row = {
            t("col_city", lang): c["short_name"],
            t("col_official_name", lang): c["name"],
            t("col_province", lang): c["province"],
            t("col_status", lang): t(STATUS[c["status"]], lang),
            t("col_score", lang): c["score"],
            t("col_rank", lang): c["rank"],
            t("col_tier", lang): c["tier"]["name"] if c["tier"] else None,
            t("col_portrait", lang): c["tier"]["portrait_word"] if c["tier"] else None,
            t("profile_pct_national", lang): c["percentile"]["national"],
            t("profile_pct_province", lang): c["percentile"]["province"],
        }
        row.update({p["name"]: p["score"] for p in c["pillars"]})
        row.update({
            t("col_neighbour_mean", lang): c["neighbours"]["mean"],
            t("col_nearest", lang): near.get("short_name"),
            t("col_distance", lang): near.get("distance_km"),
        })
        rows.append(row)
    out = pd.DataFrame(rows)
    text = [t(k, lang) for k in TEXT_COLUMNS]
    for col in out.columns.difference(text):
        out[col] = pd.to_numeric(out[col])
    out[t("col_rank", lang)] = out[t("col_rank", lang)].astype("Int64")
    return out
