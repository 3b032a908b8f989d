"""Your data over years (issue 12), on the data page when the upload holds two years or more:
the dynamics of the index (``analysis.dynamics``: giddy and inequality) in words, the risers
between any two years and the offline map with a year slider. A city's trajectory is on the map
page's card (``app.trajectory``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dei_geo.analysis import dynamics
from dei_geo.app.text import plain
from dei_geo.core import columns
from dei_geo.core.i18n import Lang, t
from dei_geo.maps import years
from dei_geo.sources import panel
from dei_geo.wording import dynamics as words


@st.cache_resource(show_spinner=False, max_entries=4)
def read(data: bytes, name: str, sheet: str | None) -> panel.Panel:
    """The upload read as a multi-year panel (cached: the data page and the map page's card share it)."""
    return panel.read([data], names=[name], sheet=sheet)


@st.cache_data(show_spinner=False, max_entries=8)
def _report(data: bytes, name: str, sheet: str | None, metric: str) -> dict:
    return dynamics.report(read(data, name, sheet).wide(metric), dynamics.city_weights("queen"))


@st.cache_data(show_spinner=False, max_entries=4)
def _years_html(data: bytes, name: str, sheet: str | None, metric: str, lang: Lang) -> bytes:
    p = read(data, name, sheet)
    label = t("di_label", lang, name=name)
    ym = years.prepare_years({y: p.dataset(y, label=f"{label} {y}") for y in p.years}, metric, "tiers", 5, lang)
    return years.to_html(ym).encode("utf-8")


def render(data: bytes, name: str, sheet: str | None, lang: Lang) -> int | None:
    """The section (nothing when the file holds fewer than two years); returns the year the map's
    year is to be compared with when the user asks for the change map, else None."""
    p = read(data, name, sheet)
    if len(p.years) < 2 or p.table.empty:
        return None
    st.subheader(t("yr_app_title", lang, start=p.years[0], end=p.years[-1], n=len(p.years)))
    metric = st.selectbox(t("di_metric_select", lang), p.metrics, key="yr_metric",
                          format_func=lambda m: columns.label(m, lang))
    with st.expander(t("yr_app_dynamics", lang)):
        if st.toggle(t("yr_app_compute", lang), key="yr_compute"):
            with st.spinner(t("yr_app_computing", lang)):
                report = _report(data, name, sheet, metric)
            for line in words.lines(report, columns.label(metric, lang), lang):
                st.markdown("- " + plain(line))
    a, b = st.columns(2)
    start = a.selectbox(t("yr_app_from", lang), p.years, index=len(p.years) - 2, key="yr_from")
    end = b.selectbox(t("yr_app_to", lang), p.years, index=len(p.years) - 1, key="yr_to")
    compare_with = start if st.toggle(t("yr_app_map_change", lang, start=start), key="yr_map_change",
                                      help=t("yr_app_map_change_help", lang)) else None
    if start != end:
        risers = dynamics.risers(p.table, start, end, [metric], n=10)
        st.markdown(f"**{t('yr_app_risers', lang, start=start, end=end)}**")
        st.dataframe(pd.DataFrame({
            t("col_city", lang): risers["city"], t("yr_app_rank", lang, year=start): risers["rank_start"],
            t("yr_app_rank", lang, year=end): risers["rank_end"], t("yr_app_gain", lang): risers["rank_change"],
        }), hide_index=True, key="yr_risers")
    st.caption(t("yr_app_card_pointer", lang))  # the city's trajectory: on the map page's card
    st.download_button(t("yr_app_download", lang), lambda: _years_html(data, name, sheet, metric, lang),
                       file_name=f"dei_years_{metric}.html", mime="text/html", on_click="ignore",
                       key="yr_download")
    return compare_with
