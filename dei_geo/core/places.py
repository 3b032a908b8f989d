"""Place lookups over ``data/places.csv`` (adcode ⇄ names), exact keys only.

``lookup`` is the one resolution of a name or code to adcodes: ``resolve`` raises on top of it,
``search`` adds its pinyin/fuzzy suggestions on top of ``resolve``, and ``sources.validate`` turns
a city cell into an adcode through ``resolve``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

from dei_geo.core import paths

PLACES = paths.DATA / "places.csv"
_FLOAT_CODE = re.compile(r"(\d+)\.0*")  # 330100.0: a code Excel stored as a number


class UnknownPlace(ValueError):
    """No place has this adcode, name, short name, alias or pinyin."""

    def __init__(self, query, suggestions: list[str]):
        self.query, self.suggestions = query, suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown place {query!r}{hint}")


class AmbiguousPlace(ValueError):
    """Several places share this key (e.g. pinyin "suzhou": 苏州 and 宿州)."""

    def __init__(self, query, candidates: list[int]):
        self.query, self.candidates = query, candidates
        names = ", ".join(f"{display_name(a)} ({a})" for a in candidates)
        super().__init__(f"ambiguous place {query!r}: {names}")


@lru_cache(maxsize=1)
def _places() -> pd.DataFrame:
    return pd.read_csv(PLACES, dtype={"adcode": int, "province_adcode": int, "aliases": str},
                       keep_default_na=False)


def load_places() -> pd.DataFrame:
    """The 370 city-level units (a copy of the cached table; ``adcode`` is int)."""
    return _places().copy()


# invisible characters that are not in category Cf (Mn, Lo, So): nothing a reader can see
_INVISIBLE = dict.fromkeys([0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810), 0x2800,
                            0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])


def clean(text) -> str:
    """What a person sees in ``text``: NFKC, invisible characters (zero-width space, LRM/RLM,
    a BOM inside the text …: Unicode categories Cf and Cc; variation selectors, the combining
    grapheme joiner, Hangul fillers, the Braille blank, Khmer inherent vowels) removed, surrounding whitespace
    (U+3000 too) trimmed, and a code Excel stored as a number (``330100.0``) as an integer.
    Applied to every city name or adcode from a file, the search box and ``?city=``."""
    text = str(text).translate(_INVISIBLE)
    if not text.isprintable():  # Cf and Cc characters are never printable: the common case is fast
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))
    text = unicodedata.normalize("NFKC", text).strip()
    code = _FLOAT_CODE.fullmatch(text) if "." in text else None
    return code.group(1) if code else text


def _key(text) -> str:
    return "".join(clean(text).split()).casefold()


def key(text) -> str:
    """How names and codes are compared: ``clean``, without spaces, case-folded (other crosswalks,
    such as ``core.counties``, index their keys with it)."""
    return _key(text)


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for row in _places().itertuples():
        keys = [row.adcode, row.name, row.short_name, row.pinyin, *filter(None, row.aliases.split("|"))]
        for key in keys:
            index.setdefault(_key(key), set()).add(row.adcode)
    return {k: frozenset(v) for k, v in index.items()}


def suggest(text, n: int = 5, cutoff: float = 0.5) -> list[str]:
    """Up to ``n`` short names whose keys are closest to ``text`` (difflib ratio ≥ ``cutoff``)."""
    index = _index()
    close = difflib.get_close_matches(_key(text), index, n=4 * n, cutoff=cutoff)
    names = dict.fromkeys(display_name(a) for key in close for a in sorted(index[key]))
    return list(names)[:n]


def starting(text: str | int) -> tuple[int, ...]:
    """Every adcode with an official name, short name, alias or pinyin that starts with ``text``
    (compared as in ``lookup``), sorted: 张 → 张家口, 张家界, 张掖. A Latin prefix needs two
    letters; digits (adcodes) never match a prefix."""
    key = _key(text)
    if not key or key.isdigit() or (key.isascii() and len(key) < 2):
        return ()
    return tuple(sorted({a for k, codes in _index().items() if k.startswith(key) and not k.isdigit()
                         for a in codes}))


def lookup(text: str | int) -> tuple[int, ...]:
    """Every adcode whose adcode, official name, short name, alias or pinyin is ``text``, sorted:
    one for a hit, several for a shared key (pinyin "suzhou"), none for an unknown one. Keys are
    compared after ``clean``, without spaces and case-insensitively; never fuzzy."""
    return tuple(sorted(_index().get(_key(text), ())))


def resolve(text: str | int, suggest: Callable[[str | int], list[str]] = suggest) -> int:
    """The adcode for an adcode, official name, short name, alias or pinyin (case-insensitive).

    ``AmbiguousPlace`` when the key names several units, ``UnknownPlace`` with ``suggest(text)``
    (by default the closest spellings) when it names none.
    """
    hits = lookup(text)
    if not hits:
        raise UnknownPlace(text, suggest(text))
    if len(hits) > 1:
        raise AmbiguousPlace(text, list(hits))
    return hits[0]


@lru_cache(maxsize=1)
def _names() -> dict[int, tuple[str, str]]:
    t = _places()
    return dict(zip(t["adcode"], zip(t["short_name"], t["name"])))


def display_name(adcode: int, short: bool = True) -> str:
    """Short name (杭州) or official name (杭州市) of an adcode."""
    try:
        short_name, name = _names()[int(adcode)]
    except (KeyError, ValueError):
        raise UnknownPlace(adcode, []) from None
    return short_name if short else name
