"""Class breaks and colours for choropleths: the report's tiers, quantiles, natural breaks."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dei_geo.core import tiers as tiers_mod
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import DEFAULT_K, DIVERGING, SCHEMES, Scheme
from dei_geo.core.theme import SEQUENTIAL as PALETTE  # class count → colours, low to high


class TooFewValues(ValueError):
    """A metric has fewer distinct values than the classes asked for."""

    def __init__(self, scheme: Scheme, k: int, got: int):
        self.scheme, self.k, self.got = scheme, k, got
        super().__init__(f"{scheme} needs at least {k} distinct values, got {got}")


@dataclass(frozen=True)
class Classes:
    """Class of every value (index into ``labels``; -1 = no class) and the legend rows."""

    codes: pd.Series
    labels: list[str]
    colors: list[str]
    lower: list[float]
    upper: list[float | None]


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def by_tiers(tier_ids, tier_table: pd.DataFrame, lang: Lang) -> Classes:
    """Classes from tier ids (t1…t5, NaN = none), lowest tier first; legend labels name the tier."""
    order = list(tier_table["tier"])[::-1]  # low → high
    ids = pd.Series(tier_ids).astype(object)
    codes = pd.Series([order.index(x) if isinstance(x, str) else -1 for x in ids], index=ids.index)
    rows = tier_table.set_index("tier").loc[order]
    label_col = "name_zh" if lang == "zh" else "name_en"
    labels = [
        t("paren", lang, text=name, note=_range(lo, hi))
        for name, lo, hi in zip(rows[label_col], rows["lower"], rows["upper"])
    ]
    uppers = [None if pd.isna(u) else float(u) for u in rows["upper"]]
    return Classes(codes, labels, PALETTE[len(order)], list(rows["lower"].astype(float)), uppers)


def as_ranges(classes: Classes) -> Classes:
    """The same classes labelled by score range only (tier names belong to the overall score)."""
    labels = [
        f"≥{_fmt(lo)}" if hi is None else (f"<{_fmt(hi)}" if lo <= 0 else f"{_fmt(lo)}–{_fmt(hi)}")
        for lo, hi in zip(classes.lower, classes.upper)
    ]
    return Classes(classes.codes, labels, classes.colors, classes.lower, classes.upper)


def _range(lower, upper) -> str:
    if pd.isna(upper):
        return f"≥{_fmt(lower)}"
    if lower <= 0:
        return f"<{_fmt(upper)}"
    return f"{_fmt(lower)}–{_fmt(upper)}"


def by_mapclassify(values: pd.Series, scheme: Scheme, k: int) -> Classes:
    """Quantiles or Fisher–Jenks natural breaks over the non-missing values."""
    # here, not at the top: mapclassify imports numba, which the default tiers never need (on the
    # 2-core machine on 2026-12-02, `python -X importtime -c 'import dei_geo.app.main'`: 3.5 s → 1.0 s)
    import mapclassify

    if k not in PALETTE:
        raise ValueError(f"k must be one of {sorted(PALETTE)}, got {k}")
    present = values.dropna()
    if present.nunique() < k:
        raise TooFewValues(scheme, k, present.nunique())
    if scheme == "quantiles":
        model = mapclassify.Quantiles(present.to_numpy(), k=k)
    elif scheme == "natural_breaks":
        with warnings.catch_warnings():  # "Numba not installed": pure Python is fast at this size
            warnings.simplefilter("ignore", UserWarning)
            model = mapclassify.FisherJenks(present.to_numpy(), k=k)
    else:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    codes = pd.Series(-1, index=values.index)
    codes.loc[present.index] = model.yb
    bins = [float(b) for b in model.bins]
    lower = [float(present.min())] + bins[:-1]
    labels = [f"{_fmt(lo)}–{_fmt(hi)}" for lo, hi in zip(lower, bins)]
    return Classes(codes.astype(int), labels, PALETTE[k], lower, bins)


def display_unit(values: pd.Series) -> float:
    """The step of three significant digits of the largest |value| (0.1 for a score difference of
    10–99 points; 1e-5 for an effect of 0.002): the rounding a centred map of any scale shows."""
    top = pd.to_numeric(values, errors="coerce").abs().max()
    return 0.1 if not np.isfinite(top) or top == 0 else float(10 ** (np.floor(np.log10(top)) - 2))


def decimals(unit: float) -> int:
    """How many decimals show steps of ``unit``."""
    return max(0, int(-np.floor(np.log10(unit) + 1e-9)))


def diverging(values: pd.Series, k: int = DEFAULT_K, whole: bool = False, unit: float = 0.1) -> Classes:
    """Classes of a difference centred on 0: a middle class for no change (exactly 0 for whole
    numbers, |x| < unit/2 — shown as 0 at ``unit``'s rounding, 0.0 for scores — otherwise), then
    up to ``k // 2`` classes (1–3) on
    each side by quantiles of that side's values, the neutral colour of ``theme.DIVERGING`` at 0
    whatever the spread. Labels are the smallest and largest values in the class, signed; with
    ``whole`` (ranks) the breaks and labels are whole numbers. Empty side classes are left out;
    the middle class is always listed."""
    values = pd.to_numeric(values, errors="coerce").astype(float)
    side = max(1, min(max(DIVERGING), k // 2))
    palette = DIVERGING[side]
    eps = 0.5 if whole else unit / 2
    present = values.dropna()
    codes = pd.Series(-1, index=values.index)
    labels, colors, lower, upper = [], [], [], []

    def fmt(x: float) -> str:
        text = f"{x:+.0f}" if whole else f"{x:+.{decimals(unit)}f}"
        return text.replace("-", "−")

    def add(members: pd.Series, color: str, label: str | None = None) -> None:
        codes.loc[members.index] = len(labels)
        lo, hi = (float(members.min()), float(members.max())) if len(members) else (0.0, 0.0)
        if label is None:
            label = fmt(lo) if lo == hi else f"{fmt(lo)} – {fmt(hi)}"
        labels.append(label)
        colors.append(color)
        lower.append(lo)
        upper.append(hi)

    def split(part: pd.Series) -> list[pd.Series]:
        """Up to ``side`` groups of ``part`` (by |value|, smallest first) at quantile breaks."""
        size = part.abs()
        cuts = np.unique(np.quantile(size, [i / side for i in range(1, side)])) if len(part) else []
        if whole:
            cuts = np.unique(np.ceil(cuts))
        groups, low = [], -np.inf
        for cut in [*cuts, np.inf]:
            members = part[(size > low) & (size <= cut)]
            if len(members):
                groups.append(members)
            low = cut
        return groups

    neg = present[present <= -eps]
    pos = present[present >= eps]
    zero = present[(present > -eps) & (present < eps)]
    below = split(neg)  # nearest 0 first: the j-th takes the j-th colour left of the middle
    for j in reversed(range(len(below))):  # listed most negative first
        add(below[j], palette[side - 1 - j])
    add(zero, palette[side], "0" if whole else "0.0")
    for i, members in enumerate(split(pos)):
        add(members, palette[side + 1 + i])
    return Classes(codes.astype(int), labels, colors, lower, upper)


def classify(
    values: pd.Series, scheme: Scheme, tier_table: pd.DataFrame, k: int = DEFAULT_K,
    lang: Lang = "zh",
) -> Classes:
    """Dispatch on ``scheme`` (one of ``SCHEMES``)."""
    values = pd.to_numeric(values, errors="coerce").astype(float)
    if scheme == "tiers":
        return by_tiers(tiers_mod.classify(values, tier_table), tier_table, lang)
    return by_mapclassify(values, scheme, k)


def counts(classes: Classes, mask=None) -> list[int]:
    """How many values fall in each class (only where ``mask`` is true, if given)."""
    codes = classes.codes.to_numpy() if mask is None else classes.codes.to_numpy()[np.asarray(mask)]
    return [int(np.sum(codes == i)) for i in range(len(classes.labels))]
