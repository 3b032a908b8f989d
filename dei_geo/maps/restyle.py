"""Another prepared map's colours, tooltips, legend and title on a city map already in the browser.

A metric, scheme or class-count switch in the app changes only these; the polygons stay. The
base map exposes its city layer (``selection.count_clicks`` names it ``window.deiCities``);
``script`` returns JavaScript, evaluated in the map's frame after the base map (streamlit-folium's
``feature_group`` argument), that restyles that layer, points Leaflet's ``resetStyle`` (used when
the hover highlight ends) at the new styles, gives every feature its new tooltip text and
replaces the HTML of the legend and the title. Sending this (47–55 kB for the 2023 maps) instead
of a new base map (≈1.0 MB of arguments, which streamlit-folium mounts afresh, Leaflet and all)
is what makes a switch quick (``bench/bench_restyle.py``).

Everything sent is JSON data: the tooltips, legend and title were escaped by ``web`` and are
set as HTML in the page, never evaluated as a template.
"""

from __future__ import annotations

import json

from dei_geo.maps import web

_JS = """(function () {
  var d = %s, g = window.deiCities;
  if (!g) { return; }
  g.options.style = function (f) { return d.styles[d.style[f.id]]; };
  g.eachLayer(function (l) {
    l.feature.properties = Object.assign({}, l.feature.properties, {tip: d.tips[l.feature.id]});
    g.resetStyle(l);
  });
  var legend = document.querySelector(".dei-legend:not(.dei-local-legend)");
  var title = document.querySelector(".dei-title");
  if (legend) { legend.innerHTML = d.legend; }
  if (title) { title.innerHTML = d.title; }
})();
"""


def payload(pm: web.PreparedMap) -> dict:
    """The data ``script`` sends: distinct styles, each unit's style index and tooltip, legend and title HTML."""
    distinct: list[dict] = []
    index: dict[str, int] = {}
    for adcode, style in pm.styles.items():
        if style not in distinct:
            distinct.append(style)
        index[str(adcode)] = distinct.index(style)
    tips = {str(f["id"]): f["properties"]["tip"] for f in pm.cities["features"]}
    return {"styles": distinct, "style": index, "tips": tips,
            "legend": web.legend_html(pm), "title": web.title_html(pm)}


def script(pm: web.PreparedMap) -> str:
    """JavaScript that puts ``pm``'s styles, tooltips, legend and title on the mounted city map."""
    data = json.dumps(payload(pm), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return _JS % data.replace("<", "\\u003c")  # still JSON; no "</script>" whatever the text
