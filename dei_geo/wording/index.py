"""The index engine's table-level notes in words."""

from __future__ import annotations

from dei_geo.analysis.index import Result
from dei_geo.core import columns
from dei_geo.core.i18n import t

NOTES = {"note_replaced": "di_note_replaced", "note_kept": "di_note_kept", "note_absent": "di_note_absent"}
EFFECTS = {"report": "di_missing_report", "zero": "di_missing_zero",
           "renormalise": "di_missing_renormalise", "kept": "di_missing_kept"}


def messages(result: Result, lang: str = "zh") -> list[str]:
    """The notes of ``result`` as sentences (absent branches, supplied values replaced or kept)."""
    sep = t("list_sep", lang)
    out = []
    for code, params in result.notes:
        kids = sep.join(columns.label(c, lang) for c in params.get("children", "").split("|") if c)
        effect = t(EFFECTS[params.get("effect", "report")], lang)
        out.append(t(NOTES[code], lang, **{**params, "node": columns.label(params["node"], lang),
                                             "children": kids, "effect": effect}))
    return out
