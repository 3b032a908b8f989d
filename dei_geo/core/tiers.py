"""DEI city tiers (附录02 城市画像, p.53): left-closed score intervals, ids t1 (一线) … t5 (四线)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from dei_geo.core import paths
from dei_geo.core.i18n import Lang

TIERS = paths.DEI_2023 / "tiers.csv"


def load_tiers(path: Path = TIERS) -> pd.DataFrame:
    """Tier table in 一线 → 四线 order; ``lower`` inclusive, ``upper`` exclusive (NaN: open)."""
    return pd.read_csv(path)


def labels(lang: Lang = "zh") -> dict[str, str]:
    """Tier id → printed name (``zh``, e.g. 新一线城市) or English name (``en``)."""
    t = load_tiers()
    return dict(zip(t["tier"], t[f"name_{lang}"]))


def _bins(tiers: pd.DataFrame) -> tuple[list[float], list[str]]:
    t = tiers.sort_values("lower")
    if not (t["upper"].iloc[:-1].to_numpy() == t["lower"].iloc[1:].to_numpy()).all():
        raise ValueError("tier intervals must be contiguous")
    return [*t["lower"], math.inf], list(t["tier"])


def classify(scores, tiers: pd.DataFrame | None = None) -> pd.Series | pd.Categorical:
    """Tier id of each score (85.0 → t1, 84.99 → t2); NaN stays NaN.

    A Series comes back as a categorical Series on the same index, anything else as a Categorical.
    Categories are in 一线 → 四线 order.
    """
    tiers = load_tiers() if tiers is None else tiers
    bins, ids = _bins(tiers)
    values = scores if isinstance(scores, pd.Series) else pd.Series(scores, dtype=float)
    cut = pd.cut(values.astype(float), bins=bins, labels=ids, right=False)
    cut = cut.cat.reorder_categories(list(tiers["tier"]), ordered=False)
    return cut if isinstance(scores, pd.Series) else pd.Categorical(cut)
