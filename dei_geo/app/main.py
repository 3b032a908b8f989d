"""The Streamlit app: page layout and widgets; the panels are the modules beside this one."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dei_geo.app import compare, data_panel, export_panel, overview, profile, regions_panel, selected, state, widgets
from dei_geo.core import columns, theme
from dei_geo.core.i18n import LANGS, t
from dei_geo.maps import assets, classify, export, markup, overlays, selection, web
from dei_geo.sources import boundaries

SCHEME_LABEL = {"tiers": "scheme_tiers", "quantiles": "scheme_quantiles",
                "natural_breaks": "scheme_natural_breaks"}  # classify.SCHEMES → catalogue key
LAYER_LABEL = {"cores": "layer_name_cores", "circles": "layer_name_circles",
               "clusters": "layer_name_clusters", "rings": "layer_name_rings",
               "lisa": "layer_name_lisa", "gi": "layer_name_gi"}  # overlays.KEYS → catalogue key


def run() -> None:
    """Lay out the page (Streamlit runs this on every rerun)."""
    st.set_page_config(page_title="DEI 城市数字化发展指数", layout="wide")

    # --- sidebar: language, city search, map options --------------------------------------------
    lang = st.sidebar.radio(
        t("language"), LANGS, format_func={"zh": "中文", "en": "English"}.get, key="lang"
    )
    selected.init(lang)  # the selected city: session state + ?city=; search box, map clicks, links
    with st.sidebar:
        selected.search_box(lang)
    scheme = widgets.select(
        st.sidebar, t("classification", lang), classify.SCHEMES,
        lambda s: t(SCHEME_LABEL[s], lang), "scheme", lang,
    )
    k = (st.sidebar.slider(t("classes", lang), min(theme.CLASS_COUNTS), max(theme.CLASS_COUNTS),
                           theme.DEFAULT_K, key="k") if scheme != "tiers" else theme.DEFAULT_K)
    layer_keys = st.sidebar.multiselect(
        t("layer_pick", lang), overlays.KEYS, format_func=lambda key: t(LAYER_LABEL[key], lang),
        help=t("layer_pick_help", lang), placeholder=t("layer_pick_none", lang), key="layers",
    )
    bundled = state.bundled()

    st.title(t("app_title", lang))
    map_area = st.container()  # filled last: the data tab decides which dataset the map shows
    tab_names = ("ranking", "compare", "reg_tab", "md_tab", "di_title", "export_heading")
    ranking_tab, compare_tab, regions_tab, models_tab, data_tab, export_tab = st.tabs([t(n, lang) for n in tab_names])

    spatial = state.spatial_settings()  # weights, k, α, correction of the regions tab: its stats, LISA/Gi*, card
    report = state.Ctx(lang=lang, ds=bundled, scheme=scheme, k=k, spatial=spatial)  # the report's own
    with data_tab:
        user_ds = data_panel.render(report)
    # after an upload the map shows it; the one switch back to the report sits right above the map
    use_user = user_ds is not None and map_area.toggle(
        t("di_show_user", lang), value=True, key="di_show_user", help=t("di_show_user_help", lang))
    shown = user_ds if use_user else bundled
    options = columns.available(shown.scores, lang)
    metric = widgets.select(st.sidebar, t("di_metric_select", lang), options, options.get, "metric", lang)
    ctx = state.Ctx(lang=lang, ds=shown, scheme=scheme, k=k, metric=metric, spatial=spatial)

    def prepared(scheme: theme.Scheme, k: int):
        if use_user:
            return data_panel.prepared(shown, metric, scheme, k, lang)
        return state.prepared(scheme, k, lang, metric)


    try:
        pm = prepared(scheme, k)
    except boundaries.GeodataMissing as err:
        st.error(t("geodata_missing", lang, error=err))
        st.stop()
    except classify.TooFewValues as err:  # e.g. 5 published pillar scores cannot make 7 classes
        with map_area:
            st.warning(t("too_few_values", lang, got=err.got, k=err.k))
        pm = prepared("tiers", 5)
    layers = (
        [layer for layer in state.layer_data(state.dataset_key(shown), shown, lang, spatial)
         if layer.key in layer_keys]
        if layer_keys else []
    )

    with map_area:
        if not use_user and metric != "score":
            st.caption(t("di_pillars_note", lang))
        left, right = st.columns([3, 2])
        with left:
            # The base map (with its switchable region layers) is rebuilt identically on every run:
            # same component key, no remount; the selected city's outline travels separately.
            if any(key in overlays.INTERACTIVE for key in layer_keys):  # which LISA / Gi* settings
                settings = overlays.settings({"kind": spatial[0], "k": spatial[1]}, spatial[2], lang,
                                             spatial[3])
                st.caption(t("sp_map_settings", lang, settings=settings))
            m = web.build_map(pm)
            if layers:
                overlays.add_to(m, overlays.build(layers, show=tuple(layer_keys)))
            m = markup.seal(selection.count_clicks(assets.use_data_urls(m)))
            st_folium(
                m,
                height=620,
                use_container_width=True,
                returned_objects=["last_active_drawing"],
                feature_group_to_add=markup.seal(selection.highlight(pm.cities, selected.current())),
                on_change=selected.on_map_click,
                key=selected.MAP_KEY,
            )
            city = selected.current()
            st.download_button(
                t("download_html", lang),
                data=lambda: export.to_html(pm, lambda: overlays.build(layers, show=tuple(layer_keys)) + (
                    [selection.highlight(pm.cities, city)] if city else [])).encode("utf-8"),
                file_name=f"dei_{metric}_{scheme}_{lang}.html",
                mime="text/html",
                on_click="ignore",
            )
        with right:
            if use_user:
                st.info(t("report_panel_note", lang))
            if selected.current() is None:
                st.caption(t("select_hint", lang))
                overview.render(report, units=len(pm.cities["features"]))
            else:
                profile.render(report, selected.current())

    with ranking_tab:
        overview.ranking(report)
    with compare_tab:
        compared = compare.render(report)
    with regions_tab:
        region_table = regions_panel.render(ctx)
    extra = {t("reg_table_title", lang): region_table}
    if compared is not None:
        extra[t("compare", lang)] = compared
    with models_tab:  # spatial regression (issue 14)
        from dei_geo.app import models_panel

        models_panel.render(ctx)
    with export_tab:
        export_panel.render(ctx, pm, extra_tables=extra)
