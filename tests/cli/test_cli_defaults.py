"""The command line's defaults and choices are the constants of the modules that own them."""

import argparse
import subprocess
import sys

from dei_geo import cli
from dei_geo.core import i18n, theme


def _options(command: str) -> dict[str, argparse.Action]:
    sub = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {a.dest: a for a in sub.choices[command]._actions}


def test_export_defaults_and_choices_come_from_their_owners():
    from dei_geo.maps import classify, overlays, print_map

    args = cli.parser().parse_args(["export", "--out", "map.html"])
    assert (args.scheme, args.k, args.dpi, args.lang) == (
        theme.DEFAULT_SCHEME, theme.DEFAULT_K, print_map.DPI, i18n.DEFAULT_LANG)
    actions = _options("export")
    assert tuple(actions["scheme"].choices) == classify.SCHEMES
    assert tuple(actions["k"].choices) == tuple(sorted(classify.PALETTE))
    assert tuple(actions["lang"].choices) == i18n.LANGS
    assert ",".join(overlays.KEYS) in actions["layers"].help


def test_analysis_defaults_come_from_the_analysis():
    from dei_geo.analysis import index, regions, spatial

    reg = cli.parser().parse_args(["regions"])
    spill = cli.parser().parse_args(["spillover"])
    score = cli.parser().parse_args(["score", "in.csv", "--out", "out.csv"])
    assert reg.radius == regions.DEFAULT_R_KM
    assert (spill.weights, spill.k, spill.alpha, spill.permutations, spill.seed) == (
        spatial.WEIGHT_KINDS[0], spatial.KNN_K, spatial.ALPHA, spatial.PERMUTATIONS, spatial.SEED)
    assert tuple(_options("spillover")["weights"].choices) == spatial.WEIGHT_KINDS
    assert (score.missing, tuple(_options("score")["missing"].choices)) == (index.MISSING[0], index.MISSING)


def test_the_cli_and_its_help_load_no_heavy_module():
    code = ("import sys, dei_geo.cli; dei_geo.cli.parser().format_help(); "
            "heavy = [m for m in sys.modules if m.startswith(("
            "'dei_geo.maps', 'dei_geo.analysis.', 'dei_geo.sources', 'pandas', 'numpy', 'folium'))"
            " and m not in ('dei_geo.analysis.defaults', 'dei_geo.analysis.pysal')]; assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_spillover_and_export_take_a_correction(tmp_path, capsys):
    import json

    from dei_geo import cli

    assert cli.main(["spillover", "--format", "json", "--correction", "bonferroni", "--permutations", "99"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["correction"] == "bonferroni" and rep["cutoffs"]["lisa"] == 0.05 / 254
    assert rep["lisa_counts"]["ns"] == 254  # p ≥ 0.02 with 99 permutations: nothing passes α/254
    out = tmp_path / "m.html"
    assert cli.main(["export", "--out", str(out), "--layers", "lisa", "--correction", "fdr"]) == 0
    assert "FDR, p ≤" in out.read_text(encoding="utf-8") or "FDR，p ≤" in out.read_text(encoding="utf-8")
