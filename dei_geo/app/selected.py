"""The selected city: one adcode in session state, mirrored in the URL (``?city=330100``, ``view``).

Four ways in: a click on the map (``on_map_click``), the search box, a link (``view.restore``)
and the buttons of other pages (ranking, comparison). Pages read it with ``current()``; it
survives switching language, classification or page.
"""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from dei_geo.app import view
from dei_geo.app.text import plain
from dei_geo.core import places, search
from dei_geo.core.i18n import Lang, t
from dei_geo.maps import selection
from dei_geo.sources import limits

KEY = view.CITY            # the adcode, or None
MAP_KEY = "map"            # st_folium key (map_page)
SEARCH_KEY = "city_search"
MATCH_KEY = view.CITY_MATCH  # the last search that did not name exactly one city
SEARCH_SAID = {"ambiguous": "search_ambiguous", "prefix": "search_prefix",
               "unknown": "search_unknown"}  # search.Match.status (with candidates) → catalogue key


@lru_cache(maxsize=1)
def _known() -> frozenset[int]:
    return frozenset(int(a) for a in places.load_places()["adcode"])


def current() -> int | None:
    return st.session_state.get(KEY)


def select(adcode: int) -> None:
    st.session_state[KEY] = int(adcode)
    st.session_state[MATCH_KEY] = None
    view.publish()


def clear() -> None:
    st.session_state[KEY] = None
    st.session_state[MATCH_KEY] = None
    view.publish()


def on_map_click() -> None:
    """``st_folium`` callback: select the city the user clicked (its value is in ``MAP_KEY``)."""
    adcode = selection.clicked_adcode(st.session_state.get(MAP_KEY), _known())
    if adcode is not None:
        select(adcode)


def _on_search() -> None:
    text = str(st.session_state[SEARCH_KEY] or "")
    match = search.find(text[:limits.MAX_QUERY_CHARS])  # no name is longer; the rest is not searched
    if match.adcode is not None:
        select(match.adcode)
        st.session_state[SEARCH_KEY] = ""
    else:
        st.session_state[MATCH_KEY] = match if match.status != "empty" else None


def _label(adcode: int) -> str:
    row = places.load_places().set_index("adcode").loc[adcode]
    return f"{row['short_name']}（{row['province']}）"


def search_box(lang: Lang) -> None:
    """Search box, its feedback (candidates to pick from) and the clear control."""
    st.text_input(t("search", lang), key=SEARCH_KEY, on_change=_on_search,
                  placeholder=t("search_placeholder", lang), help=t("search_help", lang))
    match = st.session_state.get(MATCH_KEY)
    if match is not None:
        if match.candidates:
            st.warning(t(SEARCH_SAID[match.status], lang,
                         query=plain(limits.echo(match.query))))
            for adcode in match.candidates:
                st.button(_label(adcode), key=f"pick_{adcode}", on_click=select, args=(adcode,))
        else:
            st.warning(t("search_nothing", lang, query=plain(limits.echo(match.query))))


def clear_button(lang: Lang) -> None:
    """Back to the overview (and the national view of the map)."""
    st.button(t("clear_selection", lang), key="clear_city", on_click=clear)
