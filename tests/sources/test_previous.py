"""The derived 2022 layer (sources.previous): re-derived from the 2023 data and from the seed text."""

import os
import re
from pathlib import Path

import pytest

from dei_geo.core import paths
from dei_geo.sources import previous

SEED = Path(os.environ.get("DEI_SEED_DIR", paths.ROOT.parent / "shared" / "seed"))


def test_stored_layer_is_the_derivation():
    stored, fresh = previous.load(), previous.derive()
    assert stored.equals(fresh), "stale: run `dei-geo data previous`"
    assert len(stored) == 25 and set(stored["year"]) == {2022}
    assert "score" not in stored.columns  # rank only


def test_rank_plus_rise_by_hand():
    t = previous.load().set_index(["pillar", "city"])
    assert t.loc[("society", "石家庄"), "pillar_rank"] == 38 + 33
    assert t.loc[("infrastructure", "杭州"), "pillar_rank"] == 2
    assert t.loc[("government", "包头"), "pillar_rank"] == 22 + 41


@pytest.mark.skipif(not SEED.exists(), reason="the seed report text is not here")
def test_every_row_is_printed_in_the_seed():
    text = "\n".join(p.read_text(encoding="utf-8") for p in SEED.glob("*.txt"))
    printed = {(m.group(1), int(m.group(2)), int(m.group(3)))
               for m in re.finditer(r"\|\s*(\S+?)\s*\|\s*得分[\d.]+，排名第(\d+)，较去年上升(\d+)名", text)}
    rows = {(r.city, r.derived_from_rank, r.derived_from_rise) for r in previous.load().itertuples()}
    assert rows <= printed and len(rows) == 25
