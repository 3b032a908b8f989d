"""``dei-geo brief``: a city's brief as PDF, PPTX or PNG; ``--province``: one per unit plus a deck.

Exit codes: 0 written; 1 the output could not be written (path and reason; nothing half-written)
or the CJK font is missing; 2 a usage error (unknown or ambiguous city or province, with
suggestions; a wrong suffix; a file where a folder is wanted).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dei_geo.core import i18n

SUFFIXES = {".pdf": "pdf", ".pptx": "pptx", ".png": "png"}


def register(sub) -> None:
    p = sub.add_parser("brief", help=i18n.t("cli_brief_help", "en"))
    p.add_argument("city", nargs="?", default=None, help="e.g. 杭州, hangzhou, 330100")
    p.add_argument("--province", default=None, help="every unit of a province, e.g. 浙江 (--out is a folder)")
    p.add_argument("--out", required=True, help="杭州.pdf, 杭州.pptx or 杭州.png; with --province a folder")
    p.add_argument("--format", choices=tuple(SUFFIXES.values()), default="pdf",
                   help="with --province: the format of the per-city files (default %(default)s)")
    p.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    p.set_defaults(func=run)


def _say(text: str) -> None:
    from dei_geo.cli import printable

    print(printable(f"dei-geo brief: {text}"), file=sys.stderr)


def _city(text: str, lang: str) -> int | None:
    """The adcode ``text`` names, or None after saying why not (with suggestions)."""
    from dei_geo.core import places, search

    match = search.find(text)
    if match.adcode is not None:
        return match.adcode
    names = i18n.t("list_sep", lang).join(f"{places.display_name(a)} ({a})" for a in match.candidates)
    if match.ambiguous or match.prefix:
        _say(i18n.t("cli_brief_ambiguous", lang, city=text, names=names))
    else:
        suggest = [i18n.t("cli_brief_suggest", lang, names=names)] if names else []
        _say(i18n.t("sentence_join", lang).join([i18n.t("cli_brief_unknown", lang, city=text), *suggest]))
    return None


def _province(text: str, lang: str) -> int | None:
    from dei_geo.core import places
    from dei_geo.maps import print_map

    try:
        view = print_map.province_view(text)
    except ValueError:
        table = places.load_places().drop_duplicates("province_adcode")
        names = i18n.t("list_sep", lang).join(table["province"])
        _say(i18n.t("sentence_join", lang).join([i18n.t("cli_brief_unknown_province", lang, province=text),
                                                 i18n.t("cli_brief_suggest", lang, names=names)]))
        return None
    table = places.load_places().set_index("adcode")
    return int(table.at[min(view.adcodes), "province_adcode"])


def _probe(folder: Path) -> None:
    """Check that files can be written in ``folder`` (made if missing) before any brief is
    drawn: ``files.WriteFailed`` with the reason otherwise."""
    from dei_geo.core import files

    probe = files.write_atomic(folder / ".dei-geo-brief-probe", b"")
    probe.unlink()


def _written(path: Path, lang: str) -> None:
    from dei_geo.cli import printable

    print(printable(i18n.t("cli_brief_written", lang, path=path, size=f"{path.stat().st_size:,}")))


def run(args) -> int:
    from dei_geo.briefs import fonts, render
    from dei_geo.cli import _write_failed, printable
    from dei_geo.core import files
    from dei_geo.sources import datasets

    lang, out = args.lang, Path(args.out)
    if (args.city is None) == (args.province is None):
        _say(i18n.t("cli_brief_city_or_province", lang))
        return 2
    if args.city is not None and out.suffix.lower() not in SUFFIXES:
        _say(i18n.t("cli_brief_format", lang, out=out))
        return 2
    if args.province is not None and out.exists() and not out.is_dir():
        _say(i18n.t("cli_brief_out_dir", lang, out=out))
        return 2
    adcode = _city(args.city, lang) if args.city is not None else _province(args.province, lang)
    if adcode is None:
        return 2
    ds = datasets.load_dei_2023()
    try:
        for style in ("", "B"):  # FontMissing before anything is drawn
            fonts.face(style)
        _probe(out if args.province is not None else out.parent)
        if args.city is not None:
            files.write_atomic(out, render.city(ds, adcode, SUFFIXES[out.suffix.lower()], lang))
            _written(out, lang)
            return 0
        n = 0
        for name, data in render.province_files(ds, adcode, args.format, lang):
            _written(files.write_atomic(out / name, data), lang)
            n += 1
        print(printable(i18n.t("cli_brief_batch", lang, province=render.province_name(adcode), n=n - 1, out=out)))
        return 0
    except files.WriteFailed as err:
        return _write_failed(err, lang, "brief")
    except fonts.FontMissing as err:
        _say(str(err))
        return 1
