"""The Streamlit app: the sidebar (language, search, map options), the view in the URL, and the
pages along the top (``st.navigation``); each page is a script in ``pages/``."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dei_geo.app import compare, data_panel, levels, selected, state, view, widgets
from dei_geo.app.labels import LAYER_LABEL, SCHEME_LABEL
from dei_geo.app.text import plain
from dei_geo.core import columns, theme
from dei_geo.core.i18n import LANGS, t
from dei_geo.maps import classify, overlays
from dei_geo.sources import limits

PAGE_DIR = Path(__file__).parent / "pages"
PAGES = (  # (script and URL path, catalogue key of its title); the first is the default.
    # No icons: Streamlit fetches most Material icons from fonts.gstatic.com, which an intranet lacks
    ("map", "nav_map"),
    ("ranking", "nav_ranking"),
    ("compare", "nav_compare"),
    ("regions", "nav_regions"),
    ("models", "nav_models"),
    ("data", "nav_data"),
    ("export", "nav_export"),
)
# fixed CSS (no user text): less empty space above the page, so the map fits a 1440×900 screen;
# Streamlit's own English hints ("Press Enter to apply", "200MB per file") hidden: the labels and
# placeholders say the same in the app's language
COMPACT = ("<style>.block-container{padding-top:3.5rem;padding-bottom:1rem} h1{font-size:1.6rem}"
           "[data-testid=InputInstructions],[data-testid=stFileUploaderDropzoneInstructions]{display:none}</style>")
PAGE_KEY = "_page"  # the page of the last run: a page switch keeps the view the URL leaves out
KEPT = (compare.KEY, *data_panel.KEPT, *state.SPATIAL_KEYS, "reg_radius", "reg_with_radius", "sp_core",
        "export_scope", "export_title", "export_city", "yr_metric", "yr_from", "yr_to", "yr_compute",
        "rank_province", "rank_tier", "rank_region", "pt_show")  # survive a page switch


def _sidebar() -> tuple[str, theme.Scheme, int, list[str]]:
    lang = widgets.radio(st.sidebar, t("language"), LANGS, {"zh": "中文", "en": "English"}.get, "lang",
                         horizontal=True)
    st.sidebar.title(t("app_title", lang))
    with st.sidebar:
        selected.search_box(lang)
    scheme = widgets.select(st.sidebar, t("classification", lang), classify.SCHEMES,
                            lambda s: t(SCHEME_LABEL[s], lang), "scheme", lang)
    k = (widgets.slider(st.sidebar, t("classes", lang), min(theme.CLASS_COUNTS), max(theme.CLASS_COUNTS),
                        theme.DEFAULT_K, "k") if scheme != "tiers" else theme.DEFAULT_K)
    layer_keys = widgets.multiselect(
        st.sidebar, t("layer_pick", lang), overlays.KEYS, lambda key: t(LAYER_LABEL[key], lang), "layers",
        lang, help=t("layer_pick_help", lang), placeholder=t("layer_pick_none", lang))
    return lang, scheme, k, layer_keys


def run() -> None:
    """Lay out the page (Streamlit runs this on every rerun)."""
    st.set_page_config(page_title="DEI 城市数字化发展指数", layout="wide")
    st.html(COMPACT)
    pages = {name: st.Page(PAGE_DIR / f"{name}.py", title=t(key, view.language()), url_path=name,
                           default=(name == PAGES[0][0])) for name, key in PAGES}
    current = st.navigation(list(pages.values()), position="hidden")
    moved = st.session_state.get(PAGE_KEY) not in (None, current.url_path)
    st.session_state[PAGE_KEY] = current.url_path
    problems = view.restore(page_changed=moved)  # a link, Back / Forward: the URL's view becomes the state
    widgets.keep(*KEPT)
    lang, scheme, k, layer_keys = _sidebar()
    levels.sidebar(lang)  # 省 / 市 / 区县 (issue 13)
    for problem in problems:
        st.warning(view.said(problem, lang))

    bundled, user = state.bundled(), data_panel.current()
    shown = user if user is not None and st.session_state.get(data_panel.SHOW_USER, True) else bundled
    options = columns.available(shown.scores, lang)
    wanted = st.session_state.get("metric")  # from a link, or a metric of the data shown before
    metric = widgets.select(st.sidebar, t("di_metric_select", lang), options, options.get, "metric", lang)
    if wanted is not None and wanted != metric:
        st.warning(t("metric_unavailable", lang, metric=plain(limits.echo(wanted)), shown=options[metric]))
    view.publish()  # the state's view becomes the URL (one history entry per change)

    spatial = state.spatial_settings()  # weights, k, α, correction of the regions page: LISA/Gi*, card
    state.set_view(state.View(
        report=state.Ctx(lang=lang, ds=bundled, scheme=scheme, k=k, spatial=spatial),
        shown=state.Ctx(lang=lang, ds=shown, scheme=scheme, k=k, metric=metric, spatial=spatial),
        layers=tuple(layer_keys), user=user,
    ))
    _nav(pages, current, lang)
    current.run()


def _nav(pages: dict, current, lang: str) -> None:
    """The pages along the top. Streamlit's own bar drops the query string when it changes page;
    these links carry the view (city, language, metric, …), so a page switch keeps it and the
    URL of every page reproduces what is on screen. (A city picked on the map after this bar was
    drawn is kept by ``view.restore``, which keeps what a page switch's URL leaves out.)"""
    params = view.params()
    cells = st.columns(len(pages), gap="small", vertical_alignment="center")
    for column, (_, key), pg in zip(cells, PAGES, pages.values()):
        label = t(key, lang)
        column.page_link(pg, label=f"**{label}**" if pg.url_path == current.url_path else label,
                         query_params=params, width="stretch")
