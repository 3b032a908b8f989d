"""A point table (名称, 经度, 纬度[, 城市, 得分 …]) on the data page and as a marker layer on the
city map (issue 13). The data page recognises it by its coordinate columns and lists every
problem (row, column, effect, why, fix) and the GCJ-02 note (``sources.points``); the valid points
stay in session state (``POINTS``) until removed, whatever file is uploaded next, and the map
page draws them (``maps.point_layer``) unless hidden (``SHOW``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import folium
import pandas as pd
import streamlit as st

from dei_geo.app import tables
from dei_geo.app.text import plain
from dei_geo.core.i18n import Lang, t
from dei_geo.maps import point_layer
from dei_geo.sources import loader, points
from dei_geo.wording import points as words

POINTS = "pt_upload"  # (name, bytes) of the point table drawn on the map
SHOW = "pt_show"      # the map page's switch


@st.cache_data(show_spinner=False, max_entries=4)
def checked(data: bytes, name: str) -> points.PointTable:
    return points.check(loader.read(data, name=name))


def _remove() -> None:
    st.session_state[POINTS] = None


def render(data: bytes, name: str, lang: Lang) -> None:
    """The data page's report on a point table; keeps its valid points for the map."""
    table = checked(data, name)
    rejected = sum(1 for i in table.issues if i.severity == "error")
    (st.success if table.ok else st.error)(plain(t("lv_pt_summary", lang, file=name, points=len(table.points),
                                                     rejected=rejected)))
    if table.issues:
        st.dataframe(tables.said([words.issue(issue, lang) for issue in table.issues], {
            "where": t("lva_pt_col_where", lang), "effect": t("lva_pt_col_effect", lang),
            "why": t("lva_pt_col_why", lang), "fix": t("lva_pt_col_fix", lang)}), hide_index=True, key="pt_issues")
    if table.gps_shift_m:
        st.caption(t("lv_pt_gcj_note", lang, median=table.gps_shift_m[0], max=table.gps_shift_m[1]))
    if len(table.points):
        st.session_state[POINTS] = (name, data)
        st.info(t("lva_pt_on_map", lang, n=len(table.points)))


def kept() -> tuple[str, pd.DataFrame] | None:
    """The point table on the map (its name and valid points), or None."""
    stored = st.session_state.get(POINTS)
    if not stored:
        return None
    name, data = stored
    return name, checked(data, name).points


def toggle(lang: Lang) -> None:
    """Above the city map: show or hide the points, or remove them."""
    stored = kept()
    if stored is None:
        return
    name, pts = stored
    if SHOW not in st.session_state:
        st.session_state[SHOW] = True
    show, remove = st.columns([4, 1])
    show.toggle(t("lva_pt_show", lang, name=plain(name), n=len(pts)), key=SHOW)
    remove.button(t("lva_pt_remove", lang), key="pt_remove", on_click=_remove)


def layer_key(lang: Lang) -> tuple | None:
    """What the map's point layer depends on (None: no layer drawn)."""
    stored = st.session_state.get(POINTS)
    if not stored or not st.session_state.get(SHOW, True):
        return None
    return hashlib.sha256(stored[1]).hexdigest(), lang


def _drawn(lang: Lang) -> pd.DataFrame | None:
    stored = kept()
    return stored[1] if stored is not None and layer_key(lang) is not None and len(stored[1]) else None


def add_to(m: folium.Map, lang: Lang) -> folium.Map:
    """The point layer on the city map, when there is one and it is not hidden."""
    pts = _drawn(lang)
    if pts is not None:
        point_layer.layer(pts, lang).add_to(m)
    return m


def export_layers(lang: Lang) -> Callable[[], list]:
    """What the HTML export adds for the points shown on the map (built when the file is)."""
    pts = _drawn(lang)
    return (lambda: []) if pts is None else (lambda: [point_layer.layer(pts, lang)])
