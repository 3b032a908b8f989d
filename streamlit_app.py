"""dei-geo Streamlit app: layout and widgets only; panels live in ``ui/``, logic in ``dei_geo``."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dei_geo import assets, boundaries, classify, maps
from dei_geo.i18n import LANGS, t
from ui import overview, state

st.set_page_config(page_title="DEI 城市数字化发展指数", layout="wide")

lang = st.sidebar.radio(
    t("language"), LANGS, format_func={"zh": "中文", "en": "English"}.get, key="lang"
)
scheme = st.sidebar.selectbox(
    t("classification", lang),
    classify.SCHEMES,
    format_func=lambda s: t(f"scheme_{s}", lang),
    key="scheme",
)
k = st.sidebar.slider(t("classes", lang), 3, 7, 5, key="k") if scheme != "tiers" else 5
ctx = state.Ctx(lang=lang, ds=state.bundled(), scheme=scheme, k=k)

st.title(t("app_title", lang))
try:
    pm = state.prepared(ctx.scheme, ctx.k, ctx.lang, ctx.metric)
except boundaries.GeodataMissing as err:
    st.error(t("geodata_missing", lang, error=err))
    st.stop()

left, right = st.columns([3, 2])
with left:
    m = assets.use_data_urls(maps.build_map(pm))
    st_folium(m, height=620, use_container_width=True, returned_objects=[], key="map")
    st.download_button(
        t("download_html", lang),
        data=state.html_bytes(ctx.scheme, ctx.k, ctx.lang, ctx.metric),
        file_name=f"dei2023_{ctx.scheme}_{ctx.lang}.html",
        mime="text/html",
    )
with right:
    overview.render(ctx, units=len(pm.cities["features"]))

(ranking_tab,) = st.tabs([t("ranking", lang)])
with ranking_tab:
    overview.ranking(ctx)
