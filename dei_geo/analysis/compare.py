"""Two to five cities side by side, from their cards (``wording.compare.table`` names the columns)."""

from __future__ import annotations

from dei_geo.analysis.profile import CityCard, city_profile
from dei_geo.core import places
from dei_geo.sources.datasets import Dataset

MIN_CITIES, MAX_CITIES = 2, 5


def cards(ds: Dataset, adcodes, lang: str = "zh") -> list[CityCard]:
    """The city cards of ``adcodes``, in the order given.

    Raises ``ValueError`` for fewer than 2 or more than 5 cities or a city given twice, and
    ``places.UnknownPlace`` for an unknown adcode.
    """
    codes = [int(a) for a in adcodes]
    twice = sorted({a for a in codes if codes.count(a) > 1})
    if twice:
        raise ValueError(f"city given more than once: {', '.join(map(places.display_name, twice))}")
    if not MIN_CITIES <= len(codes) <= MAX_CITIES:
        raise ValueError(f"compare {MIN_CITIES}–{MAX_CITIES} cities, got {len(codes)}")
    return [city_profile(ds, a, lang) for a in codes]
