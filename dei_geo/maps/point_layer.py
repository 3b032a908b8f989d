"""A point table (``sources.points``: 高新区/经开区, data centres) as a marker layer on the folium
city map: circle markers with escaped tooltips (``markup.esc``), clustered above ``CLUSTER_AT``
(Leaflet.markercluster, whose JS/CSS ``assets`` inlines or turns into ``data:`` URLs: no CDN)."""

from __future__ import annotations

import folium
import pandas as pd
from folium.plugins import MarkerCluster
from folium.template import Template

from dei_geo.core import columns, places, theme
from dei_geo.core.i18n import Lang, t
from dei_geo.maps.markup import esc
from dei_geo.maps.unit_map import CLUSTER_AT

NAME = "points"  # the layer's name (tests and the browser find it by it)


class _Cluster(MarkerCluster):
    """A marker cluster that first gives its map a maximum zoom (clustering needs one; a map with
    no tile layer has none), in its own script, so it works wherever the map's script is taken
    (streamlit-folium walks the elements' scripts) and in exported files."""

    _template = Template("""{% macro script(this, kwargs) %}
        if (!isFinite({{ this._parent.get_name() }}.getMaxZoom())) {
            {{ this._parent.get_name() }}.setMaxZoom(18);
        }
        var {{ this.get_name() }} = L.markerClusterGroup({{ this.options|tojavascript }});
        {% endmacro %}""")


def tip(row, metrics: list[str], lang: Lang) -> str:
    lines = [f"<b>{esc(row['name'])}</b>"]
    if row.get("found"):
        lines.append(esc(places.display_name(int(row["found"]), short=False)))
    colon = esc(t("colon", lang))
    lines += [f"{esc(columns.label(m, lang))}{colon}{row[m]:.1f}" for m in metrics if not pd.isna(row[m])]
    lines.append(esc(f"{row['lon']:.4f}, {row['lat']:.4f}"))
    return "<br>".join(lines)


def layer(points: pd.DataFrame, lang: Lang) -> folium.FeatureGroup | MarkerCluster:
    """``points`` (``sources.points.PointTable.points``) as one layer, clustered when dense."""
    metrics = [c for c in points.columns if c in columns.metrics()]
    if len(points) > CLUSTER_AT:
        group = _Cluster(name=NAME, control=False, options={"showCoverageOnHover": False})
    else:
        group = folium.FeatureGroup(name=NAME, control=False)
    for _, row in points.iterrows():
        folium.CircleMarker([row["lat"], row["lon"]], radius=5, color=theme.OUTLINE_COLOR, weight=1.5,
                            fill=True, fill_color=theme.WHITE, fill_opacity=1,
                            tooltip=folium.Tooltip(tip(row, metrics, lang))).add_to(group)
    return group
