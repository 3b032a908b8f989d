"""What the 2023 report says about the year before: the pillar ranks of the previous edition.

The five 排名上升较快的代表性城市 tables (p.17, 20, 23, 26, 29; ``data/dei_2023/pillar_cities.csv``)
print each city's pillar rank and its rise versus last year ("排名第5，较去年上升9名"), so the
previous edition's pillar rank is rank + rise, for those 25 (city, pillar) pairs only. Nothing else
of that edition is known: no score, no overall rank, no other city. ``derive`` computes the layer,
``data/derived/dei_2022_pillar_ranks.csv`` stores it (``dei-geo data previous``), a test re-derives
it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dei_geo.core import paths

STORED = paths.DATA / "derived" / "dei_2022_pillar_ranks.csv"
EDITION = 2022  # the edition "last year" refers to in the 2023 report
COLUMNS = ["pillar", "adcode", "city", "year", "pillar_rank", "derived_from_rank", "derived_from_rise", "page",
           "derivation"]


def derive(folder: Path = paths.DEI_2023) -> pd.DataFrame:
    """The previous edition's pillar rank of the 25 printed (city, pillar) pairs, with provenance:
    ``pillar_rank`` = the 2023 pillar rank + the printed rise; ``page`` of the 2023 table."""
    src = pd.read_csv(folder / "pillar_cities.csv")
    out = pd.DataFrame({
        "pillar": src["pillar"], "adcode": src["adcode"].astype(int), "city": src["city"], "year": EDITION,
        "pillar_rank": (src["pillar_rank"] + src["rank_rise"]).astype(int),
        "derived_from_rank": src["pillar_rank"].astype(int), "derived_from_rise": src["rank_rise"].astype(int),
        "page": src["page"].astype(int),
        "derivation": "rank + rise, from DEI 2023 排名上升较快的代表性城市 (排名第N，较去年上升M名)",
    })
    return out[COLUMNS]


def write(out: Path = STORED) -> Path:
    """Write ``derive()`` as CSV (UTF-8, no index); returns the path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    derive().to_csv(out, index=False, lineterminator="\n")
    return out


def load(path: Path = STORED) -> pd.DataFrame:
    """The stored layer (rank only: never read it as scores)."""
    return pd.read_csv(path, dtype={"adcode": int})
