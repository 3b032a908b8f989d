"""Point-table problems (``sources.points``) said in zh/en: where, how serious, why, how to fix."""

from __future__ import annotations

from dei_geo.core.i18n import Lang, t

POINT_TEXT = {  # issue code → (what is wrong, how to fix it): catalogue keys
    "missing_coordinates": ("lv_pt_missing_coordinates", "lv_pt_missing_coordinates_fix"),
    "not_a_coordinate": ("lv_pt_not_a_coordinate", "lv_pt_not_a_coordinate_fix"),
    "swapped": ("lv_pt_swapped", "lv_pt_swapped_fix"),
    "outside_china": ("lv_pt_outside_china", "lv_pt_outside_china_fix"),
    "unknown_city": ("lv_pt_unknown_city", "lv_pt_unknown_city_fix"),
    "not_in_city": ("lv_pt_not_in_city", "lv_pt_not_in_city_fix"),
}
SEVERITY = {"error": "lva_pt_rejected", "warning": "lva_pt_kept"}  # PointIssue.severity → key


def issue(issue, lang: Lang = "zh") -> dict[str, str]:
    """One ``PointIssue`` in words: ``where`` (row and column; empty for a file-wide problem),
    ``effect`` (row rejected or kept), ``why`` and ``fix``."""
    why_key, fix_key = POINT_TEXT[issue.code]
    return {"where": t("lv_where_cell", lang, row=issue.row, column=issue.column) if issue.row else "",
            "effect": t(SEVERITY[issue.severity], lang),
            "why": t(why_key, lang, value=issue.value, city=issue.params.get("city", ""),
                     found=issue.params.get("found", "")),
            "fix": t(fix_key, lang)}
