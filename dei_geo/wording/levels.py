"""County-level import problems (``sources.county_table``) and rings around core cities said in zh/en,
for the CLI and the app."""

from __future__ import annotations

import math

from dei_geo.core.i18n import Lang, t

# issue code → (what is wrong, how to fix it): catalogue keys
ISSUE_TEXT = {
    "missing_county_column": ("lv_missing_county_column", "lv_missing_county_column_fix"),
    "no_metric_columns": ("lv_no_metric_columns", "lv_no_metric_columns_fix"),
    "county_blank": ("lv_county_blank", "lv_county_blank_fix"),
    "unknown_county": ("lv_unknown_county", "lv_unknown_county_fix"),
    "ambiguous_county": ("lv_ambiguous_county", "lv_ambiguous_county_fix"),
    "not_in_context": ("lv_not_in_context", "lv_not_in_context_fix"),
    "unknown_province": ("lv_unknown_province", "lv_unknown_province_fix"),
    "unknown_prefecture": ("lv_unknown_prefecture", "lv_unknown_prefecture_fix"),
    "ambiguous_prefecture": ("lv_ambiguous_prefecture", "lv_ambiguous_prefecture_fix"),
    "adcode_name_mismatch": ("lv_adcode_name_mismatch", "lv_adcode_name_mismatch_fix"),
    "not_numeric": ("lv_not_numeric", "lv_not_numeric_fix"),
    "duplicate_county": ("lv_duplicate_county", "lv_duplicate_county_fix"),
}


def issue(issue, lang: Lang = "zh") -> dict[str, str]:
    """One ``CountyIssue`` in words: ``where`` (row, column, header; empty for a file-wide problem),
    ``why``, ``fix`` and ``candidates`` (every unit an ambiguous name could be, with its parents)."""
    why_key, fix_key = ISSUE_TEXT[issue.code]
    where = (t("lv_where", lang, row=issue.row, column=issue.column, header=issue.header or "")
             if issue.row is not None else "")
    listed = issue.candidates and issue.code != "duplicate_county"
    return {"where": where, "why": t(why_key, lang, value=issue.value, rows=", ".join(issue.candidates)),
            "fix": t(fix_key, lang),
            "candidates": t("lv_candidates", lang, candidates="；".join(issue.candidates)) if listed else ""}


def core_rings(core: dict, rings: list[dict], lang: Lang = "zh") -> str:
    """One core city's rings at county level (``analysis.county_regions.core_rings``): the mean of
    each distance band with its n, then the decay per doubling of distance with its 95% interval
    (or why there is no fit), and the first band at or below the national mean."""
    bands = t("clause_sep", lang).join(
        t("lv_rings_band", lang, ring=r["ring"], mean=r["mean"], n=r["n"]) if r["n"]
        else t("lv_rings_band_empty", lang, ring=r["ring"]) for r in rings)
    parts = [t("lv_rings_head", lang, city=core["city"], own=core["own"], bands=bands)]
    if core.get("slope") is None or math.isnan(core["slope"]):  # no fit under 4 counties
        parts.append(t("lv_rings_decay_few", lang, n=core["n"]))
    else:
        key = "lv_rings_decay" if core["significant"] else "lv_rings_decay_ns"
        parts.append(t(key, lang, per_doubling=core["per_doubling"], low=core["ci_low"] * math.log(2),
                       high=core["ci_high"] * math.log(2), n=core["n"], max_km=core["max_km"]))
    if core.get("fade_ring"):
        parts.append(t("lv_rings_fade", lang, ring=core["fade_ring"]))
    return t("sentence_join", lang).join(parts)
