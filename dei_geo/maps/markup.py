"""Text into map pages as data, never as code: the one escaper, and the check before rendering.

folium and branca render a map through Jinja *twice*: ``MacroElement.render`` wraps the output
of each element's ``script``/``html``/``header`` macro in ``branca.element.Element(...)``, which
compiles it as template source. Any text already placed in a tooltip, a legend, a title or a
layer name is therefore parsed again, and ``{{ … }}`` in it would run on the server. So:

- ``esc`` turns text (a file name, a column header, a city cell, a title) into HTML that is
  inert twice over: HTML-escaped (quotes too) and with ``{``/``}`` written as character
  references, so no ``{{``, ``{%`` or ``{#`` survives; browsers show the literal text;
- ``js_string`` makes a JavaScript string literal with the same guarantee, safe in ``<script>``;
- ``seal`` walks a built map before it is rendered (HTML export and the Streamlit map) and
  refuses any element attribute that still holds a Jinja delimiter, so a string that missed
  ``esc`` fails loudly instead of being evaluated.
"""

from __future__ import annotations

import html
import json
import re

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_JS = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "{": "\\u007b", "}": "\\u007d"}
JINJA_DELIMITER = re.compile(r"\{[{%#]")
# attributes branca/folium use for template machinery, parents and children (not page content)
_SKIP = frozenset({"_template", "_parent", "_children", "_name", "_id", "_env", "_template_str"})


class UnsafeMarkup(RuntimeError):
    """A map element still carries a Jinja delimiter: rendering it would evaluate user text."""


def esc(value) -> str:
    """``value`` as HTML text: escaped for HTML and neutral for Jinja (braces as ``&#123;``/``&#125;``)."""
    return html.escape(str(value), quote=True).translate(_BRACES)


def js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that cannot close a ``<script>`` or open Jinja."""
    return re.sub(r"[<>&{}]", lambda m: _JS[m.group(0)], json.dumps(str(text), ensure_ascii=False))


def _strings(value, path: str):
    """(path, string) for every string inside ``value`` (dicts, lists, tuples), geometry skipped."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "geometry" and key != "coordinates":
                yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def seal(root):
    """Check every element under ``root`` (a folium map or layer) before it is rendered.

    Raises ``UnsafeMarkup`` naming the element and attribute where a ``{{``, ``{%`` or ``{#``
    remains in page content; returns ``root`` otherwise.
    """
    for element in _walk(root):
        for name, value in vars(element).items():
            if name in _SKIP or callable(value):
                continue
            for path, text in _strings(value, name):
                if JINJA_DELIMITER.search(text):
                    raise UnsafeMarkup(
                        f"{type(element).__name__}.{path} holds a Jinja delimiter "
                        f"({text[:60]!r}); pass user text through markup.esc"
                    )
    return root
