"""Selecting a city on the Streamlit map, as pure functions (no Streamlit here).

- ``clicked_adcode`` reads the city out of what ``st_folium`` returns;
- ``highlight`` builds the outline of the selected city as a ``folium.FeatureGroup`` for
  ``st_folium(feature_group_to_add=...)``, so selecting never changes (and remounts) the base map;
- ``view_for`` gives the centre and zoom that fit the selected city (or the country) in the map;
- ``count_clicks`` numbers the clicks on each city in the base map, so that clicking a city again
  (after a search or a clear) still changes the value ``st_folium`` sends back, and exposes the
  city layer to ``maps.restyle``.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import folium
import shapely
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


MAP_PIXELS = (580, 620)  # the app's map, roughly, at 1440×900: what a view must fit into
MAX_ZOOM = 9.0  # a small city (澳门) is framed, not filled
CLEAR_OF_LEGEND = (70, -50)  # pixels right and up of the map's centre where a selected city sits
CHINA = (73.4, 3.4, 135.2, 53.7)  # west, south, east, north: web.CHINA_BOUNDS, the national view


def _mercator_y(lat: float) -> float:
    lat = math.radians(max(min(lat, 85.0), -85.0))
    return math.log(math.tan(math.pi / 4 + lat / 2))


def _frame(bounds, pixels: tuple[int, int], margin: float) -> tuple[tuple[float, float], float]:
    """Centre and zoom (quarter steps, the map's ``zoom_snap``) showing ``bounds`` in ``margin`` of the map."""
    west, south, east, north = bounds
    width_px, height_px = (p * margin for p in pixels)
    # pixels per world at zoom z: 256·2^z; longitude spans 360°, Mercator y spans 2π
    zoom_x = math.log2(width_px * 360 / (256 * max(east - west, 1e-6)))
    zoom_y = math.log2(height_px * 2 * math.pi / (256 * max(_mercator_y(north) - _mercator_y(south), 1e-6)))
    centre_y = (_mercator_y(north) + _mercator_y(south)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return (centre_lat, (west + east) / 2), math.floor(min(zoom_x, zoom_y, MAX_ZOOM) * 4) / 4


NATIONAL = _frame(CHINA, MAP_PIXELS, 1.0)  # the whole country, as the map opens


def view_for(cities: dict, adcode: int | None, pixels: tuple[int, int] = MAP_PIXELS,
             margin: float = 0.45) -> tuple[tuple[float, float], float]:
    """(centre (lat, lng), zoom) framing unit ``adcode`` in ``margin`` of the map; the national
    view when nothing (or an unknown unit) is selected."""
    geometry = next((f["geometry"] for f in cities["features"] if adcode is not None
                     and f.get("id") == int(adcode)), None)
    if geometry is None:
        return NATIONAL
    (lat, lng), zoom = _frame(shapely.geometry.shape(geometry).bounds, pixels, margin)
    zoom = max(zoom, NATIONAL[1])
    # the city sits up and right of the map's centre, clear of the legend (bottom left)
    world = 256 * 2 ** zoom
    x = (lng + 180) / 360 * world - CLEAR_OF_LEGEND[0]
    y = (1 - _mercator_y(lat) / math.pi) / 2 * world - CLEAR_OF_LEGEND[1]
    centre_lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y / world))) - math.pi / 2)
    return (centre_lat, x / world * 360 - 180), zoom


class _ClickCounter(MacroElement):
    """On every click, gives the feature clicked new properties with ``clicks`` one higher, and
    reports the click at once.

    Registered when the map is created, hence before streamlit-folium's own click handler,
    which copies the feature (with the new count) into ``last_active_drawing``. The properties
    object is replaced, not changed: the value reported last time still holds the old one, and
    streamlit-folium sends only values that differ from it.

    streamlit-folium sends a click 250 ms late (its value update is debounced for map moves). When
    ``last_active_drawing`` is the only value read back, the handler sends that value itself
    right after streamlit-folium's handler has run (``setTimeout`` 0) and records it as sent
    (``previous_data``), so the debounced update finds nothing new: one rerun, 250 ms sooner.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        window.deiCities = {{ this._parent.get_name() }};
        {{ this._parent.get_name() }}.on("click", function (e) {
            var props = e.layer.feature.properties;
            e.layer.feature.properties = Object.assign({}, props, {clicks: (props.clicks || 0) + 1});
            setTimeout(function () {
                var g = window.__GLOBAL_DATA__;
                if (!g || window.parent === window || !g.returned_objects
                    || g.returned_objects.join() !== "last_active_drawing") { return; }
                var value = {last_active_drawing: g.last_active_drawing};
                if (JSON.stringify(g.previous_data) === JSON.stringify(value)) { return; }
                g.previous_data = value;
                window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
                                           value: value, dataType: "json"}, "*");
            }, 0);
        });
        {% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        self._name = "ClickCounter"
        self._id = "click_counter"  # fixed: the base map must render identically on every run


def count_clicks(m: folium.Map) -> folium.Map:
    """Attach the click counter to the city layer of ``m`` (built by ``maps.build_map``), and
    expose that layer as ``window.deiCities`` (``maps.restyle`` recolours it)."""
    layers = [c for c in m._children.values() if getattr(c, "layer_name", None) == CITIES_LAYER]
    if len(layers) != 1:
        raise ValueError(f"expected one {CITIES_LAYER!r} layer in the map, found {len(layers)}")
    _ClickCounter().add_to(layers[0])
    return m
