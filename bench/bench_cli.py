"""Benchmark: the command line as fresh processes, against the naive eager version.

Run: .venv/bin/python bench/bench_cli.py [--runs 5]
Prints a markdown table: median wall time of ``--runs`` fresh processes per command. "ours" is
the installed ``dei-geo``; "naive" does the same work the way the CLI did before (every map and
analysis module imported up front — esda, libpysal, folium, mapclassify, pypinyin — and the
LISA/Gi* permutations recomputed for every city card).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEI_GEO = str(Path(sys.executable).with_name("dei-geo"))
EAGER = ("import dei_geo.maps.web, dei_geo.maps.overlays, dei_geo.maps.print_map, "
         "dei_geo.analysis.spatial, dei_geo.core.search, esda, libpysal.graph, pypinyin; ")
NAIVE_HELP = EAGER + "from dei_geo.cli import main; main(['--help'])"
NAIVE_PROFILE = EAGER + (
    "from dei_geo.analysis import profile, spatial; from dei_geo.core import search; "
    "from dei_geo.sources import datasets; from dei_geo.wording import profile as w; "
    "ds = datasets.load_dei_2023(); a = search.resolve('杭州'); card = profile.city_profile(ds, a); "
    "facts = spatial.city_card(ds, a, spatial.dei_spillover(ds)); "
    "print(w.to_text(card)); print(*w.region_lines(facts), sep='\\n')")


def median_s(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    rows = [
        ("`dei-geo --help`", [DEI_GEO, "--help"], [sys.executable, "-c", NAIVE_HELP]),
        ("`dei-geo profile 杭州`", [DEI_GEO, "profile", "杭州"], [sys.executable, "-c", NAIVE_PROFILE]),
    ]
    print(f"median of {runs} fresh processes\n")
    print("| command | ours | naive (eager imports, recomputed) |")
    print("|---|---|---|")
    for name, ours, naive in rows:
        print(f"| {name} | {median_s(ours, runs):.2f} s | {median_s(naive, runs):.2f} s |")


if __name__ == "__main__":
    main()
