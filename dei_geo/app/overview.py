"""Beside the map: coverage, tier counts and means, the source's contradictions; the ranking page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dei_geo.analysis import national, regions
from dei_geo.analysis.regions import FOUR_CORES
from dei_geo.app import selected, state, tables
from dei_geo.app.state import Ctx
from dei_geo.core import places, theme
from dei_geo.core.i18n import Lang, t
from dei_geo.wording import national as national_words

RANKING_KEY = "ranking_table"
RANKING_SHOWN = "_ranking_adcodes"  # the adcodes of the rows shown, in order (for the row picked)
MAP_PAGE = Path(__file__).parent / "pages" / "map.py"


@st.cache_resource(show_spinner=False, max_entries=16)
def _facts(key: tuple, _ds, lang: Lang, units: int) -> tuple[dict, pd.DataFrame, str, list]:
    """Coverage, tier table, national summary and quality notes of a dataset (shared, read-only)."""
    return (tables.coverage(_ds, units), tables.tiers(_ds, lang),
            national_words.summary(national.figures(_ds), lang), tables.quality_notes(_ds, lang))


def render(ctx: Ctx, units: int) -> None:
    coverage, frame, summary, notes = _facts(state.dataset_key(ctx.ds), ctx.ds, ctx.lang, units)
    st.caption(t("evaluated_summary", ctx.lang, **coverage))
    st.subheader(t("tier_summary", ctx.lang))
    tier, rng = t("col_tier", ctx.lang), t("col_range", ctx.lang)
    means = [c for c in frame.columns if frame[c].dtype.kind == "f"]
    # two narrow tables (counts, means) fit beside the map where one wide one was clipped
    for part in (frame.drop(columns=[rng, *means]), frame[[tier, *means]]):
        st.markdown(tables.markdown(part))
    st.caption(summary)
    st.subheader(t("quality", ctx.lang))
    st.caption(t("quality_intro", ctx.lang))
    for text, page in notes:
        st.markdown("- " + t("paren", ctx.lang, text=text, note=page))


@st.cache_data(show_spinner=False, max_entries=4)
def _ranking(label: str, _ds, lang: Lang) -> pd.DataFrame:
    return tables.ranking_rows(_ds, lang, gaps=True)


@st.cache_resource(show_spinner=False)
def _regions() -> dict[str, list[int]]:
    """Region id → member adcodes: the four core clusters, each cluster and metro circle."""
    found = {r.id: [int(a) for a in r.members["adcode"]] for r in [*regions.clusters(), *regions.circles()]}
    cores = [a for r in regions.clusters() if r.core for a in found[r.id]]
    return {FOUR_CORES: cores, **found}


def _pick_city() -> None:
    rows = st.session_state[RANKING_KEY].selection.rows
    shown = st.session_state.get(RANKING_SHOWN)
    if rows and shown is not None and pd.notna(shown[rows[0]]):
        selected.select(int(shown[rows[0]]))


def ranking_page(ctx: Ctx) -> None:
    """The report's ranking: filters (province, tier, region), the printed gap at rank 166 as a
    marked row, the selected city highlighted; choosing a row selects that city."""
    lang = ctx.lang
    st.header(t("ranking", lang))
    table = _ranking(ctx.ds.label, ctx.ds, lang)
    province, tier, region = st.columns(3)
    rows = table[~table["gap"]]
    provinces = province.multiselect(t("rank_filter_province", lang), sorted(rows["province"].dropna().unique()),
                                     key="rank_province", placeholder=t("rank_filter_all", lang), select_all=False)
    tier_names = list(dict.fromkeys(rows["tier_name"].dropna()))
    tiers = tier.multiselect(t("rank_filter_tier", lang), tier_names, key="rank_tier",
                             placeholder=t("rank_filter_all", lang), select_all=False)
    names = {r.id: (r.name if lang == "zh" else r.name_en) for r in [*regions.clusters(), *regions.circles()]}
    options = [None, FOUR_CORES, *names]
    area = region.selectbox(t("rank_filter_region", lang), options, key="rank_region",
                            format_func=lambda r: (t("rank_filter_all", lang) if r is None else
                                                   t("rank_four_cores", lang) if r == FOUR_CORES else names[r]))
    keep = pd.Series(True, index=table.index)
    if provinces:
        keep &= table["province"].isin(provinces)
    if tiers:
        keep &= table["tier_name"].isin(tiers)
    if area is not None:
        keep &= table["adcode"].isin(_regions()[area])
    filtered = bool(provinces or tiers or area)
    shown = table[keep | (table["gap"] & ~filtered)].reset_index(drop=True)  # the gap row unfiltered only
    st.caption(t("rank_count", lang, n=int((~shown["gap"]).sum()), total=int((~table["gap"]).sum())))
    city = selected.current()
    display = tables.ranking_display(shown, lang)
    chosen = shown["adcode"].eq(city).fillna(False).to_numpy() if city is not None else [False] * len(shown)
    styled = display.style.apply(
        lambda row: [f"background-color: {theme.HIGHLIGHT_ROW}" if chosen[row.name]
                     else (f"color: {theme.MUTED_INK}" if shown.at[row.name, "gap"] else "")] * len(row), axis=1
    ).format({t("col_score", lang): "{:.1f}"}, na_rep="—")
    st.session_state[RANKING_SHOWN] = list(shown["adcode"])
    st.dataframe(styled, hide_index=True, width="stretch", height=560, key=RANKING_KEY,
                 on_select=_pick_city, selection_mode="single-row")
    if city is not None:
        st.page_link(MAP_PAGE, label=t("rank_see_on_map", lang,
                     city=places.display_name(city)))
    else:
        st.caption(t("rank_pick_hint", lang))
