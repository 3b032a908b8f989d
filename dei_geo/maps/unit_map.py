"""A compact offline HTML choropleth of the county level (2,875 units) or the province level.

folium's ``GeoJson`` writes every polygon's full coordinates (shared borders twice) and a style
per feature; the national county map would then weigh several MB. Here the units are encoded
once as a topology (the ``topojson`` package: each shared border is one arc, coordinates
quantised to integers and delta-encoded), drawn by a small decoder in the page, grouped by class
so that each class has one style. Province (or, in a province view, prefecture) lines are the
arcs between units of different groups; the South China Sea maritime line is drawn too. Leaflet
is inlined (``assets``): no external request. Names and values are set as DOM text, never as
HTML; the title goes through ``markup.esc``. Sizes against folium's default:
``bench/bench_county.py`` (BENCHMARKS.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from dei_geo.core import theme
from dei_geo.maps import assets, classify, markup
from dei_geo.maps.export import EXTERNAL, ExternalReference
from dei_geo.maps.web import deterministic_ids, raw_element
from dei_geo.sources import boundaries

CLUSTER_AT = 100  # more points than this are clustered (Leaflet.markercluster, inlined)
_CLUSTER_JS = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js"
_CLUSTER_CSS = ("https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css",
                "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css")
QUANTIZATION = 4e5  # grid steps across the drawn extent (~15 m nationally; the web LOD grid is ~10 m)
NO_VALUE_COLOR = theme.UNSCORED_COLOR
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "{": "\\u007b", "}": "\\u007d"}


@dataclass(frozen=True)
class Legend:
    labels: list[str]  # one per class, then the no-value row
    colors: list[str]
    counts: list[int]


def encode(units: gpd.GeoDataFrame, quantization: float = QUANTIZATION) -> dict:
    """The units as a topology: ``arcs`` (flat, delta-encoded integer x/y), ``scale``,
    ``translate`` and, per unit in order, its polygons as rings of arc indices (~i = reversed)."""
    import topojson

    topo = topojson.Topology(units[["geometry"]].reset_index(drop=True), prequantize=quantization,
                             topology=True, presimplify=False, toposimplify=False).to_dict()
    geoms = topo["objects"]["data"]["geometries"]
    shapes = []
    for g in sorted(geoms, key=lambda g: g["id"]):
        shapes.append(g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]])
    if len(shapes) != len(units):
        raise RuntimeError("the topology lost units")
    arcs = [np.asarray(a, dtype=np.int64).ravel().tolist() for a in topo["arcs"]]
    return {"arcs": arcs, "scale": topo["transform"]["scale"], "translate": topo["transform"]["translate"],
            "shapes": shapes}


def decode(topo: dict, shape: list) -> list[list[list[tuple[float, float]]]]:
    """The (lon, lat) rings of one encoded unit (what the page's decoder draws)."""
    (sx, sy), (tx, ty) = topo["scale"], topo["translate"]

    def arc(i):
        flat = np.asarray(topo["arcs"][i if i >= 0 else ~i]).reshape(-1, 2).cumsum(axis=0)
        pts = [(x * sx + tx, y * sy + ty) for x, y in flat]
        return pts if i >= 0 else pts[::-1]

    out = []
    for polygon in shape:
        rings = []
        for ring in polygon:
            pts: list = []
            for k, i in enumerate(ring):
                pts += arc(i)[1 if k else 0:]
            rings.append(pts)
        out.append(rings)
    return out


def border_arcs(shapes: list, groups: list) -> list[int]:
    """Arcs shared by two units of different ``groups`` (province or prefecture lines)."""
    users: dict[int, set] = {}
    for shape, group in zip(shapes, groups):
        for polygon in shape:
            for ring in polygon:
                for i in ring:
                    users.setdefault(i if i >= 0 else ~i, set()).add(group)
    return sorted(a for a, g in users.items() if len(g) > 1)


def _json(value: dict) -> str:
    """A flat dict (values: lists, strings, numbers) as JSON safe inside a ``<script>`` element:
    ``<``, ``>``, ``&`` and the braces inside strings escaped, so no ``</script>`` and no Jinja
    delimiter can appear."""
    if any(isinstance(v, dict) for v in value.values()):
        raise ValueError("nested objects would put braces outside strings")
    inner = json.dumps(value, ensure_ascii=False, separators=(",", ":"))[1:-1]
    return "{" + re.sub(r"[<>&{}]", lambda m: _ESCAPES[m.group(0)], inner) + "}"


def _units(level: boundaries.UnitLevel | str, province: int | None) -> gpd.GeoDataFrame:
    if level == "provinces":
        units = boundaries.layer("provinces", "web").rename(columns={"province_adcode": "adcode", "province": "name"})
        units["group"] = units["adcode"]
    else:
        units = boundaries.layer(level, "web")
        group = "prefecture_adcode" if province is not None or level == "cities" else "province_adcode"
        units["group"] = units[group if group in units else "province_adcode"]
    if province is not None:
        units = units[units["adcode"] // 10000 * 10000 == province]
        if units.empty:
            raise ValueError(f"no {level} in province {province}")
    return units.reset_index(drop=True)


def classes(values: pd.Series, scheme: str, k: int, lang: str, no_value: str) -> tuple[np.ndarray, Legend]:
    """Class index of every value (the last class: no value) and the legend. The report's tier
    breaks keep their colours but are labelled by score band (≥85.0, 65.0–85.0, …): its tier
    names (一线城市 …) belong to cities, not to counties or provinces."""
    from dei_geo.core import tiers

    present = values.dropna()
    cls = classify.classify(present, scheme, tiers.load_tiers(), k, lang)
    if scheme == "tiers":
        cls = classify.as_ranges(cls)
    codes = np.full(len(values), len(cls.labels), dtype=int)
    codes[values.notna().to_numpy()] = cls.codes.to_numpy()
    codes[codes < 0] = len(cls.labels)
    counts = [int((codes == i).sum()) for i in range(len(cls.labels) + 1)]
    return codes, Legend([*cls.labels, no_value], [*cls.colors, NO_VALUE_COLOR], counts)


_DRAW = """
document.addEventListener("DOMContentLoaded", function () {
  var D = %(data)s, map = %(map)s, cache = {};
  function arc(i) {
    var j = i < 0 ? ~i : i;
    if (!cache[j]) {
      var a = D.arcs[j], x = 0, y = 0, pts = [];
      for (var n = 0; n < a.length; n += 2) {
        x += a[n]; y += a[n + 1];
        pts.push([y * D.scale[1] + D.translate[1], x * D.scale[0] + D.translate[0]]);
      }
      cache[j] = pts;
    }
    return i < 0 ? cache[j].slice().reverse() : cache[j];
  }
  function ring(r) {
    var out = [];
    r.forEach(function (i, k) { out = out.concat(k ? arc(i).slice(1) : arc(i)); });
    return out;
  }
  function text(s) { var e = document.createElement("span"); e.textContent = s; return e; }
  var styles = D.colors.map(function (c) {
    return {fillColor: c, fillOpacity: 0.85, color: D.edge, weight: 0.4, opacity: 1};
  });
  var groups = D.colors.map(function () { return L.featureGroup(); });
  D.shapes.forEach(function (shape, u) {
    var c = D.cls[u];
    var p = L.polygon(shape.map(function (poly) { return poly.map(ring); }), styles[c]);
    p.unit = u;
    groups[c].addLayer(p);
  });
  groups.forEach(function (g, c) {
    g.bindTooltip(function (layer) {
      var u = layer.unit, v = D.values[u];
      return text(D.names[u] + (D.parents[u] ? " · " + D.parents[u] : "") + (v === null ? "" : ": " + v));
    }, {sticky: true});
    g.on("mouseover", function (e) { e.layer.setStyle({weight: 2, color: D.hover}); e.layer.bringToFront(); });
    g.on("mouseout", function (e) { e.layer.setStyle(styles[c]); });
    g.addTo(map);
  });
  L.polyline(D.borders.map(arc), {color: D.line, weight: 1, interactive: false}).addTo(map);
  if (D.maritime.length) {
    L.polyline(D.maritime, {color: D.line, weight: 1.2, interactive: false}).addTo(map);
  }
  if (D.points.length) {
    if (!isFinite(map.getMaxZoom())) { map.setMaxZoom(18); }  // no tile layer sets one; clustering needs it
    var pts = D.cluster ? L.markerClusterGroup({showCoverageOnHover: false}) : L.featureGroup();
    D.points.forEach(function (p) {
      var m = L.circleMarker([p[1], p[0]], {radius: 5, color: D.point, weight: 1.5, fillColor: "#fff",
                                              fillOpacity: 1});
      m.bindTooltip(text(p[2]));
      pts.addLayer(m);
    });
    pts.addTo(map);
  }
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "unit-legend");
    box.style.cssText = "background:#fff;padding:6px 8px;font:12px sans-serif;color:" + D.ink;
    if (D.title) { var h = document.createElement("b"); h.textContent = D.title; box.appendChild(h); }
    D.labels.forEach(function (label, c) {
      if (!D.counts[c]) { return; }  // a class no unit falls in is not listed
      var row = document.createElement("div"), sw = document.createElement("span");
      sw.style.cssText = "display:inline-block;width:12px;height:12px;margin-right:4px;border:1px solid "
        + D.swatch + ";background:" + D.colors[c];
      row.appendChild(sw); row.appendChild(text(label + " (" + D.counts[c] + ")"));
      box.appendChild(row);
    });
    return box;
  };
  legend.addTo(map);
  map.fitBounds(D.bounds);
});
"""


def unit_map_html(values: pd.Series | None = None, level: str = "counties", province: int | None = None,
                  scheme: str = "tiers", k: int = theme.DEFAULT_K, lang: str = "zh", title: str = "",
                  no_value: str = "—", fmt: str = "{:.1f}", notes: dict | None = None,
                  points: pd.DataFrame | None = None, scroll_zoom: bool = True) -> str:
    """One self-contained HTML page: the units of ``level`` (``counties``, ``cities`` or
    ``provinces``; only ``province``'s when given, a province adcode) coloured by ``values``
    (adcode → number; units without one in the no-value class labelled ``no_value``); ``notes``
    (adcode → text, e.g. the n behind a province mean) follow the name in the tooltip; ``points``
    (``lon``, ``lat``, ``label``) are drawn as markers, clustered above ``CLUSTER_AT``. The view
    fits the units that have a value (all units when none has); ``scroll_zoom=False`` for a map
    embedded in a scrolling page (the wheel then scrolls the page; buttons still zoom)."""
    units = _units(level, province)
    vals = pd.Series(units["adcode"].map(values if values is not None else {}), dtype=float)
    codes, legend = classes(vals, scheme, k, lang, no_value)
    topo = encode(units)
    if "prefecture" in units and level == "counties":
        parents = (units["prefecture"].where(units["prefecture"] != units["name"], "")).tolist()
    else:
        parents = [""] * len(units)
    if notes:
        parents = [" ".join(filter(None, (p, notes.get(int(a), "")))) for p, a in zip(parents, units["adcode"])]
    x0, y0, x1, y1 = (units[vals.notna().to_numpy()] if vals.notna().any() else units).total_bounds
    maritime = boundaries.maritime().geometry.iloc[0] if province is None else None
    data = {
        **topo,
        "names": units["name"].tolist(),
        "parents": parents,
        "values": [None if pd.isna(v) else fmt.format(v) for v in vals],
        "cls": codes.tolist(),
        "borders": border_arcs(topo["shapes"], units["group"].tolist()),
        "maritime": [[[round(y, 4), round(x, 4)] for x, y in line.coords] for line in maritime.geoms]
        if maritime is not None else [],
        "labels": legend.labels, "colors": legend.colors, "counts": legend.counts,
        "bounds": [[y0, x0], [y1, x1]], "title": title,
        "edge": theme.EDGE_COLOR, "line": theme.LINE_COLOR, "hover": theme.HIGHLIGHT_COLOR,
        "ink": theme.INK, "swatch": theme.SWATCH_EDGE, "point": theme.OUTLINE_COLOR,
        "points": [] if points is None else [[round(x, 5), round(y, 5), str(label)] for x, y, label in
                                             zip(points["lon"], points["lat"], points["label"])],
    }
    data["cluster"] = len(data["points"]) > CLUSTER_AT
    with deterministic_ids():
        m = folium.Map(location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=4, tiles=None,
                       prefer_canvas=False, control_scale=True, scroll_wheel_zoom=scroll_zoom)
        header = m.get_root().header
        header.add_child(raw_element(f"<title>{markup.esc(title)}</title>"), name="title", index=0)
        head = assets.inline_head(m)
        if data["cluster"]:
            head += "".join(f"<style>{assets.asset_text(u)}</style>" for u in _CLUSTER_CSS)
            head += f"<script>{assets.asset_text(_CLUSTER_JS)}</script>"
        header.add_child(raw_element(head), name="offline_assets", index=1)
        script = _DRAW % {"data": _json(data), "map": m.get_name()}
        header.add_child(raw_element(f"<script>{script}</script>"), name="unit_map")
        markup.seal(m)
        text = m.get_root().render()
    found = EXTERNAL.search(text)
    if found:
        raise ExternalReference(f"unit map references a remote URL: {found.group(0)!r}")
    return text
