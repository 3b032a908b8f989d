"""Leaflet's JS/CSS for maps that must work with no internet.

folium links its assets from public CDNs. The ``folium-offline`` package ships the very files
behind folium's own URLs, keyed by URL; we keep only what our maps use (Leaflet itself) and
hand it over inline (exported HTML) or as ``data:`` URLs (streamlit-folium loads each entry of
``default_js``/``default_css`` by URL, and a ``data:`` URL needs no network).
"""

from __future__ import annotations

import base64
from functools import cache

import folium

NEEDED_JS = ("leaflet",)
NEEDED_CSS = ("leaflet_css",)


class AssetMissing(RuntimeError):
    """An asset URL folium uses is not shipped by folium-offline (version mismatch)."""


@cache
def asset_text(url: str) -> str:
    """The text of the asset folium would fetch from ``url``."""
    from offlinefolium.elements import _res  # URL -> file text, as shipped by folium-offline

    try:
        return _res[url]
    except KeyError:
        raise AssetMissing(
            f"folium-offline does not ship {url}; install the folium-offline release that "
            f"matches folium {folium.__version__} (see pyproject.toml)."
        ) from None


def _pick(entries, names):
    chosen = [(name, url) for name, url in entries if name in names]
    missing = set(names) - {name for name, _ in chosen}
    if missing:
        raise AssetMissing(f"folium no longer declares assets {sorted(missing)}")
    return chosen


def walk(element):
    """``element`` and every element below it in a folium/branca tree."""
    yield element
    for child in element._children.values():
        yield from walk(child)


def take_assets(m: folium.Map) -> tuple[list[str], list[str]]:
    """Empty every asset list in the map's tree and return the URLs really needed.

    Of the ``folium.Map`` defaults only Leaflet is needed (jQuery, Bootstrap and the marker
    fonts serve features these maps do not use); any other element keeps all of its assets.
    """
    js: list[str] = []
    css: list[str] = []
    for element in walk(m):
        if not hasattr(element, "default_js"):
            continue
        own_js, own_css = element.default_js, element.default_css
        if isinstance(element, folium.Map):
            own_js, own_css = _pick(own_js, NEEDED_JS), _pick(own_css, NEEDED_CSS)
        js += [url for _, url in own_js if url not in js]
        css += [url for _, url in own_css if url not in css]
        element.default_js, element.default_css = [], []
    return js, css


@cache
def data_url(url: str, mime: str) -> str:
    """A ``data:`` URL carrying the asset behind ``url``."""
    payload = base64.b64encode(asset_text(url).encode("utf-8")).decode("ascii")
    return f"data:{mime};charset=utf-8;base64,{payload}"


def use_data_urls(m: folium.Map) -> folium.Map:
    """Point the map's assets at ``data:`` URLs (for streamlit-folium, which loads them by URL)."""
    js, css = take_assets(m)
    m.default_js = [(f"js{i}", data_url(u, "text/javascript")) for i, u in enumerate(js)]
    m.default_css = [(f"css{i}", data_url(u, "text/css")) for i, u in enumerate(css)]
    return m


def inline_head(m: folium.Map) -> str:
    """Take the map's assets and return them as inline ``<style>``/``<script>`` blocks."""
    js, css = take_assets(m)
    return "".join(f"<style>{asset_text(u)}</style>" for u in css) + "".join(
        f"<script>{asset_text(u)}</script>" for u in js
    )
