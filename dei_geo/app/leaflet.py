"""The map component: streamlit-folium's frontend, with the base map rendered once per map.

``st_folium`` renders the whole folium map three times and walks every coordinate for its bounds
on every rerun (0.4–0.55 s of server CPU for the 370-unit map), although the base map's HTML is
the same from one run to the next. Here the base map's component arguments are computed once
per map (``key``) and shared by every session; a run renders only the selected city's outline
(a small feature group) and sends the view. The arguments are the ones ``st_folium`` would send
(``tests/app/test_leaflet.py`` compares them), so the frontend keeps the map in the browser and
moves only the view and the outline.

Uses streamlit-folium's module-level helpers, hence its pin (``<0.28``) in pyproject.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import folium
import streamlit as st
import streamlit_folium as sf

RETURNED = ("last_active_drawing",)  # the only value read back: the city clicked


def _links(m: folium.Map) -> tuple[list[str], list[str]]:
    """CSS and JS links of the map's elements, deduplicated, as ``st_folium`` collects them."""
    css: list[str] = []
    js: list[str] = []

    def walk(element):
        if isinstance(element, folium.elements.JSCSSMixin):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


def static_args(m: folium.Map, widget_key: str) -> dict:
    """The arguments of a base map that do not change from run to run."""
    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    css, js = _links(m)
    return {"script": script, "header": header, "html": html, "id": sf.get_full_id(m),
            "css_links": css, "js_links": js, "key": sf.generate_js_hash(script, widget_key, False)}


@st.cache_resource(show_spinner=False, max_entries=32)
def _static(key: Hashable, _build: Callable[[], folium.Map], widget_key: str) -> dict:
    return static_args(_build(), widget_key)


def selection_script(group: folium.FeatureGroup) -> str:
    """The feature group's script, attached to the map in the browser (``map_div``)."""
    return sf._get_feature_group_string(group, folium.Map(tiles=None), idx=0)


def show(key: Hashable, build: Callable[[], folium.Map], *, selection: folium.FeatureGroup,
         center: tuple[float, float], zoom: float, height: int, widget_key: str,
         on_change: Callable[[], None], restyle: str = "") -> dict | None:
    """The map built by ``build`` (called once per ``key``), with ``selection`` drawn on top and
    the view at ``center``/``zoom``; ``on_change`` runs when the user clicks a feature (its value
    in ``st.session_state[widget_key]``, as with ``st_folium``). ``restyle``: JavaScript run after
    the selection is drawn (``maps.restyle``: another metric's colours on the same base map)."""
    args = _static(key, build, widget_key)

    def changed() -> None:
        st.session_state[widget_key] = st.session_state.get(args["key"], {})
        on_change()

    return sf._component_func(
        script=args["script"], header=args["header"], html=args["html"], id=args["id"],
        key=args["key"], height=height, width=None, returned_objects=list(RETURNED),
        default={name: None for name in RETURNED}, zoom=zoom, center=center,
        feature_group=selection_script(selection) + restyle, return_on_hover=False, layer_control=None,
        pixelated=False, css_links=args["css_links"], js_links=args["js_links"],
        on_change=changed, wrap_longitude=False,
    )
