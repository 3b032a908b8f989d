"""Regions in words: names of the synthetic rows and the plain-language summary of a region."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dei_geo.analysis.regions import FOUR_CORES
from dei_geo.core.i18n import t

SYNTHETIC = {"national": "reg_national", FOUR_CORES: "reg_four_cores"}  # rows with no data name


def name(row, lang: str = "zh") -> str:
    """A ``region_table`` / ``core_claim`` row's name in ``lang``."""
    key = SYNTHETIC.get(row.get("id"))
    if key:
        return t(key, lang)
    return row["region"] if lang == "zh" else row["region_en"]


def names(table: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """The name of every row of ``table`` in ``lang``."""
    return table.apply(lambda row: name(row, lang), axis=1)


def describe(row, national, lang: str = "zh", decay=None) -> str:
    """A plain-language summary of one ``region_table`` row (and optionally its core's decay)."""
    parts = [t("reg_sum_members", lang, name=name(row, lang), members=row["members"],
               evaluated=row["evaluated"], scored=row["scored"])]
    if row["scored"]:
        diff = row["mean"] - national["mean"]
        key = "reg_sum_above" if diff >= 0 else "reg_sum_below"
        parts.append(t(key, lang, mean=row["mean"], national=national["mean"], diff=abs(diff)))
    if pd.notna(row.get("core_score")) and pd.notna(row.get("gap")):
        key = "reg_sum_core_ahead" if row["gap"] >= 0 else "reg_sum_core_behind"
        cores = row["core_cities"].split("、")
        who = t("reg_core_many" if len(cores) > 1 else "reg_core_one", lang,
                core=t("list_sep", lang).join(cores))
        parts.append(t(key, lang, who=who, score=row["core_score"], gap=abs(row["gap"]),
                       rest=row["periphery_mean"]))
    if row["scored"] >= 2:
        g, ng = round(row["gini"], 3), round(national["gini"], 3)
        key = ("reg_sum_similar_unequal" if g == ng
               else "reg_sum_less_unequal" if g < ng else "reg_sum_more_unequal")
        parts.append(t(key, lang, gini=row["gini"], national=national["gini"]))
    if decay is not None and pd.notna(decay.get("slope")):
        key = "reg_sum_decay" if decay.get("significant", True) else "reg_sum_decay_ns"
        parts.append(t(key, lang, per_doubling=decay["per_doubling"],
                       low=decay["ci_low"] * np.log(2), high=decay["ci_high"] * np.log(2),
                       n=decay["n"], max_km=decay["max_km"]))
    return t("sentence_join", lang).join(parts)
