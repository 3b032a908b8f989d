"""The export page: the map on screen as offline HTML, print PNG (300 dpi), SVG and PDF with one set
of options (title, selected city, scope, page size), and every table (CSV, XLSX)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from dei_geo.analysis import compare
from dei_geo.app import compare as compare_panel
from dei_geo.app import map_page, points_panel, regions_panel, selected, tables
from dei_geo.app.labels import LAYER_LABEL
from dei_geo.app.state import Ctx, View
from dei_geo.core import places, tabular
from dei_geo.core.i18n import t
from dei_geo.maps import export, overlays, print_map, selection, web
from dei_geo.wording import compare as compare_words

PAGES = {None: "print_page_fit", "a4-portrait": "print_page_a4_portrait", "a4-landscape": "print_page_a4_landscape",
         "16:9": "print_page_16_9"}  # print_map.PAGES (None: the map's own size) → catalogue key


def _scopes(ctx: Ctx) -> dict[str, print_map.View]:
    """全国, then every province, then the dataset's city clusters."""
    scopes = {t("print_national", ctx.lang): print_map.NATIONAL}
    for province in dict.fromkeys(places.load_places()["province"]):
        scopes[province] = print_map.province_view(province)
    for cluster in dict.fromkeys(ctx.ds.clusters.get("cluster", [])):
        scopes[cluster] = print_map.cluster_view(ctx.ds.clusters, cluster)
    return scopes


def _map_downloads(v: View, prepared: web.PreparedMap) -> None:
    """One set of options (title, the selected city; for print, scope and page) for HTML, PNG,
    SVG and PDF — the options first, the downloads below them."""
    ctx, lang = v.shown, v.shown.lang
    city = selected.current()
    st.session_state.setdefault("export_title", prepared.title)  # a default, not a second value
    title = st.text_input(t("export_title", lang), key="export_title", max_chars=200,
                          help=t("export_title_help", lang)) or prepared.title
    outline = city is not None and st.checkbox(
        t("export_city", lang, city=places.display_name(city)), value=True, key="export_city")
    prepared = dataclasses.replace(prepared, title=title)
    mark = city if outline else None
    layers = map_page.layers(v)
    points = points_panel.export_layers(lang)  # the point table shown on the map (issue 13)
    stem = f"dei_{ctx.metric}_{ctx.scheme}_{lang}"
    try:
        print_map.cjk_family()
        font = None
    except print_map.CJKFontMissing as err:
        font = err
    if font is None:
        scopes = _scopes(ctx)
        where, size = st.columns(2)
        name = where.selectbox(t("print_scope", lang), list(scopes), key="export_scope")
        page = size.selectbox(t("print_page", lang), PAGES, format_func=lambda p: t(PAGES[p], lang),
                              key="export_page")
        view = scopes[name]
        print_stem = stem + (f"_{view.name}" if view.name else "") + (f"_{page.replace(':', 'x')}" if page else "")
    html, png, svg, pdf = st.columns(4)
    html.download_button(  # built on click, like the print maps: nothing is sent before it is asked for
        t("download_html", lang), file_name=f"{stem}.html", mime="text/html", on_click="ignore",
        key="export_html", data=lambda: export.to_html(prepared, lambda: overlays.build(layers, show=v.layers) + (
            [selection.highlight(prepared.cities, mark)] if mark else []) + points()).encode("utf-8"))
    if font is not None:
        st.warning(t("print_font_missing", lang, error=font))
    else:
        def drawn(fmt: str) -> bytes:  # rendered on click, on Streamlit's download thread (about a second)
            return print_map.to_bytes(print_map.figure(prepared, view, title, highlight=mark, page=page), fmt)

        png.download_button(t("download_png", lang), file_name=f"{print_stem}.png", mime="image/png",
                            on_click="ignore", key="export_png", data=lambda: drawn("png"))
        svg.download_button(t("download_svg", lang), file_name=f"{print_stem}.svg", mime="image/svg+xml",
                            on_click="ignore", key="export_svg", data=lambda: drawn("svg"))
        pdf.download_button(t("download_pdf", lang), file_name=f"{print_stem}.pdf", mime="application/pdf",
                            on_click="ignore", key="export_pdf", data=lambda: drawn("pdf"))
    names = [t(LAYER_LABEL[key], lang) for key in v.layers]
    st.caption(t("export_html_includes", lang, layers=t("list_sep", lang).join(names) or t("export_none", lang)))
    if font is None:
        st.caption(t("export_print_includes", lang))


def _table_downloads(ctx: Ctx, named: dict[str, pd.DataFrame]) -> None:
    for i, (name, table) in enumerate(named.items()):
        st.download_button(
            t("download_table", ctx.lang, table=name, fmt="CSV"), data=tabular.to_csv(table),
            file_name=f"{name}.csv", mime="text/csv", on_click="ignore", key=f"export_csv_{i}")
    st.download_button(
        t("download_table", ctx.lang, table=t("all_tables", ctx.lang), fmt="Excel"),
        data=lambda: tabular.to_xlsx(named), file_name="dei_tables.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore", key="export_xlsx")


def page(v: View) -> None:
    """The export page: the map on screen (sidebar choices) and the tables."""
    lang = v.shown.lang
    st.header(t("export_heading", lang))
    st.subheader(t("export_map", lang))
    _map_downloads(v, map_page.map_with_fallback(v))
    st.subheader(t("export_tables", lang))
    named = {t("ranking", lang): tables.ranking(v.report.ds, lang),
             t("tier_summary", lang): tables.tiers(v.report.ds, lang),
             t("reg_table_title", lang): regions_panel.display_table(v.shown)}
    picked = st.session_state.get(compare_panel.KEY, [])
    if len(picked) >= compare.MIN_CITIES:
        named[t("compare", lang)] = compare_words.table(compare.cards(v.report.ds, picked, lang), lang)
    _table_downloads(v.report, named)
