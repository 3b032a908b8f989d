"""The map page: the national map beside the overview or the selected city's card.

The map and the card are one fragment: a click on the map reruns only them (not the sidebar,
not the page around them). The base map is rendered once per dataset, language and layers and
shared by all sessions (``leaflet``); streamlit-folium's frontend keeps it in the browser and
only moves the view, the outline of the selected city and, on a metric or class switch, the
colours, tooltips, legend and title (``maps.restyle``).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from dei_geo.app import compare, data_panel, leaflet, level_page, overview, points_panel, profile, selected, state
from dei_geo.app.state import View
from dei_geo.core.i18n import t
from dei_geo.maps import assets, classify, markup, overlays, restyle, selection, web
from dei_geo.sources import boundaries


def prepared(v: View) -> web.PreparedMap:
    """The map of the sidebar's choices (an upload's map when it is shown)."""
    c = v.shown
    if v.user is not None and c.ds is v.user:
        return data_panel.prepared(c.ds, c.metric, c.scheme, c.k, c.lang)
    return state.prepared(c.scheme, c.k, c.lang, c.metric)


def map_with_fallback(v: View) -> web.PreparedMap:
    """``prepared``, or the report tiers' classes when the metric has too few values (with a warning);
    stops the page with an error when the boundaries are missing."""
    try:
        return prepared(v)
    except boundaries.GeodataMissing as err:
        st.error(t("geodata_missing", v.shown.lang, error=err))
        st.stop()
    except classify.TooFewValues as err:  # e.g. 5 published pillar scores cannot make 7 classes
        st.warning(t("too_few_values", v.shown.lang, got=err.got, k=err.k))
        return prepared(dataclasses.replace(v, shown=dataclasses.replace(v.shown, scheme="tiers", k=5)))


def layers(v: View) -> list:
    """The plain data of the region layers turned on (cached per dataset and spatial settings)."""
    if not v.layers:
        return []
    c = v.shown
    return [layer for layer in state.layer_data(state.dataset_key(c.ds), c.ds, c.lang, c.spatial)
            if layer.key in v.layers]


def _base(pm: web.PreparedMap, shown_layers: list, keys: tuple):
    """The base map (built once per map key by ``leaflet.show``)."""
    m = web.build_map(pm)
    if shown_layers:
        overlays.add_to(m, overlays.build(shown_layers, show=keys))
    points_panel.add_to(m, pm.lang)  # the user's point table, unless hidden (issue 13)
    return markup.seal(selection.count_clicks(assets.use_data_urls(m)))


def map_key(v: View) -> tuple:
    """What the base map depends on: the data, language, layers and their settings. Not the
    metric or the classes: those reach the mounted map as a restyle (``maps.restyle``)."""
    c = v.shown
    return (state.dataset_key(c.ds), c.lang, v.layers, c.spatial, points_panel.layer_key(c.lang))


@st.cache_resource(show_spinner=False, max_entries=64)
def _restyle(key: tuple, _pm: web.PreparedMap) -> str:
    """The restyle script of a prepared map (shared by every session)."""
    return restyle.script(_pm)


@st.fragment
def _map_and_card(v: View, pm: web.PreparedMap, shown_layers: list) -> None:
    lang = v.report.lang
    left, right = st.columns([3, 2])
    city = selected.current()
    with right:  # first: the card's deltas reach the browser before the map's (~1 MB of arguments)
        if v.user is not None and v.shown.ds is v.user:
            st.info(t("report_panel_note", lang))
        if city is None:
            st.caption(t("select_hint", lang))
            overview.render(v.report, units=len(pm.cities["features"]))
        else:
            close, add = st.columns(2)
            with close:
                selected.clear_button(lang)
            with add:
                compare.add_button(city, lang)
            level_page.drill_button(city, lang)  # 查看下辖区县 (issue 13)
            profile.brief_buttons(city, lang)
            profile.render(v.report, city)
    with left:
        centre, zoom = selection.view_for(pm.cities, city)
        c = v.shown
        leaflet.show(
            map_key(v), lambda: _base(pm, shown_layers, v.layers),
            selection=markup.seal(selection.highlight(pm.cities, city)),
            restyle=_restyle((map_key(v), c.metric, c.scheme, c.k, pm.title, pm.notes), pm),
            center=centre, zoom=zoom, height=620, widget_key=selected.MAP_KEY,
            on_change=selected.on_map_click,
        )


def render() -> None:
    v = state.view()
    lang = v.report.lang
    # Notes above the map go in one container that is always there: an element that moves in
    # the page is mounted afresh by Streamlit, and the map must stay mounted when they change.
    with st.container():
        if v.user is not None:  # after an upload the map shows it; the one switch back to the report
            st.toggle(t("di_show_user", lang), key=data_panel.SHOW_USER, help=t("di_show_user_help", lang))
        if v.shown.ds is v.report.ds and v.shown.metric != "score":
            st.caption(t("di_pillars_note", lang))
        if any(key in overlays.INTERACTIVE for key in v.layers):  # which LISA / Gi* settings
            kind, k, alpha, correction = v.shown.spatial
            st.caption(t("sp_map_settings", lang,
                         settings=overlays.settings({"kind": kind, "k": k}, alpha, lang, correction)))
        if level_page.active():  # 省 / 区县 / a prefecture's counties (issue 13)
            level_page.render(v)
            return
        points_panel.toggle(lang)
        pm = map_with_fallback(v)
    _map_and_card(v, pm, layers(v))
