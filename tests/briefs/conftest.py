"""Briefs built once per module: drawing one takes a second or two."""

import pytest

from dei_geo.briefs import render


@pytest.fixture(scope="module")
def built(ds):
    """(adcode, fmt, lang) → the brief's bytes, built on first use."""
    cache = {}

    def get(adcode: int, fmt: str = "pdf", lang: str = "zh") -> bytes:
        key = (adcode, fmt, lang)
        if key not in cache:
            cache[key] = render.city(ds, adcode, fmt, lang)
        return cache[key]

    return get
