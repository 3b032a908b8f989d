"""Folium choropleths of a score table over the 370 city-level units.

``prepare_map`` does the expensive, cacheable part and returns plain data (GeoJSON dicts, styles,
legend rows); ``build_map`` turns that into a fresh ``folium.Map`` on every call, since
streamlit-folium mutates the map it is given. Every string that reaches HTML goes through
``markup.esc`` (HTML and Jinja neutral).
"""

from __future__ import annotations

import itertools
import json
import threading
from binascii import hexlify
from contextlib import contextmanager
from dataclasses import dataclass
from os import urandom
from string import Template as TextTemplate

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from dei_geo.analysis import national
from dei_geo.core import columns, places
from dei_geo.core import tiers as tiers_mod
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import (
    CONFLICT_COLOR,
    CREDIT_INK,
    DEFAULT_K,
    DEFAULT_SCHEME,
    HIGHLIGHT_COLOR,
    INK,
    LINE_COLOR,
    MISSING_COLOR,
    MISSING_LINE,
    MUTED_INK,
    SWATCH_EDGE,
    UNSCORED_COLOR,
    WHITE,
    Scheme,
)
from dei_geo.maps import classify as classify_mod
from dei_geo.maps.markup import esc, js_string
from dei_geo.sources import boundaries
from dei_geo.sources.datasets import Dataset
from dei_geo.wording import change as change_words
from dei_geo.wording import national as national_words

MISSING_LABEL = {"missing": "di_metric_missing",  # ds.meta["missing_metric"] → catalogue key
                 "unpublished": "di_metric_unpublished"}
# a unit with no row: the report did not evaluate it (未参评); a user's table does not list it (无数据)
ABSENT_LABEL = {"unpublished": "unscored", "missing": "di_no_data"}  # ds.meta["missing_metric"] → key
SCHEME_NOTE = {"tiers": "legend_scheme_tiers", "quantiles": "legend_scheme_quantiles",
               "natural_breaks": "legend_scheme_natural_breaks",
               "diverging": "legend_scheme_diverging"}  # the scheme a map was classed by → key

# Bounds of the territory drawn, South China Sea islands included (lat, lng).
CHINA_BOUNDS = [[3.4, 73.4], [53.7, 135.2]]

# --- deterministic element ids ------------------------------------------------------------
# branca gives every element a random id; exported files must be byte-identical across runs,
# and streamlit-folium keys its component on the generated JS. Inside ``deterministic_ids()``
# ids come from a per-thread counter instead.
_ids = threading.local()


def _generate_id(cls) -> str:
    counter = getattr(_ids, "counter", None)
    return f"{next(counter):032x}" if counter else hexlify(urandom(16)).decode()


Element._generate_id = classmethod(_generate_id)


@contextmanager
def deterministic_ids():
    """Number the ids of elements created inside the block 1, 2, 3, …

    A nested block continues the outer numbering: ids must stay unique within one document,
    including elements folium creates only when the map is rendered.
    """
    previous = getattr(_ids, "counter", None)
    if previous is None:
        _ids.counter = itertools.count(1)
    try:
        yield
    finally:
        _ids.counter = previous


def raw_element(text: str) -> Element:
    """An element that renders ``text`` verbatim (never parsed as a Jinja template)."""
    element = Element("{{ this.body }}")
    element.body = text
    return element


# --- preparation (pure data, cacheable) ---------------------------------------------------
@dataclass(frozen=True)
class LegendRow:
    color: str
    label: str
    count: int
    style: str = "fill"  # fill | conflict
    note: str = ""  # beside the count: the report's own figure where it differs


@dataclass(frozen=True)
class PreparedMap:
    """Everything a map needs, as plain picklable data."""

    cities: dict
    styles: dict[int, dict]
    legend: list[LegendRow]
    province_lines: dict
    maritime: dict
    title: str
    source: str
    lang: Lang
    notes: tuple[str, ...] = ()  # under the legend rows: the scheme, the national figure, bases


def _geojson(gdf) -> dict:
    return json.loads(gdf.to_json(drop_id=True))


def tip_head(row, lang: Lang) -> str:
    """The first lines of a unit's tooltip: its short name (with pinyin in English), name · province."""
    name = row.short_name if lang == "zh" else f"{row.pinyin.title()} {row.short_name}"
    where = row.name if row.province == row.name else f"{row.name} · {row.province}"
    return f"<b>{esc(name)}</b><br>{esc(where)}"


def _tip(row, tier_names: dict, conflict_rows: dict, lang: Lang, value_label: str | None = None,
         missing_label: str = "", absent_label: str = "", fmt=lambda v: f"{v:.1f}") -> str:
    head = tip_head(row, lang)
    colon = esc(t("colon", lang))
    if row.status == "conflict":
        printed = "<br>".join(
            f"#{int(r)} · {s:.1f}" for r, s in conflict_rows.get(row.adcode, [])
        )
        tier = tier_names.get(row.tier, "")
        return (
            f"{head}<br><span style='color:{CONFLICT_COLOR}'>⚠ {esc(t('conflict', lang))}</span>"
            f"<br>{esc(t('tip_printed_rows', lang))}{colon}<br>{printed}"
            + (f"<br>{esc(t('tip_tier', lang))}{colon}{esc(tier)}" if tier else "")
        )
    if row.status == "missing":
        return f"{head}<br>{esc(missing_label)}"
    if pd.isna(row.value):
        return f"{head}<br>{esc(absent_label or t('unscored', lang))}"
    parts = [f"{esc(value_label or t('tip_score', lang))}{colon}{esc(fmt(row.value))}"]
    if not pd.isna(row.rank):
        parts.append(
            f"{esc(t('tip_rank', lang))}{colon}"
            + esc(t("rank_of", lang, rank=int(row.rank), total=row.total))
        )
    if isinstance(row.tier, str):
        parts.append(f"{esc(t('tip_tier', lang))}{colon}{esc(tier_names.get(row.tier, row.tier))}")
    return head + "<br>" + "<br>".join(parts)


def _metric_frame(ds: Dataset, metric: str) -> pd.DataFrame:
    """adcode, value, rank, tier, status of ``metric``: rank only where the dataset has one
    (``rank``, ``{metric}_rank``), tier only for the overall score; a listed city with no value
    is ``missing`` (not published / not in the file), distinct from ``unscored`` (not listed)."""
    s = ds.scores
    if metric not in s.columns:
        raise ValueError(f"{ds.label}: no column {metric!r} to map")
    if metric == "score":
        out = s[["adcode", "score", "rank", "tier", "status"]].rename(columns={"score": "value"})
    else:
        rank = s[f"{metric}_rank"] if f"{metric}_rank" in s else pd.Series(pd.NA, index=s.index)
        out = pd.DataFrame({"adcode": s["adcode"], "value": pd.to_numeric(s[metric], errors="coerce"),
                            "rank": rank, "tier": None, "status": "ok"})
    out["status"] = out["status"].where(out["value"].notna() | out["status"].ne("ok"), "missing")
    return out


def prepare_map(
    ds: Dataset,
    metric: str = "score",
    scheme: Scheme = DEFAULT_SCHEME,
    k: int = DEFAULT_K,
    lang: Lang = "zh",
    metric_label: str | None = None,
    centred: bool = False,
    unit: float = 0.1,
) -> PreparedMap:
    """Join ``ds.scores[metric]`` (overall, a pillar, an indicator, …) to the web-LOD units,
    class and style every unit. A difference (``columns.DERIVED``: score or rank change) is
    classed around 0 (``classify.diverging``) whatever ``scheme`` says; the legend's notes say
    which scheme was used, and for a rank change, among which cities the ranks were taken.
    ``centred``: class any metric that way (e.g. a model's residuals), values signed, rounded to
    ``unit`` (``classify.display_unit`` for values of another scale than scores)."""
    units = boundaries.layer("cities", "web")
    names = places.load_places()[["adcode", "short_name", "pinyin"]]
    units = units.merge(names, on="adcode", how="left")
    scores = _metric_frame(ds, metric)
    label = metric_label or columns.label(metric, lang)
    kind = ds.meta.get("missing_metric", "missing")
    missing_label = t(MISSING_LABEL[kind], lang)
    absent_label = t(ABSENT_LABEL[kind], lang)
    joined = boundaries.join_scores(units, scores)
    joined["status"] = joined["status"].fillna("unscored")
    joined["total"] = ds.meta.get("evaluated_cities", len(ds.scores))
    # the tier always follows the value shown; a conflict keeps the tier its printed rows share
    derived = pd.Series(tiers_mod.classify(joined["value"], ds.tiers), index=joined.index)
    joined["tier"] = derived.astype(object).where(joined["status"].ne("conflict"), joined["tier"])
    if metric != "score":  # the report's tiers classify the overall score only
        joined["tier"] = None

    notes: list[str] = []
    whole = metric.startswith("rank_")
    centred = centred or metric in columns.DERIVED
    fmt = (lambda v: f"{v:+.0f}" if v else "0") if whole else (
        (lambda v: f"{v:+.{classify_mod.decimals(unit)}f}") if centred else (lambda v: f"{v:.1f}"))
    if centred:  # a difference: centred on 0, never tiers or plain quantiles
        scheme_used = "diverging"
        classes = classify_mod.diverging(joined["value"], k, whole=whole, unit=unit)
        common = ds.meta.get("common", {}).get(metric)
        if whole and common is not None:
            label = t("di_m_rank_common", lang, label=label, n=common)
            notes.append(change_words.rank_basis(common, lang))
    elif scheme != "tiers":
        scheme_used = scheme
        classes = classify_mod.classify(joined["value"], scheme, ds.tiers, k=k, lang=lang)
    elif metric == "score":  # a conflicting unit keeps the tier its printed rows share
        scheme_used = scheme
        classes = classify_mod.by_tiers(joined["tier"], ds.tiers, lang)
    else:  # same breaks for a pillar or indicator, labelled as score ranges
        scheme_used = scheme
        classes = classify_mod.as_ranges(
            classify_mod.classify(joined["value"], "tiers", ds.tiers, lang=lang))
    notes.insert(0, t(SCHEME_NOTE[scheme_used], lang, k=len(classes.labels)))
    tier_names = dict(zip(ds.tiers["tier"], ds.tiers["name_zh" if lang == "zh" else "name_en"]))
    conflict_rows = (
        ds.printed.groupby("adcode")[["rank", "score"]]
        .apply(lambda g: list(g.itertuples(index=False, name=None)))
        .to_dict()
    )

    styles: dict[int, dict] = {}
    tips = []
    for row, code in zip(joined.itertuples(), classes.codes):
        fill = classes.colors[code] if code >= 0 else UNSCORED_COLOR
        style = {"fillColor": fill, "fillOpacity": 0.9, "color": WHITE, "weight": 0.4}
        if row.status == "conflict":
            style.update(color=CONFLICT_COLOR, weight=2.2, dashArray="4 3")
            if code < 0:
                style["fillColor"] = WHITE
        if row.status == "missing":
            style.update(fillColor=MISSING_COLOR, color=MISSING_LINE, weight=0.6)
        styles[int(row.adcode)] = style
        tips.append(_tip(row, tier_names, conflict_rows, lang,
                         None if metric == "score" else label, missing_label, absent_label, fmt))

    features = joined[["adcode", "geometry"]].copy()
    features["tip"] = tips
    cities = _geojson(features)
    for feature in cities["features"]:
        feature["id"] = feature["properties"].pop("adcode")

    n = classify_mod.counts(classes, joined["status"].ne("conflict"))  # conflicts: own row
    beside = [""] * len(n)
    if metric == "score":
        figs = national.figures(ds)
        if scheme_used == "tiers":  # the tier counts are the national figures (basis: map units)
            order = list(ds.tiers["tier"])[::-1]  # by_tiers: low → high
            n = [figs[national.UNITS].tiers[i] for i in order]
            reported = figs.get(national.REPORTED)
            if reported is not None:
                beside = [t("legend_reported", lang, n=reported.tiers[i])
                          if reported.tiers[i] != got else "" for i, got in zip(order, n)]
        notes.append(national_words.mean(figs, lang))
    legend = [LegendRow(c, lab, cnt, note=note)
              for c, lab, cnt, note in zip(classes.colors, classes.labels, n, beside)
              if cnt or (metric == "score" and scheme_used == "tiers")]  # the report's five tiers always
    legend = legend[::-1]  # highest class first
    n_missing = int((joined.status == "missing").sum())
    if n_missing:
        legend.append(LegendRow(MISSING_COLOR, missing_label, n_missing))
    legend.append(
        LegendRow(UNSCORED_COLOR, absent_label, int((joined.status == "unscored").sum()))
    )
    n_conflict = int((joined.status == "conflict").sum())
    if n_conflict:
        legend.append(LegendRow(CONFLICT_COLOR, t("conflict_legend", lang), n_conflict, "conflict"))

    return PreparedMap(
        cities=cities,
        styles=styles,
        legend=legend,
        province_lines=_geojson(boundaries.layer("province_lines", "web")),
        maritime=_geojson(boundaries.maritime()),
        title=t("map_title", lang, label=ds.label, metric=label),
        source=ds.meta.get("source_note" if lang == "zh" else "source_note_en")
        or t("source_note", lang, source=ds.label),
        lang=lang,
        notes=tuple(notes),
    )


# --- rendering ----------------------------------------------------------------------------
class _Control(MacroElement):
    """A Leaflet control holding fixed, pre-escaped HTML (legend, title)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function() {
            var ctl = L.control({position: {{ this.position|tojson }}});
            ctl.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            ctl.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self, html_text: str, position: str, css_class: str):
        super().__init__()
        self._name = "Control"
        self.position = position
        self.css_class = css_class
        # a JS string literal that can neither close the <script> nor open a Jinja tag
        self.html_json = js_string(html_text)


class _HomeButton(MacroElement):
    """A zoom-bar button (⌂) that brings the national view back (``CHINA_BOUNDS``)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var ctl = L.control({position: "topleft"});
            ctl.onAdd = function() {
                var bar = L.DomUtil.create("div", "leaflet-bar dei-home");
                var a = L.DomUtil.create("a", "", bar);
                a.href = "#"; a.role = "button"; a.innerHTML = "&#8962;";
                a.title = {{ this.label }}; a.setAttribute("aria-label", {{ this.label }});
                L.DomEvent.disableClickPropagation(bar);
                L.DomEvent.on(a, "click", function(e) {
                    L.DomEvent.preventDefault(e);
                    map.fitBounds({{ this.bounds|tojson }});
                });
                return bar;
            };
            ctl.addTo(map);
        })();
        {% endmacro %}"""
    )

    def __init__(self, label: str):
        super().__init__()
        self._name = "HomeButton"
        self.label = js_string(label)
        self.bounds = CHINA_BOUNDS


class _AttributionPrefix(MacroElement):
    """Leaflet's attribution prefix as plain text (no flag icon, no link out), crediting the
    boundaries in the map's language."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix }});
        {% endmacro %}"""
    )

    def __init__(self, prefix: str):
        super().__init__()
        self._name = "AttributionPrefix"
        self.prefix = js_string(prefix)


CSS = TextTemplate("""<style>
.leaflet-container { background: $paper; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.dei-legend, .dei-title { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font-size: 12px; line-height: 18px; color: $ink; }
.dei-title { font-size: 15px; font-weight: 600; }
.dei-title small { display: block; font-weight: 400; font-size: 11px; color: $credit; }
.dei-legend i { display: inline-block; width: 16px; height: 11px; margin-right: 6px;
  vertical-align: -1px; border: 1px solid $swatch; }
.dei-legend i.conflict { background: transparent !important; border: 2px dashed $conflict; }
.dei-legend .n { color: $muted; margin-left: 4px; }
.dei-legend .head { font-weight: 600; margin-bottom: 2px; }
.dei-home a { font-size: 18px; font-weight: 700; }
.leaflet-interactive:focus { outline: none; }  /* no focus box around a clicked unit's bounds */
.dei-legend .note { color: $muted; font-size: 11px; line-height: 15px; max-width: 260px; margin-top: 2px; }
</style>""").substitute(paper=WHITE, ink=INK, credit=CREDIT_INK, swatch=SWATCH_EDGE,
                       conflict=CONFLICT_COLOR, muted=MUTED_INK)


def legend_html(prepared: PreparedMap) -> str:
    rows = [f"<div class='head'>{esc(t('legend_title', prepared.lang))}</div>"]
    for row in prepared.legend:
        cls = " class='conflict'" if row.style == "conflict" else ""
        count = esc(t("legend_count", prepared.lang, n=row.count))
        note = f"<span class='n'>{esc(row.note)}</span>" if row.note else ""
        rows.append(
            f"<div><i{cls} style='background:{esc(row.color)}'></i>{esc(row.label)}"
            f"<span class='n'>{count}</span>{note}</div>"
        )
    rows += [f"<div class='note'>{esc(note)}</div>" for note in prepared.notes]
    return "".join(rows)


def title_html(prepared: PreparedMap) -> str:
    return f"{esc(prepared.title)}<small>{esc(prepared.source)}</small>"


def build_map(prepared: PreparedMap, height: str = "100%") -> folium.Map:
    """A fresh folium map (no basemap) of the prepared layers; assets still point at CDNs.

    Use ``assets.use_data_urls`` (Streamlit) or ``export.to_html`` (files) to go offline.
    """
    with deterministic_ids():
        m = folium.Map(
            location=[35.0, 104.0],
            zoom_start=4,
            tiles=None,
            height=height,
            zoom_snap=0.25,
            prefer_canvas=False,
            control_scale=True,  # a scale bar (metric and imperial), bottom left
        )
        m.fit_bounds(CHINA_BOUNDS)
        m.get_root().header.add_child(raw_element(CSS), name="dei_css")
        styles = prepared.styles
        folium.GeoJson(
            prepared.cities,
            name="cities",
            style_function=lambda f: styles[f["id"]],
            highlight_function=lambda f: {"weight": 2.5, "color": HIGHLIGHT_COLOR},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
            zoom_on_click=False,
            control=False,  # the choropleth is always on; only overlays are switchable
        ).add_to(m)
        line = {"color": LINE_COLOR, "weight": 1.0, "opacity": 0.9, "interactive": False}
        folium.GeoJson(
            prepared.province_lines, name="provinces", style_function=lambda f: line,
            control=False,
        ).add_to(m)
        folium.GeoJson(
            prepared.maritime, name="maritime", style_function=lambda f: line, control=False,
        ).add_to(m)
        _Control(title_html(prepared), "topright", "dei-title").add_to(m)
        _AttributionPrefix(t("map_attribution", prepared.lang)).add_to(m)
        _HomeButton(t("map_home", prepared.lang)).add_to(m)
        _Control(legend_html(prepared), "bottomleft", "dei-legend").add_to(m)
    return m
