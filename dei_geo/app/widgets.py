"""Widgets whose shown labels follow the language switch.

Streamlit keeps showing a selectbox's old label for the chosen option when only
``format_func`` changes, so the language is part of the widget key and the chosen value is
carried over in session state under the plain key.
"""

from __future__ import annotations

import streamlit as st

from dei_geo.core.i18n import Lang


def select(container, label: str, options, format_func, key: str, lang: Lang):
    """A selectbox keyed ``{key}_{lang}`` whose value survives a language switch (``st.session_state[key]``)."""
    options = list(options)
    current = st.session_state.get(key)
    index = options.index(current) if current in options else 0
    value = container.selectbox(label, options, index=index, format_func=format_func,
                                key=f"{key}_{lang}")
    st.session_state[key] = value
    return value
