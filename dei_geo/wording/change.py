"""Differences between two datasets in words: notes, the rank basis, tier moves, ``dei-geo change``."""

from __future__ import annotations

import pandas as pd

from dei_geo.core.i18n import t

TIER_MOVE = {"up": "chg_tier_up", "down": "chg_tier_down", "same": "chg_tier_same"}  # change.TIER_MOVES


def notes(diff: pd.DataFrame, base_label: str, other_label: str, lang: str = "zh") -> pd.Series:
    """For ``change.compare``'s ``no_value`` codes: which dataset has no score for the city."""
    label = {"base": base_label, "other": other_label}
    return diff["no_value"].map(
        lambda side: t("di_change_no_value", lang, label=label[side]) if side else "")


def rank_basis(n: int, lang: str = "zh") -> str:
    """What a rank change compares: ranks among the ``n`` cities scored in both datasets."""
    return t("chg_rank_basis", lang, n=n)


def tier_names(tiers: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    return dict(zip(tiers["tier"], tiers["name_zh" if lang == "zh" else "name_en"]))


def transition(row, names: dict[str, str], lang: str = "zh") -> str:
    """三线城市 → 二线城市（升级）, or "—" without a tier on both sides."""
    if not row["tier_move"]:
        return "—"
    return t("chg_tier", lang, before=names[row["tier_base"]], after=names[row["tier_other"]],
             move=t(TIER_MOVE[row["tier_move"]], lang))


def _signed(x, digits: int = 1) -> str:
    if pd.isna(x):
        return "—"
    return f"{0:.{digits}f}" if round(x, digits) == 0 else f"{x:+.{digits}f}"


def _one(x) -> str:
    return "—" if pd.isna(x) else f"{x:.1f}"


def _int(x):
    return None if pd.isna(x) else int(x)


def _num(x):
    return None if pd.isna(x) else round(float(x), 1)


def records(changes: pd.DataFrame, tiers: pd.DataFrame, base_label: str, other_label: str,
            lang: str = "zh") -> list[dict]:
    """``change.city_changes`` as JSON-ready rows (scores one decimal, tier names in ``lang``)."""
    names = tier_names(tiers, lang)
    said = notes(changes, base_label, other_label, lang)
    return [{"adcode": int(r["adcode"]), "city": r["city"], "score_base": _num(r["value_base"]),
             "score_other": _num(r["value_other"]), "change": _num(r["change"]),
             "rank_base": _int(r["rank_base"]), "rank_other": _int(r["rank_other"]),
             "rank_change": _int(r["rank_change"]),
             "tier_base": names.get(r["tier_base"]), "tier_other": names.get(r["tier_other"]),
             "tier_move": r["tier_move"] or None, "note": note}
            for (_, r), note in zip(changes.iterrows(), said)]


def lines(changes: pd.DataFrame, tiers: pd.DataFrame, base_label: str, other_label: str,
          lang: str = "zh") -> list[str]:
    """``change.city_changes`` as text: a header with the rank basis, one line per city."""
    a = changes.attrs
    out = [t("chg_header", lang, other=other_label, base=base_label, n_other=a["n_other"],
             n=a["n_common"]) + t("sentence_join", lang) + rank_basis(a["n_common"], lang)]
    names = tier_names(tiers, lang)
    for (_, r), note in zip(changes.iterrows(), notes(changes, base_label, other_label, lang)):
        if note:
            out.append(t("chg_row_missing", lang, city=r["city"], note=note))
            continue
        out.append(t("chg_row", lang, city=r["city"], before=_one(r["value_base"]),
                     after=_one(r["value_other"]), diff=_signed(r["change"]),
                     rank_before=_int(r["rank_base"]), rank_after=_int(r["rank_other"]),
                     rank_diff=_signed(r["rank_change"], 0), tier=transition(r, names, lang)))
    return out
