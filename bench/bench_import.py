"""Benchmark: validate and join a 3,000-row score file (county scale) against a naive row-by-row loop.

Run: /work/venv/bin/python bench/bench_import.py [--repeat 5]
Prints a markdown table (best of ``--repeat`` runs, seconds). The file: the 370 city-level units ×
8 years (2016–2023) with overall + five pillar columns, cities written as short name, official name,
adcode or pinyin; 20 of those rows carry an out-of-range or non-numeric score, and 40 more rows
name 5 misspelt cities in every year: 3,000 rows, 60 to reject. As GBK CSV and as XLSX with a
title row. The naive side resolves every row (and computes suggestions for every unknown).
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np
import openpyxl
import pandas as pd

from dei_geo.analysis import index
from dei_geo.core import columns, places
from dei_geo.sources import boundaries, validate

HEADER = ["城市", "年份", "总分", "数字基础设施", "数字经济", "数字社会", "数字政府", "数字生态"]


def make_rows(seed: int = 0) -> list[list]:
    rng = np.random.default_rng(seed)
    p = places.load_places()
    unique_pinyin = p["pinyin"].map(p["pinyin"].value_counts()) == 1
    rows = []
    for year in range(2016, 2024):
        for i, unit in enumerate(p.itertuples()):
            form = i % 4
            city = [unit.short_name, unit.name, str(unit.adcode),
                    unit.pinyin if unique_pinyin[i] else unit.short_name][form]
            rows.append([city, year, *rng.uniform(20, 95, 6).round(1)])
    for k in range(20):  # bad values in existing rows: out of range, non-numeric
        rows[k * 137][3 + k % 2] = 120.0 if k % 2 else "n.a."
    typos = ["杭洲", "苏洲", "广洲", "成部", "西按"]  # each misspelt in every year, as panels are
    bad = [[typo, year, *rng.uniform(20, 95, 6).round(1)] for typo in typos for year in range(2016, 2024)]
    return rows + bad


def as_csv(rows) -> bytes:
    return pd.DataFrame(rows, columns=HEADER).to_csv(index=False).encode("gbk")


def as_xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["城市数字化发展指数 2016–2023（县域规模测试）"])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ours(data: bytes, name: str, units) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    report = validate.validate(data, name=name)
    t1 = time.perf_counter()
    table = report.table[report.table["year"] == 2023]
    ds, _ = index.score_dataset(table, "bench")
    boundaries.join_scores(units, ds.scores)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(report.rejected)


def naive(data: bytes, units) -> tuple[float, float, int]:
    """pandas.read_csv with the encoding known in advance, then row by row: resolve, float()."""
    t0 = time.perf_counter()
    df = pd.read_csv(io.BytesIO(data), encoding="gbk", dtype=str)
    ok, rejected, seen = [], [], set()
    metrics = {h: columns.match(h) for h in HEADER[2:]}
    for n, row in df.iterrows():
        try:
            adcode = places.resolve(row["城市"])
            rec = {"adcode": adcode, "year": int(row["年份"])}
            for head, metric in metrics.items():
                value = float(row[head])
                if not 0 <= value <= 100:
                    raise ValueError(f"row {n + 2}: {head} out of range")
                rec[metric] = value
            if (adcode, rec["year"]) in seen:
                raise ValueError(f"row {n + 2}: duplicate")
            seen.add((adcode, rec["year"]))
            ok.append(rec)
        except ValueError as err:  # UnknownPlace/AmbiguousPlace are ValueErrors
            rejected.append((n + 2, str(err)))
    t1 = time.perf_counter()
    table = pd.DataFrame(ok)
    latest = table[table["year"] == 2023].copy()
    w = index.published_weights()
    latest["score"] = sum(latest[p] * w[p] for p in columns.pillars())
    units.merge(latest, on="adcode", how="left")
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(rejected)


def best(fn, repeat: int) -> tuple[float, float, int]:
    runs = [fn() for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[0][2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows = make_rows()
    csv_bytes, xlsx_bytes = as_csv(rows), as_xlsx(rows)
    units = boundaries.layer("cities", "web")
    places.resolve("杭州")  # warm the place index for both sides
    results = {
        "ours, GBK CSV": best(lambda: ours(csv_bytes, "bench.csv", units), args.repeat),
        "ours, XLSX + title row": best(lambda: ours(xlsx_bytes, "bench.xlsx", units), args.repeat),
        "naive row-by-row, GBK CSV": best(lambda: naive(csv_bytes, units), args.repeat),
    }
    print(f"{len(rows):,} rows × {len(HEADER)} columns; CSV {len(csv_bytes):,} B, "
          f"XLSX {len(xlsx_bytes):,} B; best of {args.repeat}\n")
    print("| approach | validate (s) | compute + join (s) | total (s) | rows rejected |")
    print("|---|---:|---:|---:|---:|")
    for name, (v, j, n) in results.items():
        print(f"| {name} | {v:.3f} | {j:.3f} | {v + j:.3f} | {n} |")


if __name__ == "__main__":
    main()
