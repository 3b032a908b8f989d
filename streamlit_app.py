"""dei-geo Streamlit app: layout, widgets and caching only; all logic lives in ``dei_geo``."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dei_geo import assets, boundaries, classify, datasets, export, maps, tables
from dei_geo.i18n import LANGS, t

st.set_page_config(page_title="DEI 城市数字化发展指数", layout="wide")


@st.cache_resource
def dataset():
    return datasets.load_dei_2023()


@st.cache_data(show_spinner=False)
def prepared(scheme: str, k: int, lang: str) -> maps.PreparedMap:
    return maps.prepare_map(dataset(), scheme=scheme, k=k, lang=lang)


@st.cache_data(show_spinner=False)
def html_bytes(scheme: str, k: int, lang: str) -> bytes:
    return export.to_html(prepared(scheme, k, lang)).encode("utf-8")


lang = st.sidebar.radio(
    t("language"), LANGS, format_func={"zh": "中文", "en": "English"}.get, key="lang"
)
scheme = st.sidebar.selectbox(
    t("classification", lang),
    classify.SCHEMES,
    format_func=lambda s: t(f"scheme_{s}", lang),
    key="scheme",
)
k = 5
if scheme != "tiers":
    k = st.sidebar.slider(t("classes", lang), 3, 7, 5, key="k")

st.title(t("app_title", lang))
ds = dataset()
try:
    pm = prepared(scheme, k, lang)
except boundaries.GeodataMissing as err:
    st.error(t("geodata_missing", lang, error=err))
    st.stop()

left, right = st.columns([3, 2])
with left:
    m = assets.use_data_urls(maps.build_map(pm))
    st_folium(m, height=620, use_container_width=True, returned_objects=[], key="map")
    st.download_button(
        t("download_html", lang),
        data=html_bytes(scheme, k, lang),
        file_name=f"dei2023_{scheme}_{lang}.html",
        mime="text/html",
    )
with right:
    st.caption(t("evaluated_summary", lang, **tables.coverage(ds, len(pm.cities["features"]))))
    st.subheader(t("tier_summary", lang))
    st.dataframe(tables.tiers(ds, lang), hide_index=True, width="stretch")
    st.subheader(t("quality", lang))
    st.caption(t("quality_intro", lang))
    for text, page in tables.quality_notes(ds, lang):
        st.markdown(f"- {text} （{page}）" if lang == "zh" else f"- {text} ({page})")

st.subheader(t("ranking", lang))
st.dataframe(tables.ranking(ds, lang), hide_index=True, width="stretch", height=420)
