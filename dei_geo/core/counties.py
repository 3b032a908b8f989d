"""County-level names over ``data/counties.csv``, resolved with their context.

County names repeat across the country (朝阳区 in 北京 and 长春, four 鼓楼区, many 市中区 /
城关区 / 新华区): a name is never resolved by its first match. ``lookup`` returns every unit a key
names within an optional province and prefecture; ``resolve`` raises ``AmbiguousCounty`` (every
candidate with its prefecture and province) or ``UnknownPlace``. Keys are the adcode, official
name, short name, pinyin and former names, compared as ``places.lookup`` compares them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from dei_geo.core import paths, places

COUNTIES = paths.DATA / "counties.csv"
# headers of a county-name column, and of its prefecture (context) column
COUNTY_HEADERS = ("区县", "县区", "区县名称", "县区名称", "区县名", "县(市、区)", "县（市、区）", "县市区",
                  "county", "district")
PREFECTURE_HEADERS = ("地级市", "所属城市", "所属地市", "所属市", "地市", "prefecture")
_PROVINCE_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔)?自治区$|特别行政区$|[省市]$")


class Candidate(NamedTuple):
    """A county-level unit with its parents, as an ambiguity error lists it."""

    adcode: int
    name: str
    prefecture: str
    province: str

    def __str__(self) -> str:
        parents = self.province if self.prefecture == self.province else f"{self.province} {self.prefecture}"
        return f"{self.name} ({parents}, {self.adcode})"


class AmbiguousCounty(places.AmbiguousPlace):
    """Several county-level units share this key within the context given."""

    def __init__(self, query, candidates: list[int]):
        self.query, self.candidates = query, candidates
        self.listed = [candidate(a) for a in candidates]
        ValueError.__init__(self, f"ambiguous county {query!r}: " + "; ".join(map(str, self.listed))
                            + " — add a province or prefecture column, or use the adcode")


class UnknownContext(places.UnknownPlace):
    """The name exists, but not in the province / prefecture given."""

    def __init__(self, query, elsewhere: list[int]):
        self.query, self.elsewhere = query, elsewhere
        self.suggestions = [str(candidate(a)) for a in elsewhere]
        ValueError.__init__(self, f"{query!r} is not in the province/prefecture given; it is in: "
                            + "; ".join(self.suggestions))


@lru_cache(maxsize=1)
def _counties() -> pd.DataFrame:
    return pd.read_csv(COUNTIES, dtype={"adcode": int, "prefecture_adcode": int, "province_adcode": int},
                       keep_default_na=False)


def load_counties() -> pd.DataFrame:
    """The 2,875 county-level units (a copy of the cached table)."""
    return _counties().copy()


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for row in _counties().itertuples():
        for key in (row.adcode, row.name, row.short_name, row.pinyin, *filter(None, row.former_names.split("|"))):
            index.setdefault(places.key(key), set()).add(row.adcode)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _rows() -> dict[int, tuple]:
    t = _counties()
    return {a: (n, s, pa, p, va, v) for a, n, s, pa, p, va, v in zip(
        t["adcode"], t["name"], t["short_name"], t["prefecture_adcode"], t["prefecture"],
        t["province_adcode"], t["province"])}


def candidate(adcode: int) -> Candidate:
    name, _, _, prefecture, _, province = _rows()[int(adcode)]
    return Candidate(int(adcode), name, prefecture, province)


@lru_cache(maxsize=1)
def _provinces() -> dict[str, int]:
    t = places.load_places()[["province", "province_adcode"]].drop_duplicates()
    out: dict[str, int] = {}
    for name, code in zip(t["province"], t["province_adcode"]):
        for key in (name, _PROVINCE_SUFFIX.sub("", name), code):
            out[places.key(key)] = int(code)
    return out


def province_code(text) -> int:
    """The province adcode for 浙江 / 浙江省 / 330000; ``UnknownPlace`` otherwise."""
    found = _provinces().get(places.key(text))
    if found is None:
        raise places.UnknownPlace(text, [])
    return found


def prefecture_code(text, province: int | None = None) -> int:
    """The city-level adcode for a prefecture name or code (within ``province`` if given)."""
    hits = [a for a in places.lookup(text) if province is None or a // 10000 * 10000 == province]
    if not hits:
        raise places.UnknownPlace(text, places.suggest(text))
    if len(hits) > 1:
        raise places.AmbiguousPlace(text, hits)
    return hits[0]


def lookup(text, province=None, prefecture=None) -> tuple[int, ...]:
    """Every county-level adcode ``text`` names, within the province / prefecture given (each a
    name or adcode; blank or None for no context), sorted."""
    hits = _index().get(places.key(text), frozenset())
    prov = province_code(province) if _given(province) else None
    pref = prefecture_code(prefecture, prov) if _given(prefecture) else None
    rows = _rows()
    return tuple(sorted(a for a in hits if (prov is None or rows[a][4] == prov)
                        and (pref is None or rows[a][2] == pref)))


def resolve(text, province=None, prefecture=None) -> int:
    """The one county-level adcode ``text`` names in its context; ``AmbiguousCounty`` listing every
    candidate with its parents, ``UnknownContext`` when it exists only outside the context given,
    ``UnknownPlace`` (closest spellings) when it names none."""
    hits = lookup(text, province, prefecture)
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise AmbiguousCounty(text, list(hits))
    anywhere = sorted(_index().get(places.key(text), ()))
    if anywhere:
        raise UnknownContext(text, anywhere)
    raise places.UnknownPlace(text, _suggest(text))


def _suggest(text, n: int = 5) -> list[str]:
    import difflib

    close = difflib.get_close_matches(places.key(text), _index(), n=4 * n, cutoff=0.6)
    found = dict.fromkeys(str(candidate(a)) for key in close for a in sorted(_index()[key]))
    return list(found)[:n]


def _given(value) -> bool:
    return value is not None and places.clean(value) != "" and not (isinstance(value, float) and value != value)


def display_name(adcode: int, short: bool = False) -> str:
    """Official (西湖区) or short (西湖) name of a county-level adcode."""
    try:
        name, short_name, *_ = _rows()[int(adcode)]
    except (KeyError, ValueError):
        raise places.UnknownPlace(adcode, []) from None
    return short_name if short else name


def detect_level(cells) -> str:
    """``county`` when more of the non-blank ``cells`` (names or adcodes) name a county-level unit
    than a city-level one, else ``city``. A 6-digit adcode ending in 00 counts as city-level."""
    city = county = 0
    for cell in cells:
        key = places.clean(cell) if cell is not None else ""
        if not key:
            continue
        if key.isdigit() and len(key) == 6:
            city += key.endswith("00")
            county += not key.endswith("00")
            continue
        city += bool(places.lookup(key))
        county += key in _index() or places.key(key) in _index()
    return "county" if county > city else "city"


def _header_key(text) -> str:
    return places.key(text).replace("（", "(").replace("）", ")")


_COUNTY_KEYS = frozenset(map(_header_key, COUNTY_HEADERS))
_PREFECTURE_KEYS = frozenset(map(_header_key, PREFECTURE_HEADERS))


def is_county_header(header) -> bool:
    """Whether a column header names county-level units (区县, county, …)."""
    return header is not None and _header_key(header) in _COUNTY_KEYS


def is_prefecture_header(header) -> bool:
    """Whether a column header names the prefecture (地级市, 所属城市, prefecture, …)."""
    return header is not None and _header_key(header) in _PREFECTURE_KEYS
