"""Benchmark: city briefs (issue 15) in a warm process, against the naive approach.

Run: .venv/bin/python bench/bench_brief.py [--runs 3]
Prints a markdown table. "Warm": the data, the boundary layers and the projection of the
province are loaded by a first brief (杭州) before timing. Per city: each of 浙江's 11 cities'
PDF and PPTX brief (median and max over cities, best of ``--runs``). Batch: the 11 PDF briefs plus
the province deck as ``dei-geo brief --province 浙江`` makes them (``render.province_files``: each
city's maps drawn once for its file and its slide). Wall and CPU (process) time are both given:
the machine's 2 cores are shared with other jobs.

Naive, per city: the route tried first — fpdf2 loads the whole Noto Sans CJK SC face (65,535
glyphs) for every document instead of the face cut once to the characters a brief can hold
(``fonts.for_text``), and the maps go in as SVG through fpdf2's SVG importer (vectors too)
instead of matplotlib's own PDF drawn as form XObjects. Naive batch: every city's
brief, then the deck built separately (``render.province_deck``: each city drawn twice).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from dei_geo.briefs import content, fonts, pdf, render
from dei_geo.maps import print_map
from dei_geo.sources import datasets

ZHEJIANG = 330000


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def naive_pdf(ds, adcode: int) -> bytes:
    """The same page, the whole font face loaded by fpdf2, the maps drawn by its SVG importer."""
    drawn = render.draw(ds, adcode, "zh")
    cut, fonts.for_text = fonts.for_text, lambda style, text: fonts.face(style)
    try:
        doc = pdf.new_document("zh", drawn.page.title, "")
    finally:
        fonts.for_text = cut
    placed = pdf.add_page(doc, drawn.page, (b"", tuple(drawn.locator.get_size_inches())),
                          (b"", tuple(drawn.province.get_size_inches())), "zh")
    for place, fig in zip(placed, (drawn.locator, drawn.province)):
        x, y, w, h = place.box
        doc.image(io.BytesIO(print_map.to_bytes(fig, "svg")), x=x, y=y, w=w, h=h)
    return bytes(doc.output())


def per_city(ds, units, fn, runs: int) -> tuple[float, float, float]:
    """(median wall, max wall, median cpu) over cities of the best of ``runs`` each."""
    walls, cpus = [], []
    for adcode in units:
        best = min((timed(lambda a=adcode: fn(ds, a)) for _ in range(runs)), key=lambda r: r[0])
        walls.append(best[0])
        cpus.append(best[1])
    return statistics.median(walls), max(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    ds = datasets.load_dei_2023()
    render.city(ds, 330100, "pdf")  # warm: data, layers, the province's projection, fonts on disk
    units = content.province_units(ZHEJIANG)
    print(f"warm process, 浙江's {len(units)} cities, best of {runs} per city\n")
    print("| brief | wall median | wall max | CPU median | goal |")
    print("|---|---:|---:|---:|---:|")
    for name, fn in (("PDF per city (ours)", lambda d, a: render.city(d, a, "pdf")),
                     ("PPTX per city (ours)", lambda d, a: render.city(d, a, "pptx")),
                     ("PDF per city (naive: fpdf2 SVG import)", naive_pdf)):
        med, worst, cpu = per_city(ds, units, fn, runs)
        print(f"| {name} | {med:.2f} s | {worst:.2f} s | {cpu:.2f} s | ≤ 2 s |")
    ours = min((timed(lambda: dict(render.province_files(ds, ZHEJIANG, "pdf"))) for _ in range(runs)),
               key=lambda r: r[0])

    def naive_batch():
        files = {u: render.city(ds, u, "pdf") for u in units}
        files["deck"] = render.province_deck(ds, ZHEJIANG)
        return files

    naive = timed(naive_batch)
    print(f"| 浙江 batch: 11 PDF + deck (ours, best of {runs}) | {ours[0]:.2f} s | | {ours[1]:.2f} s | ≤ 20 s |")
    print(f"| 浙江 batch (naive: deck drawn apart, 1 run) | {naive[0]:.2f} s | | {naive[1]:.2f} s | ≤ 20 s |")
    sizes = {name: len(data) for name, data in ours[2].items()}
    print(f"\nfiles: {len(sizes)}, PDF {min(v for k, v in sizes.items() if k.endswith('.pdf')):,}–"
          f"{max(v for k, v in sizes.items() if k.endswith('.pdf')):,} bytes, deck {sizes['浙江省.pptx']:,} bytes")


if __name__ == "__main__":
    main()
