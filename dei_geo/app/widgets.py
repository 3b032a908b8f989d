"""Sidebar widgets bound to a canonical value in session state.

Each view setting (language, metric, classification, classes, layers) has one canonical key in
session state; the widget showing it has its own key (``w_<key>``, plus the language for a
selectbox, whose option labels follow the language) and copies a change back in its
``on_change``. The canonical value is written into the widget before it is drawn, so a link, a
Back/Forward step (``view.restore``) or a language switch shows the right choice.
"""

from __future__ import annotations

import streamlit as st

from dei_geo.core.i18n import Lang


def _adopt(key: str, widget_key: str) -> None:
    st.session_state[key] = st.session_state[widget_key]


def _bind(key: str, widget_key: str, options=None, default=None) -> dict:
    """Write the canonical value (or ``default``) into the widget; the widget's change callback."""
    value = st.session_state.get(key, default)
    if options is not None and value not in options:
        value = options[0] if default not in options else default
    st.session_state[key] = st.session_state[widget_key] = value
    return {"key": widget_key, "on_change": _adopt, "args": (key, widget_key)}


def select(container, label: str, options, format_func, key: str, lang: Lang, **kw):
    """A selectbox showing ``st.session_state[key]`` (first option when it is not one of them)."""
    options = list(options)
    container.selectbox(label, options, format_func=format_func,
                        **_bind(key, f"w_{key}_{lang}", options), **kw)
    return st.session_state[key]


def radio(container, label: str, options, format_func, key: str, **kw):
    options = list(options)
    container.radio(label, options, format_func=format_func, **_bind(key, f"w_{key}", options), **kw)
    return st.session_state[key]


def slider(container, label: str, lo: int, hi: int, default: int, key: str, **kw) -> int:
    value = st.session_state.get(key, default)
    st.session_state[key] = min(max(int(value), lo), hi)
    container.slider(label, lo, hi, **_bind(key, f"w_{key}"), **kw)
    return st.session_state[key]


def multiselect(container, label: str, options, format_func, key: str, lang: Lang, **kw) -> list:
    options = list(options)
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]
    container.multiselect(label, options, format_func=format_func, select_all=False,  # no English "Select all"
                          **_bind(key, f"w_{key}_{lang}"), **kw)
    return st.session_state[key]


def keep(*keys: str) -> None:
    """Keep the state of widgets on pages not shown in this run (Streamlit drops it otherwise)."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
