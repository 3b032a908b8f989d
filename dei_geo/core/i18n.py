"""Every user-facing string, in 简体中文 (default) and English: ``t(key, lang, **fmt)``.

The strings live in TOML catalogues beside this module, one directory per language and one file
per area of the app: ``catalogue/zh/app.toml``, ``catalogue/en/app.toml``, … (``app``, ``map``,
``tables``, ``profile``, ``export``, ``data``, ``issues``, ``regions``, ``spillover``, ``cli``, and
``common`` for punctuation). A key is defined once per language, in one area file; both languages
have the same keys with the same ``{placeholders}`` (``tests/core/test_i18n.py``).

Keys are written literally where they are used: a code becomes a key through an enumeration
(``{"tiers": "scheme_tiers", …}``), never through a key built at run time, and punctuation that
differs by language comes from the catalogue too (``colon``, ``list_sep``, ``clause_sep``,
``sentence_sep``, ``sentence_join``, ``paren``), never from a ``lang == "zh"`` branch.

Data labels (tier names, pillar names, source notes) live in ``data/`` and are not repeated here.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

Lang = Literal["zh", "en"]  # a language of the interface (one of ``LANGS``)
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
CATALOGUE: Traversable = resources.files(__package__) / "catalogue"  # shipped as package data


class CatalogueError(ValueError):
    """A catalogue that cannot be used: a key defined in two area files, a value that is not text."""


def load(directory: Traversable) -> dict[str, str]:
    """The ``*.toml`` files of ``directory`` (one language) merged into one key → text mapping.

    A key defined in two area files is an error naming the key and both files.
    """
    texts: dict[str, str] = {}
    origin: dict[str, str] = {}
    files = sorted((f for f in directory.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    if not files:
        raise CatalogueError(f"no *.toml catalogue in {directory}")
    for file in files:
        with file.open("rb") as fh:
            area = tomllib.load(fh)
        for key, text in area.items():
            if key in origin:
                raise CatalogueError(f"catalogue {directory}: key {key!r} is defined twice, "
                                     f"in {origin[key]} and in {file.name}")
            if not isinstance(text, str):
                raise CatalogueError(f"catalogue {directory}/{file.name}: {key!r} is not a string")
            texts[key], origin[key] = text, file.name
    return texts


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key of ``lang`` (one of ``LANGS``) → its text, read once from ``catalogue/<lang>/``."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; one of {LANGS}")
    return load(CATALOGUE / lang)


def t(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The string ``key`` in ``lang`` (another value: ``DEFAULT_LANG``), formatted with ``fmt``."""
    text = catalogue(lang if lang in LANGS else DEFAULT_LANG)[key]
    return text.format(**fmt) if fmt else text
