"""Your county-level data (issue 13), on the data page when the upload names counties: every
problem by row and column (an ambiguous name lists its candidates with their parents), the
county map of a metric (``maps.unit_map``: shared arcs, one offline page), the province
means with n (``analysis.rollup``) and the regions and spillover at county level
(``county_regions_panel``)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dei_geo.analysis import rollup
from dei_geo.app import county_regions_panel, tables
from dei_geo.app.text import plain
from dei_geo.core import columns
from dei_geo.core.i18n import Lang, t
from dei_geo.maps import unit_map
from dei_geo.sources import county_table, loader
from dei_geo.wording import levels as words

MAP_HEIGHT = 560


@st.cache_data(show_spinner=False, max_entries=4)
def check(data: bytes, name: str, sheet: str | None) -> county_table.CountyReport:
    """The county check of an upload (cached: the data page and the level switch share it)."""
    return county_table.check(loader.read(data, name, sheet))


@st.cache_data(show_spinner=False, max_entries=8)
def _map(data: bytes, name: str, sheet: str | None, metric: str, lang: Lang) -> str:
    table = check(data, name, sheet).table
    title = t("lv_app_map_title", lang, name=name, metric=columns.label(metric, lang))
    return unit_map.unit_map_html(table.set_index("adcode")[metric], level="counties", lang=lang,
                                  title=title, no_value=t("di_metric_missing", lang), scroll_zoom=False)


def render(data: bytes, name: str, sheet: str | None, lang: Lang) -> None:
    report = check(data, name, sheet)
    st.info(t("lv_app_detected", lang, n=len(report.table), rejected=len(report.rejected)))
    if report.issues:
        st.dataframe(tables.said([words.issue(issue, lang) for issue in report.issues], {
            "where": t("lv_app_col_where", lang), "why": t("lv_app_col_why", lang),
            "fix": t("lv_app_col_fix", lang), "candidates": t("lv_app_col_candidates", lang)}),
            hide_index=True, key="lv_issues")
    metrics = [m for m in report.table.columns if m in columns.metrics() and report.table[m].notna().any()]
    if not metrics:
        return
    metric = st.selectbox(t("di_metric_select", lang), metrics, key="lv_metric",
                          format_func=lambda m: columns.label(m, lang))
    html = _map(data, name, sheet, metric, lang)
    st.iframe(html, height=MAP_HEIGHT)  # the page escapes every text it holds (maps.unit_map)
    st.download_button(t("lv_app_download", lang), html.encode("utf-8"), file_name=f"counties_{metric}.html",
                       mime="text/html", key="lv_download")
    provinces = rollup.rollup(report.table, metric, "county")
    st.markdown(f"**{t('lv_app_rollup', lang, metric=plain(columns.label(metric, lang)))}**")
    st.dataframe(pd.DataFrame({
        t("lv_app_col_rank", lang): provinces["rank"], t("col_province", lang): provinces["name"],
        t("lv_app_col_mean", lang): provinces["mean"].round(1),
        t("lv_app_col_n", lang): [f"{n} / {u}" for n, u in zip(provinces["n"], provinces["units"])],
    }), hide_index=True, key="lv_rollup", placeholder="—")  # a province without values: no rank, no mean
    county_regions_panel.render((hashlib.sha256(data).hexdigest(), sheet), report.table, metric, lang)
