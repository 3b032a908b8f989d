"""A city's trajectory over the years in words: its biggest moves (``analysis.trajectory.moves``)."""

from __future__ import annotations

from dei_geo.core import columns
from dei_geo.core.i18n import Lang, t


def _signed(x: float) -> str:
    text = f"{x:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text.replace("-", "−")


def rank_move(rank_change: int | None, lang: Lang = "zh") -> str:
    """排名上升 18 位 / 排名下降 3 位 / 排名不变 ("" without ranks in both years)."""
    if rank_change is None:
        return ""
    if rank_change > 0:
        return t("yr_card_rank_up", lang, n=rank_change)
    return t("yr_card_rank_down", lang, n=-rank_change) if rank_change < 0 else t("yr_card_rank_same", lang)


def move(m: dict, tier_names: dict[str, str], lang: Lang = "zh") -> str:
    """2022→2023 数字政府 +6.1，排名上升 18 位 (and the tiers when the overall score changed tier)."""
    parts = [t("yr_card_move", lang, start=m["start"], end=m["end"], metric=columns.label(m["metric"], lang),
               change=_signed(m["change"]))]
    said = rank_move(m["rank_change"], lang)
    if said:
        parts.append(said)
    if m["tier_before"] and m["tier_after"] and m["tier_before"] != m["tier_after"]:
        parts.append(t("yr_card_tier", lang, before=tier_names[m["tier_before"]], after=tier_names[m["tier_after"]]))
    return t("yr_card_sep", lang).join(parts)


def moves(found: list[dict], tier_names: dict[str, str], lang: Lang = "zh") -> list[str]:
    """Each move in words, in the order given."""
    return [move(m, tier_names, lang) for m in found]
