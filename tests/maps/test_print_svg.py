"""The print map's SVG: path data rounded to 0.01 pt as relative steps, national maps simplified
by 1 km — the same shapes in a third of the bytes (bench/bench_print_svg.py)."""

import io
import re
import xml.etree.ElementTree as ET

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from dei_geo.maps import print_map as pm
from dei_geo.maps import web


def _absolute(d: str) -> list[tuple[float, float]]:
    """The vertices of a relative m/l/z path (what a browser draws)."""
    x = y = 0.0
    out = []
    for _command, dx, dy in re.findall(r"([ml])(-?[\d.]+) (-?[\d.]+)", d):
        x, y = x + float(dx), y + float(dy)
        out.append((x, y))
    return out


def test_compact_paths_keep_every_vertex_within_a_hundredth_of_a_point():
    fig = Figure(figsize=(2, 2))
    ax = fig.add_axes([0, 0, 1, 1])
    rng = np.random.default_rng(7)
    xy = np.cumsum(rng.normal(0, 0.003, (400, 2)), axis=0)
    ax.fill(xy[:, 0], xy[:, 1])
    ax.set_xlim(xy[:, 0].min(), xy[:, 0].max())
    ax.set_ylim(xy[:, 1].min(), xy[:, 1].max())
    buf = io.BytesIO()
    with matplotlib.rc_context(pm.SVG_RC):
        fig.savefig(buf, format="svg")
    raw = buf.getvalue()
    compact = pm.compact_svg(raw)
    ET.fromstring(compact)  # still well-formed
    big = max(re.findall(rb' d="([^"]*)"', raw), key=len).decode()
    original = [(float(a), float(b)) for a, b in re.findall(r"[ML] (-?[\d.]+) (-?[\d.]+)", big)]
    short = max(re.findall(rb' d="([^"]*)"', compact), key=len).decode()
    assert short.startswith("m") and "\n" not in short
    drawn = _absolute(short)
    # consecutive equal vertices after rounding are dropped; every drawn vertex is an original one
    kept = iter(original)
    for x, y in drawn:
        assert any(abs(x - a) <= 0.005 + 1e-9 and abs(y - b) <= 0.005 + 1e-9 for a, b in kept)
    assert len(drawn) > 0.9 * len(original)


def test_national_city_svg_is_small_and_keeps_glyphs(ds):
    svg = pm.render(web.prepare_map(ds, lang="zh"), pm.NATIONAL, "svg")
    assert len(svg) < 3_000_000  # 8.09 MB before (bench/bench_print_svg.py: 2.26 MB)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b'id="legend' in svg and b"<use" in svg  # legend and glyph uses survive
    assert not re.search(rb' d="[^"]*\d\.\d{3}', svg)  # no coordinate with 3 decimals left


@pytest.mark.parametrize("level", ["cities", "provinces"])
def test_national_simplification_keeps_every_unit(level):
    simple = pm._layers(pm.NATIONAL_CRS, "print", level, pm.NATIONAL_TOLERANCE_M[level]).units
    full = pm._layers(pm.NATIONAL_CRS, "print", level).units
    assert len(simple) == len(full) and not simple.geometry.is_empty.any()
    ratio = simple.geometry.area.to_numpy() / full.geometry.area.to_numpy()
    assert ratio.min() > 0.9 and simple.geometry.is_valid.all()
