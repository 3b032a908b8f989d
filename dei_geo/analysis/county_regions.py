"""Region statistics and spillover at county level: numbers and codes only.

A county counts in a city cluster or metro circle when its prefecture is a full member. For a
partial member the counties the source lists (``data/regions/metro_circle_members.csv``,
column ``counties``) are resolved within that prefecture (``core.counties``); when the source
does not name them one by one ("7 northern counties", "parts of 延平 …") the whole prefecture is
counted and the region says so (``unresolved``). Statistics are ``regions``' own (mean, median,
CV, Gini, Theil) over the counties with a value. ``spillover`` runs ``spatial.Spillover`` on the
county coverage (queen, islands attached).
"""

from __future__ import annotations

import re

import pandas as pd

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
