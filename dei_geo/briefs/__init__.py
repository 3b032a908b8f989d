"""City briefs and slide decks: one page per city for the people who decide (issue 15).

A room between the faces (app, CLI) and the maps: it gathers a city's facts from
``dei_geo.analysis`` (``content``), says them in zh/en (``words``, catalogue area ``briefs``),
draws the maps with ``dei_geo.maps.print_map`` (``maps``) and lays them out as an A4 PDF
(``pdf``) or 16:9 slides (``pptx``); ``render`` ties these together. It may import maps,
wording, analysis, sources and core; never the faces, never Streamlit.

For the app: ``build("杭州", "pdf", "zh")`` → the file's bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dei_geo.sources.datasets import Dataset

FORMATS = ("pdf", "pptx", "png")  # render.FORMATS, without importing the renderers


def build(city: str | int, fmt: str = "pdf", lang: str = "zh", ds: Dataset | None = None) -> bytes:
    """The brief of ``city`` (name, pinyin or adcode, as ``core.search.resolve`` reads it) as
    PDF, PPTX or PNG bytes, for ``ds`` (default: the bundled DEI 2023).

    Raises ``places.UnknownPlace`` / ``places.AmbiguousPlace`` (with suggestions) for a name that
    names no single unit, ``fonts.FontMissing`` (naming the package) when the CJK font is absent.
    """
    from dei_geo.briefs import render
    from dei_geo.core import search
    from dei_geo.sources import datasets

    adcode = search.resolve(city)
    return render.city(ds if ds is not None else datasets.load_dei_2023(), adcode, fmt, lang)
