"""What a county- or province-level print map needs (``print_map.figure``'s ``prepared``): a
fill per unit and the legend rows, from a file's values by adcode.

Classes are the offline county map's (``unit_map.classes``: the report's tier breaks labelled by
score band, quantiles or natural breaks); a unit without a value is in the no-value row
(无数据). The legend counts every unit of the level; ``print_map`` recounts them over a view.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dei_geo.core import theme
from dei_geo.core.i18n import Lang
from dei_geo.maps import unit_map
from dei_geo.maps.web import LegendRow
from dei_geo.sources import boundaries

LEVELS = ("counties", "provinces")


@dataclass(frozen=True)
class UnitPrep:
    """Fills and legend of a county or province print map (the fields ``print_map`` reads)."""

    styles: dict[int, dict]
    legend: list[LegendRow]
    title: str
    source: str
    lang: Lang


def unit_adcodes(level: str) -> pd.Series:
    """Every unit adcode of ``level`` (counties: 2,875; provinces: 34)."""
    if level == "counties":
        return boundaries.layer("counties", "web")["adcode"].astype(int)
    if level == "provinces":
        return boundaries.layer("provinces", "web")["province_adcode"].astype(int)
    raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")


def prepare(values: pd.Series | None, level: str, title: str, source: str, no_value: str,
            scheme: str = theme.DEFAULT_SCHEME, k: int = theme.DEFAULT_K, lang: Lang = "zh") -> UnitPrep:
    """Classes of ``values`` (adcode → number; None or empty: every unit without a value) over
    every unit of ``level``, as fills by adcode and legend rows (highest class first, then
    ``no_value``)."""
    adcodes = unit_adcodes(level)
    vals = pd.Series(adcodes.map(values if values is not None else {}).to_numpy(), dtype=float)
    codes, legend = unit_map.classes(vals, scheme, k, lang, no_value)
    styles = {int(a): {"fillColor": legend.colors[c]} for a, c in zip(adcodes, codes)}
    rows = [LegendRow(c, label, n) for c, label, n in zip(legend.colors, legend.labels, legend.counts)]
    return UnitPrep(styles, [*rows[-2::-1], rows[-1]], title, source, lang)
