"""The view in the URL: ``?lang=en&metric=economy&scheme=quantiles&k=7&layers=cores,lisa&city=330100``
(the page is the path, ``/ranking``; the map's level and drill-down: ``level=province``,
``pref=330100&county=330106``). A link reproduces the view; Back and Forward step through it.

``restore`` (first thing in a run) makes the URL's view the state when the URL differs from what
this session last wrote — a link opened, or Back/Forward — and ``publish`` (after the sidebar)
writes the state's view into the URL, leaving out what is at its default. Settings a URL gets
wrong are ignored and reported (``said``), never guessed.
"""

from __future__ import annotations

import streamlit as st

from dei_geo.app.text import plain
from dei_geo.core import counties, places, search, theme
from dei_geo.core.i18n import DEFAULT_LANG, LANGS, Lang, t
from dei_geo.sources import limits

CITY = "selected_city"           # the selected adcode, or None
CITY_MATCH = "city_search_match"  # a search (or link) that did not name exactly one city
LEVELS = ("province", "city", "county")  # the map's units (``level_page``)
LEVEL, PREF, COUNTY = "level", "pref", "county"  # the level, the prefecture drilled into, its county
DEFAULTS = {"lang": DEFAULT_LANG, "metric": "score", "scheme": theme.DEFAULT_SCHEME,
            "k": theme.DEFAULT_K, "layers": [], CITY: None, LEVEL: "city", PREF: None,
            COUNTY: None}  # state key → default
PARAM = {"lang": "lang", "metric": "metric", "scheme": "scheme", "k": "k", "layers": "layers",
         CITY: "city", LEVEL: "level", PREF: "pref", COUNTY: "county"}  # state key → query parameter
SYNCED = "_view_in_url"  # the parameters this session last wrote (or read)


def _url() -> dict[str, str]:
    return {p: st.query_params[p] for p in PARAM.values() if p in st.query_params}


def _city(raw: str) -> tuple[int | None, tuple | None]:
    """The adcode a link names (anything the search box accepts), or a problem."""
    if len(raw) > limits.MAX_QUERY_CHARS:  # no name is this long: not searched, echoed in part
        return None, ("city", places.clean(raw[:limits.ECHO_CHARS * 2]))
    raw = places.clean(raw)
    if not raw:
        return None, None
    match = search.find(raw)
    if match.adcode is not None:
        return match.adcode, None
    if match.candidates:  # ambiguous or misspelt: the choices wait under the search box
        st.session_state[CITY_MATCH] = match
        return None, None
    return None, ("city", raw)


def language() -> Lang:
    """The language of this run before the sidebar is drawn (state, else the URL's, else zh)."""
    lang = st.session_state.get("lang") or st.query_params.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG


def restore(page_changed: bool = False) -> list[tuple[str, str]]:
    """Adopt the URL's view when it changed outside the app; the (parameter, value) pairs ignored.

    On the same page a parameter absent from the URL means its default (Back to a URL without
    ``?city=`` closes the card); after a page switch it means "as before" (the page links carry
    the view, but one drawn before a click on the map does not know that city)."""
    url = _url()
    if st.session_state.get(SYNCED) == url:
        return []
    st.session_state[SYNCED] = url
    problems: list[tuple[str, str]] = []
    first = CITY not in st.session_state

    def take(key: str, ok) -> None:
        raw = url.get(PARAM[key])
        if raw is None and page_changed and not first:
            return
        value = DEFAULTS[key] if raw is None else ok(raw)
        if value is None and raw is not None:  # a default of None (pref, county) is no problem
            problems.append((PARAM[key], raw))
            value = DEFAULTS[key]
        st.session_state[key] = value

    take("lang", lambda v: v if v in LANGS else None)
    take("scheme", lambda v: v if v in theme.SCHEMES else None)
    take("k", lambda v: int(v) if v.isdigit() and int(v) in theme.CLASS_COUNTS else None)
    take("metric", lambda v: v if v.isidentifier() else None)  # checked against the data by its widget
    take("layers", lambda v: ([x for x in v.split(",") if x in theme.LAYER_KEYS]
                              if all(x in theme.LAYER_KEYS for x in v.split(",")) else None))
    take(LEVEL, lambda v: v if v in LEVELS else None)
    take(PREF, lambda v: int(v) if v.isdigit() and int(v) in set(places.load_places()["adcode"]) else None)
    take(COUNTY, lambda v: int(v) if v.isdigit() and int(v) in counties.lookup(v) else None)
    if PARAM[CITY] in url or not page_changed or first:
        st.session_state[CITY_MATCH] = None
        adcode, problem = _city(url.get(PARAM[CITY], ""))
        st.session_state[CITY] = adcode
        if problem:
            problems.append(problem)
    return problems


def said(problem: tuple[str, str], lang: Lang) -> str:
    """A problem of ``restore`` in words."""
    param, value = problem
    if param == "city":
        return t("url_unknown", lang, query=plain(limits.echo(value)))
    return t("url_ignored", lang, param=param, value=plain(limits.echo(places.clean(value))))


def params() -> dict[str, str]:
    """The state's view as query parameters (only what differs from the defaults)."""
    want = {}
    for key, param in PARAM.items():
        value = st.session_state.get(key, DEFAULTS[key])
        if key == "k" and st.session_state.get("scheme") == theme.DEFAULT_SCHEME:
            continue  # the report's tiers have no k
        if value != DEFAULTS[key] and value is not None:
            want[param] = ",".join(value) if key == "layers" else str(value)
    return want


def publish() -> None:
    """Write the state's view into the URL."""
    want = params()
    if want != _url():
        st.query_params.from_dict(want)
    st.session_state[SYNCED] = want
