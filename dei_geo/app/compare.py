"""Comparison tab: 2–5 cities side by side (table, chart, CSV download)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dei_geo.analysis import compare
from dei_geo.app.state import Ctx
from dei_geo.core import places, tabular
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import BAR_COLOR
from dei_geo.wording import compare as compare_words

KEY = "compare_cities"


def _options(ctx: Ctx) -> tuple[list[int], dict[int, str]]:
    """Every unit, scored cities first in rank order; labels with the pinyin in both languages
    (``杭州 hangzhou（浙江省）``, ``Hangzhou 杭州 (浙江省)``), so typing either filters."""
    table = places.load_places().merge(ctx.ds.scores[["adcode", "rank"]], on="adcode", how="left")
    table = table.sort_values(["rank", "adcode"], na_position="last")
    labels = {
        int(r.adcode): t("paren", ctx.lang, note=r.province,
                         text=t("compare_name", ctx.lang, name=r.short_name, pinyin=r.pinyin.title()))
        for r in table.itertuples()
    }
    return list(labels), labels


def _add(adcode: int) -> None:
    picked = [a for a in st.session_state.get(KEY, []) if a != adcode]
    st.session_state[KEY] = [*picked, adcode][-compare.MAX_CITIES:]


def add_button(adcode: int, lang: Lang) -> None:
    """"Add to comparison" for the card's city (the oldest pick leaves when five are chosen)."""
    picked = st.session_state.get(KEY, [])
    if adcode in picked:
        st.caption(t("compare_in", lang, n=len(picked), max=compare.MAX_CITIES))
    else:
        st.button(t("compare_add", lang, n=len(picked), max=compare.MAX_CITIES), key="compare_add",
                  on_click=_add, args=(adcode,))


def side_by_side(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The comparison turned: one column per city, one row per item, so that five cities fit the
    page's width (the CSV keeps one row per city). Numbers to one decimal; nothing is "—"."""
    def cell(value) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return "—"
        return f"{value:.1f}" if isinstance(value, float) else str(value)

    return frame.set_index(t("col_city", lang)).map(cell).T


def _chart(frame, lang: Lang) -> alt.Chart:
    """Overall score per city; a city without one keeps its row, labelled with its status."""
    city, score, status = t("col_city", lang), t("col_score", lang), t("col_status", lang)
    data = frame[[city, score]].assign(
        label=[f"{s:.1f}" if pd.notna(s) else word for s, word in zip(frame[score], frame[status])],
        x=frame[score].fillna(0),
    )
    y = alt.Y(f"{city}:N", title=None, scale=alt.Scale(domain=list(frame[city])))
    bars = alt.Chart(data.dropna(subset=[score])).mark_bar(color=BAR_COLOR).encode(
        x=alt.X(f"{score}:Q", scale=alt.Scale(domain=[0, 100])), y=y)
    text = alt.Chart(data).mark_text(align="left", dx=3).encode(
        x=alt.X("x:Q", title=score), y=y, text="label:N")
    return (bars + text).properties(height=alt.Step(34))


def render(ctx: Ctx) -> pd.DataFrame | None:
    """The tab; returns the comparison table once 2–5 cities are picked (for the export tab)."""
    options, labels = _options(ctx)
    picked = st.multiselect(t("compare_pick", ctx.lang), options, format_func=labels.get,
                            max_selections=compare.MAX_CITIES, key=KEY, filter_mode="contains",
                            select_all=False,  # Streamlit's "Select N matches" (English, adds all)
                            placeholder=t("compare_placeholder", ctx.lang))
    if len(picked) < compare.MIN_CITIES:
        st.info(t("compare_need", ctx.lang))
        return None
    frame = compare_words.table(compare.cards(ctx.ds, picked, ctx.lang), ctx.lang)
    st.dataframe(side_by_side(frame, ctx.lang), width="stretch")
    st.altair_chart(_chart(frame, ctx.lang), width="stretch")
    st.download_button(t("compare_download", ctx.lang), tabular.to_csv(frame),
                       file_name="dei2023_compare.csv", mime="text/csv")
    return frame
