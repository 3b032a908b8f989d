"""Selecting a city on the Streamlit map, as pure functions (no Streamlit here).

- ``clicked_adcode`` reads the city out of what ``st_folium`` returns;
- ``highlight`` builds the outline of the selected city as a ``folium.FeatureGroup`` for
  ``st_folium(feature_group_to_add=...)``, so selecting never changes (and remounts) the base map;
- ``count_clicks`` numbers the clicks on each city in the base map, so that clicking a city again
  (after a search or a clear) still changes the value ``st_folium`` sends back.
"""

from __future__ import annotations

from collections.abc import Collection

import folium
from branca.element import MacroElement
from jinja2 import Template

from dei_geo.core.theme import HALO_COLOR, OUTLINE_COLOR

HALO = {"color": HALO_COLOR, "weight": 6, "opacity": 0.9, "fill": False}
OUTLINE = {"color": OUTLINE_COLOR, "weight": 3, "opacity": 1.0, "fill": False}
CITIES_LAYER = "cities"  # ``layer_name`` of the city polygons in ``maps.build_map``


def clicked_adcode(output: dict | None, known: Collection[int] | None = None) -> int | None:
    """The adcode of the feature in ``output["last_active_drawing"]``, or None.

    None when nothing was clicked or the feature is not a city (a province line, say: its
    feature has no ``id``), and when ``known`` is given and the id is not in it.
    """
    feature = (output or {}).get("last_active_drawing")
    raw = feature.get("id") if isinstance(feature, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        return None
    try:
        adcode = int(raw)
    except ValueError:
        return None
    return adcode if known is None or adcode in known else None


def highlight(cities: dict, adcode: int | None) -> folium.FeatureGroup:
    """An outline (white halo under an orange line) of unit ``adcode`` from the prepared GeoJSON.

    Only the geometry is copied: no property (tooltip HTML included) reaches the page. The
    outline is not interactive, so clicks go through to the city underneath. An unknown or
    ``None`` adcode gives an empty group (nothing outlined).
    """
    group = folium.FeatureGroup(name="selection", control=False)
    if adcode is None:
        return group
    shapes = [
        {"type": "Feature", "id": int(f["id"]), "properties": {}, "geometry": f["geometry"]}
        for f in cities["features"]
        if f.get("id") == int(adcode)
    ]
    if shapes:
        data = {"type": "FeatureCollection", "features": shapes}
        for style in (HALO, OUTLINE):
            folium.GeoJson(data, style_function=lambda f, s=style: s, interactive=False).add_to(group)
    return group


class _ClickCounter(MacroElement):
    """On every click, gives the feature clicked new properties with ``clicks`` one higher.

    Registered when the map is created, hence before streamlit-folium's own click handler,
    which copies the feature (with the new count) into ``last_active_drawing``. The properties
    object is replaced, not changed: the value reported last time still holds the old one, and
    streamlit-folium sends only values that differ from it.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on("click", function (e) {
            var props = e.layer.feature.properties;
            e.layer.feature.properties = Object.assign({}, props, {clicks: (props.clicks || 0) + 1});
        });
        {% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        self._name = "ClickCounter"
        self._id = "click_counter"  # fixed: the base map must render identically on every run


def count_clicks(m: folium.Map) -> folium.Map:
    """Attach the click counter to the city layer of ``m`` (built by ``maps.build_map``)."""
    layers = [c for c in m._children.values() if getattr(c, "layer_name", None) == CITIES_LAYER]
    if len(layers) != 1:
        raise ValueError(f"expected one {CITIES_LAYER!r} layer in the map, found {len(layers)}")
    _ClickCounter().add_to(layers[0])
    return m
