"""What a brief says about one city, as facts gathered from ``dei_geo.analysis`` (no words).

The city card (``analysis.profile``) and its regions and spillover class (``analysis.spatial``)
plus what only a brief needs: the rank in the province, the peers (same tier, nearest scores)
and the tier's mean as the report publishes it. Pillar means per tier are not published (the
report gives the national pillar means only), so a brief has no tier mean for a pillar.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from dei_geo.analysis import profile, spatial
from dei_geo.analysis.profile import CityCard
from dei_geo.core import places
from dei_geo.sources.datasets import Dataset

PEERS = 4  # cities of the same tier with the nearest scores


@dataclass(frozen=True)
class Facts:
    """Everything a brief shows about one unit."""

    card: CityCard  # analysis.profile.city_profile
    spatial: dict  # analysis.spatial.city_card: regions, LISA / Gi* codes
    province_rank: int | None  # rank among the province's units with one score (None: unscored)
    province_n: int  # units with one score in the province
    peers: list[dict]  # profile.Unit of the nearest scores in the same tier, plus rank
    tier_mean: tuple[float, int] | None  # the report's mean of the city's tier (value, page)


@lru_cache(maxsize=4)
def _scored(ds: Dataset) -> pd.DataFrame:
    """Units with one score, with their province, best first (score, then rank, then adcode)."""
    info = places.load_places()[["adcode", "province_adcode"]]
    ok = ds.scores[ds.scores["status"].eq("ok") & ds.scores["score"].notna()]
    ok = ok.merge(info, on="adcode", how="left")
    return ok.sort_values(["score", "rank", "adcode"], ascending=[False, True, True])


def province_rank(ds: Dataset, adcode: int, province: int) -> tuple[int | None, int]:
    """(rank of ``adcode`` among the scored units of ``province``, how many there are); a tie
    shares the better rank; the rank is None for a unit without one score."""
    scored = _scored(ds)
    here = scored[scored["province_adcode"].eq(province)]
    row = here[here["adcode"].eq(adcode)]
    if row.empty:
        return None, len(here)
    return int((here["score"] > row["score"].iat[0]).sum()) + 1, len(here)


def peers(ds: Dataset, adcode: int, n: int = PEERS) -> list[dict]:
    """Up to ``n`` other units of the same tier with the scores nearest to ``adcode``'s, nearest
    first (ties: the better rank first); none for a unit without one score."""
    scored = _scored(ds)
    row = scored[scored["adcode"].eq(adcode)]
    if row.empty:
        return []
    score, tier = row["score"].iat[0], row["tier"].iat[0]
    same = scored[scored["tier"].eq(tier) & scored["adcode"].ne(adcode)].copy()
    same["distance"] = (same["score"] - score).abs().round(3)
    same = same.sort_values(["distance", "rank", "adcode"]).head(n)
    return [{"adcode": int(r.adcode), "short_name": places.display_name(int(r.adcode)),
             "score": round(float(r.score), 1), "rank": int(r.rank)} for r in same.itertuples()]


def _tier_mean(ds: Dataset, tier: dict | None) -> tuple[float, int] | None:
    if tier is None or "mean_reported" not in ds.tiers:
        return None
    row = ds.tiers.set_index("tier").loc[tier["id"]]
    if pd.isna(row["mean_reported"]):
        return None
    return float(row["mean_reported"]), int(row["mean_page"])


def gather(ds: Dataset, adcode: int, lang: str = "zh") -> Facts:
    """The facts of a brief on ``adcode`` (``places.UnknownPlace`` if there is no such unit)."""
    card = profile.city_profile(ds, adcode, lang)
    rank, n = province_rank(ds, card["adcode"], card["province_adcode"])
    return Facts(card=card, spatial=spatial.city_card(ds, card["adcode"]), province_rank=rank,
                 province_n=n, peers=peers(ds, card["adcode"]), tier_mean=_tier_mean(ds, card["tier"]))


def province_units(province: int) -> list[int]:
    """The adcodes of a province's units, in adcode order."""
    table = places.load_places()
    return sorted(int(a) for a in table.loc[table["province_adcode"].eq(province), "adcode"])
