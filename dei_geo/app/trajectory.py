"""The selected city over the years, on the map page's card, when the map shows an upload with
two years or more (issue 12): per year its score, rank and tier (a table), its pillars (a small
chart) and its biggest moves in words (``analysis.trajectory``, ``wording.trajectory``)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dei_geo.analysis import trajectory
from dei_geo.app import data_panel, state, years_panel
from dei_geo.app.text import plain
from dei_geo.core import columns, places
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import PILLAR_COLORS
from dei_geo.sources import panel
from dei_geo.wording import change as change_words
from dei_geo.wording import trajectory as words


def shown_panel() -> tuple[str, panel.Panel] | None:
    """(file name, panel) of the upload the map shows when it holds two years or more, else None."""
    v = state.view()
    upload = st.session_state.get(data_panel.UPLOAD)
    if v.user is None or v.shown.ds is not v.user or not upload:
        return None
    name, data = upload
    p = years_panel.read(data, name, st.session_state.get("di_sheet"))
    return (name, p) if len(p.years) >= 2 and not p.table.empty else None


def _table(traj: pd.DataFrame, metric: str, tier_names: dict, lang: Lang) -> pd.DataFrame:
    out = {t("yr_app_year", lang): traj["year"]}
    for m in dict.fromkeys(m for m in (columns.SCORE, metric) if m in traj):
        out[columns.label(m, lang)] = traj[m].astype(float).round(1)
    out[t("yr_card_rank", lang, metric=columns.label(metric, lang))] = [
        "—" if pd.isna(r) else t("rank_of", lang, rank=int(r), total=int(n))
        for r, n in zip(traj[f"{metric}_rank"], traj[f"{metric}_n"])]
    if traj["tier"].notna().any():
        out[t("col_tier", lang)] = [tier_names.get(x, "—") for x in traj["tier"]]
    return pd.DataFrame(out)


def _pillar_chart(traj: pd.DataFrame, pillars: list[str], lang: Lang) -> alt.Chart:
    names = [columns.label(p, lang) for p in pillars]
    long = traj.melt(id_vars="year", value_vars=pillars, var_name="pillar", value_name="value").dropna()
    long["pillar"] = long["pillar"].map(dict(zip(pillars, names)))
    year, value = t("yr_app_year", lang), t("col_score", lang)
    return alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("year:O", title=year),
        y=alt.Y("value:Q", title=value, scale=alt.Scale(zero=False)),
        color=alt.Color("pillar:N", title=None, sort=names,
                        scale=alt.Scale(domain=names, range=list(PILLAR_COLORS[:len(names)])),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=140)),
        tooltip=[alt.Tooltip("year:O", title=year), alt.Tooltip("pillar:N", title=t("col_pillar", lang)),
                 alt.Tooltip("value:Q", title=value, format=".1f")],
    ).properties(height=170)


def render(adcode: int, lang: Lang) -> None:
    """The city's trajectory in the upload the map shows (nothing for a single-year upload or the report)."""
    found = shown_panel()
    if found is None:
        return
    name, p = found
    v = state.view()
    metric = v.shown.metric if v.shown.metric in p.metrics else p.metrics[0]  # score first when present
    pillars = [m for m in columns.pillars() if m in p.metrics]
    metrics = list(dict.fromkeys([m for m in (columns.SCORE, metric) if m in p.metrics] + pillars))
    city = places.display_name(adcode)
    st.markdown(f"**{t('yr_app_trajectory', lang, city=city)}**")
    traj = trajectory.table(p.table, adcode, metrics, v.shown.ds.tiers)
    if traj.empty:
        st.caption(t("yr_app_city_absent", lang, city=city))
        return
    st.caption(t("yr_card_basis", lang, name=plain(name), metric=columns.label(metric, lang)))
    tier_names = change_words.tier_names(v.shown.ds.tiers, lang)
    st.dataframe(_table(traj, metric, tier_names, lang), hide_index=True, width="stretch", key="yr_card_table")
    if pillars:
        st.altair_chart(_pillar_chart(traj, pillars, lang), width="stretch")
    moved = trajectory.moves(traj, metrics)
    if moved:
        st.markdown(f"**{t('yr_card_moves', lang)}**")
        st.markdown("\n".join(f"- {line}" for line in words.moves(moved, tier_names, lang)))
    else:
        st.caption(t("yr_card_no_moves", lang))
