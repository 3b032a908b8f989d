"""Every bound on what a user can send, in one place (README, "Limits on input").

Each limit has its own issue code, message and fix (``validate.ISSUE_TEXT``). They are chosen so
that the worst file each of them admits is read and validated in a few seconds and a few hundred
MB at most (``bench/bench_limits.py``, BENCHMARKS.md): costs grow linearly in the file, never with
the product of rows and problems.
"""

from __future__ import annotations

MAX_BYTES = 10 * 1024 * 1024  # a CSV/XLSX file or upload, as stored (too_large)
MAX_ROWS = 100_000  # non-blank rows below the header (too_many_rows)
MAX_COLUMNS = 500  # columns of the header or of any row (too_many_columns)
MAX_CELL_CHARS = 1_000_000  # characters in one cell: a long note is fine, a runaway quote is not
MAX_XLSX_UNZIPPED = 50 * 1024 * 1024  # an XLSX's parts decompressed, all together (xlsx_too_large)
# cells stored in any one sheet (and shared strings), counted by a byte scan before openpyxl parses
# anything: its pure-Python XML parsing costs ~15 µs a cell here, twice for a sheet without a
# <dimension> element (xlsx_too_many_cells). 250,000: 2,800 counties × 80 indicators fit.
MAX_XLSX_CELLS = 250_000
MAX_XLSX_PARTS = 10_000  # files inside the XLSX (zip) container
REPORT_PER_CODE = 20  # issues listed per problem code; the rest are counted (report_more)
REASONS_PER_ROW = 5  # reasons written beside one rejected row; the rest are counted
LIST_SHOWN = 10  # items of a list quoted in one message (rows of a duplicate city, …)
ECHO_CHARS = 40  # characters of anything a user typed or linked that a message repeats
MAX_QUERY_CHARS = 200  # longer search text or ?city= values are not searched at all


def echo(text: str, n: int = ECHO_CHARS) -> str:
    """At most ``n`` characters of ``text``, with ``…`` when shortened (escape it where it is shown)."""
    text = str(text)
    return text if len(text) <= n else text[:n] + "…"
