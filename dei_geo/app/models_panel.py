"""Models tab: spatial regression of a score on covariates (``analysis.models``, spreg), with the
weights chosen and stated, regression tables to download (CSV, XLSX, LaTeX, Markdown), impacts,
a map of the residuals (offline HTML too), the LM/LR model choice, a bivariate Moran / LISA, a
Moran correlogram and the core-city model."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dei_geo.analysis import models
from dei_geo.app.state import Ctx
from dei_geo.core import columns, tabular
from dei_geo.core.i18n import t
from dei_geo.maps import assets, classify, export, markup, web
from dei_geo.sources import covariates, datasets, loader, validate
from dei_geo.wording import models as words

WEIGHTS_LABEL = {"queen": "sp_weights_queen", "knn": "sp_weights_knn", "band": "md_app_band_kind"}
CORRECTION_LABEL = words.CORRECTION
SKIP = ("adcode", "city", "rank", "tier", "status", "note")


def _frame(ctx: Ctx, cov: covariates.Covariates | None) -> tuple[pd.DataFrame, dict]:
    scores = ctx.ds.scores
    keep = [c for c in scores.columns if c not in SKIP and not c.endswith("_rank")
            and pd.api.types.is_numeric_dtype(scores[c]) and scores[c].notna().sum() >= 10]
    frame = scores.dropna(subset=["adcode"]).astype({"adcode": int}).set_index("adcode")[keep]
    units: dict = {}
    if cov is not None:
        table = covariates.for_year(cov, cov.years[-1] if cov.years else None)
        frame = frame.join(table.drop(columns=[c for c in table.columns if c in frame.columns]), how="left")
        units = dict(cov.units)
    return frame, units


def _read_upload(upload, lang) -> covariates.Covariates | None:
    if upload is None:
        return None
    try:
        cov = covariates.read(upload.getvalue(), name=upload.name)
    except loader.FileProblem as p:
        issue = validate.Issue(p.code, p.file, row=p.row, sheet=p.sheet, params=p.params)
        st.error(f"{issue.why(lang)} → {issue.fix(lang)}")
        return None
    for line in words.covariate_notes(cov.to_dict(), lang):
        st.caption(line)
    if len(cov.years) > 1:
        st.info(t("md_app_year_used", lang, year=cov.years[-1]))
    return cov


def _label(ctx: Ctx, column: str) -> str:
    found = columns.available(ctx.ds.scores, ctx.lang)
    return found.get(column, column)


def render(ctx: Ctx) -> None:
    lang = ctx.lang
    st.subheader(t("md_app_title", lang))
    st.caption(t("md_app_intro", lang))
    upload = st.file_uploader(t("md_app_upload", lang), type=["csv", "xlsx"], help=t("md_app_upload_help", lang),
                              key="md_upload")
    cov = _read_upload(upload, lang)
    frame, units = _frame(ctx, cov)
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    left, right = st.columns(2)
    y = left.selectbox(t("md_app_y", lang), numeric, format_func=lambda c: _label(ctx, c), key="md_y")
    x = left.multiselect(t("md_app_x", lang), [c for c in frame.columns if c != y],
                         format_func=lambda c: _label(ctx, c), key="md_x", select_all=False)
    kind = right.selectbox(t("md_app_weights", lang), models.WEIGHT_KINDS,
                           format_func=lambda k: t(WEIGHTS_LABEL[k], lang), key="md_w")
    spec = kind
    if kind == "knn":
        spec = f"knn:{int(right.number_input(t('md_app_k', lang), 1, 30, 6, key='md_k'))}"
    elif kind == "band":
        spec = f"band:{right.number_input(t('md_app_band', lang), 10.0, 2000.0, 300.0, step=10.0, key='md_band'):g}km"
    row = right.toggle(t("md_app_row", lang), value=True, key="md_row")
    chosen = st.multiselect(t("md_app_models", lang), models.MODELS, default=["ols", "sar", "sdm"],
                            format_func=lambda m: words.model_name(m, lang), key="md_models", select_all=False)
    choose = st.checkbox(t("md_app_choose", lang), key="md_choose")
    if not x:
        st.info(t("md_app_need_x", lang))
    elif st.button(t("md_app_run", lang), key="md_run", type="primary"):
        _run(ctx, frame, units, y, x, spec, row, chosen, choose)
    with st.expander(t("md_app_local_title", lang)):
        _local(ctx, frame, y, spec)
    with st.expander(t("md_app_core_title", lang)):
        _core(ctx, frame, x if y == "score" else [], spec, row)


def _run(ctx, frame, units, y, x, spec, row, chosen, choose) -> None:
    lang = ctx.lang
    try:
        geo = models.dei_units(frame.index)
        s = models.sample(frame, y, x, keep=geo.index, units=units)
        w = models.build_weights(geo.loc[s.data.index], spec, row)
        with st.spinner(t("md_app_running", lang)):
            if choose:
                c = models.choose(s, w)
                results = list(c.results.values())
            else:
                c, results = None, [models.fit(s, w, m) for m in chosen or ["ols"]]
    except models.ModelInputError as err:
        st.error(words.problem(err, lang))
        return
    table = words.side_by_side(results, lang)
    foot = words.notes(results, lang)
    title = t("md_table_title", lang, y=y)
    st.markdown(f"**{title}**")
    st.dataframe(table, hide_index=True, use_container_width=True)
    for line in foot:
        st.caption(line)
    sheets = {t("md_sheet_table", lang): table}
    for r in results:
        sheets[words.MODEL_SHORT[r.model]] = words.coefficients(r, lang)
        if len(r.impacts):
            st.markdown(t("md_impacts_title", lang, model=words.model_name(r.model, lang)))
            imp = words.impacts(r, lang)
            st.dataframe(imp, hide_index=True, use_container_width=True)
            sheets[words.MODEL_SHORT[r.model] + " " + t("md_sheet_impacts", lang)] = imp
    if c is not None:
        st.markdown(f"**{t('md_tests_title', lang)}**")
        st.dataframe(words.tests(c, lang), hide_index=True, use_container_width=True)
        st.success(" ".join(words.choice(c, lang)))
        sheets[t("md_sheet_tests", lang)] = words.tests(c, lang)
    a, b, cc, d = st.columns(4)
    a.download_button(t("md_app_download_csv", lang), tabular.to_csv(table), file_name="models.csv",
                      mime="text/csv", on_click="ignore")
    b.download_button(t("md_app_download_xlsx", lang), tabular.to_xlsx(sheets), file_name="models.xlsx",
                      on_click="ignore",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    cc.download_button(t("md_app_download_tex", lang), words.to_latex(table, title, foot).encode("utf-8"),
                       file_name="models.tex", mime="text/x-tex", on_click="ignore")
    d.download_button(t("md_app_download_md", lang), words.to_markdown(table, title, foot).encode("utf-8"),
                      file_name="models.md", mime="text/markdown", on_click="ignore")
    resid = results[-1].residuals.rename("residual").to_frame()
    resid.insert(0, "city", [_name(a) for a in resid.index])
    st.caption(t("md_app_residuals", lang, model=words.model_name(results[-1].model, lang)))
    st.dataframe(resid.sort_values("residual"), use_container_width=True, height=240)
    _residual_section(ctx, results[-1])
    if results[-1].model in models.LOCAL_IMPACT_MODELS:
        _local_effects_section(ctx, results[-1], w)


@st.cache_data(show_spinner=False, max_entries=4)
def residual_map(model: str, y_label: str, residuals: pd.Series, ds_label: str, lang: str) -> web.PreparedMap:
    """A choropleth of a fitted model's residuals over the city units (``residuals`` by adcode),
    classed around 0 with the diverging palette; units outside the sample drawn as no data."""
    table = pd.DataFrame({"adcode": residuals.index.astype(int), "residual": residuals.to_numpy(float)})
    name = words.MODEL_SHORT[model]  # OLS, SAR, SDM, …
    source = t("md_map_source", lang, model=name, n=len(table))
    ds = datasets.from_table(table, ds_label, meta={"source_note": source, "source_note_en": source})
    return web.prepare_map(ds, metric="residual", lang=lang, centred=True, unit=classify.display_unit(residuals),
                           metric_label=t("md_map_residual_label", lang, model=name, y=y_label))


def _residual_section(ctx: Ctx, result: models.ModelResult) -> None:
    """The residual map (streamlit-folium, offline assets, markup sealed) and its offline HTML."""
    lang = ctx.lang
    name = words.model_name(result.model, lang)
    pm = residual_map(result.model, _label(ctx, result.y), result.residuals, ctx.ds.label, lang)
    st.caption(t("md_map_caption", lang, model=name))
    m = markup.seal(assets.use_data_urls(web.build_map(pm)))
    st_folium(m, height=480, use_container_width=True, returned_objects=[], key="md_residual_map")
    st.download_button(t("md_app_download_map", lang), on_click="ignore", mime="text/html",
                       data=lambda: export.to_html(pm).encode("utf-8"),
                       file_name=f"residuals_{result.model}_{lang}.html", key="md_residual_download")


@st.cache_data(show_spinner=False, max_entries=4)
def local_effect_map(model: str, x_label: str, effects: pd.Series, ds_label: str, lang: str) -> web.PreparedMap:
    """A choropleth of one covariate's unit-by-unit indirect (spillover) effect, centred on 0."""
    table = pd.DataFrame({"adcode": effects.index.astype(int), "indirect": effects.to_numpy(float)})
    name = words.MODEL_SHORT[model]
    source = t("md_map_local_source", lang, model=name, n=len(table))
    ds = datasets.from_table(table, ds_label, meta={"source_note": source, "source_note_en": source})
    return web.prepare_map(ds, metric="indirect", lang=lang, centred=True, unit=classify.display_unit(effects),
                           metric_label=t("md_map_local_label", lang, model=name, x=x_label))


def _local_effects_section(ctx: Ctx, result: models.ModelResult, w: models.ModelWeights) -> None:
    """Per city, the spillover of the first covariate (``models.local_impacts``): a map and a table."""
    lang, variable = ctx.lang, result.x[0]
    local = models.local_impacts(result, w, variable)
    pm = local_effect_map(result.model, _label(ctx, variable), local["indirect"], ctx.ds.label, lang)
    st.caption(t("md_map_local_caption", lang, model=words.model_name(result.model, lang),
                 x=_label(ctx, variable)))
    m = markup.seal(assets.use_data_urls(web.build_map(pm)))
    st_folium(m, height=480, use_container_width=True, returned_objects=[], key="md_local_map")


def _name(adcode) -> str:
    from dei_geo.core import places

    return places.display_name(int(adcode))


def _local(ctx: Ctx, frame: pd.DataFrame, y: str, spec: str) -> None:
    lang = ctx.lang
    other = st.selectbox(t("md_app_bv_with", lang), [c for c in frame.columns if c != y
                                                     and pd.api.types.is_numeric_dtype(frame[c])],
                         format_func=lambda c: _label(ctx, c), key="md_bv_other")
    correction = st.selectbox(t("md_app_correction", lang), models.CORRECTIONS,
                              format_func=lambda c: t(CORRECTION_LABEL[c], lang), key="md_corr")
    if not st.button(t("md_app_local_run", lang), key="md_local_run"):
        return
    try:
        geo = models.dei_units(frame.index)
        if other is not None:
            s = models.sample(frame, y, [other], keep=geo.index)
            w = models.build_weights(geo.loc[s.data.index], spec)
            bv = models.bivariate(s.data[y].rename(y), s.data[other].rename(other), w, correction=correction)
            for line in words.bivariate(bv, lang):
                st.write(line)
        series = frame[y].dropna()
        units = geo.loc[geo.index.intersection(series.index)]
        cg = models.correlogram(units, series)
    except models.ModelInputError as err:
        st.error(words.problem(err, lang))
        return
    st.markdown(t("md_app_correlogram_title", lang))
    st.line_chart(cg.set_index("distance_km")["I"])
    st.dataframe(cg.rename(columns={c: t(words.HEADER[c], lang) for c in cg.columns if c in words.HEADER}),
                 hide_index=True, use_container_width=True)


def _core(ctx: Ctx, frame: pd.DataFrame, x: list[str], spec: str, row: bool) -> None:
    lang = ctx.lang
    st.caption(t("md_app_core_note", lang))
    if not st.button(t("md_app_core_run", lang), key="md_core_run"):
        return
    try:
        geo = models.dei_units(frame.index)
        cs = models.core_spillover(frame["score"], geo, frame[x] if x else None, spec, "four", row)
    except (models.ModelInputError, KeyError) as err:
        st.error(words.problem(err, lang) if isinstance(err, models.ModelInputError) else str(err))
        return
    effect = cs.effect.assign(model=lambda d: d["model"].map(lambda m: words.MODEL_SHORT[m]),
                              term=lambda d: d["term"].map(lambda n: words.term(n, lang)))
    st.dataframe(effect.rename(columns={c: t(words.HEADER[c], lang) for c in effect.columns if c in words.HEADER}),
                 hide_index=True, use_container_width=True)
    for line in words.core_effect(cs, lang):
        st.write(line)
