"""Regions tab: region statistics (sortable, CSV), the four cores' claim, spillover statistics and
ring/decay charts per core city. Computation lives in ``dei_geo.analysis.regions`` / ``dei_geo.analysis.spatial``.

Charts use fixed ASCII field names (a translated label such as "Neighbours' mean" is no Vega field
name: the apostrophe breaks its field parsing) and put the translated labels in axis titles. What
a small dataset cannot support (spillover statistics, cores without a score) is replaced by an
``st.info`` saying why; the rest still renders."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from dei_geo.analysis import models, regions, spatial
from dei_geo.analysis import national as national_figures
from dei_geo.app import state
from dei_geo.app.state import Ctx
from dei_geo.core import places, tabular
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import AXIS_COLOR, BAR_COLOR, FIT_COLOR, LISA_COLORS, MEAN_COLOR, NS_COLOR
from dei_geo.maps.overlays import CONFIDENCE
from dei_geo.sources.datasets import Dataset
from dei_geo.wording import models as model_words
from dei_geo.wording import national as national_words
from dei_geo.wording import regions as region_words
from dei_geo.wording import spatial as spatial_words

STAT_LABEL = {  # region_table column → catalogue key, in the order shown
    "members": "reg_col_members", "evaluated": "reg_col_evaluated", "scored": "reg_col_scored",
    "partial": "reg_col_partial", "mean": "reg_col_mean", "median": "reg_col_median",
    "min": "reg_col_min", "max": "reg_col_max", "cv": "reg_col_cv", "gini": "reg_col_gini",
    "theil": "reg_col_theil", "centres": "reg_col_centres", "core_score": "reg_col_core_score",
    "gap": "reg_col_gap", "diff_national": "reg_col_diff", "confidence": "reg_col_confidence",
    "source": "reg_col_source",
}
SCORE_STATS = ("mean", "median", "min", "max", "core_score", "gap", "diff_national")
INEQUALITY = ("cv", "gini", "theil")  # shown to three decimals
WEIGHTS_LABEL = {"queen": "sp_weights_queen", "knn": "sp_weights_knn"}


@st.cache_data(show_spinner=False, max_entries=8)
def _tables(key: tuple, _ds: Dataset, r_km: float | None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    table = regions.region_table(_ds, regions.all_regions(r_km))
    claim = regions.core_claim(_ds)
    return table, claim, dict(claim.attrs)


@st.cache_data(show_spinner=False, max_entries=8)
def _cores(key: tuple, _ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, pd.DataFrame]]:
    rings, cores = spatial.cores_table(_ds)
    points = {int(a): spatial.around(_ds, int(a)) for a in cores["adcode"]}
    return rings, cores, points


@st.cache_data(show_spinner=False, max_entries=8)
def _spill(key: tuple, _ds: Dataset, weights: str, k: int, alpha: float,
           correction: str = "none") -> tuple[dict, pd.DataFrame]:
    sp = models.corrected(spatial.dei_spillover(_ds, weights=weights, k=k, alpha=alpha), correction)
    return sp.to_dict(), sp.local


def _q(field: str, title: str, **kw):
    return alt.X(f"{field}:Q", title=title, **kw)


def _qy(field: str, title: str, **kw):
    return alt.Y(f"{field}:Q", title=title, **kw)


def _region_display(table: pd.DataFrame, ds: Dataset, lang: Lang) -> pd.DataFrame:
    tiers = dict(zip(ds.tiers["tier"], ds.tiers["name_zh" if lang == "zh" else "name_en"]))
    out = pd.DataFrame({
        t("reg_col_region", lang): region_words.names(table, lang),
        t("reg_col_kind", lang): [t(spatial_words.REGION_KIND[k], lang)
                                  + (f" · {t('reg_core_flag', lang)}" if c else "")
                                  for k, c in zip(table["kind"], table["core"])],
    })
    for col, key in STAT_LABEL.items():
        if col == "confidence":
            out[t(key, lang)] = [t(CONFIDENCE[c], lang) if c else "" for c in table[col]]
        else:
            out[t(key, lang)] = table[col]
        if col == "max":
            for tier, name in tiers.items():
                out[name] = table[tier].astype("Int64")
    for col in SCORE_STATS:  # scores to one decimal, as everywhere; cv, Gini, Theil to three
        out[t(STAT_LABEL[col], lang)] = table[col].astype(float).round(1)
    return out.round(3)


def _columns(lang: Lang) -> dict:
    """The region name stays in view while the table scrolls sideways; scores to one decimal,
    CV / Gini / Theil to three."""
    return {t("reg_col_region", lang): st.column_config.Column(pinned=True),
            **{t(STAT_LABEL[col], lang): st.column_config.NumberColumn(format="%.1f") for col in SCORE_STATS},
            **{t(STAT_LABEL[col], lang): st.column_config.NumberColumn(format="%.3f") for col in INEQUALITY}}


def _claim_display(claim: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    return pd.DataFrame({
        t("reg_col_region", lang): region_words.names(claim, lang),
        t("reg_col_scored", lang): claim["scored"],
        t("reg_col_mean", lang): claim["mean"].round(1),
        t("reg_col_median", lang): claim["median"].round(1),
        t("reg_col_national", lang): claim["national_mean"].round(1),
        t("reg_col_diff", lang): claim["diff"].round(1),
        t("reg_col_diff_sd", lang): claim["diff_sd"].round(2),
        t("reg_col_share_above", lang): [f"{v:.0%}" if pd.notna(v) else "—" for v in claim["share_above"]],
        t("reg_col_p_random", lang): claim["p_random"].round(4),
    })


def _scatter(local: pd.DataFrame, moran_i: float, lang: Lang) -> alt.Chart:
    classes = list(spatial.LISA_CLASSES)
    df = local.assign(city=[places.display_name(a) for a in local.index],
                      cls=[t(spatial_words.LISA[c], lang) for c in local["lisa"]])
    colors = [{**LISA_COLORS, "ns": NS_COLOR}[c] for c in classes]  # the map's colours
    x, y = t("sp_z", lang), t("sp_lag", lang)  # axis titles; the fields are "z" and "lag"
    df = df[["city", "cls", "value", "p_lisa", "z", "lag"]]
    points = alt.Chart(df).mark_circle(size=40, opacity=0.8).encode(
        x=_q("z", x), y=_qy("lag", y),
        color=alt.Color("cls:N", title=t("sp_class", lang),
                        scale=alt.Scale(domain=[t(spatial_words.LISA[c], lang) for c in classes],
                                        range=colors)),
        tooltip=["city", alt.Tooltip("value:Q", format=".1f"), "cls", alt.Tooltip("p_lisa:Q", format=".3f")],
    )
    lo, hi = float(df["z"].min()), float(df["z"].max())
    line = alt.Chart(pd.DataFrame({"z": [lo, hi], "lag": [moran_i * lo, moran_i * hi]})).mark_line(
        color=FIT_COLOR).encode(x=_q("z", x), y=_qy("lag", y))
    axes = alt.Chart(pd.DataFrame({"z": [0.0], "lag": [0.0]}))
    return (points + line + axes.mark_rule(color=AXIS_COLOR).encode(x=_q("z", x))
            + axes.mark_rule(color=AXIS_COLOR).encode(y=_qy("lag", y))).properties(height=360)


def _counts(counts: dict, names: dict[str, str], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame({t("sp_class", lang): [t(names[k], lang) for k in counts],
                         t("sp_count", lang): list(counts.values())})


def _ring_chart(rings: pd.DataFrame, national: float, lang: Lang) -> alt.Chart:
    ring, mean = t("sp_ring", lang), t("sp_ring_mean", lang)  # titles; fields "ring", "mean"
    df = rings[["ring", "mean", "n"]].assign(ring=rings["ring"].astype(str))
    bars = alt.Chart(df).mark_bar(color=BAR_COLOR).encode(
        x=alt.X("ring:N", sort=None, title=ring),
        y=_qy("mean", mean, scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("ring:N", title=ring), alt.Tooltip("mean:Q", format=".1f", title=mean),
                 alt.Tooltip("n:Q", title="n")])
    rule = alt.Chart(pd.DataFrame({"mean": [national]})).mark_rule(
        color=MEAN_COLOR, strokeDash=[4, 3]).encode(y=_qy("mean", mean))
    return (bars + rule).properties(height=260)


def _decay_chart(points: pd.DataFrame, fit: dict, lang: Lang) -> alt.Chart:
    dist, score = t("sp_distance", lang), t("tip_score", lang)  # titles; fields "distance_km", "value"
    df = points.assign(city=[places.display_name(a) for a in points.index])
    df = df.loc[df["distance_km"] > 0, ["city", "distance_km", "value"]]
    x = _q("distance_km", dist, scale=alt.Scale(type="log"))
    dots = alt.Chart(df).mark_circle(size=45, color=BAR_COLOR).encode(
        x=x, y=_qy("value", score),
        tooltip=["city", alt.Tooltip("distance_km:Q", format=".0f", title=dist),
                 alt.Tooltip("value:Q", format=".1f", title=score)])
    layers = dots + alt.Chart(pd.DataFrame({"value": [fit["national_mean"]]})).mark_rule(
        color=MEAN_COLOR, strokeDash=[4, 3]).encode(y=_qy("value", score))
    if np.isfinite(fit["slope"]) and len(df):
        d = np.geomspace(df["distance_km"].min(), df["distance_km"].max(), 30)
        line = pd.DataFrame({"distance_km": d, "value": fit["intercept"] + fit["slope"] * np.log(d)})
        layers += alt.Chart(line).mark_line(color=FIT_COLOR).encode(x=x, y=_qy("value", score))
    return layers.properties(height=260)


def _decay_text(fit: dict, lang: Lang) -> str:
    if not np.isfinite(fit["slope"]):
        return t("sp_too_few", lang)
    text = t("sp_decay_fit", lang, a=fit["intercept"], b=fit["slope"], pd=fit["per_doubling"],
             lo=fit["ci_low"] * np.log(2), hi=fit["ci_high"] * np.log(2), r2=fit["r2"], n=fit["n"])
    fade = (t("sp_no_sig_decay", lang) if not fit.get("significant", True)
            else t("sp_fade", lang, km=fit["fade_km"]) if np.isfinite(fit["fade_km"])
            else t("sp_no_fade", lang, km=fit["max_km"]))
    return text + t("sentence_join", lang) + fade


def display_table(ctx: Ctx) -> pd.DataFrame:
    """The region table as the page shows it (without the distance rule), for the export page."""
    table, _, _ = _tables(state.dataset_key(ctx.ds), ctx.ds, None)
    return _region_display(table, ctx.ds, ctx.lang)


def render(ctx: Ctx) -> pd.DataFrame:
    """The tab; returns the region table as displayed (for the export tab)."""
    lang, ds = ctx.lang, ctx.ds
    key = state.dataset_key(ds)
    left, right = st.columns(2)
    r_km = left.slider(t("reg_radius", lang), 25, 300, int(regions.DEFAULT_R_KM), step=25, key="reg_radius")
    with_radius = right.checkbox(t("reg_show_radius", lang), value=False, key="reg_with_radius")
    table, claim, attrs = _tables(key, ds, float(r_km) if with_radius else None)
    rings, cores, points = _cores(key, ds)

    st.subheader(t("reg_table_title", lang))
    st.caption(t("reg_table_note", lang) + " " + t("reg_distance_def", lang, r=r_km))
    display = _region_display(table, ds, lang)
    st.dataframe(display, hide_index=True, width="stretch", height=420, column_config=_columns(lang))
    st.caption(national_words.summary(national_figures.figures(ds), lang))
    st.download_button(t("reg_download", lang), tabular.to_csv(display),
                       file_name=f"dei2023_regions_{lang}.csv", mime="text/csv")

    st.subheader(t("reg_claim_title", lang))
    st.dataframe(_claim_display(claim, lang), hide_index=True, width="stretch")
    st.caption(t("reg_claim_weighting", lang, draws=attrs["draws"], seed=attrs["seed"]) + " "
               + t("reg_claim_rest", lang, n=attrs["rest_n"], mean=attrs["rest_mean"]))

    with st.expander(t("reg_summaries", lang)):
        decays = {int(r["adcode"]): r for r in cores.to_dict("records")}
        national = table.iloc[0]
        names = {r.id: r for r in regions.all_regions(float(r_km) if with_radius else None)}
        for _, row in table.iloc[1:].iterrows():
            st.markdown("- " + region_words.describe(row, national, lang,
                                                     regions.decay_of(names[row["id"]], row, decays)))

    st.subheader(t("sp_title", lang))
    a, b, c, d = st.columns(4)
    kind = a.radio(t("sp_weights", lang), spatial.WEIGHT_KINDS, horizontal=True, key="sp_weights",
                   format_func=lambda w: t(WEIGHTS_LABEL[w], lang))
    k = b.slider(t("sp_k", lang), 3, 12, 6, key="sp_k") if kind == "knn" else 6
    alpha = c.selectbox(t("sp_alpha", lang), (0.05, 0.01, 0.1), key="sp_alpha")
    correction = d.selectbox(t("sp_correction", lang), models.CORRECTIONS, key="sp_correction",
                             format_func=lambda c: t(model_words.CORRECTION[c], lang),
                             help=t("sp_correction_help", lang))
    _spillover_section(key, ds, kind, k, alpha, correction, lang)

    st.subheader(t("sp_rings_title", lang))
    if cores.empty:
        st.info(t("sp_no_cores", lang))
        return display
    names = dict(zip(cores["adcode"].astype(int), cores["city"]))
    core = st.selectbox(t("sp_core", lang), list(names), format_func=names.get, key="sp_core")
    fit = cores.set_index("adcode").loc[core].to_dict()
    one, two = st.columns(2)
    one.altair_chart(_ring_chart(rings[rings["adcode"] == core], fit["national_mean"], lang), width="stretch")
    two.altair_chart(_decay_chart(points[core], fit, lang), width="stretch")
    st.caption(_decay_text(fit, lang) + " " + t("reg_distance_def", lang, r=r_km))
    with st.expander(t("sp_cores_table", lang)):
        wide = rings.pivot(index="city", columns="ring", values="mean").round(1)
        st.dataframe(cores.set_index("city")[["score", "slope", "ci_low", "ci_high", "per_doubling", "r2", "n",
                                              "significant", "fade_km", "fade_ring"]].round(2).join(wide),
                     width="stretch")
    return display


def _spillover_section(key, ds: Dataset, kind: str, k: int, alpha: float, correction: str, lang: Lang) -> None:
    """Moran's I, the scatterplot and the class counts, or an ``st.info`` saying why not."""
    err = spatial.too_few(ds)
    if err:
        st.info(spatial_words.too_few(err, lang))
        return
    try:
        result, local = _spill(key, ds, kind, k, alpha, correction)
    except spatial.TooFewUnits as err:
        st.info(spatial_words.too_few(err, lang))
        return
    except ValueError as err:
        st.warning(t("sp_error", lang, error=err))
        return
    st.markdown(t("sp_moran", lang, I=result["moran_I"], EI=result["expected_I"], p=result["p_sim"],
                  perm=result["permutations"], seed=result["seed"]))
    st.caption(spatial_words.weights(result["weights"], lang) + t("sentence_sep", lang)
               + t("sp_local_note", lang))
    st.caption(model_words.cutoff({"correction": result["correction"], "alpha": result["alpha"],
                                   **result["cutoffs"]}, lang))
    chart, counts = st.columns([3, 2])
    with chart:
        st.caption(t("sp_scatter", lang))
        st.altair_chart(_scatter(local, result["moran_I"], lang), width="stretch")
    with counts:
        st.caption(t("sp_lisa_counts", lang))
        st.dataframe(_counts(result["lisa_counts"], spatial_words.LISA, lang), hide_index=True)
        st.caption(t("sp_gi_counts", lang))
        st.dataframe(_counts(result["gi_counts"], spatial_words.GI, lang), hide_index=True)
