"""Benchmark: the worst inputs each limit admits, and the hostile files of issue 16, through
``dei-geo validate --format json`` in a fresh process each: wall time, peak memory (max RSS) and the
size of the report.

Run: .venv/bin/python bench/bench_limits.py [--code DIR] [--timeout 120] [--memory-gb 6]
``--code DIR``: run another checkout's ``dei_geo`` (e.g. the code before issue 16, from
``mkdir /tmp/old && git archive HEAD | tar -x -C /tmp/old``) on the same files. Each run is capped
at ``--timeout`` seconds and ``--memory-gb`` of address space, so that a bomb cannot take the
machine down (it then reads "killed at …" / "MemoryError"). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
import build  # noqa: E402  (the corpus makers)

CASES = {  # name → (what, maker)
    "dup_10mb.csv": ("9.9 MB, 99,999 rows cycling through 5 cities, one score + a note",
                     lambda: build.big_duplicates_csv(note=True)),
    "dup_scores_note.csv": ("9.9 MB, 99,999 duplicate rows, 4 scores + a note column",
                            lambda: build.big_duplicates_csv(scores=4, note=True)),
    "all_invalid.csv": ("9.9 MB, every row: unknown city + all 74 score columns wrong", build.big_invalid_csv),
    "cols_500.csv": ("9.9 MB, 500 columns", build.big_wide_csv),
    "long_cells.csv": ("9.9 MB, cells of 330,000 characters (city and note)", build.big_long_cells_csv),
    "xlsx_cell_limit.xlsx": ("largest sheet accepted: 249,990 cells in 24,999 rows, no <dimension>",
                             lambda: build.xlsx_at_cell_limit(250_000)),
    "bomb_row_40m.xlsx": ("zip bomb: one row of 40 M cells", build.bomb_wide_row),
    "bomb_sst_600mb.xlsx": ("zip bomb: 600 MB shared-strings table", build.bomb_shared_strings),
    "bomb_rows_8m.xlsx": ("zip bomb: 8 M filled rows", build.bomb_rows),
}

CHILD = r"""
import io, resource, sys, time
from contextlib import redirect_stdout
limit = int(sys.argv[2]) * 2**30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from dei_geo import cli
out = io.StringIO()
t0 = time.perf_counter()
try:
    with redirect_stdout(out):
        code = cli.main(["validate", sys.argv[1], "--format", "json"])
    result = f"exit {code}"
except MemoryError:
    result = "MemoryError"
except Exception as err:
    result = type(err).__name__
dt = time.perf_counter() - t0
print(f"{dt:.2f}\t{result}\t{len(out.getvalue().encode())}", file=sys.stderr)
"""


def run(path: Path, code: Path | None, timeout: float, memory_gb: int) -> tuple[str, str, str, str]:
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = str(code)
        env["DEI_GEO_ROOT"] = str(code)
    t0 = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(memory_gb)], env=env,
                              capture_output=True, text=True, timeout=timeout, cwd=code or ROOT)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (killed)", "—", "—", "—"
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # of the largest child so far
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    try:
        seconds, result, size = last.split("\t")
    except ValueError:
        return f"{wall:.1f} s", "—", f"crashed: {last[-80:]}", "—"
    return f"{float(seconds):.1f} s", f"{peak:,.0f} MB", result, f"{int(size) / 1e6:.2f} MB"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--code", type=Path, default=None, help="another checkout's root (default: this one)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--memory-gb", type=int, default=6)
    ap.add_argument("--only", default=None, help="comma-separated case names")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else set(CASES)
    print("| file | size | validate time | peak memory | result | report (JSON) |")
    print("|---|---:|---:|---:|---|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (what, make) in CASES.items():
            if name not in only:
                continue
            path = Path(tmp) / name
            path.write_bytes(make())
            # a fresh process per case: ru_maxrss of RUSAGE_CHILDREN is the peak of the largest one,
            # so run each case from its own parent
            line = subprocess.run([sys.executable, __file__, "--one", str(path), str(args.code or ""),
                                   str(args.timeout), str(args.memory_gb)], capture_output=True, text=True)
            cells = line.stdout.strip().split("\t") if line.returncode == 0 else ["error"] * 4
            print(f"| {name} ({what}) | {path.stat().st_size / 1e6:.2f} MB | " + " | ".join(cells) + " |",
                  flush=True)
            path.unlink()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        _, _, p, c, t, m = sys.argv
        print("\t".join(run(Path(p), Path(c) if c else None, float(t), int(m))))
    else:
        main()
