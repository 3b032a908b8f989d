"""An offline HTML map carrying every year of a panel, with a year control inside the page.

Each year is prepared as a single-year map (``web.prepare_map``: its classes, legend, tooltips);
the page holds the boundaries once (the last year's map, built by ``web.build_map``) and, per
year, only what differs: a colour index per unit (a shared palette), the few styles that are not
plain fills (conflicts, unpublished values), the tooltips and the legend and title HTML. A slider
(and ← / → keys) restyles the cities layer in the page. Everything from the data reaches the page
as escaped HTML (``markup.esc`` inside ``web``) inside one JSON text that ``markup.js_string``
makes a safe JavaScript string; the bytes are the same on every run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import MacroElement
from jinja2 import Template

from dei_geo.core import files
from dei_geo.core.i18n import Lang, t
from dei_geo.maps import export, markup
from dei_geo.maps.web import (
    PreparedMap,
    build_map,
    deterministic_ids,
    legend_html,
    prepare_map,
    title_html,
)
from dei_geo.sources.datasets import Dataset

_FILL_ONLY = ("fillColor",)  # a style that differs from the default in its fill only


@dataclass(frozen=True)
class YearsMap:
    """One prepared map per year (ascending), all of one metric and scheme."""

    years: tuple[int, ...]
    maps: tuple[PreparedMap, ...]
    lang: Lang


def prepare_years(datasets: dict[int, Dataset], metric: str = "score", scheme: str = "tiers", k: int = 5,
                  lang: Lang = "zh") -> YearsMap:
    """Prepare each year's dataset (``{year: Dataset}``, e.g. from ``Panel.dataset``) the same way."""
    if not datasets:
        raise ValueError("no year to map")
    years = tuple(sorted(datasets))
    return YearsMap(years, tuple(prepare_map(datasets[y], metric, scheme, k, lang) for y in years), lang)


def _year_data(ym: YearsMap) -> dict:
    """The per-year payload: palette, colour indexes in feature order, exceptions, tips, legends."""
    ids = [f["id"] for f in ym.maps[-1].cities["features"]]
    base = dict(ym.maps[-1].styles[ids[0]])
    palette: list[str] = []
    out = {"ids": ids, "base": {k: v for k, v in base.items() if k not in _FILL_ONLY}, "years": []}
    for year, pm in zip(ym.years, ym.maps):
        fills, special = [], {}
        tips = {f["id"]: f["properties"]["tip"] for f in pm.cities["features"]}
        for a in ids:
            style = pm.styles[a]
            if style["fillColor"] not in palette:
                palette.append(style["fillColor"])
            fills.append(palette.index(style["fillColor"]))
            extra = {k: v for k, v in style.items() if k not in _FILL_ONLY and out["base"].get(k) != v}
            if extra:
                special[str(a)] = extra
        out["years"].append({"year": year, "fill": fills, "special": special, "tips": [tips[a] for a in ids],
                             "legend": legend_html(pm), "title": title_html(pm)})
    out["palette"] = palette
    return out


class _YearControl(MacroElement):
    """The year slider: restyles the cities layer, swaps tooltips, legend and title."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var layer = {{ this.layer }};
            var data = JSON.parse({{ this.data_js }});
            var index = {}; data.ids.forEach(function(id, i) { index[id] = i; });
            var current = data.years.length - 1;
            function styleOf(id) {
                var y = data.years[current], s = Object.assign({}, data.base);
                s.fillColor = data.palette[y.fill[index[id]]];
                return Object.assign(s, y.special[String(id)] || {});
            }
            layer.options.style = function(f) { return styleOf(f.id); };
            function show(i) {
                current = i;
                var y = data.years[i];
                layer.eachLayer(function(l) {
                    l.setStyle(styleOf(l.feature.id));
                    l.feature.properties.tip = y.tips[index[l.feature.id]];
                });
                var legend = document.querySelector(".dei-legend");
                if (legend) { legend.innerHTML = y.legend; }
                var title = document.querySelector(".dei-title");
                if (title) { title.innerHTML = y.title; }
                label.textContent = String(y.year);
                slider.value = String(i);
            }
            var ctl = L.control({position: "topright"});
            var slider, label;
            ctl.onAdd = function() {
                var div = L.DomUtil.create("div", "dei-years");
                div.style.cssText = "background:rgba(255,255,255,.92);padding:6px 9px;border-radius:4px;" +
                    "box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:13px";
                var name = L.DomUtil.create("span", "", div);
                name.textContent = {{ this.year_label }};
                slider = L.DomUtil.create("input", "", div);
                slider.type = "range"; slider.min = "0"; slider.max = String(data.years.length - 1);
                slider.step = "1"; slider.value = String(current);
                slider.setAttribute("aria-label", {{ this.year_label }});
                label = L.DomUtil.create("b", "", div);
                label.textContent = String(data.years[current].year);
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(slider, "input", function() { show(parseInt(slider.value, 10)); });
                return div;
            };
            ctl.addTo(map);
            document.addEventListener("keydown", function(e) {
                if (e.key === "ArrowLeft" && current > 0) { show(current - 1); }
                if (e.key === "ArrowRight" && current < data.years.length - 1) { show(current + 1); }
            });
        })();
        {% endmacro %}"""
    )

    def __init__(self, layer: str, data: dict, lang: Lang):
        super().__init__()
        self._name = "YearControl"
        self.layer = layer
        self.data_js = markup.js_string(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        self.year_label = markup.js_string(t("yr_map_year", lang))


def _cities_layer(m: folium.Map) -> folium.GeoJson:
    return next(c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "cities")


def to_html(ym: YearsMap) -> str:
    """One self-contained HTML document (Leaflet inlined, no external URL), the last year shown."""
    with deterministic_ids():
        m = build_map(ym.maps[-1])
        _YearControl(_cities_layer(m).get_name(), _year_data(ym), ym.lang).add_to(m)
        return export.document(m, ym.maps[-1].title + f" ({ym.years[0]}–{ym.years[-1]})")


def write_html(ym: YearsMap, out: Path) -> Path:
    """``to_html`` written atomically (``files.WriteFailed`` names the path and the reason)."""
    return files.write_atomic(Path(out), to_html(ym).encode("utf-8"))
