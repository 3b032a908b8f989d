"""Benchmark: click a city → its card. Server time of the rerun, and proof the map is not remounted.

Run: /work/venv/bin/python bench/bench_profile.py [--rounds 5] [--browser]

Server side (always): the app runs in Streamlit's AppTest, in process. A click is injected as
the very value streamlit-folium sends (``{"last_active_drawing": <the city's Feature>}``, with
the click counter's ``clicks`` property) into the map component's widget state, so the rerun runs
the same callback and script as after a real click. Each rerun is timed; after each one the
component's key (a hash of the base map's JS) and its script are compared with the first run's:
unchanged means the browser keeps the mounted map (no remount, no lost zoom).
Uses AppTest internals (``_tree``, ``_run``): a benchmark, not a test.

``--browser`` adds wall time in headless Chromium (network cut): mouse click on the city's
polygon → its card heading visible (includes streamlit-folium's debounce and the websocket trip).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "streamlit_app.py"
CITIES = [330100, 542500, 341600, 110100, 650100, 710000, 440300, 810000]  # scored/unscored/conflict


def _component(at):
    (component,) = at.get("component_instance")
    return component.proto


def _script_digest(proto) -> str:
    return hashlib.sha256(json.loads(proto.json_args)["script"].encode()).hexdigest()[:12]


def _click_value(feature: dict, clicks: int) -> str:
    props = {**feature["properties"], "clicks": clicks}
    return json.dumps({"last_active_drawing": {**feature, "properties": props}})


def server(rounds: int) -> list[str]:
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.testing.v1 import AppTest

    from dei_geo.core import places
    from dei_geo.maps import web
    from dei_geo.sources import datasets

    features = {f["id"]: f for f in web.prepare_map(datasets.load_dei_2023()).cities["features"]}
    at = AppTest.from_file(str(APP), default_timeout=120)
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    first = _component(at)
    key, digest = first.id, _script_digest(first)

    idle = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        at.run()
        idle.append(time.perf_counter() - t0)

    clicks, same_key, same_script, cards = [], True, True, True
    for n in range(rounds):
        for adcode in CITIES:
            states = at._tree.get_widget_states()
            states.widgets.append(WidgetState(id=key, json_value=_click_value(features[adcode], n + 1)))
            t0 = time.perf_counter()
            at._run(states)
            clicks.append(time.perf_counter() - t0)
            assert not at.exception, at.exception
            now = _component(at)
            same_key &= now.id == key
            same_script &= _script_digest(now) == digest
            cards &= bool(at.subheader) and at.subheader[0].value.startswith(places.display_name(adcode))

    ms = lambda xs: f"{1000 * statistics.median(xs):.0f}"  # noqa: E731
    worst = lambda xs: f"{1000 * max(xs):.0f}"  # noqa: E731
    return [
        "| server (AppTest, in process) | runs | median ms | max ms |",
        "|---|---:|---:|---:|",
        f"| first run (cold caches) | 1 | {1000 * cold:.0f} | {1000 * cold:.0f} |",
        f"| rerun, nothing changed | {len(idle)} | {ms(idle)} | {worst(idle)} |",
        f"| rerun after a click (card shown) | {len(clicks)} | {ms(clicks)} | {worst(clicks)} |",
        "",
        f"- cities clicked: {', '.join(places.display_name(a) for a in CITIES)} × {rounds}",
        f"- card of the clicked city after every click: {'yes' if cards else 'NO'}",
        f"- component key unchanged across all reruns: {'yes' if same_key else 'NO (remount)'} (`{key[-16:]}`)",
        f"- base-map script unchanged across all reruns: {'yes' if same_script else 'NO'} (sha256 `{digest}`)",
    ]


def browser(rounds: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_app import ARGS, _serve  # the app bench's server start (same flags)
    from playwright.sync_api import sync_playwright
    from shapely.ops import polylabel

    from dei_geo.core import places
    from dei_geo.sources import boundaries

    units = boundaries.layer("cities", "web").set_index("adcode")

    def inside(adcode):
        shape = units.loc[adcode, "geometry"]
        point = polylabel(max(getattr(shape, "geoms", [shape]), key=lambda p: p.area), tolerance=0.01)
        return point.y, point.x

    proc, base = _serve(APP)
    times, probe_kept = [], True
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            context = b.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                (base, "data:", "blob:", "about:")) else r.abort("internetdisconnected"))
            page = context.new_page()
            page.goto(base)
            deadline, frame = time.monotonic() + 60, None
            while frame is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("the map did not draw its 370 polygons within 60 s")
                page.wait_for_timeout(100)
                frame = next((f for f in page.frames
                              if f.locator("path.leaflet-interactive").count() >= 370), None)
            frame.evaluate("() => { window.map.__probe = 1; }")
            for _ in range(rounds):
                for adcode in CITIES:
                    lat, lng = inside(adcode)
                    x, y = frame.evaluate("""([lat, lng]) => {
                        window.map.setView([lat, lng], 6, {animate: false});
                        const p = window.map.latLngToContainerPoint([lat, lng]);
                        return [p.x, p.y];
                    }""", [lat, lng])
                    heading = page.get_by_role("heading", name=places.display_name(adcode) + "\u3000")
                    t0 = time.perf_counter()
                    frame.locator(".leaflet-container").click(position={"x": x, "y": y})
                    heading.wait_for(timeout=30_000)
                    times.append(time.perf_counter() - t0)
            probe_kept = frame.evaluate("() => window.map.__probe === 1")
            b.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
    return [
        "",
        "| browser (Chromium, offline) | clicks | median ms | max ms |",
        "|---|---:|---:|---:|",
        f"| click → card heading visible | {len(times)} | {1000 * statistics.median(times):.0f} "
        f"| {1000 * max(times):.0f} |",
        "",
        f"- same Leaflet map object after all clicks (no remount): {'yes' if probe_kept else 'NO'}",
    ]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5, help="times each city is clicked")
    p.add_argument("--browser", action="store_true", help="also time real clicks in Chromium")
    args = p.parse_args()
    lines = server(args.rounds)
    if args.browser:
        lines += browser(max(1, args.rounds // 2))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
