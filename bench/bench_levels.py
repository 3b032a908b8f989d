"""Benchmark: the app's national county map (2,875 units) as a clickable folium map (what
``app.leaflet.show`` would send) against the compact unit map (``maps.unit_map``, no clicks), and
the province and one-prefecture folium maps the app draws.

Run: .venv/bin/python bench/bench_levels.py
Server: the seconds to prepare and build each map's component arguments (once per map key, then
cached) and their size in bytes (sent to every browser that opens the map). Browser: headless
Chromium (/usr/bin/chromium) opens each map as one offline HTML page; the time from navigation
until every unit's polygon is in the DOM (median of 3 loads).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dei_geo.analysis import rollup
from dei_geo.app import leaflet
from dei_geo.maps import assets, export, level_map, markup, selection, unit_map, web
from dei_geo.sources import boundaries, datasets

CHROMIUM = "/usr/bin/chromium"


def county_values() -> pd.Series:
    units = boundaries.layer("counties", "web")
    rng = np.random.default_rng(20230531)
    return pd.Series(rng.uniform(30, 95, len(units)).round(1), index=units["adcode"])


def folium_args(pm: web.PreparedMap) -> tuple[dict, float]:
    t0 = time.perf_counter()
    m = markup.seal(selection.count_clicks(assets.use_data_urls(web.build_map(pm))))
    args = leaflet.static_args(m, "bench")
    return args, time.perf_counter() - t0


def args_bytes(args: dict) -> int:
    return sum(len(str(v).encode()) for v in args.values())


def browser_ms(pages: dict[str, tuple[str, int]]) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        for name, (html, n) in pages.items():
            path = Path(tmp) / f"{abs(hash(name))}.html"
            path.write_text(html, encoding="utf-8")
            runs = []
            for _ in range(3):
                page = b.new_page(viewport={"width": 1440, "height": 900})
                t0 = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function(f"() => document.querySelectorAll('path.leaflet-interactive').length >= {n}",
                                       timeout=120_000)
                runs.append((time.perf_counter() - t0) * 1000)
                page.close()
            out[name] = statistics.median(runs)
        b.close()
    return out


def main() -> None:
    values = county_values()
    t0 = time.perf_counter()
    national = level_map.county_map(values, "score", "bench", "bench", "tiers", 5, "zh")
    prep_national = time.perf_counter() - t0
    args_national, build_national = folium_args(national)
    t0 = time.perf_counter()
    compact = unit_map.unit_map_html(values, title="bench")
    compact_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pref = level_map.county_map(values, "score", "bench", "bench", "tiers", 5, "zh", prefecture=330100)
    prep_pref = time.perf_counter() - t0
    args_pref, build_pref = folium_args(pref)
    ds = datasets.load_dei_2023()
    t0 = time.perf_counter()
    rolled = rollup.rollup(ds.scores[["adcode", "score"]], "score", "city")
    prov = level_map.province_map(rolled, "score", "bench", "bench", "tiers", 5, "zh")
    prep_prov = time.perf_counter() - t0
    args_prov, build_prov = folium_args(prov)
    with web.deterministic_ids():
        folium_page = export.document(web.build_map(national), "bench")
    ms = browser_ms({"folium": (folium_page, len(values)), "compact": (compact, len(values))})
    print("| map | units | prepare + build (server, once per key) | sent to the browser | drawn in Chromium |")
    print("|---|---:|---:|---:|---:|")
    print(f"| national counties, folium (clickable) | {len(values):,} | {prep_national + build_national:.2f} s "
          f"| {args_bytes(args_national) / 1e6:.2f} MB | {ms['folium'] / 1000:.2f} s |")
    print(f"| national counties, compact unit map (iframe, no clicks) | {len(values):,} | {compact_s:.2f} s "
          f"| {len(compact.encode()) / 1e6:.2f} MB | {ms['compact'] / 1000:.2f} s |")
    print(f"| one prefecture's counties (杭州), folium | {len(pref.cities['features'])} | "
          f"{prep_pref + build_pref:.2f} s | {args_bytes(args_pref) / 1e6:.2f} MB | — |")
    print(f"| province means, folium | {len(prov.cities['features'])} | {prep_prov + build_prov:.2f} s | "
          f"{args_bytes(args_prov) / 1e6:.2f} MB | — |")


if __name__ == "__main__":
    main()
