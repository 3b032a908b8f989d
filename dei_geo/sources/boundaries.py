"""Read the prepared boundary layers in ``geodata/`` and join score tables to them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from dei_geo.core import paths

LayerName = Literal["cities", "counties", "provinces", "province_lines", "outline"]
LAYERS: tuple[LayerName, ...] = ("cities", "counties", "provinces", "province_lines", "outline")
UnitLevel = Literal["cities", "counties"]  # the two unit layers: 370 city-level, 2,875 county-level
UNIT_LEVELS: tuple[UnitLevel, ...] = ("cities", "counties")
# Each unit's anchor point (its seat, else a point inside it): what distances are measured from.
ANCHOR_COLUMNS = ["anchor_lon", "anchor_lat", "anchor_source"]
# Albers equal-area conic for China: distances, areas and print maps are computed in it.
ALBERS_CHINA = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +datum=WGS84 +units=m +no_defs"
LevelOfDetail = Literal["web", "print"]  # web: 0.05° (light, for folium); print: 0.005°
LODS: tuple[LevelOfDetail, ...] = ("web", "print")


class GeodataMissing(FileNotFoundError):
    """The derived boundary layers are absent: they are rebuilt with ``dei-geo geodata build``."""


def _path(name: str, root: Path) -> Path:
    path = root / name
    if not path.exists():
        raise GeodataMissing(
            f"{path} is missing. Rebuild the boundary layers with "
            "`pip install -e .[build]` and `dei-geo geodata build`."
        )
    return path


@cache
def manifest(root: Path = paths.GEODATA) -> dict:
    """The build manifest (source version, tolerances, vertex counts, checksums)."""
    return json.loads(_path("manifest.json", root).read_text(encoding="utf-8"))


@cache
def _read(name: str, root: Path) -> gpd.GeoDataFrame:
    return gpd.read_parquet(_path(f"{name}.parquet", root))


def layer(name: LayerName, lod: LevelOfDetail = "web", root: Path = paths.GEODATA) -> gpd.GeoDataFrame:
    """One boundary layer (``cities``, ``counties``, ``provinces``, ``province_lines``,
    ``outline``) at a LOD. The unit layers carry ``ANCHOR_COLUMNS``.

    Returns a copy, so callers may add columns freely.
    """
    if name not in LAYERS:
        raise ValueError(f"unknown layer {name!r}; choose one of {', '.join(LAYERS)}")
    if lod not in LODS:
        raise ValueError(f"unknown level of detail {lod!r}; choose one of {', '.join(LODS)}")
    return _read(f"{name}_{lod}", root).copy()


def units(level: UnitLevel = "cities", lod: LevelOfDetail = "web",
          root: Path = paths.GEODATA) -> gpd.GeoDataFrame:
    """A unit layer indexed by adcode: geometry and the anchor columns (what ``analysis`` needs
    for neighbours and distances)."""
    if level not in UNIT_LEVELS:
        raise ValueError(f"unknown unit level {level!r}; choose one of {', '.join(UNIT_LEVELS)}")
    return layer(level, lod, root)[["adcode", "geometry", *ANCHOR_COLUMNS]].set_index("adcode")


def anchors(level: UnitLevel = "cities", root: Path = paths.GEODATA) -> gpd.GeoSeries:
    """Each unit's anchor point (lon/lat, GCJ-02) indexed by adcode: its seat (政府驻地) where
    the build had one inside the unit, else a point guaranteed inside it (``anchor_source``)."""
    table = units(level, "web", root)
    return gpd.GeoSeries(gpd.points_from_xy(table["anchor_lon"], table["anchor_lat"]),
                         index=table.index, crs=table.crs)


def maritime(root: Path = paths.GEODATA) -> gpd.GeoDataFrame:
    """The South China Sea maritime line (南海诸岛 dashes)."""
    return _read("maritime", root).copy()


def join_scores(units: gpd.GeoDataFrame, scores: pd.DataFrame) -> gpd.GeoDataFrame:
    """Left-join a per-adcode score table onto the units; every unit is kept.

    Raises ``ValueError`` if ``scores`` has duplicate adcodes or adcodes with no polygon —
    a score that cannot be drawn must never disappear silently.
    """
    dup = scores["adcode"][scores["adcode"].duplicated()]
    if len(dup):
        raise ValueError(f"score table has duplicate adcodes: {sorted(set(dup))}")
    orphan = sorted(set(scores["adcode"]) - set(units["adcode"]))
    if orphan:
        raise ValueError(f"score table has adcodes with no boundary unit: {orphan}")
    return units.merge(scores, on="adcode", how="left", suffixes=("", "_score"))
