"""The CJK font a brief's PDF embeds: Noto Sans CJK SC (regular and bold), found on disk.

fpdf2 embeds it as a CID-keyed CFF subset (``CIDFontType0C``, with a ``ToUnicode`` map), so the
text stays selectable and searchable. A missing font is an error naming the package to install,
never a brief with empty boxes.

Loading the whole face (65,535 glyphs) and subsetting it costs fpdf2 about a second per
document, so ``for_text`` hands it a smaller face: the characters a brief can hold with the
bundled data (``base_chars``: the catalogue, ``data/``, ASCII), cut from the face once and kept in
the user's cache folder. A page with any other character gets the whole face. Either way the
file depends only on its input (same text, same bytes).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import NamedTuple

import fontTools
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from dei_geo.core import files, i18n, paths

FAMILY = "Noto Sans CJK SC"
PACKAGE = "fonts-noto-cjk"
SEARCH = (  # Debian/Ubuntu, then Fedora and other layouts
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/google-noto-cjk"),
    Path("/usr/share/fonts/noto-cjk"),
    Path("/usr/share/fonts/opentype/noto-cjk"),
)
FILES = {"": ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
         "B": ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf")}


class FontMissing(FileNotFoundError):
    """The CJK font is not installed; the message names the package and the folders searched."""


class Face(NamedTuple):
    path: Path
    index: int  # face number in a .ttc collection (0 for .otf)


def _face_index(path: Path) -> int | None:
    """The index of the ``FAMILY`` face in ``path``, or None if it has none."""
    if path.suffix.lower() != ".ttc":
        font = TTFont(path, lazy=True)
        return 0 if font["name"].getDebugName(1) == FAMILY else None
    for i, font in enumerate(TTCollection(path, lazy=True).fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return i
    return None


@cache
def face(style: str = "") -> Face:
    """The regular (``""``) or bold (``"B"``) face of ``FAMILY``; ``FontMissing`` if absent."""
    for folder in SEARCH:
        for name in FILES[style]:
            path = folder / name
            if path.is_file():
                index = _face_index(path)
                if index is not None:
                    return Face(path, index)
    wanted = " or ".join(FILES[style])
    raise FontMissing(
        f"the brief's PDF needs the font {FAMILY} ({wanted}), not found in "
        f"{', '.join(map(str, SEARCH))}; install it: `apt-get install {PACKAGE}` (Debian/Ubuntu, "
        "also done by scripts/bootstrap) or `dnf install google-noto-sans-cjk-fonts` (Fedora)"
    )


def cache_folder() -> Path:
    """Where the cut faces are kept: ``$XDG_CACHE_HOME/dei-geo/fonts`` (``~/.cache/...``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dei-geo" / "fonts"


@cache
def base_chars() -> frozenset[str]:
    """Every character a brief on the bundled data can show: printable ASCII, the catalogue in
    both languages, and the text of ``data/`` (places, the report's tables, regions)."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for lang in i18n.LANGS:
        for text in i18n.catalogue(lang).values():
            chars.update(text)
    for path in sorted(paths.DATA.rglob("*")):
        if path.suffix in (".csv", ".toml"):
            chars.update(path.read_text(encoding="utf-8"))
    return frozenset(c for c in chars if c.isprintable())


def _cut(source: Face, chars: frozenset[str]) -> bytes:
    font = TTFont(source.path, fontNumber=source.index, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs, options.notdef_outline, options.recalc_timestamp = ["*"], True, False
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=sorted(ord(c) for c in chars))
    cutter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


@cache
def _cut_face(source: Face) -> Face:
    """``source`` cut to ``base_chars``, from the cache folder (made there on first use)."""
    chars = base_chars()
    info = source.path.stat()
    key = hashlib.sha256("|".join([str(source.path), str(source.index), str(info.st_size), str(info.st_mtime_ns),
                                   fontTools.version, "".join(sorted(chars))]).encode()).hexdigest()[:16]
    name = f"{source.path.stem}-{source.index}-{key}.otf"
    for folder in (cache_folder(), Path(tempfile.gettempdir()) / "dei-geo-fonts"):
        path = folder / name
        if path.is_file():
            return Face(path, 0)
        try:
            return Face(files.write_atomic(path, _cut(source, chars)), 0)
        except files.WriteFailed:
            continue  # a read-only home: try the temporary folder
    return source


def for_text(style: str, text: str) -> Face:
    """A face of ``style`` that draws every character of ``text``: the cut face when it covers
    them all, else the whole face (``FontMissing`` when the font is not installed)."""
    source = face(style)
    if not set(text) - set(" \n\t") <= base_chars():
        return source
    cut = _cut_face(source)
    if not cut.path.is_file():  # the cache folder was emptied meanwhile
        _cut_face.cache_clear()
        cut = _cut_face(source)
    return cut
