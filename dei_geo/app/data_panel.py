"""Your own data: templates, upload, validation report, index weights and rank shifts.

``render(ctx)`` returns the user's Dataset (or None): its ``scores`` carry the overall score,
every pillar/indicator present or computed, ``rank``/``tier``, and when available ``shift`` /
``rank_shift`` (edited vs published weights) and ``change`` / ``rank_change`` (vs ``ctx.ds``).
``columns.available(ds.scores, lang)`` lists what can be mapped.

The file in use and the dataset built from it stay in session state (``UPLOAD``, ``DATASET``)
when the user goes to another page: the map shows it until the file is removed.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from dei_geo.analysis import change, index
from dei_geo.app import county_panel, points_panel, state, years_panel
from dei_geo.app.state import Ctx
from dei_geo.app.text import plain
from dei_geo.core import columns, tabular
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import Scheme
from dei_geo.maps import transition, web
from dei_geo.sources import county_table, loader, points, template, validate
from dei_geo.sources.datasets import Dataset
from dei_geo.wording import change as change_words
from dei_geo.wording import index as index_words

# codes → catalogue keys
TEMPLATE_LEVEL = {"overall": "di_tpl_level_overall", "pillars": "di_tpl_level_pillars",
                  "indicators": "di_tpl_level_indicators"}  # template.LEVELS
MISSING_RULE = {"report": "di_missing_report", "zero": "di_missing_zero",
                "renormalise": "di_missing_renormalise"}  # index.MISSING
UPLOAD = "di_upload"        # (name, bytes) of the file in use
DATASET = "di_dataset"     # the Dataset built from it (read by ``current``)
SHOW_USER = "di_show_user"  # the map page's switch between the upload and the report
KEPT = ("di_sheet", "di_year", "di_missing", "di_tpl_level", SHOW_USER,
        *(f"di_w_{p}" for p in columns.pillars()))  # widget state kept across pages
GAP_EFFECT = {"not_computed": "di_effect_not_computed", "as_zero": "di_effect_as_zero",
              "renormalised": "di_effect_renormalised", "kept": "di_effect_kept"}  # Result.gaps["effect"]


@st.cache_data(show_spinner=False, max_entries=8)
def _validated(data: bytes, name: str, sheet: str | None) -> tuple[validate.Report, str]:
    """The city check of the file and its level (``city``, ``county`` or ``points``), from one read."""
    try:
        raw = loader.read(data, name=name, sheet=sheet)
    except loader.FileProblem:  # the report says what is wrong with the file
        return validate.validate(data, name=name, sheet=sheet), "city"
    if points.is_point_table(raw.header):  # 名称, 经度, 纬度: a marker layer (points_panel)
        return validate.Report(name, [], pd.DataFrame(), pd.DataFrame()), "points"  # not a score table
    return validate.check(raw), county_table.detect(raw)


def level_of(data: bytes, name: str) -> str:
    """The level of an uploaded file (``city``, ``county`` or ``points``; cached, one read)."""
    return _validated(data, name, None)[1]


@st.cache_data(show_spinner=False)
def _template(level: template.Level, lang: Lang, kind: tabular.TableFormat) -> bytes:
    return template.xlsx_bytes(level, lang) if kind == "xlsx" else template.csv_bytes(level, lang)


def _templates(lang: Lang) -> None:
    with st.expander(t("di_tpl_header", lang)):
        st.caption(t("di_tpl_note", lang))
        level = st.radio(t("di_tpl_level", lang), template.LEVELS, horizontal=True,
                         format_func=lambda v: t(TEMPLATE_LEVEL[v], lang), key="di_tpl_level")
        a, b = st.columns(2)
        a.download_button(t("di_tpl_xlsx", lang), _template(level, lang, "xlsx"),
                          file_name=f"dei_template_{level}.xlsx", key="di_tpl_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        b.download_button(t("di_tpl_csv", lang), _template(level, lang, "csv"),
                          file_name=f"dei_template_{level}.csv", mime="text/csv", key="di_tpl_csv")


def _report(report: validate.Report, lang: Lang) -> None:
    line = plain(report.summary(lang))
    (st.success if report.ok else st.error)(line)
    if report.encoding or report.sheet:
        st.caption(plain(t("di_read_as", lang, encoding=report.encoding or "XLSX",
                            sheet=report.sheet or "—", row=report.header_row)))
    if report.issues:
        st.dataframe(report.issues_frame(lang), hide_index=True, width="stretch", key="di_issues")
        st.download_button(t("di_download_issues", lang),
                           report.issues_csv(lang),
                           file_name="issues.csv", mime="text/csv", key="di_dl_issues")
    if len(report.rejected):  # every rejected row: built on click, never sent with the page
        st.download_button(t("di_download_rejected", lang), lambda: report.rejected_csv(lang),
                           file_name="rejected_rows.csv", mime="text/csv", key="di_dl_rejected",
                           on_click="ignore")


def _reset_weights() -> None:
    for pillar, w in index.printed_weights().items():
        if pillar in columns.pillars():
            st.session_state[f"di_w_{pillar}"] = round(w * 100)


def _percent_table(table: pd.DataFrame, lang: Lang, key: str) -> None:
    """A weight table with fractions shown as percentages, like the sliders (0.4231 → 42.31%)."""
    names = {"name": t("di_col_indicator", lang), "printed": t("di_col_printed", lang),
             "used": t("di_col_used", lang), "changed": t("di_col_changed", lang)}
    table = table.copy()
    for col in ("printed", "used"):
        table[col] = (table[col].astype(float) * 100).round(2)
    st.dataframe(table.rename(columns=names), hide_index=True, width="stretch", key=key,
                 column_config={names[c]: st.column_config.NumberColumn(names[c], format="%.2f%%")
                                for c in ("printed", "used")})


def _weights(lang: Lang) -> dict[str, float]:
    with st.expander(t("di_weights", lang), expanded=False):
        st.caption(t("di_weight_rule", lang))
        printed = index.printed_weights()
        chosen = {}
        for pillar in columns.pillars():
            key = f"di_w_{pillar}"
            if key not in st.session_state:
                st.session_state[key] = round(printed[pillar] * 100)
            chosen[pillar] = st.slider(columns.label(pillar, lang), 0, 100, step=1, key=key,
                                       format="%d%%") / 100
        st.button(t("di_reset", lang), on_click=_reset_weights, key="di_reset")
        if sum(chosen.values()) == 0:
            st.warning(t("di_weights_zero", lang))
            return {}
        table = index.weight_table(chosen, lang)
        table = table[table["level"] == 1][["name", "printed", "used"]]
        _percent_table(table, lang, "di_weight_table")
        with st.expander(t("di_weights_all", lang)):
            full = index.weight_table(None, lang)[["id", "name", "printed", "used", "changed"]]
            _percent_table(full, lang, "di_weight_full")
    return {p: w for p, w in chosen.items() if abs(w - printed[p]) > 1e-9}


def _gaps(result: index.Result, ds: Dataset, lang: Lang) -> None:
    for message in index_words.messages(result, lang):
        st.caption(plain(message))
    if result.gaps.empty:
        return
    city = ds.scores.set_index("adcode")["city"]
    shown = pd.DataFrame({
        t("col_city", lang): result.gaps["adcode"].map(city),
        t("di_col_indicator", lang): result.gaps["node"].map(lambda n: columns.label(n, lang)),
        t("di_col_missing", lang): result.gaps["missing"].map(
            lambda m: t("list_sep", lang).join(columns.label(c, lang) for c in m.split("|"))),
        t("di_col_effect", lang): result.gaps["effect"].map(lambda e: t(GAP_EFFECT[e], lang)),
    })
    with st.expander(t("di_gaps", lang, n=result.gaps["adcode"].nunique())):
        st.dataframe(shown, hide_index=True, width="stretch", key="di_gap_table")


def _shift_table(ds: Dataset, published: Dataset, lang: Lang) -> None:
    """Rank and tier before (published weights) and after (edited); tier moves first."""
    s = change.shift_table(ds, published, lang)
    moved = int(s["tier_moved"].sum())
    if moved:
        st.caption(t("di_tier_moved", lang, n=moved))
    st.dataframe(pd.DataFrame({
        t("col_city", lang): s["city"],
        t("di_col_tier_published", lang): s["tier_published"],
        t("di_col_tier_edited", lang): s["tier_edited"],
        t("di_col_rank_published", lang): s["rank_published"],
        t("di_col_rank_edited", lang): s["rank_edited"],
        t("di_col_rank_shift", lang): s["rank_shift"],
        t("di_col_score_published", lang): s["score_published"].round(1),
        t("di_col_score_edited", lang): s["score_edited"].round(1),
    }), hide_index=True, width="stretch", key="di_shift_table")


@st.cache_data(show_spinner=False, max_entries=16)
def _prepared(key: tuple, _ds: Dataset, metric: str, scheme: Scheme, k: int, lang: Lang,
              label: str) -> web.PreparedMap:
    if metric in columns.TRANSITIONS:  # tier moves between two years: categories, not values
        return transition.prepare_map(_ds, metric, lang, metric_label=label)
    return web.prepare_map(_ds, metric=metric, scheme=scheme, k=k, lang=lang, metric_label=label)


def prepared(ds: Dataset, metric: str, scheme: Scheme, k: int, lang: Lang) -> web.PreparedMap:
    """``web.prepare_map`` of a returned dataset, cached on its content. Change metrics are
    differences, not 0–100 scores: ``prepare_map`` classes them around 0 whatever ``scheme``
    says. Raises ValueError when a metric has fewer distinct values than classes."""
    return _prepared(state.dataset_key(ds), ds, metric, scheme, k, lang, columns.label(metric, lang))


def current() -> Dataset | None:
    """The dataset built from the file in use, or None."""
    return st.session_state.get(DATASET)


def _on_upload() -> None:
    upload = st.session_state.get("di_file")
    st.session_state[UPLOAD] = None if upload is None else (upload.name, upload.getvalue())
    st.session_state[SHOW_USER] = upload is not None  # a new upload is shown on the map
    st.session_state[DATASET] = None


def _remove() -> None:
    st.session_state[UPLOAD] = st.session_state[DATASET] = None


def render(ctx: Ctx) -> Dataset | None:
    """The whole panel; returns the dataset built from the upload, or None (also kept: ``current``)."""
    ds = _render(ctx)
    st.session_state[DATASET] = ds
    return ds


def _render(ctx: Ctx) -> Dataset | None:
    lang = ctx.lang
    st.subheader(t("di_title", lang))
    _templates(lang)
    st.file_uploader(t("di_upload", lang), type=["csv", "xlsx", "txt", "tsv"],
                     help=t("di_upload_help", lang), key="di_file", on_change=_on_upload)
    if not st.session_state.get(UPLOAD):
        return None
    name, data = st.session_state[UPLOAD]
    if st.session_state.get("di_file") is None:  # back from another page: the file is still in use
        st.caption(t("di_in_use", lang, name=plain(name)))
        st.button(t("di_remove", lang), on_click=_remove, key="di_remove")
    report, level = _validated(data, name, None)  # one read: the report carries the sheet names too
    if level == "county":  # 区县: their own check, map and province means
        county_panel.render(data, name, None, lang)
        return None
    if level == "points":  # a point table: its check; a marker layer on the city map (issue 13)
        points_panel.render(data, name, lang)
        return None
    if len(report.sheets) > 1:
        sheet = st.selectbox(t("di_sheet", lang), [None, *report.sheets], key="di_sheet",
                             format_func=lambda s: t("di_sheet_auto", lang) if s is None else s)
        if sheet is not None:
            report, _ = _validated(data, name, sheet)
    _report(report, lang)
    table = report.table
    if table.empty:
        return None
    year = base_year = None
    every_year = table
    if "year" in table:
        years = [int(y) for y in sorted(table["year"].dropna().unique())]
        if len(years) > 1:  # the map's year on a slider; the dynamics below
            if st.session_state.get("di_year") not in years:
                st.session_state["di_year"] = years[-1]  # the last year first; a choice kept across pages
            year = st.select_slider(t("di_year", lang), years, key="di_year")
            base_year = years_panel.render(data, name, st.session_state.get("di_sheet"), lang)
        else:
            year = years[0]
        table = table[table["year"] == year]
    label = t("di_label", lang, name=name) + (f" {year}" if year else "")
    inputs = [m for m in columns.metrics() if m in table and m != columns.SCORE]
    missing, weights = "report", {}
    if inputs:
        missing = st.radio(t("di_missing", lang), index.MISSING, horizontal=True, key="di_missing",
                           format_func=lambda m: t(MISSING_RULE[m], lang))
        weights = _weights(lang)
    ds, result = index.score_dataset(table, label, weights, missing,
                                     meta={"source_note": t("di_source", "zh", name=name),
                                           "source_note_en": t("di_source", "en", name=name)})
    _gaps(result, ds, lang)
    if base_year is not None and base_year != year:  # the change map between two years of the file
        before, _ = index.score_dataset(every_year[every_year["year"] == base_year], label, weights, missing)
        ds = change.with_change(ds, before, name="year_change")
        ds = change.with_tier_transition(ds, before, str(base_year), str(year))  # tier_year_change
        ds = dataclasses.replace(ds, label=t("di_label", lang, name=name) + f" {base_year}→{year}")
    if weights:
        published, _ = index.score_dataset(table, label, None, missing)
        ds = change.with_change(ds, published, name="shift")
        st.markdown(f"**{t('di_shift_header', lang)}**")
        _shift_table(ds, published, lang)
    if ds.scores["score"].notna().any():
        ds = change.with_change(ds, ctx.ds, name="change")
        with st.expander(t("di_compare", lang, base=plain(ctx.ds.label))):
            diff = change.city_changes(ctx.ds, ds)
            st.caption(change_words.rank_basis(diff.attrs["n_common"], lang))
            names = change_words.tier_names(ctx.ds.tiers, lang)
            diff["tier"] = [change_words.transition(r, names, lang) for _, r in diff.iterrows()]
            diff["note"] = change_words.notes(diff, ctx.ds.label, ds.label, lang)
            cols = {"city": "col_city", "value_base": "di_col_base", "value_other": "di_col_other",
                    "change": "di_col_change", "rank_base": "di_col_rank_base",
                    "rank_other": "di_col_rank_other", "rank_change": "di_col_rank_change",
                    "tier": "col_tier", "note": "col_note"}
            shown = diff[list(cols)].round(1).rename(columns={k: t(v, lang) for k, v in cols.items()})
            st.dataframe(shown, hide_index=True, width="stretch", key="di_compare_table")
    st.download_button(t("di_download_scored", lang), index.scored_csv(ds, lang),
                       file_name="scored.csv", mime="text/csv", key="di_dl_scored")
    return ds
