"""The card of one county-level unit, as plain data (JSON-ready; ``None`` where a value is missing).

Parents (prefecture, province), kind, short name, pinyin, former names/adcodes (``data/counties.csv``),
the seat point and its source (``geodata/``), queen neighbours on the web-LOD county coverage, the
distance to the nearest 一线 city's seat (geodesic), and — with a county score table — the value,
its rank within the province and within the prefecture (1 = highest; ties share the lowest rank)
with n, and the province and prefecture means.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import shapely

from dei_geo.core import counties
from dei_geo.sources import boundaries


@lru_cache(maxsize=1)
def _neighbours() -> dict[int, tuple[int, ...]]:
    units = boundaries.layer("counties", "web")
    codes = units["adcode"].to_numpy()
    geoms = units.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    out: dict[int, set[int]] = {int(c): set() for c in codes}
    for i, j in zip(left, right):
        if i != j:
            out[int(codes[i])].add(int(codes[j]))
    return {c: tuple(sorted(n)) for c, n in out.items()}


def neighbours(adcode: int) -> tuple[int, ...]:
    """County-level units sharing at least one boundary point with ``adcode`` (web LOD)."""
    return _neighbours().get(int(adcode), ())


def _rank(values: pd.Series, adcode: int) -> dict:
    values = values.dropna()
    if adcode not in values.index:
        return {"rank": None, "n": int(len(values)), "mean": float(values.mean()) if len(values) else None}
    rank = int(values.rank(ascending=False, method="min")[adcode])
    return {"rank": rank, "n": int(len(values)), "mean": float(values.mean())}


def county_card(adcode: int, table: pd.DataFrame | None = None, metric: str = "score",
                top_tier: tuple[int, ...] = ()) -> dict:
    """The card of ``adcode``; ``table`` (adcode + ``metric``) adds value and ranks; ``top_tier``
    (city-level adcodes, e.g. the 一线 cities) adds the nearest one's seat distance."""
    from pyproj import Geod

    info = counties.load_counties().set_index("adcode")
    row = info.loc[int(adcode)]
    anchors = boundaries.anchors("counties")
    seat = anchors[int(adcode)]
    units = boundaries.units("counties", "web")
    card = {
        "adcode": int(adcode), "name": row["name"], "short_name": row["short_name"], "kind": row["kind"],
        "pinyin": row["pinyin"],
        "prefecture": {"adcode": int(row["prefecture_adcode"]), "name": row["prefecture"]},
        "province": {"adcode": int(row["province_adcode"]), "name": row["province"]},
        "former_names": [n for n in row["former_names"].split("|") if n],
        "former_adcodes": [int(a) for a in row["former_adcodes"].split("|") if a],
        "seat": {"lon": seat.x, "lat": seat.y, "source": units.loc[int(adcode), "anchor_source"]},
        "neighbours": [{"adcode": a, "name": info.loc[a, "name"], "prefecture": info.loc[a, "prefecture"]}
                       for a in neighbours(adcode)],
        "nearest_top_tier": None, "value": None, "in_province": None, "in_prefecture": None,
    }
    if top_tier:
        cities = boundaries.anchors("cities")
        geod = Geod(ellps="WGS84")
        dist = {c: geod.inv(seat.x, seat.y, cities[c].x, cities[c].y)[2] / 1000 for c in top_tier}
        best = min(dist, key=dist.get)
        card["nearest_top_tier"] = {"adcode": int(best), "distance_km": round(dist[best], 1)}
    if table is not None:
        values = table.set_index("adcode")[metric].astype(float)
        value = values.get(int(adcode))
        card["value"] = None if value is None or pd.isna(value) else float(value)
        same_province = values[values.index.map(lambda a: info.loc[a, "province_adcode"]) == row["province_adcode"]]
        same_prefecture = values[values.index.map(lambda a: info.loc[a, "prefecture_adcode"])
                                 == row["prefecture_adcode"]]
        card["in_province"] = _rank(same_province, int(adcode))
        card["in_prefecture"] = _rank(same_prefecture, int(adcode))
    return card
