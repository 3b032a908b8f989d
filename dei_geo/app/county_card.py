"""The county card on the map page (a click in a prefecture's drill-down): parents, the upload's
value with its rank in the province and in the prefecture, seat, neighbours (each one a button to
its card) and the nearest 一线 city — the words of ``dei-geo profile 西湖区 --province 浙江``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dei_geo.analysis import county_card, profile
from dei_geo.app import levels, state
from dei_geo.app.text import plain
from dei_geo.core import columns
from dei_geo.core.i18n import Lang, t
from dei_geo.wording import county_card as words


@st.cache_data(show_spinner=False, max_entries=32)
def card(adcode: int, key: str | None, _table: pd.DataFrame | None, metric: str) -> dict:
    """The card's facts (``key``: the table's content hash, for the cache)."""
    scores = state.bundled().scores
    top = scores[scores["tier"].eq(profile.TOP_TIER) & scores["status"].eq("ok")]
    return county_card.county_card(adcode, _table, metric, tuple(int(a) for a in top["adcode"]))


def render(adcode: int, data: levels.CountyData | None, metric: str, lang: Lang) -> None:
    facts = card(adcode, data.digest if data else None, data.table if data else None, metric)
    st.markdown(f"#### {plain(facts['name'])}")
    st.caption(plain(words.head(facts, lang)))
    if data is None:
        st.caption(t("lva_card_no_table", lang))
    else:
        label = columns.label(metric, lang)
        if facts["value"] is not None:
            st.metric(label, f"{facts['value']:.1f}")
        for line in words.values(facts, label, lang)[1 if facts["value"] is not None else 0:]:
            st.markdown(plain(line))
    for line in words.facts(facts, lang):
        st.caption(plain(line))
    if facts["neighbours"]:
        st.markdown(f"**{t('lva_card_neighbours', lang)}**")
        cells = st.columns(3)
        for i, n in enumerate(facts["neighbours"]):
            cells[i % 3].button(n["name"], key=f"lva_nb_{n['adcode']}", on_click=levels.open_county,
                                args=(n["adcode"],), help=n["prefecture"], width="stretch")
