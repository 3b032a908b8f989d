"""The app's maps of the other levels (issue 13): province means with n, and counties (the whole
country or one prefecture), as ``web.PreparedMap`` so that ``web.build_map``, ``selection`` and
``app.leaflet`` draw them, and send clicks back, like the city map (the units sit in its
``cities`` layer; each feature's ``id`` is the unit's adcode). Tooltips go through ``markup.esc``.
"""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import pandas as pd
import shapely

from dei_geo.core import theme
from dei_geo.core import tiers as tiers_mod
from dei_geo.core.i18n import Lang, t
from dei_geo.maps import classify, selection
from dei_geo.maps.markup import esc
from dei_geo.maps.web import LegendRow, PreparedMap
from dei_geo.sources import boundaries

NO_LINES = {"type": "FeatureCollection", "features": []}


def _classes(values: pd.Series, scheme: str, k: int, lang: Lang) -> tuple[list[int], list[LegendRow]]:
    """Class code per value (-1: no value) and the legend (highest class first, then 无数据). The
    report's tier breaks are labelled by score band: its tier names (一线城市 …) belong to cities."""
    present = values.dropna()
    cls = classify.classify(present, scheme, tiers_mod.load_tiers(), k, lang)
    if scheme == "tiers":
        cls = classify.as_ranges(cls)
    code = pd.Series(-1, index=values.index)
    code[present.index] = cls.codes.to_numpy()
    codes = code.astype(int).tolist()
    rows = [LegendRow(c, label, codes.count(i)) for i, (c, label) in enumerate(zip(cls.colors, cls.labels))]
    return codes, [*rows[::-1], LegendRow(theme.UNSCORED_COLOR, t("lva_no_data", lang), codes.count(-1))]


def _collection(units: gpd.GeoDataFrame, tips: list[str]) -> dict:
    frame = units[["adcode", "geometry"]].assign(tip=tips)
    data = json.loads(frame.to_json(drop_id=True))
    for feature in data["features"]:
        feature["id"] = feature["properties"].pop("adcode")
    return data


def _styles(units: gpd.GeoDataFrame, codes: list[int], legend: list[LegendRow]) -> dict[int, dict]:
    colors = [row.color for row in legend[:-1]][::-1]  # low → high, as the codes count
    return {int(a): {"fillColor": colors[c] if c >= 0 else theme.UNSCORED_COLOR, "fillOpacity": 0.9,
                     "color": theme.WHITE, "weight": 0.4} for a, c in zip(units["adcode"], codes)}


def _value_line(label: str, value, lang: Lang) -> str:
    if value is None or pd.isna(value):
        return esc(t("lva_no_data", lang))
    return f"{esc(label)}{esc(t('colon', lang))}{value:.1f}"


def province_map(rolled: pd.DataFrame, metric_label: str, title: str, source: str, scheme: str,
                 k: int, lang: Lang) -> PreparedMap:
    """The provinces coloured by ``rolled["mean"]`` (``analysis.rollup``: code, name, n, units,
    mean, rank); the tooltip gives the mean, n of units and the rank among the provinces ranked."""
    units = boundaries.layer("provinces", "web").rename(columns={"province_adcode": "adcode", "province": "name"})
    stats = rolled.set_index("code").reindex(units["adcode"])
    ranked = int(stats["rank"].notna().sum())
    values = pd.Series(stats["mean"].to_numpy(float), index=units.index)
    codes, legend = _classes(values, scheme, k, lang)
    tips = []
    for name, row in zip(units["name"], stats.itertuples()):
        lines = [f"<b>{esc(name)}</b>", _value_line(metric_label, row.mean, lang)]
        if not pd.isna(row.n):
            lines.append(esc(t("lva_tip_n", lang, n=int(row.n), units=int(row.units))))
        if not pd.isna(row.rank):
            lines.append(esc(t("lva_tip_rank", lang, rank=int(row.rank), total=ranked)))
        tips.append("<br>".join(lines))
    return PreparedMap(
        cities=_collection(units, tips), styles=_styles(units, codes, legend), legend=[r for r in legend if r.count],
        province_lines=NO_LINES, maritime=json.loads(boundaries.maritime().to_json(drop_id=True)),
        title=title, source=source, lang=lang, notes=(t("lva_province_note", lang),))


def county_map(values: pd.Series | None, metric_label: str, title: str, source: str, scheme: str, k: int,
               lang: Lang, prefecture: int | None = None) -> PreparedMap:
    """The county-level units (only ``prefecture``'s when given) coloured by ``values`` (adcode →
    number; ``None``: outlines only, every unit 无数据); the tooltip gives the name, parents, value."""
    units = boundaries.layer("counties", "web")
    if prefecture is not None:
        units = units[units["prefecture_adcode"] == prefecture].reset_index(drop=True)
        if units.empty:
            raise ValueError(f"no county-level units in prefecture {prefecture}")
    shown = units["adcode"].map(values) if values is not None else pd.Series(float("nan"), index=units.index)
    shown = pd.to_numeric(shown, errors="coerce")
    if shown.notna().any():
        codes, legend = _classes(shown, scheme, k, lang)
    else:
        codes = [-1] * len(units)
        legend = [LegendRow(theme.UNSCORED_COLOR, t("lva_no_data", lang), len(units))]
    tips = []
    for row, value in zip(units.itertuples(), shown):
        where = row.prefecture if row.prefecture == row.province else f"{row.prefecture} · {row.province}"
        tips.append(f"<b>{esc(row.name)}</b><br>{esc(where)}<br>{_value_line(metric_label, value, lang)}")
    lines = boundaries.layer("province_lines", "web") if prefecture is None else None
    return PreparedMap(
        cities=_collection(units, tips), styles=_styles(units, codes, legend), legend=[r for r in legend if r.count],
        province_lines=NO_LINES if lines is None else json.loads(lines.to_json(drop_id=True)),
        maritime=json.loads(boundaries.maritime().to_json(drop_id=True)) if prefecture is None else NO_LINES,
        title=title, source=source, lang=lang)


def bounds(pm: PreparedMap, only: frozenset[int] | None = None) -> list[list[float]]:
    """[[south, west], [north, east]] of every unit of ``pm`` (of those in ``only`` when given)."""
    west, south, east, north = shapely.GeometryCollection(
        [shapely.geometry.shape(f["geometry"]) for f in pm.cities["features"]
         if only is None or int(f["id"]) in only]).bounds
    return [[south, west], [north, east]]


def view_of(pm: PreparedMap, only: frozenset[int] | None = None) -> tuple[tuple[float, float], float]:
    """Centre and zoom framing every unit of ``pm`` (a prefecture's counties; those in ``only``)."""
    (south, west), (north, east) = bounds(pm, only)
    box = shapely.geometry.mapping(shapely.box(west, south, east, north))
    return selection.view_for({"features": [{"id": 0, "geometry": box}]}, 0, margin=0.75)


def fitted(m: folium.Map, pm: PreparedMap, only: frozenset[int] | None = None) -> folium.Map:
    """``m`` (``web.build_map(pm)``) opening on ``pm``'s units (those in ``only``) rather than the
    whole country.

    The national fit is taken out, not followed by a second one: Leaflet animates the small
    national step (zoom 4 → 3.5) and drops any other view asked for while it runs."""
    for name, child in list(m._children.items()):
        if isinstance(child, folium.FitBounds):
            del m._children[name]
    fit = folium.FitBounds(bounds(pm, only))
    fit._id = "units_fit"  # fixed: the base map renders the same every time, its ids stay unique
    fit.add_to(m)
    return m
