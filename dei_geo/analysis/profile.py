"""The city card: what the app, the CLI and the comparison show about one unit, as plain data.

``city_profile`` returns a JSON-ready dict (no NaN: missing values are ``None``) for any of the
370 units, scored, unscored (阿里, 台湾) or conflicting (亳州); ``lang`` picks the data labels
(tier, pillar and flag texts from ``data/``). ``wording.profile`` says it for people.

Geometry choices, stated in the card itself:
- neighbours are *queen* contiguous (share at least one boundary point) on the web-LOD polygons,
  which form a valid coverage, so shared borders are exact;
- distances are straight lines between the units' anchor points — the seat (政府驻地) where the
  geodata build had one, else a point inside the unit; never a centroid, which can fall outside
  (三沙's lies in open sea) — measured on the WGS84 ellipsoid (geodesic), in km.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, TypedDict

import numpy as np
import pandas as pd
import shapely

from dei_geo.analysis import national
from dei_geo.core import places
from dei_geo.sources import boundaries
from dei_geo.sources.datasets import Dataset

ALBERS_CHINA = boundaries.ALBERS_CHINA
TOP_TIER = "t1"
Status = Literal["scored", "unscored", "conflict"]
NEIGHBOUR_METHOD = "queen_web"  # shared boundary point on the web-LOD polygons
DISTANCE_METHOD = "seat_geodesic"  # geodesic between seats (or inside points), WGS84 ellipsoid


class Unit(TypedDict):
    """A unit named on the card (a neighbour, the nearest 一线 city)."""

    adcode: int
    short_name: str
    status: Status
    score: float | None


class Tier(TypedDict):
    id: str
    name: str
    portrait_word: str
    portrait: str
    lower: float | None
    upper: float | None


class Pillar(TypedDict):
    pillar: str
    name: str
    weight: float
    published: bool
    score: float | None
    rank: int | None
    national_mean: float | None
    page: int


class CityCard(TypedDict):
    """What ``city_profile`` returns: JSON-ready, ``None`` where a value is missing."""

    adcode: int
    name: str
    short_name: str
    pinyin: str
    province: str
    province_adcode: int
    kind: str
    status: Status
    score: float | None
    rank: int | None
    rank_total: int
    tier: Tier | None
    next_tier_up: dict | None  # id, name, lower, gap
    above_tier_floor: float | None
    percentile: dict  # national, national_n, province, province_n
    context: dict  # province_mean, province_scored, national_mean, national_scored, national_basis,
    # national_reported (the report's stated means: value, page)
    printed_rows: list[dict]  # rank, score, page (a conflicting unit's printed rows)
    pillars: list[Pillar]
    neighbours: dict  # method (code), cities (list of Unit), n_scored, mean
    nearest_top_tier: dict | None  # a Unit plus distance_km and method (code)
    flags: list[dict]  # id, text, page
    source: str


# --- geometry (computed once per process) --------------------------------------------------
@lru_cache(maxsize=1)
def _geometry() -> tuple[dict[int, tuple[int, ...]], dict[int, tuple[float, float]]]:
    """Queen neighbours and anchor points (seats, lon/lat) of every web-LOD unit."""
    units = boundaries.layer("cities", "web")
    codes = units["adcode"].astype(int).to_numpy()
    geoms = units.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left != right
    neighbours: dict[int, list[int]] = {int(c): [] for c in codes}
    for i, j in zip(left[pairs], right[pairs]):
        neighbours[int(codes[i])].append(int(codes[j]))
    points = boundaries.anchors("cities").loc[codes]
    return (
        {c: tuple(sorted(n)) for c, n in neighbours.items()},
        {int(c): (p.x, p.y) for c, p in zip(codes, points)},
    )


def neighbours(adcode: int) -> tuple[int, ...]:
    """Adcodes of the units sharing at least one boundary point with ``adcode`` (queen, web LOD)."""
    return _geometry()[0].get(int(adcode), ())


def distance_km(a: int, b: int) -> float:
    """Seat-to-seat (anchor-to-anchor) geodesic distance in km (WGS84 ellipsoid)."""
    from pyproj import Geod

    points = _geometry()[1]
    (xa, ya), (xb, yb) = points[int(a)], points[int(b)]
    return float(Geod(ellps="WGS84").inv(xa, ya, xb, yb)[2] / 1000)


# --- score context (computed once per dataset) ---------------------------------------------
@lru_cache(maxsize=4)
def _scored(ds: Dataset) -> pd.DataFrame:
    """The cities with one score (status ok), with their province."""
    info = places.load_places()[["adcode", "province_adcode"]]
    ok = ds.scores[ds.scores["status"].eq("ok") & ds.scores["score"].notna()]
    return ok.merge(info, on="adcode", how="left")


def _num(x, digits: int = 1) -> float | None:
    return None if x is None or pd.isna(x) else round(float(x), digits)


def percentile(score: float, others) -> float | None:
    """Share (%) of ``others`` scoring below ``score``, ties counting half; None if no others."""
    others = np.asarray(others, dtype=float)
    if pd.isna(score) or len(others) == 0:
        return None
    below = (others < score).sum() + 0.5 * (others == score).sum()
    return round(100 * float(below) / len(others), 1)


def _tier(ds: Dataset, tier_id, lang: str) -> Tier | None:
    if not isinstance(tier_id, str):
        return None
    row = ds.tiers.set_index("tier").loc[tier_id]
    portrait = row["portrait_zh" if lang == "zh" else "portrait_en"]
    word = portrait.split("，" if lang == "zh" else ":")[0].strip()
    return {
        "id": tier_id,
        "name": row["name_zh" if lang == "zh" else "name_en"],
        "portrait_word": word,
        "portrait": portrait,
        "lower": _num(row["lower"]),
        "upper": _num(row["upper"]),
    }


def _next_tier_up(ds: Dataset, tier: dict, score: float, lang: str) -> dict | None:
    order = list(ds.tiers["tier"])  # 一线 first
    i = order.index(tier["id"])
    if i == 0:
        return None
    up = _tier(ds, order[i - 1], lang)
    return {"id": up["id"], "name": up["name"], "lower": up["lower"],
            "gap": _num(up["lower"] - score)}


def _pillars(ds: Dataset, adcode: int, lang: str) -> list[Pillar]:
    published = ds.pillar_cities[ds.pillar_cities["adcode"].eq(adcode)].set_index("pillar")
    rows = []
    for p in ds.pillars.itertuples():
        got = published.loc[p.pillar] if p.pillar in published.index else None
        rows.append({
            "pillar": p.pillar,
            "name": p.name_zh if lang == "zh" else p.name_en,
            "weight": float(p.weight),
            "published": got is not None,
            "score": None if got is None else _num(got["score"]),
            "rank": None if got is None else int(got["pillar_rank"]),
            "national_mean": _num(p.mean),
            "page": int(p.page if got is None else got["page"]),
        })
    return rows


def _unit(ds: Dataset, adcode: int) -> Unit:
    row = ds.scores[ds.scores["adcode"].eq(adcode)]
    status = "unscored" if row.empty else ("scored" if row["status"].iat[0] == "ok" else "conflict")
    return {
        "adcode": adcode,
        "short_name": places.display_name(adcode),
        "status": status,
        "score": None if row.empty else _num(row["score"].iat[0]),
    }


def _neighbours(ds: Dataset, adcode: int) -> dict:
    units = sorted((_unit(ds, n) for n in neighbours(adcode)),
                   key=lambda u: (u["score"] is None, -(u["score"] or 0), u["adcode"]))
    scores = [u["score"] for u in units if u["status"] == "scored"]
    return {
        "method": NEIGHBOUR_METHOD,
        "cities": units,
        "n_scored": len(scores),
        "mean": _num(np.mean(scores)) if scores else None,
    }


def _nearest_top_tier(ds: Dataset, adcode: int) -> dict | None:
    top = ds.scores[ds.scores["tier"].eq(TOP_TIER) & ds.scores["status"].eq("ok")]
    others = [int(a) for a in top["adcode"] if int(a) != adcode]
    if not others:
        return None
    best = min(others, key=lambda a: distance_km(adcode, a))
    return {**_unit(ds, best), "distance_km": round(distance_km(adcode, best), 1),
            "method": DISTANCE_METHOD}


def _percentiles(scored: pd.DataFrame, adcode: int, province: int, score) -> dict:
    others = scored[scored["adcode"].ne(adcode)]
    province_others = others.loc[others["province_adcode"].eq(province), "score"]
    return {
        "national": None if score is None else percentile(score, others["score"]),
        "national_n": len(others),
        "province": None if score is None else percentile(score, province_others),
        "province_n": len(province_others),
    }


def _context(ds: Dataset, scored: pd.DataFrame, province: int) -> dict:
    """Means behind the card's chart: the scored cities of the province, and the national figure
    of ``analysis.national`` (basis ``units``) with the report's own stated means beside it."""
    in_province = scored.loc[scored["province_adcode"].eq(province), "score"]
    figs = national.figures(ds)
    reported = figs.get(national.REPORTED)
    return {
        "province_mean": _num(in_province.mean()) if len(in_province) else None,
        "province_scored": len(in_province),
        "national_mean": _num(figs[national.UNITS].mean),
        "national_scored": figs[national.UNITS].n,
        "national_basis": national.UNITS,
        "national_reported": [] if reported is None else
        [{"value": v, "page": p} for v, p in reported.means],
    }


def _printed_rows(ds: Dataset, adcode: int) -> list[dict]:
    rows = ds.printed.loc[ds.printed["adcode"].eq(adcode), ["rank", "score", "page"]]
    return [{"rank": int(r), "score": _num(s), "page": int(p)}
            for r, s, p in rows.itertuples(index=False)]


def _flags(ds: Dataset, adcode: int, lang: str) -> list[dict]:
    notes = ds.notes[ds.notes["adcode"].eq(adcode).fillna(False)]
    return [{"id": n.id, "text": n.text_zh if lang == "zh" else n.text_en,
             "page": str(n.page).replace("|", ", ")} for n in notes.itertuples()]


def city_profile(ds: Dataset, adcode: int, lang: str = "zh") -> CityCard:
    """Everything the city card shows about ``adcode``; raises ``places.UnknownPlace`` if unknown.

    ``status`` is ``scored``, ``unscored`` (not evaluated) or ``conflict`` (printed more than
    once: no single score, the printed rows in ``printed_rows``). Percentiles are the share of
    the *other* scored cities (nationally / in the province) scoring lower, ties counting half.
    """
    adcode = int(adcode)
    info = places.load_places().set_index("adcode")
    if adcode not in info.index:
        raise places.UnknownPlace(adcode, [])
    place = info.loc[adcode]
    province = int(place["province_adcode"])
    row = ds.scores[ds.scores["adcode"].eq(adcode)]
    unit = _unit(ds, adcode)
    score = unit["score"]
    tier = None if row.empty else _tier(ds, row["tier"].iat[0], lang)
    rank = None if row.empty or pd.isna(row["rank"].iat[0]) else int(row["rank"].iat[0])
    has_gap = tier is not None and score is not None
    return {
        "adcode": adcode,
        "name": place["name"],
        "short_name": place["short_name"],
        "pinyin": place["pinyin"],
        "province": place["province"],
        "province_adcode": province,
        "kind": place["kind"],
        "status": unit["status"],
        "score": score,
        "rank": rank,
        "rank_total": int(ds.meta.get("evaluated_cities", len(ds.scores))),
        "tier": tier,
        "next_tier_up": _next_tier_up(ds, tier, score, lang) if has_gap else None,
        "above_tier_floor": _num(score - tier["lower"]) if has_gap and tier["lower"] > 0 else None,
        "percentile": _percentiles(_scored(ds), adcode, province, score),
        "context": _context(ds, _scored(ds), province),
        "printed_rows": _printed_rows(ds, adcode) if unit["status"] == "conflict" else [],
        "pillars": _pillars(ds, adcode, lang),
        "neighbours": _neighbours(ds, adcode),
        "nearest_top_tier": _nearest_top_tier(ds, adcode),
        "flags": _flags(ds, adcode, lang),
        "source": ds.meta.get("source_note" if lang == "zh" else "source_note_en", ds.label),
    }
