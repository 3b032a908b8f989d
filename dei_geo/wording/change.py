"""Differences between two datasets in words."""

from __future__ import annotations

import pandas as pd

from dei_geo.core.i18n import t


def notes(diff: pd.DataFrame, base_label: str, other_label: str, lang: str = "zh") -> pd.Series:
    """For ``change.compare``'s ``no_value`` codes: which dataset has no score for the city."""
    label = {"base": base_label, "other": other_label}
    return diff["no_value"].map(
        lambda side: t("di_change_no_value", lang, label=label[side]) if side else "")
