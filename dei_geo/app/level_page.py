"""The map page at the other levels (issue 13): 省 (province means of the shown dataset's cities,
n per province, a province card on click), 区县 (the county upload nationally; a click opens the
county's prefecture) and a prefecture's drill-down (its counties, fitted; a click opens a county
card; 返回全国). The maps are folium through ``leaflet.show`` with keys of their own, so clicks
come back; the national county map is 2,875 polygons (``bench/bench_levels.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dei_geo.analysis import rollup
from dei_geo.app import county_card, leaflet, levels, state
from dei_geo.app.state import View
from dei_geo.app.text import plain
from dei_geo.core import columns, places
from dei_geo.core.i18n import Lang, t
from dei_geo.maps import assets, classify, level_map, markup, selection, web
from dei_geo.sources.datasets import Dataset

PROVINCE = "lva_province"  # the province whose card is shown (province level)
MAP_KEYS = {"province": "lva_map_province", "county": "lva_map_county", "prefecture": "lva_map_prefecture"}
HEIGHT = 620


def active() -> bool:
    """Whether the map page shows a level other than the city map (or a drill-down)."""
    return levels.prefecture() is not None or levels.level() != "city"


def render(v: View) -> None:
    if levels.prefecture() is not None:
        _prefecture(v, levels.prefecture())
    elif levels.level() == "province":
        _provinces(v)
    else:
        _counties(v)


def _source(ds: Dataset, lang: Lang) -> str:
    return ds.meta.get("source_note" if lang == "zh" else "source_note_en") or t("source_note", lang, source=ds.label)


def _base(pm: web.PreparedMap, fit: bool, only: frozenset[int] | None = None):
    m = web.build_map(pm)
    if fit:  # the base map itself opens on the units, whether or not the view below is applied first
        level_map.fitted(m, pm, only)
    return markup.seal(selection.count_clicks(assets.use_data_urls(m)))


def _show(key: tuple, pm: web.PreparedMap, chosen: int | None, view, widget: str,
          on_click: Callable[[int], None], only: frozenset[int] | None = None) -> None:
    known = {int(f["id"]) for f in pm.cities["features"]}

    def clicked() -> None:
        adcode = selection.clicked_adcode(st.session_state.get(widget), known)
        if adcode is not None:
            on_click(adcode)

    centre, zoom = view
    leaflet.show(key, lambda: _base(pm, view != selection.NATIONAL, only),
                 selection=markup.seal(selection.highlight(pm.cities, chosen)),
                 center=centre, zoom=zoom, height=HEIGHT, widget_key=widget, on_change=clicked)


def _with_fallback(build: Callable[[str, int], web.PreparedMap], scheme: str, k: int, lang: Lang):
    """``build(scheme, k)``, or with the report's tiers when the values are too few for ``k`` classes."""
    try:
        return build(scheme, k)
    except classify.TooFewValues as err:
        st.warning(t("too_few_values", lang, got=err.got, k=err.k))
        return build("tiers", 5)


# --- 省 -----------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=16)
def province_means(key: tuple, _ds: Dataset, metric: str) -> pd.DataFrame:
    """``analysis.rollup`` of the dataset's city values by province (code, name, n, units, mean, rank…)."""
    return rollup.rollup(_ds.scores[["adcode", metric]], metric, "city")


@st.cache_resource(show_spinner=False, max_entries=16)
def _province_map(key: tuple, _rolled: pd.DataFrame, label: str, title: str, source: str, scheme: str, k: int,
                  lang: Lang) -> web.PreparedMap:
    return level_map.province_map(_rolled, label, title, source, scheme, k, lang)


def _select_province(code: int) -> None:
    st.session_state[PROVINCE] = code


def _provinces(v: View) -> None:
    c, lang = v.shown, v.shown.lang
    key = state.dataset_key(c.ds)
    rolled = province_means(key, c.ds, c.metric)
    label = columns.label(c.metric, lang)
    title = t("lva_province_title", lang, label=c.ds.label, metric=label)
    pm = _with_fallback(lambda s, k: _province_map((key, c.metric, s, k, lang), rolled, label, title,
                                                   _source(c.ds, lang), s, k, lang), c.scheme, c.k, lang)
    chosen = st.session_state.get(PROVINCE)
    left, right = st.columns([3, 2])
    with right:
        if chosen is None or chosen not in set(rolled["code"]):
            st.caption(t("lva_province_hint", lang))
            _province_table(rolled, lang)
        else:
            _province_card(c.ds, c.metric, rolled, chosen, lang)
    with left:
        _show(("province", key, c.metric, c.scheme, c.k, lang), pm, chosen, selection.NATIONAL,
              MAP_KEYS["province"], _select_province)


def _n(rolled: pd.DataFrame) -> list[str]:
    return [f"{n} / {u}" for n, u in zip(rolled["n"], rolled["units"])]


def _province_table(rolled: pd.DataFrame, lang: Lang) -> None:
    mean = t("lva_col_mean", lang)
    st.dataframe(pd.DataFrame({
        t("lva_col_rank", lang): rolled["rank"], t("col_province", lang): rolled["name"],
        mean: rolled["mean"].round(1), t("lva_col_n", lang): _n(rolled),
    }), hide_index=True, key="lva_province_table", placeholder="—", height=560,
        column_config={mean: st.column_config.NumberColumn(mean, format="%.1f")})


def _province_card(ds: Dataset, metric: str, rolled: pd.DataFrame, code: int, lang: Lang) -> None:
    row = rolled.set_index("code").loc[code]
    st.button(t("lva_all_provinces", lang), key="lva_close_province", on_click=_select_province, args=(None,))
    st.markdown(f"#### {plain(row['name'])}")
    label = columns.label(metric, lang)
    if row["n"] == 0:
        st.caption(t("lva_province_empty", lang, units=int(row["units"])))
        return
    st.metric(t("lva_mean", lang, metric=label), f"{row['mean']:.1f}")
    st.markdown(t("lva_province_rank", lang, rank=int(row["rank"]), total=int(rolled["rank"].notna().sum()),
                  n=int(row["n"]), units=int(row["units"])))
    info = places.load_places().set_index("adcode")
    cities = ds.scores[["adcode", metric]].copy()
    cities = cities[cities["adcode"].map(info["province_adcode"]) == code]
    cities[metric] = pd.to_numeric(cities[metric], errors="coerce")
    cities = cities.dropna(subset=[metric]).sort_values(metric, ascending=False)
    st.dataframe(pd.DataFrame({
        t("lva_col_rank", lang): cities[metric].rank(ascending=False, method="min").astype(int),
        t("col_city", lang): cities["adcode"].map(info["name"]),
        label: cities[metric].round(1),
    }), hide_index=True, key="lva_province_cities", height="content",  # every city, no inner scroll
        column_config={label: st.column_config.NumberColumn(format="%.1f")})


# --- 区县 ---------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=8)
def _county_map(key: tuple, _values: pd.Series | None, label: str, title: str, source: str, scheme: str, k: int,
                lang: Lang, prefecture: int | None = None) -> web.PreparedMap:
    return level_map.county_map(_values, label, title, source, scheme, k, lang, prefecture)


def _counties(v: View) -> None:
    lang = v.shown.lang
    data = levels.county_upload()
    if data is None:
        st.info(t("lva_county_needs_upload", lang))
        return
    metric = data.metric(v.shown.metric)
    label = columns.label(metric, lang)
    title = t("lva_county_title", lang, name=data.name, metric=label)
    source = t("lva_county_source", lang, name=data.name)
    pm = _with_fallback(lambda s, k: _county_map((data.digest, metric, s, k, lang), data.values(metric), label,
                                                 title, source, s, k, lang), v.shown.scheme, v.shown.k, lang)
    left, right = st.columns([3, 2])
    with right:
        st.caption(t("lva_county_hint", lang))
        _pick_prefecture(lang)
        rolled = rollup.rollup(data.table, metric, "county")
        st.markdown(f"**{t('lva_county_rollup', lang, metric=plain(label))}**")
        _province_table(rolled, lang)
    valued = frozenset(int(a) for a in data.values(metric).dropna().index)
    whole = not valued or len(valued) >= len(pm.cities["features"])
    with left:  # opens on the counties the file has values for (a province's file: that province)
        _show(("county", data.digest, metric, v.shown.scheme, v.shown.k, lang), pm, None,
              selection.NATIONAL if whole else level_map.view_of(pm, valued), MAP_KEYS["county"],
              levels.open_county, None if whole else valued)


def _pick_prefecture(lang: Lang) -> None:
    """Drill down without the map: a prefecture by name."""
    info = places.load_places()
    names = dict(zip(info["adcode"], info["name"] + "（" + info["province"] + "）"))
    st.session_state["lva_pick"] = None  # no choice shown: picking any prefecture drills into it
    st.selectbox(t("lva_pick_prefecture", lang), list(names), key="lva_pick", format_func=names.get,
                 placeholder=t("lva_pick_placeholder", lang), on_change=_picked)


def _picked() -> None:
    if st.session_state.get("lva_pick") is not None:
        levels.drill(st.session_state["lva_pick"])


# --- a prefecture's counties ---------------------------------------------------------------------
def drill_button(city: int, lang: Lang) -> None:
    """On the city card: 查看下辖区县 (the card is in the map's fragment: the whole page reruns)."""
    if st.button(t("lva_drill", lang), key="lva_drill"):
        levels.drill(city)
        st.rerun(scope="app")


def _prefecture(v: View, pref: int) -> None:
    lang = v.shown.lang
    data = levels.county_upload()
    metric = data.metric(v.shown.metric) if data else columns.SCORE
    label = columns.label(metric, lang)
    name = places.display_name(pref, short=False)
    title = t("lva_prefecture_title", lang, name=name,
              metric=label if data else t("lva_outlines", lang))
    source = t("lva_county_source", lang, name=data.name) if data else t("lva_outline_source", lang)
    values = data.values(metric) if data else None
    pm = _with_fallback(lambda s, k: _county_map((data.digest if data else None, metric, s, k, lang, pref), values,
                                                 label, title, source, s, k, lang, pref),
                        v.shown.scheme, v.shown.k, lang)
    chosen = levels.county()
    ids = [int(f["id"]) for f in pm.cities["features"]]
    left, right = st.columns([3, 2])
    with right:
        st.button(t("lva_back", lang), key="lva_back", on_click=levels.back, type="primary")
        if chosen in ids:
            county_card.render(chosen, data, metric, lang)
        else:
            _prefecture_summary(name, ids, data, metric, lang)
    with left:
        _show(("prefecture", pref, data.digest if data else None, metric, v.shown.scheme, v.shown.k, lang), pm,
              chosen, level_map.view_of(pm), MAP_KEYS["prefecture"], levels.open_county)
        if data is None:
            st.caption(t("lva_outlines_note", lang))


def _prefecture_summary(name: str, ids: list[int], data: levels.CountyData | None, metric: str,
                        lang: Lang) -> None:
    st.markdown(f"#### {plain(name)}")
    st.caption(t("lva_prefecture_hint", lang, n=len(ids)))
    if data is None:
        return
    values = data.values(metric).reindex(ids).dropna().sort_values(ascending=False)
    if values.empty:
        st.caption(t("lva_prefecture_no_values", lang))
        return
    names = data.table.set_index("adcode")["county"]
    st.dataframe(pd.DataFrame({
        t("lva_col_rank", lang): values.rank(ascending=False, method="min").astype(int).to_numpy(),
        t("lva_col_county", lang): values.index.map(names),
        columns.label(metric, lang): values.round(1).to_numpy(),
    }), hide_index=True, key="lva_prefecture_table")
    st.caption(t("lva_prefecture_n", lang, n=len(values), units=len(ids),
                 mean=f"{values.mean():.1f}"))
