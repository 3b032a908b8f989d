"""Region statistics and spillover at county level: numbers and codes only.

A county counts in a city cluster or metro circle when its prefecture is a full member. For a
partial member the counties the source lists (``data/regions/metro_circle_members.csv``,
column ``counties``) are resolved within that prefecture (``core.counties``); when the source
does not name them one by one ("7 northern counties", "parts of 延平 …") the whole prefecture is
counted and the region says so (``unresolved``). Statistics are ``regions``' own (mean, median,
CV, Gini, Theil) over the counties with a value. ``spillover`` runs ``spatial.Spillover`` on the
county coverage (queen, islands attached). ``core_rings``: the city level's rings and distance
decay around the core cities (``regions.centres``; ``spatial.RINGS_KM``, ``spatial``'s fit),
counted in counties.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from pyproj import Geod

from dei_geo.analysis import regions, spatial
from dei_geo.core import counties
from dei_geo.sources import boundaries

_SPLIT = re.compile(r"[,，、;；]\s*")


def _listed(text: str, prefecture: int) -> list[int] | None:
    """The county adcodes a partial membership names, or None when they are not named one by one."""
    items = [s.strip() for s in _SPLIT.split(str(text or "")) if s.strip()]
    if not items:
        return None
    found = []
    for item in items:
        try:
            found.append(counties.resolve(item, prefecture=prefecture))
        except ValueError:
            return None
    return found


def county_members(region: regions.Region) -> tuple[pd.DataFrame, list[int]]:
    """(adcode, prefecture_adcode, membership) of the region's counties; the partial prefectures
    whose counties could not be resolved (counted whole)."""
    table = counties.load_counties()
    rows, unresolved = [], []
    for m in region.counted.itertuples():
        own = table[table["prefecture_adcode"] == m.adcode]
        membership = m.membership
        if m.membership == "partial":
            listed = _listed(getattr(m, "counties", ""), int(m.adcode))
            if listed is None:
                unresolved.append(int(m.adcode))
                membership = "partial_whole_prefecture"
            else:
                own = own[own["adcode"].isin(listed)]
                membership = "listed"
        rows += [{"adcode": int(a), "prefecture_adcode": int(m.adcode), "membership": membership}
                 for a in own["adcode"]]
    return pd.DataFrame(rows, columns=["adcode", "prefecture_adcode", "membership"]), unresolved


def region_table(table: pd.DataFrame, metric: str, regions_list: list[regions.Region]) -> pd.DataFrame:
    """One row per region after a first ``national`` row (every county with a value): id, kind,
    name, name_en, members (counties counted), scored, mean, median, min, max, cv, gini, theil,
    unresolved (partial prefectures counted whole)."""
    values = table.set_index("adcode")[metric].astype(float)
    rows = [{"id": "national", "kind": "national", "name": "全国", "name_en": "China",
             "members": len(counties.load_counties()), **regions._stats(values), "unresolved": []}]
    for r in regions_list:
        members, unresolved = county_members(r)
        rows.append({"id": r.id, "kind": r.kind, "name": r.name, "name_en": r.name_en,
                     "members": len(members), **regions._stats(values.reindex(members["adcode"])),
                     "unresolved": unresolved})
    return pd.DataFrame(rows)


def spillover(table: pd.DataFrame, metric: str, weights: str = "queen") -> spatial.Spillover:
    """Moran's I, LISA and Gi* of ``metric`` over the counties with a value (``TooFewUnits``
    below ``spatial.MIN_UNITS``)."""
    values = table.set_index("adcode")[metric].astype(float).dropna()
    units = boundaries.units("counties", "web")
    units = units.loc[units.index.intersection(values.index, sort=False)]
    if len(units) < spatial.MIN_UNITS:
        raise spatial.TooFewUnits(len(units))
    return spatial.Spillover(values.reindex(units.index), spatial.build_weights(units, weights))


RING_COLUMNS = ["ring", "n", "mean", "diff_national", "lo", "hi", "adcode", "city"]


def rings_around(values: pd.Series, seats: pd.DataFrame, centres: pd.DataFrame,
                 rings=spatial.RINGS_KM) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rings and decay of ``values`` (adcode → value) around each of ``centres`` (adcode, city,
    lon, lat). ``seats`` (adcode, lon, lat, prefecture_adcode) are the counties' seats; the
    distance of a county is the geodesic (WGS-84 ellipsoid) from the centre point to its seat.
    A core city's own counties (its prefecture) are left out, as the city level leaves out the
    core: the rings measure its surroundings. National mean: every value given.

    Returns (rings: one row per centre and ring — ``spatial.RINGS_KM`` [0, 50], (50, 100], … —
    with n, mean and mean − national mean; cores: one row per centre with a county within the
    last ring — adcode, city, own (its counties with a value, left out), fade_ring (first ring
    with counties whose mean is at or below the national mean) and ``spatial``'s decay fit of
    value = a + b·ln(km): n, slope, ci_low, ci_high, per_doubling, r2, fade_km, significant).
    """
    values = values.dropna().astype(float)
    national = float(values.mean()) if len(values) else np.nan
    seats = seats.set_index("adcode").loc[values.index.intersection(seats["adcode"])]
    max_km = rings[-1][1]
    geod = Geod(ellps="WGS84")
    ring_rows, rows = [], []
    for c in centres.itertuples():
        own = seats["prefecture_adcode"].to_numpy() == c.adcode
        around = seats[~own]
        _, _, metres = geod.inv(np.full(len(around), c.lon), np.full(len(around), c.lat),
                                around["lon"].to_numpy(), around["lat"].to_numpy())
        df = pd.DataFrame({"distance_km": metres / 1000, "value": values.reindex(around.index).to_numpy()},
                          index=around.index)
        df = df[df["distance_km"] <= max_km].sort_values("distance_km")
        if df.empty:
            continue
        rm = spatial._rings(df, national, rings)
        ring_rows.append(rm.assign(adcode=int(c.adcode), city=c.city))
        faded = rm.loc[(rm["n"] > 0) & (rm["diff_national"] <= 0), "ring"]
        rows.append({"adcode": int(c.adcode), "city": c.city, "own": int(own.sum()),
                     "fade_ring": faded.iloc[0] if len(faded) else None,
                     **spatial._decay(df, national, max_km)})
    if not rows:
        return pd.DataFrame(columns=RING_COLUMNS), pd.DataFrame(columns=["adcode", "city", "own", "fade_ring"])
    return pd.concat(ring_rows, ignore_index=True), pd.DataFrame(rows)


def core_rings(table: pd.DataFrame, metric: str, rings=spatial.RINGS_KM) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rings_around`` for ``metric`` of a county table, around the city level's core cities
    (``regions.centres``: their centre points), from the counties' seats (``boundaries.anchors``)."""
    units = boundaries.units("counties", "web")
    seats = pd.DataFrame({"adcode": units.index.astype(int), "lon": units["anchor_lon"].to_numpy(),
                          "lat": units["anchor_lat"].to_numpy()})
    prefecture = counties.load_counties().set_index("adcode")["prefecture_adcode"]
    seats["prefecture_adcode"] = seats["adcode"].map(prefecture).to_numpy()
    values = table.set_index("adcode")[metric].astype(float)
    return rings_around(values, seats, regions.centres(), rings)


def summary(table: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, dict, pd.DataFrame, pd.DataFrame]:
    """Everything ``dei-geo regions --level county`` and the app show for ``metric``: the region
    table (clusters, metro circles), Moran's I facts (``I``, ``p``, ``n``, ``islands``; or
    ``too_few`` and ``need`` below ``spatial.MIN_UNITS``), and the rings and cores of ``core_rings``."""
    result = region_table(table, metric, regions.clusters() + regions.circles())
    try:
        sp = spillover(table, metric)
        moran = {"I": float(sp.I), "p": float(sp.p_sim), "n": int(sp.w.graph.n), "islands": len(sp.w.attached)}
    except spatial.TooFewUnits as err:
        moran = {"too_few": err.n, "need": err.need}
    rings, cores = core_rings(table, metric)
    return result, moran, rings, cores
