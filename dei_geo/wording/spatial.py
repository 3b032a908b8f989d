"""Spillover statistics in words: too few units, the weights used, a city's regions and classes."""

from __future__ import annotations

from dei_geo.analysis.spatial import TooFewUnits
from dei_geo.core.i18n import t

LISA = {"HH": "lisa_HH", "LL": "lisa_LL", "HL": "lisa_HL", "LH": "lisa_LH", "ns": "lisa_ns"}
GI = {"hot": "gi_hot", "cold": "gi_cold", "ns": "gi_ns"}
REGION_KIND = {"national": "reg_kind_national", "cluster": "reg_kind_cluster",
               "circle": "reg_kind_circle", "radius": "reg_kind_radius"}
MEMBERSHIP = {"full": "tip_membership_full", "partial": "tip_membership_partial"}
CORRECTION = {"none": "lyr_corr_none", "fdr": "lyr_corr_fdr", "bonferroni": "lyr_corr_bonferroni"}  # short


def cutoff(correction: str, p: float, lang: str = "zh", permutations: int | None = None) -> str:
    """The correction and the p cut-off a LISA / Gi* class was taken at: "FDR, p ≤ 0.004167";
    with ``permutations``, says so when the cut-off is below the smallest p they can give."""
    name = t(CORRECTION[correction], lang)
    if p <= 0:  # FDR with no p-value passing
        text = t("lyr_cutoff_zero", lang, correction=name)
    else:
        text = t("lyr_cutoff", lang, correction=name, cutoff=f"{p:.4g}")
    floor = None if permutations is None else 1 / (permutations + 1)
    if floor is not None and p < floor:
        text += t("lyr_cutoff_unreachable", lang, permutations=permutations, floor=f"{floor:.4g}")
    return text


def too_few(err: TooFewUnits, lang: str = "zh") -> str:
    """Why the spillover statistics are skipped."""
    return t("sp_too_few_units", lang, n=err.n, need=err.need)


def too_few_short(err: TooFewUnits, lang: str = "zh") -> str:
    """The same, short enough for a layer name."""
    return t("sp_too_few_short", lang, n=err.n, need=err.need)


def weights(w: dict, lang: str = "zh") -> str:
    """The weights used (``Weights.to_dict()``), in one sentence."""
    head = t("sp_w_queen", lang) if w["kind"] == "queen" else t("sp_w_knn", lang, k=w["k"])
    text = t("sp_w_counts", lang, n=w["units"], links=w["links"])
    if w["islands_attached"]:
        text += t("sp_w_islands", lang, n=len(w["islands_attached"]))
    return head + text


def city_card(card: dict, lang: str = "zh") -> dict:
    """``spatial.city_card`` with its codes said in ``lang`` (regions, classes, weights)."""
    out = {"regions": [{"id": r["id"], "kind": t(REGION_KIND[r["kind"]], lang),
                        "name": r["name"] if lang == "zh" else r["name_en"],
                        "membership": t(MEMBERSHIP[r["membership"]], lang)} for r in card["regions"]]}
    if "lisa" in card:
        out.update(lisa=t(LISA[card["lisa"]], lang), p_lisa=card["p_lisa"], gi=t(GI[card["gi"]], lang),
                   p_gi=card["p_gi"], island=card["island"], weights=weights(card["weights"], lang))
        if card.get("correction", "none") != "none":  # classes taken at corrected cut-offs
            out.update(cutoff_lisa=cutoff(card["correction"], card["cutoffs"]["lisa"], lang),
                       cutoff_gi=cutoff(card["correction"], card["cutoffs"]["gi"], lang))
    return out
