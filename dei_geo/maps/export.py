"""Self-contained, deterministic HTML export of a prepared map."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import folium

from dei_geo.core import files
from dei_geo.maps import assets, markup
from dei_geo.maps.web import PreparedMap, build_map, deterministic_ids, raw_element

EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


class ExternalReference(RuntimeError):
    """The rendered HTML still references a remote URL (would break offline)."""


def to_html(prepared: PreparedMap, overlays: Callable[[], list[folium.FeatureGroup]] | None = None) -> str:
    """One HTML document with Leaflet inlined and no external URL; identical bytes per input.

    ``overlays`` builds extra layers (region layers, a selected city's outline); it is called
    inside the id numbering so that the file stays deterministic. Layers with ``control=True``
    get a layer switcher.
    """
    with deterministic_ids():  # one numbering for building and rendering: ids never repeat
        m = build_map(prepared)
        groups = overlays() if overlays else []
        for group in groups:
            group.add_to(m)
        if any(group.control for group in groups):
            folium.LayerControl(collapsed=False).add_to(m)
        return document(m, prepared.title)


def document(m: folium.Map, title: str) -> str:
    """``m`` as one offline HTML document titled ``title``: sealed (no user text reaches Jinja as
    template source), Leaflet inlined, no remote URL. Call it inside the ``deterministic_ids()``
    block that built ``m``."""
    markup.seal(m)
    header = m.get_root().header
    header.add_child(raw_element(f"<title>{markup.esc(title)}</title>"), name="title", index=0)
    header.add_child(raw_element(assets.inline_head(m)), name="offline_assets", index=1)
    text = m.get_root().render()
    found = EXTERNAL.search(text)
    if found:
        raise ExternalReference(f"exported HTML references a remote URL: {found.group(0)!r}")
    return text


def write_html(prepared: PreparedMap, out: Path, overlays=None) -> Path:
    """Write ``to_html`` to ``out`` (UTF-8), atomically, and return the path
    (``files.WriteFailed`` with the path and the reason when it cannot be written)."""
    return files.write_atomic(Path(out), to_html(prepared, overlays).encode("utf-8"))
