"""Benchmark: size of the national print map as SVG — matplotlib's SVG of the print level of
detail (what the export page offered: 8.1 MB) against rounded relative path data and the 1 km
national simplification of cities — and what the simplification changes in the 300 dpi PNG.

Run: .venv/bin/python bench/bench_print_svg.py
Prints a markdown table (city level, 2023 scores; county level, no values).
"""

from __future__ import annotations

import io
import time

import matplotlib
import numpy as np
import shapely
from PIL import Image

from dei_geo.maps import print_map, unit_print, web
from dei_geo.sources import datasets


def _raw_svg(fig) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context(print_map.SVG_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _figure(prepared, view, tolerance: float):
    saved = dict(print_map.NATIONAL_TOLERANCE_M)
    print_map.NATIONAL_TOLERANCE_M[view.level] = tolerance
    try:
        return print_map.figure(prepared, view)
    finally:
        print_map.NATIONAL_TOLERANCE_M.update(saved)


def _vertices(view, tolerance: float) -> int:
    layers = print_map._layers(print_map.NATIONAL_CRS, "print", view.level, tolerance)
    return int(shapely.get_num_coordinates(layers.units.geometry.values).sum()
               + shapely.get_num_coordinates(layers.province_lines).sum()
               + shapely.get_num_coordinates(layers.outline).sum())


def _smallest_area_share(view, tolerance: float) -> tuple[float, int]:
    """The smallest simplified / print-LOD area of a unit, and its adcode."""
    full = print_map._layers(print_map.NATIONAL_CRS, "print", view.level, 0.0).units
    simple = print_map._layers(print_map.NATIONAL_CRS, "print", view.level, tolerance).units
    share = shapely.area(simple.geometry.values) / shapely.area(full.geometry.values)
    i = int(np.argmin(share))
    return float(share[i]), int(full["adcode"].iloc[i])


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def _png(fig) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(print_map.to_bytes(fig, "png", 300))).convert("RGB"), dtype=int)


def main() -> None:
    city = web.prepare_map(datasets.load_dei_2023())
    county = unit_print.prepare(None, "counties", "全国区县", "数据：无", "无数据")
    print("| map | SVG as matplotlib writes it (print LOD) | + path data rounded to 0.01 pt, relative "
          "| + national simplification (shipped: cities 1 km, counties none) | vertices drawn "
          "| SVG save time before → shipped |")
    print("|---|---:|---:|---:|---:|---:|")
    diffs = {}
    for name, prepared, view in (("national, cities", city, print_map.NATIONAL),
                                 ("national, counties", county, print_map.national_view("counties"))):
        full = _figure(prepared, view, 0.0)
        raw, raw_seconds = _timed(lambda: _raw_svg(full))  # noqa: B023
        rounded = print_map.compact_svg(raw)
        tolerance = print_map.NATIONAL_TOLERANCE_M[view.level]
        simple = _figure(prepared, view, tolerance)
        shipped, seconds = _timed(lambda: print_map.to_bytes(simple, "svg"))  # noqa: B023
        before, after = _vertices(view, 0.0), _vertices(view, tolerance)
        print(f"| {name} | {len(raw) / 1e6:.2f} MB | {len(rounded) / 1e6:.2f} MB | {len(shipped) / 1e6:.2f} MB "
              f"| {before:,} → {after:,} | {raw_seconds:.2f} s → {seconds:.2f} s |")
        a, b = _png(full), _png(simple)
        changed = np.abs(a - b).max(axis=2)
        diffs[name] = (tolerance, float((changed > 0).mean()), float((changed > 64).mean()), a.shape[1], a.shape[0],
                       *_smallest_area_share(view, tolerance))
    print()
    for name, (tolerance, any_change, strong, w, h, share, adcode) in diffs.items():
        print(f"{name}, 300 dpi PNG ({w}×{h} px) with and without the {tolerance:g} m simplification: "
              f"{any_change:.2%} of pixels differ at all, {strong:.3%} by more than 64 of 255 in a channel; "
              f"the smallest area kept by a unit: {share:.1%} ({adcode})")


if __name__ == "__main__":
    main()
