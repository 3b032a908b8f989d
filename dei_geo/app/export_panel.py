"""Downloads: the current map as a print map (PNG 300 dpi, SVG) and the tables (CSV, XLSX)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dei_geo.app import state, tables
from dei_geo.app.state import Ctx
from dei_geo.core import places, tabular
from dei_geo.core.i18n import t
from dei_geo.maps import print_map, web


def _scopes(ctx: Ctx) -> dict[str, print_map.View]:
    """全国, then every province, then the dataset's city clusters."""
    scopes = {t("print_national", ctx.lang): print_map.NATIONAL}
    for province in dict.fromkeys(places.load_places()["province"]):
        scopes[province] = print_map.province_view(province)
    for cluster in dict.fromkeys(ctx.ds.clusters.get("cluster", [])):
        scopes[cluster] = print_map.cluster_view(ctx.ds.clusters, cluster)
    return scopes


def _map_downloads(ctx: Ctx, prepared: web.PreparedMap) -> None:
    try:
        print_map.cjk_family()
    except print_map.CJKFontMissing as err:
        st.warning(t("print_font_missing", ctx.lang, error=err))
        return
    scopes = _scopes(ctx)
    name = st.selectbox(t("print_scope", ctx.lang), list(scopes), key="export_scope")
    view = scopes[name]
    stem = f"dei_{ctx.metric}_{ctx.scheme}_{ctx.lang}" + (f"_{view.name}" if view.name else "")
    png, svg = st.columns(2)
    # rendered on click, on Streamlit's download thread (a national PNG takes about a second)
    png.download_button(
        t("download_png", ctx.lang), data=lambda: print_map.render(prepared, view, "png"),
        file_name=f"{stem}.png", mime="image/png", on_click="ignore", key="export_png")
    svg.download_button(
        t("download_svg", ctx.lang), data=lambda: print_map.render(prepared, view, "svg"),
        file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore", key="export_svg")


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


def render(ctx: Ctx, prepared: web.PreparedMap | None = None,
           extra_tables: dict[str, pd.DataFrame] | None = None) -> None:
    """Export section. ``prepared``: the map on screen (default: the context's national map);
    ``extra_tables``: more tables to offer (region statistics, a comparison), keyed by title."""
    st.subheader(t("export_heading", ctx.lang))
    if prepared is None:
        prepared = state.prepared(ctx.scheme, ctx.k, ctx.lang, ctx.metric)
    _map_downloads(ctx, prepared)
    named = {t("ranking", ctx.lang): tables.ranking(ctx.ds, ctx.lang),
             t("tier_summary", ctx.lang): tables.tiers(ctx.ds, ctx.lang), **(extra_tables or {})}
    _table_downloads(ctx, named)
