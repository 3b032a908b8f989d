"""Regions and spillover of a county-level upload (issue 13), on the data page below its map: the
clusters and metro circles over counties, Moran's I (queen, islands attached) and the rings and
distance decay around the core cities — the same figures as ``dei-geo regions --level county``
(``analysis.county_regions``), in the same words (``wording.levels``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dei_geo.analysis import county_regions, rollup
from dei_geo.core.i18n import Lang, t
from dei_geo.wording import levels as words


@st.cache_data(show_spinner=False, max_entries=4)
def _figures(key: tuple, _table: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, dict, list, list]:
    """(region table, Moran's I facts, ring records, core records); ``key`` names the upload."""
    regions, moran, rings, cores = county_regions.summary(_table, metric)
    return regions, moran, rollup.to_records(rings), rollup.to_records(cores)


def render(key: tuple, table: pd.DataFrame, metric: str, lang: Lang) -> None:
    """The section for ``metric`` of the checked county ``table`` (cached per ``key``)."""
    st.markdown(f"**{t('lva_regions_title', lang)}**")
    # on request: the queen weights of ~2,900 counties take seconds, and the upload's problems
    # and map should not wait for them
    if not st.toggle(t("lva_regions_compute", lang), key="lva_regions_on"):
        return
    with st.spinner(t("lva_regions_computing", lang)):
        regions, moran, rings, cores = _figures(key, table, metric)
    name = "name" if lang == "zh" else "name_en"
    st.dataframe(pd.DataFrame({
        t("reg_col_region", lang): regions[name], t("reg_col_members", lang): regions["members"],
        t("reg_col_scored", lang): regions["scored"], t("reg_col_mean", lang): regions["mean"].astype(float).round(1),
        t("reg_col_median", lang): regions["median"].astype(float).round(1),
        t("reg_col_gini", lang): regions["gini"].astype(float).round(3),
    }), hide_index=True, key="lva_regions", placeholder="—")
    if "too_few" in moran:
        st.caption(t("lv_regions_too_few", lang, n=moran["too_few"], need=moran["need"]))
    else:
        st.caption(t("lv_regions_moran", lang, i=moran["I"], p=moran["p"], n=moran["n"], islands=moran["islands"]))
    if cores:
        st.caption(t("lv_rings_title", lang))
        for core in cores:
            st.markdown("- " + words.core_rings(core, [r for r in rings if r["adcode"] == core["adcode"]], lang))
