"""Switchable map layers for the regions and the spillover statistics.

``prepare`` computes plain, cacheable data (GeoJSON, styles, escaped tooltips); ``build`` turns it
into fresh ``folium.FeatureGroup`` objects on every call (streamlit-folium mutates what it is
given); ``add_to`` puts them on a map with a ``LayerControl``. Every string reaching HTML is
escaped; tooltips travel inside the GeoJSON (JSON-encoded), never pasted into JavaScript. Nothing
here loads an asset beyond Leaflet itself: markers are ``CircleMarker``s, labels ``DivIcon``s.

Clicks: the app selects the city whose adcode is the clicked feature's ``id``. Outlines spanning
several cities (cores, clusters, circles, rings) are drawn non-interactive, so clicks go through to
the city underneath; per-city layers (LISA, Gi*) carry the city's adcode as ``id``, and the core
markers their core city's adcode. With too few scored cities for the spillover statistics the
LISA and Gi* layers come empty, the reason in their name (``Layer.skipped``).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import LineString, Point

from dei_geo.analysis import models, regions, spatial
from dei_geo.core import places
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import (
    CIRCLE_COLOR,
    CLUSTER_COLOR,
    CORE_COLORS,
    GI_COLORS,
    ISLAND_EDGE,
    LAYER_KEYS,
    LISA_COLORS,
    LOW_CONFIDENCE_COLOR,
    NS_COLOR,
    RADIUS_COLOR,
    RING_COLOR,
    WARNING_COLOR,
    WHITE,
)
from dei_geo.maps.assets import walk
from dei_geo.maps.markup import esc, js_string
from dei_geo.sources import boundaries
from dei_geo.sources.datasets import Dataset
from dei_geo.wording import spatial as spatial_words

KEYS = LAYER_KEYS  # the layers, in the order ``prepare`` returns them

LABEL_CSS = ("font-size:12px;font-weight:600;white-space:nowrap;color:{c};"
             f"text-shadow:0 0 3px {WHITE},0 0 3px {WHITE}")
# region confidence (data/regions) → catalogue key
CONFIDENCE = {"high": "conf_high", "medium-high": "conf_medium-high", "medium": "conf_medium",
              "low-medium": "conf_low-medium", "low": "conf_low", "rule": "conf_rule",
              "printed": "conf_printed"}


def _swatch(color: str, line: str = "solid", fill: bool = False) -> str:
    background = f"background:{esc(color)};" if fill else ""
    return (f"<i style='display:inline-block;width:12px;height:9px;margin:0 3px 0 6px;"
            f"{background}border:2px {line} {esc(color)}'></i>")


@dataclass(frozen=True)
class Layer:
    """One switchable layer as plain data. ``name`` is HTML for the layer control."""

    key: str
    name: str
    features: dict  # GeoJSON FeatureCollection: feature "id", properties.tip (escaped HTML)
    styles: dict  # feature id → Leaflet path style
    points: dict | None = None  # GeoJSON points drawn as CircleMarkers, same conventions
    point_styles: dict | None = None
    labels: tuple = ()  # (lat, lon, label HTML)
    interactive: bool = True  # False: the polygons let clicks through (and show no tooltip)
    skipped: str = ""  # why the layer is empty (plain text), "" when it is drawn
    legend: str = ""  # LISA / Gi*: legend HTML shown instead of the choropleth's while the layer is on


INTERACTIVE = ("lisa", "gi")  # per-city layers: a click selects the city (feature id = adcode)


def _collection(geoms, tips, ids) -> dict:
    gdf = gpd.GeoDataFrame({"tip": list(tips)}, geometry=list(geoms), crs=4326)
    fc = json.loads(gdf.to_json(drop_id=True))
    for feature, fid in zip(fc["features"], ids):
        feature["id"] = fid
    return fc


def _stats_tip(row, lang: Lang) -> str:
    mean = "—" if pd.isna(row["mean"]) else f"{row['mean']:.1f}"
    return (f"{esc(t('reg_col_members', lang))}: {row['members']} · "
            f"{esc(t('reg_col_scored', lang))}: {row['scored']} · "
            f"{esc(t('reg_col_mean', lang))}: {mean}")


def _dissolved(units, region_list, table, lang, colors, weight, key, name, labelled) -> Layer:
    geoms, tips, ids, styles, labels = [], [], [], {}, []
    for i, (r, color) in enumerate(zip(region_list, colors)):
        geom = shapely.union_all(units.loc[units.index.intersection(r.counted["adcode"])].values)
        row = table.set_index("id").loc[r.id]
        geoms.append(geom)
        tips.append(f"<b>{esc(r.label(lang))}</b><br>{_stats_tip(row, lang)}")
        ids.append(f"{key}{i}")
        styles[f"{key}{i}"] = {"color": color, "weight": weight, "fill": True, "fillOpacity": 0.0}
        if labelled:
            p = geom.representative_point()
            labels.append((p.y, p.x, f"<span style='{LABEL_CSS.format(c=esc(color))}'>"
                                     f"{esc(r.label(lang))}</span>"))
    return Layer(key, name, _collection(geoms, tips, ids), styles, labels=tuple(labels),
                 interactive=False)


def _circles(units, table, lang) -> Layer:
    geoms, tips, ids, styles = [], [], [], {}
    pts, ptips, pids, pstyles = [], [], [], {}
    rows = table.set_index("id")
    for i, r in enumerate(regions.circles()):
        color = LOW_CONFIDENCE_COLOR if r.low_confidence else CIRCLE_COLOR
        warn = (f"<br><span style='color:{WARNING_COLOR}'>{esc(t('tip_low_confidence', lang))}</span>"
                if r.low_confidence else "")
        head = (f"<b>{esc(r.label(lang))}</b><br>{esc(t('tip_confidence', lang))}: "
                f"{esc(t(CONFIDENCE[r.confidence], lang))}{warn}<br>{esc(t('tip_source', lang))}: "
                f"{esc(r.source)}")
        partials = []
        for j, m in enumerate(r.counted.itertuples()):
            partial = m.membership == "partial"
            fid = f"c{i}_{j}"
            extent = f" ({esc(m.counties)})" if m.counties else ""
            if partial:
                partials.append(f"{esc(m.member)}{extent}")
            geoms.append(units[m.adcode])
            ids.append(fid)
            tips.append(f"{head}<br><b>{esc(m.member)}</b>: "
                        f"{esc(t(spatial_words.MEMBERSHIP[m.membership], lang))}{extent}")
            styles[fid] = {"color": color, "weight": 1.2 if partial else 2.0,  # outlines only
                           "dashArray": "5 4" if partial else None, "fill": False}
        lon, lat = regions.centre_of(r.centres[0])
        wider = r.members[r.members["membership"] == "wider"]["member"]
        extra = (f"<br>{esc(t('tip_membership_partial', lang))}: {esc(t('list_sep', lang)).join(partials)}"
                 if partials else "")
        extra += (f"<br>{esc(t('tip_wider', lang))}: {esc(t('list_sep', lang).join(wider))}"
                  if len(wider) else "")
        pts.append(Point(lon, lat))
        pids.append(int(r.centres[0]))  # a click on the marker selects the core city
        ptips.append(f"{head}<br>{esc(t('tip_core_city', lang))}: "
                     f"{esc(places.display_name(r.centres[0]))}<br>"
                     f"{_stats_tip(rows.loc[r.id], lang)}{extra}")
        pstyles[int(r.centres[0])] = {"radius": 5, "color": color, "weight": 2, "fillColor":
                            WHITE if r.low_confidence else color, "fillOpacity": 1.0}
    name = (f"{esc(t('lyr_circles_20', lang))}"
            f"{_swatch(CIRCLE_COLOR)}{esc(t('tip_membership_full', lang))}"
            f"{_swatch(CIRCLE_COLOR, 'dashed')}{esc(t('tip_membership_partial', lang))}"
            f"{_swatch(LOW_CONFIDENCE_COLOR)}{esc(t('lyr_low_confidence', lang))}")
    return Layer("circles", name, _collection(geoms, tips, ids), styles,
                 _collection(pts, ptips, pids), pstyles, interactive=False)


def _rings(lang: Lang, r_km: float, ring_km) -> Layer:
    radii = sorted({*ring_km, r_km})
    geoms, tips, ids, styles = [], [], [], {}
    pts, ptips, pids, pstyles = [], [], [], {}
    for c in regions.centres().itertuples():
        aeqd = f"+proj=aeqd +lat_0={c.lat} +lon_0={c.lon} +datum=WGS84 +units=m"
        for r in radii:
            circle = LineString(Point(0, 0).buffer(r * 1000, quad_segs=16).exterior.coords)
            ring = gpd.GeoSeries([circle], crs=aeqd)
            fid = f"r{c.adcode}_{r:g}"
            geoms.append(shapely.set_precision(ring.to_crs(4326).iloc[0], 1e-4))
            ids.append(fid)
            tips.append(esc(t("tip_ring", lang, city=c.city, km=r)))
            bold = r == r_km
            styles[fid] = {"color": RADIUS_COLOR if bold else RING_COLOR,
                           "weight": 2.0 if bold else 0.8, "dashArray": None if bold else "3 4",
                           "fill": False}
        pts.append(Point(c.lon, c.lat))
        pids.append(int(c.adcode))  # a click on the centre point selects the core city
        ptips.append(f"<b>{esc(c.city)}</b><br>{esc(c.districts.replace('|', t('list_sep', lang)))}")
        pstyles[int(c.adcode)] = {"radius": 3, "color": RADIUS_COLOR, "weight": 1,
                                   "fillColor": RADIUS_COLOR, "fillOpacity": 1.0}
    rings_text = "/".join(f"{r:g}" for r in radii)
    name = esc(t("lyr_rings", lang, rings=rings_text)) + _swatch(RADIUS_COLOR) + f"{r_km:g} km"
    return Layer("rings", name, _collection(geoms, tips, ids), styles,
                 _collection(pts, ptips, pids), pstyles, interactive=False)


def settings(w: dict, alpha: float, lang: Lang, correction: str = "none") -> str:
    """The weights, α (and a multiple-testing correction, if any) a LISA / Gi* layer was computed
    with, short: Queen 邻接，α = 0.05 (，FDR)."""
    kind = t("sp_weights_queen", lang) if w["kind"] == "queen" else t("sp_w_knn_short", lang, k=w["k"])
    if correction != "none":
        return t("lyr_settings_corrected", lang, weights=kind, alpha=alpha,
                 correction=t(spatial_words.CORRECTION[correction], lang))
    return t("lyr_settings", lang, weights=kind, alpha=alpha)


def _local_title(key: str, lang: Lang, setting: str) -> str:
    return t("lyr_lisa", lang, settings=setting) if key == "lisa" else t("lyr_gi", lang, settings=setting)


def _skipped(key: str, lang: Lang, err: spatial.TooFewUnits, alpha: float = spatial.ALPHA) -> Layer:
    """An empty LISA / Gi* layer whose name says why nothing is drawn."""
    reason = spatial_words.too_few_short(err, lang)
    setting = t("lyr_settings_alpha", lang, alpha=alpha)
    name = t("lyr_unavailable", lang, layer=_local_title(key, lang, setting), reason=reason)
    return Layer(key, esc(name), {"type": "FeatureCollection", "features": []}, {},
                 skipped=spatial_words.too_few(err, lang))


def _local(units, sp: spatial.Spillover, lang: Lang, key: str) -> Layer:
    colors = LISA_COLORS if key == "lisa" else GI_COLORS
    names = spatial_words.LISA if key == "lisa" else spatial_words.GI  # class → catalogue key
    col, pcol = ("lisa", "p_lisa") if key == "lisa" else ("gi", "p_gi")
    geoms, tips, ids, styles = [], [], [], {}
    for adcode, row in sp.local.iterrows():
        fid = int(adcode)  # the city's adcode: a click selects it
        label = t(names[row[col]], lang) + (f" · {t('tip_island', lang)}" if row["island"] else "")
        geoms.append(units[adcode])
        ids.append(fid)
        tips.append(f"<b>{esc(places.display_name(adcode))}</b><br>{esc(label)}<br>"
                    f"{esc(t('tip_score', lang))}: {row['value']:.1f} · p = {row[pcol]:.3f}")
        styles[fid] = {"color": ISLAND_EDGE if row["island"] else WHITE,
                       "weight": 1.2 if row["island"] else 0.5,
                       "dashArray": "2 3" if row["island"] else None,
                       "fillColor": colors.get(row[col], NS_COLOR), "fillOpacity": 0.95}
    setting = settings(sp.w.to_dict(), sp.alpha, lang, sp.correction)
    title = _local_title(key, lang, setting)
    # the p cut-off actually used, and whether the permutations can reach it at all
    cut = spatial_words.cutoff(sp.correction, sp.cutoffs[key], lang, sp.permutations)
    counts = sp.local[col].value_counts()
    rows = "".join(
        f"<div><i style='background:{esc(c)}'></i>{esc(t(names[k], lang))}"
        f"<span class='n'>{esc(t('legend_count', lang, n=int(counts.get(k, 0))))}</span></div>"
        for k, c in {**colors, "ns": NS_COLOR}.items())
    legend = (f"<div class='head'>{esc(title)}</div>{rows}"
              f"<div class='note dei-cutoff'>{esc(cut)}</div>"
              f"<div class='note'>{esc(t('lyr_local_note', lang))}</div>")
    return Layer(key, esc(title), _collection(geoms, tips, ids), styles, legend=legend)


def prepare(ds: Dataset, lang: Lang = "zh", r_km: float = regions.DEFAULT_R_KM,
            spill: spatial.Spillover | None = None,
            ring_km=tuple(hi for _, hi in spatial.RINGS_KM), weights: str = spatial.WEIGHT_KINDS[0],
            k: int = spatial.KNN_K, alpha: float = spatial.ALPHA, correction: str = "none") -> list[Layer]:
    """The layers' data: four cores, twenty circles, other clusters, distance rings, LISA, Gi*.

    ``spill`` defaults to ``spatial.dei_spillover(ds, weights=weights, k=k, alpha=alpha)`` (queen,
    α = 0.05 unless chosen otherwise) with the multiple-testing ``correction`` (none | fdr |
    bonferroni; ``models.corrected``); a given ``spill`` is drawn as it is (corrected or not).
    The LISA / Gi* names and legends say which weights, α and correction, and the legend the p
    cut-off actually used.
    With too few scored cities the LISA and Gi* layers come empty, ``skipped`` (and their name)
    saying why.
    """
    units = boundaries.layer("cities", "web").set_index("adcode").geometry
    table = regions.region_table(ds, regions.clusters() + regions.circles())
    clusters = regions.clusters()
    cores = [r for r in clusters if r.core]
    others = [r for r in clusters if not r.core]
    try:
        spill = spill or models.corrected(spatial.dei_spillover(ds, weights=weights, k=k, alpha=alpha),
                                          correction)
    except spatial.TooFewUnits as err:
        spill, too_few = None, err
    local = ([_local(units, spill, lang, "lisa"), _local(units, spill, lang, "gi")] if spill
             else [_skipped("lisa", lang, too_few, alpha), _skipped("gi", lang, too_few, alpha)])
    return [
        _dissolved(units, cores, table, lang, CORE_COLORS, 3.0, "cores",
                   esc(t("lyr_cores", lang)), True),
        _circles(units, table, lang),
        _dissolved(units, others, table, lang, itertools.repeat(CLUSTER_COLOR), 1.5, "clusters",
                   esc(t("lyr_clusters", lang)) + _swatch(CLUSTER_COLOR), False),
        _rings(lang, r_km, ring_km),
        *local,
    ]


def _geojson(features: dict, styles: dict, name: str, marker=None,
             interactive: bool = True) -> folium.GeoJson:
    """A GeoJson layer; ``interactive=False`` lets clicks through (Leaflet's ``interactive``
    option) and drops the tooltip, which could not show anyway."""
    styles = {k: {p: v for p, v in s.items() if v is not None} for k, s in styles.items()}
    tooltip = (folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)
               if interactive else None)
    return folium.GeoJson(
        features, name=name, style_function=lambda f: styles[f["id"]], tooltip=tooltip,
        marker=marker, zoom_on_click=False, control=False,
        **({} if interactive else {"interactive": False}),
    )


class _LocalLegend(MacroElement):
    """Inside a LISA / Gi* FeatureGroup: while the group is on the map, its legend replaces the
    choropleth's (``.dei-legend``), and it takes every other fill overlay off the map, so that
    one fill overlay at most is drawn at a time (the layer control follows)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function(group, map, html) {
            let legend = L.control({position: "bottomleft"});
            legend.onAdd = function() {
                let div = L.DomUtil.create("div", "dei-legend dei-local-legend");
                div.innerHTML = html;
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            let fills = map._deiFills = map._deiFills || [];
            fills.push(group);
            function base(show) {
                let found = map.getContainer().querySelectorAll(".dei-legend:not(.dei-local-legend)");
                for (let i = 0; i < found.length; i++) { found[i].style.display = show ? "" : "none"; }
            }
            function shown() {
                base(false);
                legend.addTo(map);
                // after the layer control's click is handled, so that its checkboxes follow
                setTimeout(function() {
                    for (let i = 0; i < fills.length; i++) {
                        if (fills[i] !== group && map.hasLayer(fills[i])) { map.removeLayer(fills[i]); }
                    }
                }, 0);
            }
            group.on("add", shown);
            group.on("remove", function() {
                legend.remove();
                if (!fills.some(function(g) { return map.hasLayer(g); })) { base(true); }
            });
            if (map.hasLayer(group)) { shown(); }
        })({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }}, {{ this.html_json }});
        {% endmacro %}"""
    )

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "LocalLegend"
        self.html_json = js_string(html_text)  # neither closes the <script> nor opens a Jinja tag


def build(layers: list[Layer], show: tuple[str, ...] = ()) -> list[folium.FeatureGroup]:
    """Fresh FeatureGroups (layers whose key is in ``show`` start visible), with ids of their own
    ("region…", numbered in order) so they never collide with the base map's. Of the fill
    overlays (LISA, Gi*) only the last one in ``show`` starts visible; each carries its legend,
    which replaces the choropleth's while it is shown."""
    fills = [key for key in show if key in INTERACTIVE]
    show = tuple(key for key in show if key not in INTERACTIVE or key == fills[-1])
    groups = []
    for layer in layers:
        g = folium.FeatureGroup(name=layer.name, show=layer.key in show)
        if layer.legend:
            _LocalLegend(layer.legend).add_to(g)
        if layer.features["features"]:
            _geojson(layer.features, layer.styles, layer.key,
                     interactive=layer.interactive).add_to(g)
        if layer.points:
            _geojson(layer.points, layer.point_styles, layer.key + "_points",
                     marker=folium.CircleMarker()).add_to(g)
        for lat, lon, label in layer.labels:
            folium.Marker([lat, lon], icon=folium.DivIcon(html=label, icon_size=(0, 0),
                                                          class_name="dei-region-label"),
                          interactive=False).add_to(g)
        groups.append(g)
    _renumber(groups)
    return groups


def _renumber(groups) -> None:
    counter = itertools.count(1)
    for g in groups:
        for element in walk(g):
            element._id = f"region{next(counter):06d}"


def add_to(m: folium.Map, groups: list[folium.FeatureGroup], collapsed: bool = True) -> folium.Map:
    """Add the groups to ``m`` with a LayerControl to switch them (and the map's own overlays)."""
    for g in groups:
        g.add_to(m)
    control = folium.LayerControl(collapsed=collapsed)
    control._id = "region_control"
    control.add_to(m)
    return m
