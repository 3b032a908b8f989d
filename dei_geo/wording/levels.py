"""County-level import problems (``sources.county_table``) said in zh/en, for the CLI and the app."""

from __future__ import annotations

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
