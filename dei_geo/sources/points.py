"""Check a point table (名称, 经度, 纬度[, 城市, 得分 …]: 高新区/经开区, data centres) for a marker layer.

Each row's longitude and latitude must be numbers inside China (the national outline, with a
``COAST_SLACK`` margin for ports and offshore sites); a pair that only lands in China once
swapped is named as swapped (the row is rejected: a guess is never applied silently). A stated
city that does not contain its point is reported with the city it does fall in (the row is kept).
Coordinates are read as GCJ-02, like the boundaries (Amap); ``gps_shift_m`` gives how far
WGS-84 (GPS) coordinates of the same places would sit from them, so a user can tell whether the
file was in the other datum. Codes only: the CLI says them in zh/en (catalogue ``levels``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dei_geo.core import columns, places
from dei_geo.sources import boundaries, loader, validate

NAME_HEADERS = ("名称", "园区", "园区名称", "名字", "name")
LON_HEADERS = ("经度", "lon", "lng", "long", "longitude", "x")
LAT_HEADERS = ("纬度", "lat", "latitude", "y")
CITY_HEADERS = ("城市", "所属城市", "地市", "city")
COAST_SLACK = 0.05  # degrees (~5 km) beyond the coastline still counted as inside China


@dataclass(frozen=True)
class PointIssue:
    """``code`` (catalogue ``lv_pt_<code>``), Excel ``row``/``column``, the cell, and parameters."""

    code: str
    row: int | None = None
    column: str | None = None
    value: str = ""
    params: dict = field(default_factory=dict)
    severity: str = "error"  # error: the row is rejected; warning: kept and reported


@dataclass
class PointTable:
    file: str
    points: pd.DataFrame  # row, name, lon, lat, city (stated adcode or NA), found (adcode or NA), extras
    issues: list[PointIssue]
    gps_shift_m: tuple[float, float] | None  # (median, max) WGS-84 → GCJ-02 shift at the points, metres

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    def to_dict(self) -> dict:
        return {"file": self.file, "ok": self.ok, "points": len(self.points),
                "gps_shift_m": list(self.gps_shift_m) if self.gps_shift_m else None,
                "issues": [i.__dict__ for i in self.issues]}


def _find(header: list, names) -> int | None:
    keys = {places.key(n) for n in names}
    return next((j for j, h in enumerate(header) if h is not None and places.key(validate.cell_text(h)) in keys), None)


def is_point_table(header: list) -> bool:
    """Whether a header names a longitude and a latitude column (a point table, not scores)."""
    return _find(header, LON_HEADERS) is not None and _find(header, LAT_HEADERS) is not None


def _number(text: str) -> float | None:
    try:
        value = float(text.rstrip("°"))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def gps_shift_m(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Metres between WGS-84 coordinates and the GCJ-02 coordinates of the same places."""
    import prcoords
    from pyproj import Geod

    shifted = [prcoords.wgs_gcj(prcoords.Coords(y, x), check_china=False) for x, y in zip(lon, lat)]
    return Geod(ellps="WGS84").inv(lon, lat, [c.lon for c in shifted], [c.lat for c in shifted])[2]


class _Territory:
    """Where a point lies: inside China (outline plus slack), and in which city-level unit."""

    def __init__(self):
        self.outline = boundaries.layer("outline", "web").geometry.iloc[0].buffer(COAST_SLACK)
        shapely.prepare(self.outline)
        self.cities = boundaries.layer("cities", "print")[["adcode", "geometry"]]

    def inside(self, lon: float, lat: float) -> bool:
        return bool(shapely.contains_xy(self.outline, lon, lat))

    def city(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """The adcode of the unit containing (or, within the slack, nearest to) each point; 0 if none."""
        pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=self.cities.crs)
        found = np.zeros(len(pts), dtype=np.int64)
        if not len(pts):
            return found
        i, j = self.cities.sindex.nearest(pts, max_distance=COAST_SLACK)
        found[i] = self.cities["adcode"].to_numpy()[j]
        return found


def check(raw: loader.RawTable) -> PointTable:
    """Check every row of a point table; see the module docstring."""
    jn, jx, jy, jc = (_find(raw.header, h) for h in (NAME_HEADERS, LON_HEADERS, LAT_HEADERS, CITY_HEADERS))
    if jx is None or jy is None:
        return PointTable(raw.file, pd.DataFrame(), [PointIssue("missing_coordinates")], None)
    extras = [(j, validate.cell_text(h)) for j, h in enumerate(raw.header)
              if j not in (jn, jx, jy, jc) and h is not None and columns.match(h) in columns.metrics()]
    land = _Territory()
    issues: list[PointIssue] = []
    rows = []
    for excel_row, cells in raw.rows:
        def cell(j, cells=cells):
            return validate.normalised(cells[j]) if j is not None and j < len(cells) else ""

        if not any(cell(j) for j in (jn, jx, jy)):
            continue
        lon, lat = _number(cell(jx)), _number(cell(jy))
        bad = [(j, cell(j)) for j, v in ((jx, lon), (jy, lat)) if v is None]
        for j, text in bad:
            issues.append(PointIssue("not_a_coordinate", excel_row, raw.letter(j), text))
        if bad:
            continue
        if not land.inside(lon, lat):
            swapped = land.inside(lat, lon)
            issues.append(PointIssue("swapped" if swapped else "outside_china", excel_row,
                                     f"{raw.letter(jx)}/{raw.letter(jy)}", f"{lon}, {lat}",
                                     {"lon": lon, "lat": lat}))
            continue
        stated = pd.NA
        if cell(jc):
            try:
                stated = places.resolve(cell(jc))
            except ValueError:
                issues.append(PointIssue("unknown_city", excel_row, raw.letter(jc), cell(jc), severity="warning"))
        rows.append({"row": excel_row, "name": cell(jn) or f"#{excel_row}", "lon": lon, "lat": lat,
                     "city": stated, **{name: _number(cell(j)) for j, name in extras}})
    points = pd.DataFrame(rows, columns=["row", "name", "lon", "lat", "city", *[n for _, n in extras]])
    points["found"] = land.city(points["lon"].to_numpy(float), points["lat"].to_numpy(float))
    for p in points.itertuples():
        if not pd.isna(p.city) and p.found != p.city:
            issues.append(PointIssue("not_in_city", p.row, raw.letter(jc), str(p.name), {
                "city": places.display_name(p.city),
                "found": places.display_name(p.found) if p.found else "—"}, severity="warning"))
    shift = None
    if len(points):
        metres = gps_shift_m(points["lon"].to_numpy(float), points["lat"].to_numpy(float))
        shift = (round(float(np.median(metres))), round(float(np.max(metres))))
    issues.sort(key=lambda i: i.row or 0)
    return PointTable(raw.file, points, issues, shift)
