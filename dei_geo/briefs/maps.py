"""The maps of a brief, drawn by ``maps.print_map``: where the city lies in China (a locator,
web-LOD boundaries: small on the page and fast as a vector) and its province with the city
outlined (print LOD). Also the metric maps of the maps deck (``dei-geo export --out maps.pptx``).
"""

from __future__ import annotations

import io
from functools import lru_cache

from matplotlib.figure import Figure

from dei_geo.core import columns, theme
from dei_geo.core.i18n import t
from dei_geo.maps import print_map, web
from dei_geo.maps.web import PreparedMap
from dei_geo.sources.datasets import Dataset


@lru_cache(maxsize=16)
def prepared(ds: Dataset, lang: str, metric: str = columns.SCORE, scheme: str = theme.DEFAULT_SCHEME,
             k: int = theme.DEFAULT_K) -> PreparedMap:
    """The web map's classes and legend of ``metric`` (by default the report's tiers)."""
    return web.prepare_map(ds, metric=metric, scheme=scheme, k=k, lang=lang)


def locator(ds: Dataset, adcode: int, name: str, lang: str) -> Figure:
    """China with ``adcode`` outlined and ringed, classed by the overall score."""
    return print_map.figure(prepared(ds, lang), print_map.NATIONAL, highlight=adcode, lod="web",
                            title=t("brief_locator_title", lang, city=name))


def province(ds: Dataset, adcode: int, province_adcode: int, lang: str) -> Figure:
    """The province of ``adcode`` with its units classed and ``adcode`` outlined."""
    return print_map.figure(prepared(ds, lang), print_map.province_view(str(province_adcode)),
                            highlight=adcode)


def province_overview(ds: Dataset, province_adcode: int, lang: str) -> Figure:
    """The province with every unit classed and named (the first slide of a province deck)."""
    return print_map.figure(prepared(ds, lang), print_map.province_view(str(province_adcode)))


def metric(ds: Dataset, metric_id: str, lang: str, scheme: str = theme.DEFAULT_SCHEME,
           k: int = theme.DEFAULT_K) -> Figure:
    """The national map of ``metric_id`` (overall score or a pillar), with legend and source."""
    return print_map.figure(prepared(ds, lang, metric_id, scheme, k))


def png(fig: Figure, dpi: int) -> bytes:
    return print_map.to_bytes(fig, "png", dpi)


def pdf(fig: Figure) -> bytes:
    """``fig`` as a one-page vector PDF (no dates: the same map gives the same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Producer": None, "Creator": None})
    return buf.getvalue()
