"""The map's level (省 / 市 / 区县) and drill-down, in session state and the URL (``view``:
``level``, ``pref``, ``county``), and the county-level upload they draw (issue 13).

The level is a sidebar radio; 区县 is offered once a county-level file is in use on the data page
(``county_upload``). Changing the level leaves any drill-down; ``drill`` opens a prefecture's
counties, ``back`` returns to the national map, ``open_county`` shows a county's card.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dei_geo.app import county_panel, data_panel, view
from dei_geo.core import columns, counties
from dei_geo.core.i18n import Lang, t

LEVEL_LABEL = {"province": "lva_level_province", "city": "lva_level_city",
               "county": "lva_level_county"}  # view.LEVELS → catalogue key
WIDGET = "w_level"


@dataclass(frozen=True)
class CountyData:
    """A county-level upload: its file name, content hash, checked table and mappable metrics."""

    name: str
    digest: str
    table: pd.DataFrame  # adcode, county, prefecture, province, one column per metric
    metrics: tuple[str, ...]

    def metric(self, wanted: str) -> str:
        """``wanted`` when the file has it, else its overall score, else its first metric."""
        if wanted in self.metrics:
            return wanted
        return columns.SCORE if columns.SCORE in self.metrics else self.metrics[0]

    def values(self, metric: str) -> pd.Series:
        return self.table.set_index("adcode")[metric].astype(float)


def county_upload() -> CountyData | None:
    """The county-level file in use on the data page with at least one valid row, or None."""
    upload = st.session_state.get(data_panel.UPLOAD)
    if not upload:
        return None
    name, data = upload
    if data_panel.level_of(data, name) != "county":
        return None
    table = county_panel.check(data, name, None).table  # the data page's check (cached): no second read
    if table.empty:
        return None
    metrics = tuple(m for m in table.columns if m in columns.metrics() and table[m].notna().any())
    if not metrics:
        return None
    return CountyData(name, hashlib.sha256(data).hexdigest(), table, metrics)


def level() -> str:
    return st.session_state.get(view.LEVEL) or "city"


def prefecture() -> int | None:
    return st.session_state.get(view.PREF)


def county() -> int | None:
    return st.session_state.get(view.COUNTY)


def _on_level() -> None:
    st.session_state[view.LEVEL] = st.session_state[WIDGET]
    st.session_state[view.PREF] = st.session_state[view.COUNTY] = None
    view.publish()


def sidebar(lang: Lang) -> str:
    """The level radio (区县 only with a county-level upload, else one line why); the level."""
    have = county_upload() is not None
    options = view.LEVELS if have else tuple(v for v in view.LEVELS if v != "county")
    if level() not in options:
        st.session_state[view.LEVEL] = "city"
    st.session_state[WIDGET] = level()
    st.sidebar.radio(t("lva_level", lang), options, format_func=lambda v: t(LEVEL_LABEL[v], lang),
                     key=WIDGET, on_change=_on_level, horizontal=True)
    if not have:
        st.sidebar.caption(t("lva_county_needs_upload", lang))
    return level()


def drill(prefecture_adcode: int) -> None:
    """Show the counties of a prefecture (city-level adcode)."""
    st.session_state[view.PREF] = int(prefecture_adcode)
    st.session_state[view.COUNTY] = None
    view.publish()


def back() -> None:
    """Back to the national map of the level (no city selected: the map opens on the country)."""
    st.session_state[view.PREF] = st.session_state[view.COUNTY] = None
    st.session_state[view.CITY] = None
    view.publish()


def open_county(adcode: int) -> None:
    """Show a county's card, in its prefecture's drill-down."""
    st.session_state[view.PREF] = int(counties.load_counties().set_index("adcode").loc[int(adcode),
                                                                                      "prefecture_adcode"])
    st.session_state[view.COUNTY] = int(adcode)
    view.publish()
