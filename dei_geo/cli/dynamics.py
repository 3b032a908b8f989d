"""``dei-geo dynamics FILE [FILE …]``: the dynamics of the index over years (issue 12).

Reads one or several files as a multi-year panel (``sources.panel``: long, wide, stacked, or
single-year files named by year), then transitions, spatial and LISA Markov chains, rank mobility,
σ/β-convergence, the Theil split by region and kernel densities (``analysis.dynamics``), with the
risers between two years; ``--map`` also writes every year into one offline HTML page with a
year slider (``maps.years``). Exit codes: 0 done, 1 rows rejected (without --keep-valid) or fewer than
two years, 2 usage error. Also ``panel_table``: the rows of one year for ``export --data --year``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from dei_geo.analysis import defaults
from dei_geo.core import i18n

CLASSES = ("tiers", "quantiles")
WEIGHTS = ("queen", "knn", "none")


def _base():
    from dei_geo import cli

    return cli


def read_panel(args, files: list[str]):
    """The panel of ``files`` (its issues printed to stderr); ``cli._Exit`` 2 for a missing path,
    1 when rows are rejected and --keep-valid is not given, or when nothing is left."""
    from dei_geo.sources import panel

    cli = _base()
    for f in files:
        if not os.path.lexists(f):
            print(cli.printable(f"dei-geo {args.command}: " + i18n.t("cli_no_file", args.lang, file=f)),
                  file=sys.stderr)
            raise cli._Exit(2)
    p = panel.read([Path(f) for f in files], sheet=getattr(args, "sheet", None), year=getattr(args, "year", None))
    for i in p.issues:
        where = " ".join(str(x) for x in (i.file, i.sheet, i.cell) if x)
        print(cli.printable(f"  {where} [{i.level(args.lang)}] {i.why(args.lang)} → {i.fix(args.lang)}"),
              file=sys.stderr)
    if p.table.empty or not (p.ok or args.keep_valid):
        raise cli._Exit(1)
    return p


def panel_table(args):
    """The validated rows of ``args.year`` from ``args.file`` read as a panel (wide and stacked
    layouts included), for ``export --data FILE --year Y`` and the other commands taking --year."""
    p = read_panel(args, [args.file])
    if args.year not in p.years:
        cli = _base()
        years = ", ".join(map(str, p.years))
        print(cli.printable(f"dei-geo {args.command}: " + i18n.t("dyn_cli_no_year", args.lang, year=args.year,
                                                                 file=args.file, years=years)), file=sys.stderr)
        raise cli._Exit(2)
    rows = p.table[p.table["year"] == args.year]
    return rows.drop(columns=["file", "sheet"])


def _cmd_dynamics(args) -> int:
    from dei_geo.analysis import dynamics
    from dei_geo.core import columns
    from dei_geo.wording import dynamics as words

    cli = _base()
    try:
        p = read_panel(args, args.files)
    except cli._Exit as stop:
        return stop.code
    if args.metric not in p.metrics:
        print(cli.printable("dei-geo dynamics: " + i18n.t("dyn_cli_no_metric", args.lang, metric=args.metric,
                                                           metrics=", ".join(p.metrics))), file=sys.stderr)
        return 2
    if len(p.years) < 2:
        print(cli.printable("dei-geo dynamics: " + i18n.t("dyn_cli_one_year", args.lang, years=p.years[0])),
              file=sys.stderr)
        return 1
    weights = None if args.weights == "none" else dynamics.city_weights(args.weights, args.k_neighbours)
    report = dynamics.report(p.wide(args.metric), weights, args.classes, args.k, permutations=args.permutations)
    start = args.start if args.start is not None else p.years[-2]
    end = args.end if args.end is not None else p.years[-1]
    risers = dynamics.risers(p.table, start, end, p.metrics, args.risers)
    label = columns.label(args.metric, args.lang)
    if args.map:
        if _write_map(args, p) != 0:
            return 1
    if args.format == "json":
        out = {"metric": args.metric, "import": p.to_dict(args.lang), "dynamics": report,
               "readings": words.readings(report, args.lang),
               "risers": {"from": start, "to": end, "rows": dynamics.json_safe(risers.to_dict("records"))}}
        text = json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False)
        print("\n".join(cli.printable(line, as_json=True) for line in text.split("\n")))
        return 0
    for line in [*words.lines(report, label, args.lang),
                 *words.riser_rows(risers, lambda m: columns.label(m, args.lang), args.lang)]:
        print(cli.printable(line))
    return 0


def _write_map(args, p) -> int:
    """``--map OUT.html``: every year in one offline page with a year slider (``maps.years``)."""
    from dei_geo.core import files
    from dei_geo.maps import years

    cli = _base()
    ym = years.prepare_years({y: p.dataset(y, f"{Path(args.files[0]).name} {y}") for y in p.years},
                             args.metric, "tiers" if args.classes == "tiers" else "quantiles", args.k, args.lang)
    try:
        out = years.write_html(ym, Path(args.map))
    except files.WriteFailed as err:
        return cli._write_failed(err, args.lang, "dynamics")
    print(cli.printable(i18n.t("cli_written", args.lang, path=out, size=f"{out.stat().st_size:,}")),
          file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("dynamics", help="multi-year dynamics: tier transitions, spatial/LISA Markov, rank "
                                        "mobility, σ/β-convergence, Theil by region, densities, risers")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="CSV/XLSX: long (城市, 年份, 总分 …), wide (总分_2021 …) or one file per year")
    p.add_argument("--metric", default="score", help="score (default), a pillar or indicator id")
    p.add_argument("--classes", choices=CLASSES, default=CLASSES[0],
                   help="tiers (the report's, default) or pooled quantiles")
    p.add_argument("--k", type=int, default=5, help="quantile classes (default %(default)s)")
    p.add_argument("--weights", choices=WEIGHTS, default=WEIGHTS[0],
                   help="spatial weights for the spatial/LISA Markov chains and spatial τ (default %(default)s)")
    p.add_argument("--k-neighbours", type=int, default=defaults.KNN_K, help="neighbours for --weights knn")
    p.add_argument("--permutations", type=int, default=99, help="spatial τ permutations (default %(default)s)")
    p.add_argument("--from", dest="start", type=int, default=None, help="risers: first year (default: last but one)")
    p.add_argument("--to", dest="end", type=int, default=None, help="risers: second year (default: last)")
    p.add_argument("--risers", type=int, default=10, help="risers listed per metric (default %(default)s)")
    p.add_argument("--year", type=int, default=None, help="the year of a single-year file whose name states none")
    p.add_argument("--sheet", default=None, help="XLSX sheet (default: the year-named sheets, or the first table)")
    p.add_argument("--keep-valid", action="store_true", help="go on with the valid rows when some are rejected")
    p.add_argument("--map", default=None, metavar="OUT.html",
                   help="also write an offline HTML map of every year with a year slider")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    p.set_defaults(func=_cmd_dynamics)
