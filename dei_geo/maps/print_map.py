"""Print maps (PNG, SVG, PDF) of a prepared map, in an equal-area conic with the South China Sea inset.

Classes, colours and legend rows are the web map's (``maps.prepare_map``; for counties and
provinces ``maps.unit_print.prepare``); geometry is the print level of detail. The units are
the view's level: cities (default), counties or provinces. A page size (``PAGES``: A4 portrait
or landscape, 16:9 slides) fixes the figure's size; without one the figure is 10 in wide and as
tall as the map needs. Labels of a view (a province, a region) are placed without overlap
(``_place_labels``). The main frame stops north of 三沙 (about 18°N): its islands and the whole
maritime line are drawn in the 南海诸岛 inset, at the same projection and a smaller scale, as on
China's standard maps. Rendering is pure — a new ``Figure`` per call, no pyplot — and text is set
in a CJK font found through matplotlib's font manager (``CJKFontMissing`` if there is none).
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import font_manager, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath

from dei_geo.core import counties, files, places
from dei_geo.core.i18n import t
from dei_geo.core.theme import (
    COAST_COLOR,
    CONTEXT_COLOR,
    CREDIT_INK,
    EDGE_COLOR,
    HALO_COLOR,
    INK,
    LEGEND_FRAME,
    MARITIME_COLOR,
    OUTLINE_COLOR,
    PRINT_DPI,
    PROVINCE_COLOR,
    RIM_COLOR,
    SUBTITLE_INK,
    WHITE,
)
from dei_geo.maps.web import PreparedMap
from dei_geo.sources import boundaries

NATIONAL_CRS = boundaries.ALBERS_CHINA
SANSHA = 460300  # 三沙市: drawn only in the inset
# National maps of cities and provinces simplify the print level of detail by 1 km: 0.13 pt on a
# 10 in page (half a pixel at 300 dpi); bench/bench_print_svg.py: 284,696 → 149,082 vertices drawn,
# the unit keeping least of its area is 澳门 at 94.9 %. Counties keep theirs: at 1 km the smallest districts would lose
# most of their shape.
NATIONAL_TOLERANCE_M = {"cities": 1000.0, "provinces": 1000.0, "counties": 0.0}
PrintFormat = Literal["png", "svg", "pdf"]
FORMATS: tuple[PrintFormat, ...] = ("png", "svg", "pdf")
Page = Literal["a4-portrait", "a4-landscape", "16:9"]
PAGES: dict[str, tuple[float, float]] = {  # width, height in inches
    "a4-portrait": (210 / 25.4, 297 / 25.4),
    "a4-landscape": (297 / 25.4, 210 / 25.4),
    "16:9": (13.333, 7.5),  # PowerPoint's widescreen slide
}
Level = Literal["cities", "counties", "provinces"]
LEVELS: tuple[Level, ...] = ("cities", "counties", "provinces")
DPI = PRINT_DPI
CJK_FAMILIES = (  # first installed one wins
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
    "Microsoft YaHei", "PingFang SC", "WenQuanYi Zen Hei", "SimHei",
)
FONT_FIX = (
    "install one: `apt-get install fonts-noto-cjk` (Debian/Ubuntu), `dnf install "
    "google-noto-sans-cjk-fonts` (Fedora); on Windows/macOS Microsoft YaHei / PingFang SC are "
    "already present. Then delete matplotlib's font cache (~/.cache/matplotlib) and retry."
)

# layout, in inches
WIDTH = 10.0
MARGIN = 0.35
TITLE_BAND = 0.85
FOOTER_BAND = 0.55
SIDE = 2.9  # legend column of province/region views
INSET_SHARE = 0.34  # inset height / main frame height (national)
DPI_RANGE = (50, 600)
BELOW = 2.55  # band under the map for the legend, scale bar and inset on a portrait page
LABEL_PT = {"cities": 7.0, "counties": 6.0}  # label type size of a view's units
SVG_RC = {"svg.hashsalt": "dei-geo", "svg.fonttype": "path"}  # stable ids; glyphs as paths
PDF_RC = {"pdf.fonttype": 42}  # TrueType outlines embedded (CJK glyphs stay text)
_SVG_LOCK = threading.Lock()  # rc_context is process-wide: one SVG save at a time
SVG_DECIMALS = 2  # path coordinates in the SVG: 0.01 pt (3.5 µm on paper); matplotlib writes 6
_SVG_PATH = re.compile(rb' d="([^"]*)"')
_SVG_NUMBER = re.compile(rb"-?\d+\.\d+")


class CJKFontMissing(FileNotFoundError):
    """No CJK font is installed where matplotlib looks; the message names the fix."""


# --- fonts --------------------------------------------------------------------------------
def cjk_family(manager=None) -> str:
    """The first of ``CJK_FAMILIES`` that matplotlib's font manager knows."""
    installed = {entry.name for entry in (manager or font_manager.fontManager).ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    raise CJKFontMissing(
        "no CJK font for the Chinese text of print maps (looked for "
        f"{', '.join(CJK_FAMILIES)}); {FONT_FIX}"
    )


@cache
def _charmap(family: str) -> frozenset[int]:
    path = font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
    return frozenset(font_manager.get_font(path).get_charmap())


def _check_glyphs(texts, families: list[str]) -> None:
    covered = frozenset().union(*(_charmap(f) for f in families))
    missing = sorted({c for text in texts for c in text
                      if not c.isspace() and ord(c) not in covered})
    if missing:
        raise ValueError(
            f"no installed font can draw {''.join(missing)!r} (fonts: {', '.join(families)}); "
            "change the text or install a font that has these characters"
        )


class _Fonts:
    def __init__(self, family: str):
        self.families = [family, "DejaVu Sans"]

    def __call__(self, size: float, weight: str = "normal") -> FontProperties:
        return FontProperties(family=self.families, size=size, weight=weight)


# --- what is drawn ------------------------------------------------------------------------
@dataclass(frozen=True)
class View:
    """What a print map covers: the nation (no adcodes), or some units in their surroundings;
    ``level``: the units drawn (cities, counties or provinces; adcodes are of that level)."""

    name: str = ""
    adcodes: frozenset[int] = frozenset()
    level: Level = "cities"

    @property
    def national(self) -> bool:
        return not self.adcodes


NATIONAL = View()


def province_view(name: str | int, level: Level = "cities") -> View:
    """A province with its cities (or, ``level="counties"``, its counties): 浙江, 浙江省 or 330000."""
    table = places.load_places()
    names = table.drop_duplicates("province_adcode").set_index("province_adcode")["province"]
    key = str(name).strip()
    hits = [a for a, p in names.items()
            if key in (str(a), p) or (len(key) >= 2 and p.startswith(key))]
    if len(hits) != 1:
        raise ValueError(f"unknown province {name!r}; choose one of {', '.join(names)}")
    if level == "counties":
        table = counties.load_counties()
    elif level != "cities":
        raise ValueError(f"a province view shows cities or counties, not {level!r}")
    adcodes = table.loc[table["province_adcode"] == hits[0], "adcode"]
    return View(names[hits[0]], frozenset(int(a) for a in adcodes), level)


def national_view(level: Level = "cities") -> View:
    """The whole country in units of ``level``."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    return View(level=level)


def cluster_view(clusters: pd.DataFrame, name: str) -> View:
    """A city cluster of the dataset (``ds.clusters``), by its name or a prefix: 长三角."""
    key = str(name).strip()
    options = list(dict.fromkeys(clusters["cluster"]))
    hits = [c for c in options if c == key] or [c for c in options if c.startswith(key)]
    if len(hits) != 1:
        raise ValueError(f"unknown region {name!r}; choose one of {', '.join(options)}")
    members = clusters.loc[clusters["cluster"] == hits[0], "adcode"]
    return View(hits[0], frozenset(int(a) for a in members))


class _Layers(NamedTuple):
    cities: gpd.GeoDataFrame  # adcode, geometry (projected, polygons oriented for filling)
    province_lines: np.ndarray
    outline: np.ndarray
    maritime: np.ndarray
    units: gpd.GeoDataFrame  # the level drawn: adcode, geometry, anchor (x, y) and prefecture


def _unit_layer(level: Level, lod: str) -> gpd.GeoDataFrame:
    if level == "provinces":
        units = boundaries.layer("provinces", lod).rename(columns={"province_adcode": "adcode"})
        units["prefecture_adcode"] = units["adcode"]
        return units[["adcode", "prefecture_adcode", "geometry"]].assign(anchor_lon=np.nan,
                                                                         anchor_lat=np.nan)
    units = boundaries.layer(level, lod)
    if level == "cities":
        units["prefecture_adcode"] = units["adcode"]
    return units[["adcode", "prefecture_adcode", "geometry", "anchor_lon", "anchor_lat"]]


def _simplified(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """A coverage simplified with shared edges kept shared (``tolerance`` in metres; 0: as is)."""
    return shapely.coverage_simplify(geoms, tolerance) if tolerance else geoms


@lru_cache(maxsize=8)
def _layers(crs: str, lod: str = "print", level: Level = "cities", tolerance: float = 0.0) -> _Layers:
    """The layers of ``lod`` in ``crs``, simplified by ``tolerance`` metres (cached per
    projection; never modified by callers)."""
    cities = boundaries.layer("cities", lod)[["adcode", "geometry"]].to_crs(crs)
    cities["geometry"] = shapely.orient_polygons(_simplified(cities.geometry.values, tolerance))

    def lines(gdf):
        return shapely.simplify(gdf.to_crs(crs).geometry.values, tolerance)

    if level == "cities":
        units = cities
        raw = _unit_layer("cities", lod)
    else:
        raw = _unit_layer(level, lod)
        units = raw[["adcode", "geometry"]].to_crs(crs)
        units["geometry"] = shapely.orient_polygons(_simplified(units.geometry.values, tolerance))
    units = units.assign(prefecture_adcode=raw["prefecture_adcode"].to_numpy())
    seat = gpd.GeoSeries(gpd.points_from_xy(raw["anchor_lon"], raw["anchor_lat"]), crs=4326).to_crs(crs)
    units["anchor_x"], units["anchor_y"] = seat.x.to_numpy(), seat.y.to_numpy()
    outline = shapely.simplify(boundaries.layer("outline", lod).to_crs(crs).boundary.values, tolerance)
    return _Layers(cities, lines(boundaries.layer("province_lines", lod)), outline,
                   lines(boundaries.maritime()), units)


def _in_sansha(adcodes) -> np.ndarray:
    """三沙市 or one of its county-level units (西沙区, 南沙区): drawn only in the inset."""
    a = np.asarray(adcodes, dtype=np.int64)
    return (a == SANSHA) | (a // 100 * 100 == SANSHA)


def view_crs(view: View) -> str:
    """National: Albers 25°/47°N, 105°E. A view: Albers fitted to it (standard parallels at 1/6
    and 5/6 of its latitude span, central meridian through its middle), so its scale bar holds."""
    if view.national:
        return NATIONAL_CRS
    units = _unit_layer(view.level, "print")
    units = units[units["adcode"].isin(view.adcodes) & ~_in_sansha(units["adcode"])]
    if units.empty:
        raise ValueError(f"{view.name or 'view'}: none of its adcodes has a boundary unit")
    x0, y0, x1, y1 = units.total_bounds
    span = y1 - y0
    lat1, lat2, lon0 = (round(v, 1) for v in (y0 + span / 6, y1 - span / 6, (x0 + x1) / 2))
    return (f"+proj=aea +lat_1={lat1:g} +lat_2={lat2:g} +lon_0={lon0:g} "
            "+datum=WGS84 +units=m +no_defs")


def _crs_params(crs: str) -> dict:
    wanted = ("+lat_1", "+lat_2", "+lon_0")
    return dict(p[1:].split("=") for p in crs.split() if p.startswith(wanted))


# --- geometry → matplotlib ----------------------------------------------------------------
def _polygon_path(geom) -> MplPath:
    rings = shapely.get_rings(shapely.get_parts(geom))
    xy, index = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
    starts = np.r_[0, np.flatnonzero(np.diff(index)) + 1]
    codes[starts] = MplPath.MOVETO
    codes[np.r_[starts[1:], len(xy)] - 1] = MplPath.CLOSEPOLY
    return MplPath(xy, codes)


def _segments(geoms, rect) -> list[np.ndarray]:
    clipped = shapely.clip_by_rect(geoms, *rect)
    parts = shapely.get_parts(shapely.get_parts(clipped))
    parts = parts[~shapely.is_empty(parts)]
    xy, index = shapely.get_coordinates(parts, return_index=True)
    return np.split(xy, np.flatnonzero(np.diff(index)) + 1) if len(xy) else []


def _pt(web_weight: float) -> float:
    """Print line width (pt) for a web style weight (px)."""
    return 0.5 * web_weight


def _draw(ax, layers: _Layers, prepared: PreparedMap, view: View, rect, *, main: bool) -> None:
    """Fill the units inside ``rect`` (x0, y0, x1, y1); draw province lines, coast, maritime line."""
    drawn = layers.units
    units = drawn.iloc[drawn.sindex.query(shapely.box(*rect), predicate="intersects")]
    if main:
        units = units[~_in_sansha(units["adcode"])]
    units = units.sort_values("adcode")
    inside = units["adcode"].isin(view.adcodes) | view.national
    styles = [prepared.styles.get(int(a), {}) for a in units["adcode"]]
    faces = [s.get("fillColor", CONTEXT_COLOR) if ok else CONTEXT_COLOR
             for s, ok in zip(styles, inside)]
    paths = [_polygon_path(g) for g in units.geometry.values]
    # in the inset, 三沙's islets get a grey rim so they stay visible at its scale
    edges = [RIM_COLOR if (sansha and not main) else EDGE_COLOR for sansha in _in_sansha(units["adcode"])]
    ax.add_collection(PathCollection(paths, facecolors=faces, edgecolors=edges,
                                     linewidths=0.15 if view.level == "cities" or not view.national
                                     else 0.08, zorder=1, gid="units"))
    # outlined units (the 亳州 conflict; any unit the web map outlines), on top of all fills
    outlined: dict[tuple, list] = {}
    for path, style, ok in zip(paths, styles, inside):
        if ok and style.get("color", EDGE_COLOR).lower() != EDGE_COLOR:
            key = (style["color"], style.get("weight", 2.0), bool(style.get("dashArray")))
            outlined.setdefault(key, []).append(path)
    for (color, weight, dashed), group in outlined.items():
        ax.add_collection(PathCollection(
            group, facecolors="none", edgecolors=color, zorder=4,
            linewidths=_pt(weight) * (1.0 if main else 0.6),
            linestyles=(0, (2.5, 1.5)) if dashed else "solid"))
    for geoms, color, width, z in (
        (layers.province_lines, PROVINCE_COLOR, 0.45, 2),
        (layers.outline, COAST_COLOR, 0.5, 3),
        (layers.maritime, MARITIME_COLOR, 1.0, 3),
    ):
        ax.add_collection(LineCollection(_segments(geoms, rect), colors=color, linewidths=width,
                                         zorder=z, capstyle="butt", joinstyle="round"))
    ax.set_xlim(rect[0], rect[2])
    ax.set_ylim(rect[1], rect[3])
    ax.set_aspect("equal", adjustable="box")


def _pad(bounds, share: float) -> np.ndarray:
    x0, y0, x1, y1 = bounds
    d = share * max(x1 - x0, y1 - y0)
    return np.array([x0 - d, y0 - d, x1 + d, y1 + d])


def _inset_rect(layers: _Layers) -> np.ndarray:
    """The inset's extent: 三沙 and the whole maritime line, with a margin (room for the label
    below)."""
    sansha = layers.cities.loc[layers.cities["adcode"] == SANSHA, "geometry"].values
    x0, y0, x1, y1 = _pad(shapely.total_bounds(np.r_[sansha, layers.maritime]), 0.03)
    return np.array([x0, y0 - 0.06 * (y1 - y0), x1, y1])


# --- furniture ----------------------------------------------------------------------------
def _nice(x: float) -> float:
    exp = 10 ** np.floor(np.log10(x))
    return max(m for m in (1, 2, 5, 10) if m * exp <= x) * exp


def _scale_bar(fig, left_in, bottom_in, m_per_inch, fonts, lang, target_in=1.6) -> None:
    """A two-segment scale bar (0, D/2, D km, D a round number) with its lower left at the
    given place, in inches.

    The bar is D km at the map's scale; for an Albers map it is exact on the standard
    parallels (and within a few per cent across China between 18°N and 54°N).
    """
    km = _nice(target_in * m_per_inch / 1000)
    bar_in = km * 1000 / m_per_inch
    w, h = bar_in + 0.9, 0.36
    fw, fh = fig.get_size_inches()
    ax = fig.add_axes([left_in / fw, bottom_in / fh, w / fw, h / fh], label="scalebar-axes")
    ax.set_axis_off()
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    x0, y0, bh = 0.05, 0.05, 0.055
    for i, color in enumerate((INK, WHITE)):
        ax.add_patch(Rectangle((x0 + i * bar_in / 2, y0), bar_in / 2, bh, facecolor=color,
                               edgecolor=INK, linewidth=0.6))
    ax.add_patch(Rectangle((x0, y0), bar_in, bh, facecolor="none", edgecolor=INK,
                           linewidth=0.6, gid="scalebar"))
    for frac in (0, 0.5, 1):
        value = km * frac
        ax.text(x0 + frac * bar_in, y0 + bh + 0.04, f"{value:g}", ha="center", va="bottom",
                fontproperties=fonts(7), color=INK)
    ax.text(x0 + bar_in + 0.1, y0 + bh + 0.04, t("print_km", lang), ha="left", va="bottom",
            fontproperties=fonts(7), color=INK)


def _legend_items(prepared: PreparedMap, view: View) -> list[tuple[Patch, str]]:
    """Legend rows: the web map's, counted over the view's units when it is not national."""
    styles = {a: s for a, s in prepared.styles.items() if view.national or a in view.adcodes}
    items = []
    for row in prepared.legend:
        if view.national:
            n = row.count
        elif row.style == "conflict":
            n = sum(s.get("color", "").lower() == row.color.lower() for s in styles.values())
        else:
            n = sum(s.get("fillColor", "").lower() == row.color.lower() for s in styles.values())
        if row.style == "conflict":
            if not n:
                continue
            patch = Patch(facecolor=WHITE, edgecolor=row.color, linestyle=(0, (2.5, 1.5)),
                          linewidth=1.1)
        else:
            patch = Patch(facecolor=row.color, edgecolor=RIM_COLOR, linewidth=0.4)
        items.append((patch, f"{row.label}  {t('legend_count', prepared.lang, n=n)}"))
    if not view.national:
        items.append((Patch(facecolor=CONTEXT_COLOR, edgecolor=RIM_COLOR, linewidth=0.4),
                      t("print_context", prepared.lang)))
    return items


def _legend(target, items, fonts, lang, size=8.0, **where):
    handles, labels = zip(*items)
    legend = target.legend(
        handles, labels, prop=fonts(size), title=t("print_legend", lang),
        title_fontproperties=fonts(size + 1, "bold"), alignment="left", frameon=True,
        fancybox=False, edgecolor=LEGEND_FRAME, framealpha=0.95, borderpad=0.7, labelspacing=0.45,
        handlelength=1.6, handleheight=1.0, **where)
    legend.get_frame().set_linewidth(0.5)
    for text in legend.get_texts():  # labels may come from a user's file: "$" is not TeX here
        text.set_parse_math(False)
    legend.set_gid("legend")
    legend.set_zorder(10)
    return legend


def label_names(view: View) -> dict[int, str]:
    """The label of each unit of a view: its short name (杭州, 西湖); for counties the suffix
    (区/县/市 …) is dropped only where the short name is unique within the province, so 和田市
    and 和田县 (or 南京's and 徐州's 鼓楼区) keep their full names."""
    if view.level == "counties":
        table = counties.load_counties()
        table = table[table["adcode"].isin(view.adcodes)]
        twice = table.duplicated(["province_adcode", "short_name"], keep=False)
        names = table["short_name"].where(~twice, table["name"])
    else:
        table = places.load_places()
        table = table[table["adcode"].isin(view.adcodes)]
        names = table["short_name"]
    return dict(zip(table["adcode"].astype(int), names))


def _anchor(unit) -> tuple[float, float]:
    """A unit's seat when it lies inside the unit, else a point inside its largest part."""
    point = shapely.Point(unit.anchor_x, unit.anchor_y)
    if np.isfinite(unit.anchor_x) and unit.geometry.contains(point):
        return unit.anchor_x, unit.anchor_y
    parts = shapely.get_parts(unit.geometry)
    inside = parts[np.argmax(shapely.area(parts))].point_on_surface()
    return inside.x, inside.y


def _free(box: np.ndarray, placed: np.ndarray) -> bool:
    return not len(placed) or not np.any((box[0] < placed[:, 2]) & (placed[:, 0] < box[2])
                                         & (box[1] < placed[:, 3]) & (placed[:, 1] < box[3]))


def _place_labels(ax, labels: list[tuple[int, str, float, float, float]], fonts, size: float) -> None:
    """Draw labels (adcode, text, anchor x, anchor y in data units, unit area) so that no two
    overlap; each text's gid is ``label-<adcode>`` (so in the SVG too).

    Deterministic and greedy, smallest unit first: each label takes the first free spot among its
    anchor and rings of 16 positions around it, 0.6, 1.2, … text heights away, inside the frame.
    A label that had to leave its anchor by more than its own half size gets a leader line. Text
    boxes are measured on the canvas (``get_window_extent``) with a 1 pt gap."""
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    halo = [patheffects.withStroke(linewidth=2.0, foreground=WHITE)]
    gap = ax.figure.dpi / 72
    placed = np.empty((0, 4))
    angles = np.deg2rad(np.arange(0, 360, 22.5))
    for adcode, text, x, y, _ in sorted(labels, key=lambda item: (item[4], item[0])):
        artist = ax.text(x, y, text, ha="center", va="center", fontproperties=fonts(size),
                         color=INK, path_effects=halo, zorder=6, clip_on=True, gid=f"label-{adcode}",
                         parse_math=False)
        ext = artist.get_window_extent(renderer)
        w, h = ext.width + 2 * gap, ext.height + 2 * gap
        cx, cy = ax.transData.transform((x, y))
        spot = None
        for step in range(0, 40):
            r = 0.6 * step * h
            for a in (angles if step else [0.0]):
                px, py = cx + r * np.cos(a) * max(1.0, w / h / 1.5), cy + r * np.sin(a)
                box = np.array([px - w / 2, py - h / 2, px + w / 2, py + h / 2])
                inside = (box[0] >= frame.x0 and box[2] <= frame.x1 and box[1] >= frame.y0
                          and box[3] <= frame.y1)
                if inside and _free(box, placed):
                    spot = (px, py, box)
                    break
            if spot:
                break
        if spot is None:  # nowhere free in the frame: keep it at its anchor (never silently dropped)
            spot = (cx, cy, np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]))
        px, py, box = spot
        placed = np.vstack([placed, box])
        artist.set_position(ax.transData.inverted().transform((px, py)))
        if abs(px - cx) > w / 2 or abs(py - cy) > h / 2:  # left its unit's seat: a leader line
            ex, ey = np.clip(cx, box[0] + gap, box[2] - gap), np.clip(cy, box[1] + gap, box[3] - gap)
            (x0, y0), (x1, y1) = ax.transData.inverted().transform([(cx, cy), (ex, ey)])
            ax.plot([x0, x1], [y0, y1], color=SUBTITLE_INK, linewidth=0.35, zorder=5,
                    gid="leader", solid_capstyle="butt")
            ax.plot([x0], [y0], marker="o", markersize=1.2, color=INK, zorder=5, gid="leader")


def _labels(ax, layers, view, fonts) -> None:
    """The view's units labelled with their short names (``label_names``) at their seats."""
    units = layers.units[layers.units["adcode"].isin(view.adcodes)
                         & ~_in_sansha(layers.units["adcode"])]
    names = label_names(view)
    items = [(int(u.adcode), names.get(int(u.adcode), str(u.adcode)), *_anchor(u), float(u.geometry.area))
             for u in units.itertuples()]
    _place_labels(ax, items, fonts, LABEL_PT.get(view.level, 7.0))


def _highlight(ax, layers: _Layers, adcode: int, national: bool) -> None:
    """Outline ``adcode`` as the web map outlines the selected city (a white halo under an orange
    line); on a national map also ring it, as a city is a few points wide at that scale."""
    geoms = layers.units.loc[layers.units["adcode"] == adcode, "geometry"].values
    if not len(geoms):
        return
    path = [_polygon_path(geoms[0])]
    for color, width in ((HALO_COLOR, 3.2), (OUTLINE_COLOR, 1.6)):
        ax.add_collection(PathCollection(path, facecolors="none", edgecolors=color, linewidths=width,
                                         zorder=7, gid="highlight"))
    if national:
        parts = shapely.get_parts(geoms[0])
        point = parts[np.argmax(shapely.area(parts))].point_on_surface()
        for color, width in ((HALO_COLOR, 3.5), (OUTLINE_COLOR, 1.8)):
            ax.plot([point.x], [point.y], marker="o", markersize=13, markerfacecolor="none",
                    markeredgecolor=color, markeredgewidth=width, zorder=8, gid="highlight-ring")


def _texts(fig) -> list[str]:
    return [text.get_text() for text in fig.findobj(matplotlib.text.Text) if text.get_text()]


@lru_cache(maxsize=1 << 16)
def _steps(value: int) -> bytes:
    """An integer count of 10^-SVG_DECIMALS pt as a short decimal: 7 → .07, -150 → -1.5."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    whole, frac = divmod(value, 10 ** SVG_DECIMALS)
    frac_text = f"{frac:0{SVG_DECIMALS}d}".rstrip("0")
    return (sign + (str(whole) if whole or not frac_text else "")
            + ("." + frac_text if frac_text else "")).encode()


def _relative(tokens: list[bytes]) -> bytes | None:
    """A path of M/L/z commands with absolute coordinates as relative m/l/z on the rounded grid
    (a step that rounds to nothing is dropped); None for any other path (curves: glyphs)."""
    scale = 10 ** SVG_DECIMALS
    out, x, y, start, i = [], 0, 0, (0, 0), 0
    while i < len(tokens):
        command = tokens[i]
        if command in (b"z", b"Z"):
            out.append(b"z")
            x, y = start
            i += 1
            continue
        if command not in (b"M", b"L") or i + 2 >= len(tokens):
            return None
        nx, ny = round(float(tokens[i + 1]) * scale), round(float(tokens[i + 2]) * scale)
        i += 3
        if command == b"M":
            out.append(b"m" + _steps(nx - x) + b" " + _steps(ny - y))
            start = (nx, ny)
        elif (nx, ny) != (x, y):
            out.append(b"l" + _steps(nx - x) + b" " + _steps(ny - y))
        x, y = nx, ny
    return b"".join(out)


def _compact_path(match: re.Match) -> bytes:
    tokens = match.group(1).split()
    data = _relative(tokens)
    if data is None:
        data = b" ".join(_SVG_NUMBER.sub(
            lambda m: _steps(round(float(m.group(0)) * 10 ** SVG_DECIMALS)), t) for t in tokens)
    return b' d="' + data + b'"'


def compact_svg(svg: bytes) -> bytes:
    """``svg`` with every path's ``d`` attribute rounded to ``SVG_DECIMALS`` and, for polygons and
    lines, written as relative steps (``l.07 -.26``) without line breaks: matplotlib writes each
    vertex as ``L 476.446071 240.407797`` on its own line, most of a national map's bytes
    (``bench/bench_print_svg.py``)."""
    return _SVG_PATH.sub(_compact_path, svg)


# --- the figure ---------------------------------------------------------------------------
def _frame_axes(fig, box_in, gid):
    fw, fh = fig.get_size_inches()
    left, bottom, width, height = box_in
    ax = fig.add_axes([left / fw, bottom / fh, width / fw, height / fh], gid=gid)
    ax.set_label(gid)
    ax.set_facecolor(WHITE)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
        spine.set_edgecolor(INK)
    return ax


def _national_legend(ax, layers, items, fonts, lang, map_w, map_h):
    """The legend in the empty lower left, its type shrunk until it covers no unit."""
    renderer = ax.figure.canvas.get_renderer()
    sizes = (8.0, 7.5, 7.0, 6.5)
    for size in sizes:
        legend = _legend(ax, items, fonts, lang, size, loc="lower left",
                         bbox_to_anchor=(0.08 / map_w, 0.08 / map_h))
        box = legend.get_window_extent(renderer).transformed(ax.transData.inverted())
        covered = layers.cities.sindex.query(shapely.box(*box.extents), predicate="intersects")
        if not len(covered) or size == sizes[-1]:
            return legend
        legend.remove()


def _national_extent(units, inset_aspect):
    """Frame (x0, y0, x1, y1) of the national map, widened so the inset in its lower right
    corner clears Taiwan and the coast."""
    x0, y0, x1, y1 = _pad(shapely.total_bounds(units), 0.02)
    h = INSET_SHARE * (y1 - y0)
    gap = 0.012 * (x1 - x0)
    low = shapely.clip_by_rect(units, x0, y0, x1, y0 + h + gap)
    low_right = shapely.total_bounds(low[~shapely.is_empty(low)])[2]
    return np.array([x0, y0, max(x1, low_right + gap + h * inset_aspect), y1])


def _fit(width: float, height: float, aspect: float) -> tuple[float, float]:
    """The largest (w, h) of ``aspect`` (w/h) inside width × height."""
    return (width, width / aspect) if width / height <= aspect else (height * aspect, height)


def figure(prepared: PreparedMap, view: View = NATIONAL, title: str | None = None,
           highlight: int | None = None, lod: str = "print", page: Page | None = None) -> Figure:
    """The print map as a new matplotlib ``Figure`` (Agg canvas; nothing global is touched).

    ``prepared``: a ``web.PreparedMap`` (cities) or a ``unit_print.UnitPrep`` (counties,
    provinces) — its styles by adcode, legend rows, title, source and language. ``title``
    replaces the prepared map's title (and, in a view, the line naming the view); ``highlight``
    outlines one unit (an adcode), ringed too on a national map; ``lod="web"`` draws the lighter
    boundaries (a small locator map, a fast vector); ``page`` (a key of ``PAGES``) makes the
    figure that page's size, the map fitted inside (None: 10 in wide, as tall as the map needs;
    a view's legend, scale bar and inset go under the map on a portrait page).
    """
    if page is not None and page not in PAGES:
        raise ValueError(f"unknown page {page!r}; choose one of {', '.join(PAGES)}")
    fonts = _Fonts(cjk_family())
    lang = prepared.lang
    crs = view_crs(view)
    tolerance = NATIONAL_TOLERANCE_M[view.level] if view.national and lod == "print" else 0.0
    layers = _layers(crs, lod, view.level, tolerance)
    cities = layers.cities
    if view.national:
        shown = layers.units
        units = cities.loc[cities["adcode"] != SANSHA, "geometry"].values  # the extent: land north of 三沙
    else:
        shown = layers.units[layers.units["adcode"].isin(view.adcodes)]
        units = shown.loc[~_in_sansha(shown["adcode"]), "geometry"].values
    show_inset = view.national or bool(_in_sansha(list(view.adcodes)).any())
    inset_rect = _inset_rect(layers)
    inset_aspect = (inset_rect[2] - inset_rect[0]) / (inset_rect[3] - inset_rect[1])
    below = page is not None and not view.national and PAGES[page][1] > PAGES[page][0]

    if view.national:
        rect = _national_extent(units, inset_aspect)
        top_band = TITLE_BAND - 0.25
        aspect = (rect[2] - rect[0]) / (rect[3] - rect[1])
        if page is None:
            map_w = WIDTH - 2 * MARGIN
            map_h = map_w / aspect
            fig_w, fig_h = WIDTH, map_h + top_band + FOOTER_BAND
        else:
            fig_w, fig_h = PAGES[page]
            map_w, map_h = _fit(fig_w - 2 * MARGIN, fig_h - top_band - FOOTER_BAND, aspect)
    else:
        rect = _pad(shapely.total_bounds(units), 0.04)
        aspect = (rect[2] - rect[0]) / (rect[3] - rect[1])
        top_band = TITLE_BAND
        if page is None:
            map_w = WIDTH - 2 * MARGIN - SIDE
            map_h = map_w / aspect
            if map_h > 8.0:
                map_w, map_h = map_w * 8.0 / map_h, 8.0
            fig_w = map_w + 2 * MARGIN + SIDE
            fig_h = max(map_h, 5.2 if show_inset else 3.6) + top_band + FOOTER_BAND
        else:
            fig_w, fig_h = PAGES[page]
            room_w = fig_w - 2 * MARGIN - (0 if below else SIDE)
            room_h = fig_h - top_band - FOOTER_BAND - (BELOW if below else 0)
            map_w, map_h = _fit(room_w, room_h, aspect)
    map_left = MARGIN if page is None or not (view.national or below) else (fig_w - map_w) / 2
    if page is None:
        map_bottom = FOOTER_BAND
    elif view.national:  # centred between the title and the footer
        map_bottom = FOOTER_BAND + (fig_h - top_band - FOOTER_BAND - map_h) / 2
    else:  # under the title
        map_bottom = fig_h - top_band - map_h

    fig = Figure(figsize=(fig_w, fig_h), dpi=100, facecolor=WHITE)
    FigureCanvasAgg(fig)
    ax = _frame_axes(fig, (map_left, map_bottom, map_w, map_h), "map")
    _draw(ax, layers, prepared, view, rect, main=True)
    if highlight is not None:
        _highlight(ax, layers, int(highlight), view.national)
    m_per_inch = (rect[2] - rect[0]) / map_w
    items = _legend_items(prepared, view)

    if view.national:
        inset_h = INSET_SHARE * map_h
        inset_box = (map_left + map_w - inset_h * inset_aspect, map_bottom,
                     inset_h * inset_aspect, inset_h)
        legend = _national_legend(ax, layers, items, fonts, lang, map_w, map_h)
        legend_right = legend.get_window_extent(fig.canvas.get_renderer()).x1 / fig.dpi
        _scale_bar(fig, legend_right + 0.3, map_bottom + 0.12, m_per_inch, fonts, lang)
    else:
        outline = shapely.coverage_union_all(units)
        if view.level == "counties":  # prefecture lines inside the province
            prefectures = shown[~_in_sansha(shown["adcode"])].dissolve("prefecture_adcode")
            ax.add_collection(LineCollection(_segments(prefectures.boundary.values, rect),
                                             colors=PROVINCE_COLOR, linewidths=0.45, zorder=2))
        ax.add_collection(LineCollection(_segments([outline.boundary], rect), colors=INK,
                                         linewidths=0.9, zorder=3))
        _labels(ax, layers, view, fonts)
        inset_h = 2.2 if show_inset else 0.0
        if below:
            top = map_bottom - 0.2
            legend = _legend(fig, items, fonts, lang, loc="upper left",
                             bbox_to_anchor=(map_left / fig_w, top / fig_h))
            legend_right = legend.get_window_extent(fig.canvas.get_renderer()).x1 / fig.dpi
            inset_box = (map_left + map_w - inset_h * inset_aspect, top - inset_h,
                         inset_h * inset_aspect, inset_h)
            _scale_bar(fig, legend_right + 0.3, top - 0.45, m_per_inch, fonts, lang, target_in=1.4)
        else:
            side = map_left + map_w + 0.25
            _legend(fig, items, fonts, lang, loc="upper left",
                    bbox_to_anchor=(side / fig_w, (fig_h - top_band) / fig_h))
            bottom = FOOTER_BAND if page is None else map_bottom
            inset_box = (side + 0.05, bottom, inset_h * inset_aspect, inset_h)
            _scale_bar(fig, side, bottom + inset_h + 0.15 * show_inset, m_per_inch, fonts,
                       lang, target_in=1.4)
    if show_inset:
        inset = _frame_axes(fig, inset_box, "inset")
        inset.set_zorder(5)
        _draw(inset, layers, prepared, view, inset_rect, main=False)
        inset.text(0.95, 0.03, t("print_inset", lang), transform=inset.transAxes, ha="right",
                   va="bottom", fontproperties=fonts(8), color=INK, gid="inset-label",
                   path_effects=[patheffects.withStroke(linewidth=2.5, foreground=WHITE)])

    fig.text(MARGIN / fig_w, 1 - 0.3 / fig_h, title or prepared.title, ha="left", va="center",
             fontproperties=fonts(15, "bold"), color=INK, gid="title", parse_math=False)
    if not view.national and title is None:
        said = (t("print_view", lang, name=view.name, n=len(shown)) if view.level == "cities"
                else t("lv_print_view", lang, name=view.name, n=len(shown)))
        fig.text(MARGIN / fig_w, 1 - 0.62 / fig_h, said, ha="left", va="center",
                 fontproperties=fonts(10.5), color=SUBTITLE_INK, parse_math=False)
    params = _crs_params(crs)
    credits = [
        t("print_boundaries", lang, version=boundaries.manifest()["source"]["version"]),
        t("print_projection", lang, lat1=params["lat_1"], lat2=params["lat_2"],
          lon0=params["lon_0"]),
    ]
    fig.text(MARGIN / fig_w, 0.3 / fig_h, prepared.source, ha="left", va="center",
             fontproperties=fonts(8), color=INK, gid="source", parse_math=False)
    fig.text(MARGIN / fig_w, 0.12 / fig_h, t("clause_sep", lang).join(credits),
             ha="left", va="center", fontproperties=fonts(7), color=CREDIT_INK)
    _check_glyphs(_texts(fig), fonts.families)
    return fig


def to_bytes(fig: Figure, fmt: PrintFormat = "png", dpi: int = DPI) -> bytes:
    """``fig`` as PNG (``dpi``, recorded in the file), SVG (text as paths) or PDF (vector, the
    CJK font embedded), stable bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unsupported print format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "png" and not DPI_RANGE[0] <= dpi <= DPI_RANGE[1]:
        raise ValueError(f"dpi {dpi} is out of range; use {DPI_RANGE[0]}–{DPI_RANGE[1]}")
    buf = io.BytesIO()
    if fmt == "svg":  # fixed id salt, no date: the same map gives the same bytes
        with _SVG_LOCK, matplotlib.rc_context(SVG_RC):
            fig.savefig(buf, format="svg", metadata={"Date": None})
        return compact_svg(buf.getvalue())
    if fmt == "pdf":
        with _SVG_LOCK, matplotlib.rc_context(PDF_RC):
            fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Producer": None,
                                                      "Creator": None})
    else:
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def render(prepared: PreparedMap, view: View = NATIONAL, fmt: PrintFormat = "png", dpi: int = DPI,
           title: str | None = None, page: Page | None = None) -> bytes:
    """The print map of ``prepared`` over ``view`` as PNG, SVG or PDF bytes (``page``: see
    ``figure``)."""
    return to_bytes(figure(prepared, view, title, page=page), fmt, dpi)


def write(prepared: PreparedMap, out: Path, view: View = NATIONAL, dpi: int = DPI,
          title: str | None = None, page: Page | None = None) -> Path:
    """Write the print map to ``out`` (format from its suffix: .png, .svg or .pdf), atomically
    (``files.WriteFailed`` with the path and the reason when it cannot be written)."""
    out = Path(out)
    data = render(prepared, view, out.suffix.lower().lstrip("."), dpi, title, page)
    return files.write_atomic(out, data)
