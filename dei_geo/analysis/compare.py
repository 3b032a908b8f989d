"""Two to five cities side by side, from their cards; CSV that Excel on a Chinese Windows opens."""

from __future__ import annotations

import pandas as pd

from dei_geo.core import places
from dei_geo.sources.datasets import Dataset
from dei_geo.core.i18n import t
from dei_geo.analysis.profile import city_profile

MIN_CITIES, MAX_CITIES = 2, 5


def cards(ds: Dataset, adcodes, lang: str = "zh") -> list[dict]:
    """The city cards of ``adcodes``, in the order given.

    Raises ``ValueError`` for fewer than 2 or more than 5 cities or a city given twice, and
    ``places.UnknownPlace`` for an unknown adcode.
    """
    codes = [int(a) for a in adcodes]
    twice = sorted({a for a in codes if codes.count(a) > 1})
    if twice:
        raise ValueError(f"city given more than once: {', '.join(map(places.display_name, twice))}")
    if not MIN_CITIES <= len(codes) <= MAX_CITIES:
        raise ValueError(f"compare {MIN_CITIES}–{MAX_CITIES} cities, got {len(codes)}")
    return [city_profile(ds, a, lang) for a in codes]


def table(cards_: list[dict], lang: str = "zh") -> pd.DataFrame:
    """One row per city, columns named in ``lang``; missing values are empty (NaN/None)."""
    rows = []
    for c in cards_:
        near = c["nearest_top_tier"] or {}
        row = {
            t("col_city", lang): c["short_name"],
            t("col_official_name", lang): c["name"],
            t("col_province", lang): c["province"],
            t("col_status", lang): t(f"status_{c['status']}", lang),
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
    text = [t(k, lang) for k in ("col_city", "col_official_name", "col_province", "col_status",
                                  "col_tier", "col_portrait", "col_nearest")]
    for col in out.columns.difference(text):
        out[col] = pd.to_numeric(out[col])
    out[t("col_rank", lang)] = out[t("col_rank", lang)].astype("Int64")
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark (Excel detects the encoding) and CRLF."""
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
