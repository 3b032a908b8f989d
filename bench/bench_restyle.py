"""Benchmark: what a metric switch sends to the browser — the restyle script (``maps.restyle``)
against a new base map's component arguments (what a switch sent before: a new component).

Run: .venv/bin/python bench/bench_restyle.py
"""

from __future__ import annotations

from dei_geo.app import leaflet
from dei_geo.maps import assets, markup, restyle, selection, web
from dei_geo.sources import datasets


def main() -> None:
    ds = datasets.load_dei_2023()
    for metric in ("score", "economy"):
        pm = web.prepare_map(ds, metric=metric)
        base = markup.seal(selection.count_clicks(assets.use_data_urls(web.build_map(pm))))
        args = leaflet.static_args(base, "bench")
        sent = sum(len(str(value).encode()) for value in args.values())
        print(f"{metric}: restyle script {len(restyle.script(pm).encode()):,} bytes; a new base map's "
              f"arguments {sent:,} bytes (its script {len(args['script'].encode()):,})")


if __name__ == "__main__":
    main()
