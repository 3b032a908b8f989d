"""Beside the map: coverage, tier counts and means, and the source's contradictions."""

from __future__ import annotations

import streamlit as st

from dei_geo.analysis import national
from dei_geo.app import tables
from dei_geo.app.state import Ctx
from dei_geo.core.i18n import t
from dei_geo.wording import national as national_words


def render(ctx: Ctx, units: int) -> None:
    st.caption(t("evaluated_summary", ctx.lang, **tables.coverage(ctx.ds, units)))
    st.subheader(t("tier_summary", ctx.lang))
    frame = tables.tiers(ctx.ds, ctx.lang)
    one_decimal = st.column_config.NumberColumn(format="%.1f", width="small")
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={c: (one_decimal if frame[c].dtype.kind == "f"
                                    else st.column_config.Column(width="small"))
                                for c in frame.columns})
    st.caption(national_words.summary(national.figures(ctx.ds), ctx.lang))
    st.subheader(t("quality", ctx.lang))
    st.caption(t("quality_intro", ctx.lang))
    for text, page in tables.quality_notes(ctx.ds, ctx.lang):
        st.markdown("- " + t("paren", ctx.lang, text=text, note=page))


def ranking(ctx: Ctx) -> None:
    one_decimal = st.column_config.NumberColumn(format="%.1f")
    st.dataframe(tables.ranking(ctx.ds, ctx.lang), hide_index=True, width="stretch", height=420,
                 column_config={t("col_score", ctx.lang): one_decimal})
