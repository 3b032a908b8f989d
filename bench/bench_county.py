"""Benchmark: the national county map (2,875 units) as offline HTML — dei-geo's unit map against
folium's defaults on the same (web-LOD) polygons; the spillover statistics at county level; the
geodata added for the county level.

Run: .venv/bin/python bench/bench_county.py
Prints a markdown table. Both maps get the same values (seeded, 30–95, the report's tiers) and
a name/value tooltip; the folium one is ``folium.GeoJson`` with a ``style_function`` and a
``GeoJsonTooltip`` (folium's own way), with Leaflet inlined the same way so that only the
geometry and style encoding differ.
"""

from __future__ import annotations

import json
import time

import folium
import numpy as np
import pandas as pd
import shapely

from dei_geo.core import paths, tiers
from dei_geo.maps import assets, classify, unit_map
from dei_geo.sources import boundaries


def values(units) -> pd.Series:
    rng = np.random.default_rng(20230531)
    return pd.Series(rng.uniform(30, 95, len(units)).round(1), index=units["adcode"])


def ours(units, vals) -> dict:
    t0 = time.perf_counter()
    html = unit_map.unit_map_html(vals, title="bench")
    return {"bytes": len(html.encode()), "seconds": time.perf_counter() - t0,
            "external": len(unit_map.EXTERNAL.findall(html))}


def folium_default(units, vals) -> dict:
    t0 = time.perf_counter()
    cls = classify.classify(vals.reset_index(drop=True), "tiers", tiers.load_tiers(), 5, "zh")
    frame = units[["adcode", "name", "geometry"]].assign(value=vals.to_numpy(), color=[
        cls.colors[c] for c in cls.codes])
    m = folium.Map(location=[35, 105], zoom_start=4, tiles=None)
    folium.GeoJson(frame, style_function=lambda f: {"fillColor": f["properties"]["color"], "color": "#fff",
                                                     "weight": 0.4, "fillOpacity": 0.85},
                   tooltip=folium.GeoJsonTooltip(["name", "value"])).add_to(m)
    m.get_root().header.add_child(folium.Element(assets.inline_head(m)))
    html = m.get_root().render()
    return {"bytes": len(html.encode()), "seconds": time.perf_counter() - t0,
            "external": len(unit_map.EXTERNAL.findall(html))}


def spillover(units, vals) -> dict:
    """Queen weights (islands attached) and Moran's I + LISA + Gi* (999 permutations) on all units;
    the region tables (clusters and metro circles) and the rings and decay around every core city
    (``county_regions.core_rings``), each timed from a warm process (data files read once before)."""
    from dei_geo.analysis import county_regions, regions, spatial

    frame = boundaries.units("counties", "web")
    table = pd.DataFrame({"adcode": frame.index, "score": vals.to_numpy()})
    region_list = regions.clusters() + regions.circles()
    county_regions.core_rings(table.head(5), "score")  # warm: crosswalk, seats, centres read
    cpu = time.process_time()
    t0 = time.perf_counter()
    w = spatial.build_weights(frame, "queen")
    t1 = time.perf_counter()
    spatial.Spillover(pd.Series(vals.to_numpy(), index=frame.index), w)
    t2 = time.perf_counter()
    county_regions.region_table(table, "score", region_list)
    t3 = time.perf_counter()
    _, cores = county_regions.core_rings(table, "score")
    t4 = time.perf_counter()
    cpu = time.process_time() - cpu
    return {"cpu": cpu, "weights": t1 - t0, "statistics": t2 - t1, "regions": t3 - t2, "rings": t4 - t3,
            "cores": len(cores), "islands": len(w.attached), "polygon_rings": polygon_distances(frame)}


def polygon_distances(frame) -> float:
    """The naive route for the rings: the city level's distance to each unit's polygon (an
    azimuthal equidistant projection per core city, as ``regions.distances_km``), all cores."""
    from shapely.geometry import Point

    from dei_geo.analysis import regions

    t0 = time.perf_counter()
    for c in regions.centres().itertuples():
        aeqd = f"+proj=aeqd +lat_0={c.lat} +lon_0={c.lon} +datum=WGS84 +units=m"
        frame.geometry.to_crs(aeqd).distance(Point(0, 0))
    return time.perf_counter() - t0


def main() -> None:
    units = boundaries.layer("counties", "web")
    vals = values(units)
    vertices = int(shapely.get_num_coordinates(units.geometry.values).sum())
    topo = unit_map.encode(units)
    arc_points = sum(len(a) // 2 for a in topo["arcs"])
    rows = [("dei-geo unit map (shared arcs, quantised, per-class groups)", ours(units, vals)),
            ("folium GeoJson + style_function + GeoJsonTooltip", folium_default(units, vals))]
    print(f"county web LOD: {len(units)} units, {vertices:,} polygon vertices, {len(topo['arcs']):,} arcs "
          f"with {arc_points:,} points (quantisation {unit_map.QUANTIZATION:g})\n")
    print("| approach | HTML size | build time | external references |")
    print("|---|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['bytes'] / 1e6:.2f} MB | {r['seconds']:.2f} s | {r['external']} |")
    sp = spillover(units, vals)
    total = sp["weights"] + sp["statistics"] + sp["regions"] + sp["rings"]
    print(f"\ncounty statistics on {len(units):,} units: queen weights ({sp['islands']} islands attached) "
          f"{sp['weights']:.2f} s, Moran + LISA + Gi* {sp['statistics']:.2f} s, region tables "
          f"{sp['regions']:.2f} s, rings + decay around {sp['cores']} core cities {sp['rings']:.2f} s; "
          f"total {total:.2f} s ({sp['cpu']:.2f} s of CPU); the rings from polygon distances instead "
          f"(the city level's way) {sp['polygon_rings']:.2f} s")
    manifest = json.loads((paths.GEODATA / "manifest.json").read_text(encoding="utf-8"))
    print("\n| geodata layer | features | vertices | bytes |")
    print("|---|---:|---:|---:|")
    total = 0
    for lod, info in manifest["lods"].items():
        for name in ("cities", "counties"):
            layer = info["layers"][name]
            total += layer["bytes"] if name == "counties" else 0
            print(f"| {name}_{lod} | {layer['features']:,} | {layer['vertices']:,} | {layer['bytes']:,} |")
    size = sum(p.stat().st_size for p in paths.GEODATA.iterdir())
    print(f"\ncounty layers: {total:,} bytes; geodata/ in all: {size:,} bytes")


if __name__ == "__main__":
    main()
