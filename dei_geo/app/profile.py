"""The city card beside the map (data from ``dei_geo.analysis.profile.city_profile``)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dei_geo import briefs
from dei_geo.analysis import national
from dei_geo.analysis.profile import city_profile
from dei_geo.app import state, trajectory
from dei_geo.app.state import Ctx
from dei_geo.core import places
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import BAR_COLOR, CHART_CONTEXT
from dei_geo.maps import overlays
from dei_geo.wording import national as national_words
from dei_geo.wording import spatial as spatial_words
from dei_geo.wording.profile import method, region_lines, score_label

CITY_COLOR, CONTEXT_COLOR = BAR_COLOR, CHART_CONTEXT  # the city; its province and the nation
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _chart(card: dict, lang: Lang) -> alt.Chart:
    ctx = card["context"]
    data = pd.DataFrame({
        "label": [card["short_name"],
                  t("profile_chart_province", lang, province=card["province"], n=ctx["province_scored"]),
                  t("profile_chart_nation", lang, n=ctx["national_scored"])],
        "score": [card["score"], ctx["province_mean"], ctx["national_mean"]],
        "color": [CITY_COLOR, CONTEXT_COLOR, CONTEXT_COLOR],
    })
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("score:Q", title=t("col_score", lang), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=240)),
        color=alt.Color("color:N", scale=None),
        tooltip=[alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("score:Q", title=t("col_score", lang))],
    )
    text = bars.mark_text(align="left", dx=3).encode(text=alt.Text("score:Q", format=".1f"))
    return (bars + text).properties(height=alt.Step(26))


def _headline(card: dict, label: str, lang: Lang) -> None:
    tier = card["tier"]
    if card["status"] == "unscored":
        st.info(f"**{t('unscored', lang)}** · " + t("profile_unscored_note", lang, label=label))
        return
    if card["status"] == "conflict":
        rows = "; ".join(t("profile_printed_row", lang, rank=r["rank"], score=r["score"])
                         for r in card["printed_rows"])
        st.warning(f"**{t('conflict', lang)}** · " + t("profile_conflict_note", lang, rows=rows))
    else:
        score, rank = st.columns(2)
        score.metric(t("tip_score", lang), f"{card['score']:.1f}")
        rank.metric(t("tip_rank", lang),
                    t("rank_of", lang, rank=card["rank"], total=card["rank_total"]))
    if tier:
        st.markdown(t("profile_tier_line", lang, tier=tier["name"], word=tier["portrait_word"]))
        st.caption(t("profile_portrait", lang, text=tier["portrait"]))
    up, floor, gaps = card["next_tier_up"], card["above_tier_floor"], []
    if up:
        gaps.append(t("profile_gap_up", lang, gap=up["gap"], tier=up["name"], lower=up["lower"]))
    elif card["score"] is not None:
        gaps.append(t("profile_top_tier", lang))
    if floor is not None:
        gaps.append(t("profile_above_floor", lang, gap=floor, lower=tier["lower"]))
    if gaps:
        st.caption(t("clause_sep", lang).join(gaps))


def _percentiles(card: dict, lang: Lang) -> None:
    pct = card["percentile"]
    if pct["national"] is None:
        return
    help_text = t("profile_pct_help", lang, national=pct["national_n"], province=pct["province_n"])
    national, province = st.columns(2)
    national.metric(t("profile_pct_national", lang), f"{pct['national']:.1f}", help=help_text)
    province.metric(t("profile_pct_province", lang),
                    f"{pct['province']:.1f}" if pct["province_n"] else t("profile_pct_alone", lang),
                    help=help_text)


def _pillars(card: dict, lang: Lang) -> None:
    st.markdown(f"**{t('profile_pillars', lang)}**")
    frame = pd.DataFrame({
        t("col_pillar", lang): [p["name"] for p in card["pillars"]],
        t("col_weight", lang): [f"{p['weight']:.0%}" for p in card["pillars"]],
        t("col_pillar_score", lang): [
            t("profile_pillar_score", lang, score=p["score"], rank=p["rank"]) if p["published"]
            else t("profile_not_published", lang)
            for p in card["pillars"]
        ],
        t("col_national_mean", lang): [p["national_mean"] for p in card["pillars"]],
    })
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(t("profile_pillars_note", lang))


def _surroundings(card: dict, lang: Lang) -> None:
    nb = card["neighbours"]
    st.markdown(f"**{t('profile_neighbours', lang)}**")
    if nb["cities"]:
        st.dataframe(pd.DataFrame({
            t("col_city", lang): [u["short_name"] for u in nb["cities"]],
            t("col_score", lang): [score_label(u, lang) for u in nb["cities"]],
        }), hide_index=True, width="stretch")
        if nb["mean"] is not None:
            mean = f"{nb['mean']:.1f}"
            st.markdown(t("profile_neighbour_mean_n", lang, mean=mean, n=nb["n_scored"]))
    else:
        st.markdown(t("profile_no_neighbours", lang))
    st.caption(method(nb["method"], lang))
    near = card["nearest_top_tier"]
    if near:
        st.markdown(t("profile_nearest_text", lang, city=near["short_name"],
                      km=f"{near['distance_km']:,.0f}"))
        st.caption(method(near["method"], lang))


def _regions(spatial_card: dict, lang: Lang) -> None:
    st.markdown(f"**{t('profile_regions', lang)}**")
    st.markdown("\n".join(f"- {line}" for line in region_lines(spatial_card, lang)))
    if "lisa" in spatial_card:
        if spatial_card["island"]:
            st.caption(t("profile_island_note", lang))
        st.caption(spatial_words.weights(spatial_card["weights"], lang))
        correction = spatial_card.get("correction", "none")
        st.caption(t("sp_map_settings", lang, settings=overlays.settings(
            spatial_card["weights"], spatial_card["alpha"], lang, correction)))
        if correction != "none":  # the p cut-offs the classes above were taken at
            said = spatial_words.city_card(spatial_card, lang)
            st.caption(t("sp_card_cutoffs", lang, lisa=said["cutoff_lisa"], gi=said["cutoff_gi"]))


def brief_buttons(adcode: int, lang: Lang) -> None:
    """"生成城市简报": the city's one-page brief (PDF, A4) or slides (PPTX), built on click."""
    stem = t("brief_file", lang, city=places.display_name(adcode))
    pdf, pptx = st.columns(2)
    for column, fmt, mime in ((pdf, "pdf", "application/pdf"), (pptx, "pptx", PPTX_MIME)):
        column.download_button(
            t("brief_button", lang, fmt=fmt.upper()), file_name=f"{stem}.{fmt}", mime=mime,
            data=lambda fmt=fmt: briefs.build(adcode, fmt, lang), on_click="ignore",
            key=f"brief_{fmt}")


def render(ctx: Ctx, adcode: int) -> None:
    """The card of ``adcode`` (any of the 370 units)."""
    lang = ctx.lang
    card = city_profile(ctx.ds, adcode, lang)
    st.subheader(t("profile_heading", lang, short=card["short_name"], name=card["name"],
                   pinyin=card["pinyin"].title()))
    st.caption(" · ".join([card["province"], card["kind"], str(card["adcode"])]))
    trajectory.render(adcode, lang)  # the city in a multi-year upload shown on the map (else nothing)
    _headline(card, ctx.ds.label, lang)
    _percentiles(card, lang)
    if card["score"] is not None:
        st.markdown(f"**{t('profile_chart', lang)}**")
        st.altair_chart(_chart(card, lang), width="stretch")
        st.caption(national_words.mean(national.figures(ctx.ds), lang))
    _pillars(card, lang)
    _surroundings(card, lang)
    _regions(state.spatial_card(state.dataset_key(ctx.ds), ctx.ds, adcode, ctx.spatial), lang)
    if card["flags"]:
        st.markdown(f"**{t('profile_flags', lang)}**")
        for flag in card["flags"]:
            st.warning(t("paren", lang, text=flag["text"], note=t("page", lang, page=flag["page"])))
