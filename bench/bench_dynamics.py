"""Benchmark: every dynamic of one metric (analysis.dynamics.report) on synthetic 10-year panels.

Run: .venv/bin/python bench/bench_dynamics.py [--runs 3] [--skip-naive]

Panels: 370 city units and 2,875 county units (geodata/), 10 years, scores drawn at random with a
trend (seeded); queen weights over the real boundaries (islands attached), built once and timed
apart; partitions cores / clusters / provinces (a county takes its prefecture's cluster). Timed:
``dynamics.report`` with 99 spatial-τ permutations (transitions, spatial and LISA Markov, τ per
pair, spatial τ, τ by region, σ, β absolute and with three fixed effects, Theil split ×3, densities).
Two references: "giddy as is" runs the same report with giddy's ``Tau_Regional`` at every size
(its n × n block weights built in Python; ``report`` switches to the same sums over ``Tau_Local``
above ``REGIONAL_TAU_MAX`` units); the "naive loop" computes only the non-spatial counts in plain
Python: transitions unit by unit, Kendall's τ pair by pair (O(n²)), Gini and Theil element by
element, a density point by point.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np
import pandas as pd

YEARS = list(range(2014, 2024))


def panel(adcodes, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = rng.uniform(30, 90, len(adcodes))
    cols = {y: np.clip(base + rng.normal(0, 3, len(adcodes)) + 1.2 * i, 0, 100) for i, y in enumerate(YEARS)}
    return pd.DataFrame(cols, index=pd.Index(adcodes, name="adcode"))


def naive(values: pd.DataFrame, cutoffs=(40, 50, 65, 85)) -> None:
    """The same non-spatial figures with Python loops (no giddy, no inequality, no numpy kernels)."""
    rows = values.to_numpy().tolist()
    t = len(YEARS)
    counts = [[0] * 5 for _ in range(5)]
    for r in rows:
        cls = [sum(v >= c for c in cutoffs) for v in r]
        for a in range(t - 1):
            counts[cls[a]][cls[a + 1]] += 1
    for a in range(t - 1):  # Kendall's τ between consecutive years, pair by pair
        x = [r[a] for r in rows]
        y = [r[a + 1] for r in rows]
        s = 0
        for i in range(len(x)):
            for j in range(i + 1, len(x)):
                s += (1 if (x[i] - x[j]) * (y[i] - y[j]) > 0 else -1)
    for a in range(t):  # Gini and Theil, element by element
        v = [r[a] for r in rows]
        n, m = len(v), sum(v) / len(v)
        sum(abs(p - q) for p in v for q in v) / (2 * n * n * m)
        sum(p / (n * m) * math.log(p / m) for p in v)
        grid = [min(v) + k * (max(v) - min(v)) / 127 for k in range(128)]
        h = statistics.stdev(v) * n ** -0.2
        [sum(math.exp(-0.5 * ((g - p) / h) ** 2) for p in v) for g in grid]


def timed(fn, runs: int) -> float:
    best = math.inf
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-naive", action="store_true")
    args = ap.parse_args()
    start = time.perf_counter()
    import giddy.markov  # noqa: F401  (numba, quantecon: the import is most of a cold start)
    import inequality.theil  # noqa: F401

    from dei_geo.analysis import dynamics, spatial
    from dei_geo.sources import boundaries
    print(f"imports (giddy, inequality, dei_geo): {time.perf_counter() - start:.2f} s")

    cities = boundaries.layer("cities", "web").set_index("adcode")
    counties = boundaries.layer("counties", "web").set_index("adcode")
    for label, units, prefecture in [("370 cities", cities, None), ("2,875 counties", counties,
                                                                     counties["prefecture_adcode"])]:
        values = panel(units.index)
        start = time.perf_counter()
        w = spatial.build_weights(units, "queen")
        built = time.perf_counter() - start
        if prefecture is None:
            parts = dynamics.partitions(units.index)
        else:  # a county takes its prefecture's cluster and province
            by_pref = dynamics.partitions(sorted(set(prefecture)))
            parts = {k: pd.Series(s.reindex(prefecture.to_numpy()).to_numpy(), index=units.index)
                     for k, s in by_pref.items()}
        secs = timed(lambda v=values, w=w, p=parts: dynamics.report(v, w, "tiers", parts=p, permutations=99),
                     args.runs)
        line = (f"{label} × {len(YEARS)} years: weights {built:.2f} s (once), dynamics.report "
                f"{secs:.3f} s (best of {args.runs})")
        if not args.skip_naive:
            limit = dynamics.REGIONAL_TAU_MAX
            dynamics.REGIONAL_TAU_MAX = 10**9
            try:
                as_is = timed(lambda v=values, w=w, p=parts: dynamics.report(v, w, "tiers", parts=p,
                                                                          permutations=99), 1)
            finally:
                dynamics.REGIONAL_TAU_MAX = limit
            line += (f"; giddy as is {as_is:.2f} s (one run); naive loop "
                     f"{timed(lambda v=values: naive(v), 1):.2f} s (one run, no spatial parts)")
        print(line)


if __name__ == "__main__":
    main()
