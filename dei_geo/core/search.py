"""Find a city from what a user types: short name, official name, pinyin, alias or adcode.

The exact match is ``places.lookup`` / ``places.resolve`` (the one resolver); this module adds the
suggestions for what matches nothing: homophones of the characters typed, then close spellings.
"""

from __future__ import annotations

from dataclasses import dataclass

from dei_geo.core import places

PREFIX_MAX = 12  # cities listed for a prefix (张 → 3, "zh" → many)
CLOSE = 0.75  # difflib ratio of a spelling suggestion: hangzou → 杭州, xyz → nothing


@dataclass(frozen=True)
class Match:
    """The outcome of a search.

    ``adcode`` is set when the entry names exactly one unit. Otherwise ``candidates`` holds the
    units it may mean (``ambiguous``, e.g. "suzhou": 苏州, 宿州), the units whose names start with
    it (``prefix``, e.g. 张: 张家口, 张家界, 张掖) or the closest names (``unknown``; empty when
    nothing is close: "xyz" suggests nothing rather than something unrelated).
    """

    query: str
    adcode: int | None = None
    candidates: tuple[int, ...] = ()
    ambiguous: bool = False
    prefix: bool = False

    @property
    def status(self) -> str:
        """``found``, ``ambiguous``, ``prefix``, ``unknown`` or ``empty`` (nothing typed)."""
        if self.adcode is not None:
            return "found"
        if self.ambiguous:
            return "ambiguous"
        if self.prefix:
            return "prefix"
        return "unknown" if self.query else "empty"


def find(text: str | int, n: int = 5) -> Match:
    """Look ``text`` up (case, spaces, invisible characters, 市 vs short form and ``330100.0``
    do not matter: ``places.clean``); never raises."""
    query = places.clean(text)
    if not query:
        return Match("")
    hits = places.lookup(query)
    if len(hits) == 1:
        return Match(query, adcode=hits[0])
    if hits:
        return Match(query, candidates=hits, ambiguous=True)
    starts = places.starting(query)
    if len(starts) == 1:
        return Match(query, adcode=starts[0])
    if starts:
        return Match(query, candidates=starts[:PREFIX_MAX], prefix=True)
    return Match(query, candidates=closest(query, n))


def closest(text: str, n: int = 5) -> tuple[int, ...]:
    """Adcodes of up to ``n`` units whose names are closest to ``text``.

    Units whose pinyin equals the pinyin of the Chinese characters typed come first (a homophone
    slip such as 杭洲 for 杭州), then the nearest spellings (``places.suggest`` at a similarity of
    ``CLOSE``, so that a typo finds its city and nonsense finds nothing).
    """
    table = places.load_places()
    by_short = dict(zip(table["short_name"], table["adcode"]))
    sound = ""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        from pypinyin import lazy_pinyin  # 0.3 s to import: only when a name needs suggestions

        sound = "".join(lazy_pinyin(text))
    homophones = table.loc[table["pinyin"].eq(sound.casefold()), "adcode"] if sound else []
    near = [by_short[name] for name in places.suggest(text, n, cutoff=CLOSE) if name in by_short]
    return tuple(dict.fromkeys(int(a) for a in [*homophones, *near]))[:n]


def _closest_names(text: str) -> list[str]:
    return [places.display_name(a) for a in closest(text)]


def resolve(text: str | int) -> int:
    """The adcode ``text`` names (``places.resolve`` of the cleaned text);
    ``places.AmbiguousPlace`` / ``places.UnknownPlace`` otherwise, the latter suggesting the
    ``closest`` names."""
    return places.resolve(places.clean(text), suggest=_closest_names)
