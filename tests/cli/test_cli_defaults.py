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


def test_analysis_defaults_are_left_to_the_analysis():
    regions = cli.parser().parse_args(["regions"])
    spill = cli.parser().parse_args(["spillover"])
    assert regions.radius is None  # regions.DEFAULT_R_KM, resolved when the command runs
    assert all(getattr(spill, name) is None for name in cli._SPILLOVER_OPTIONS)
    from dei_geo.analysis import spatial

    assert tuple(_options("spillover")["weights"].choices) == spatial.WEIGHT_KINDS


def test_importing_the_cli_loads_no_map_data_or_analysis_module():
    code = ("import sys, dei_geo.cli; heavy = [m for m in sys.modules if m.startswith(("
            "'dei_geo.maps', 'dei_geo.analysis', 'dei_geo.sources', 'pandas', 'folium'))]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)
