"""Display tables (localised column names) derived from a dataset."""

from __future__ import annotations

import re

import pandas as pd

from dei_geo.analysis import national
from dei_geo.core import places
from dei_geo.core.i18n import Lang, t
from dei_geo.sources.datasets import Dataset


def _tier_names(ds: Dataset, lang: Lang) -> dict:
    return dict(zip(ds.tiers["tier"], ds.tiers["name_zh" if lang == "zh" else "name_en"]))


def ranking_rows(ds: Dataset, lang: Lang = "zh", gaps: bool = False) -> pd.DataFrame:
    """Every printed row in rank order (亳州's two rows both kept): adcode, rank, city, province,
    score, tier_name, note, gap. ``gaps``: a marked row (``gap`` True) where the report prints no
    rank (166), saying so."""
    info = places.load_places()[["adcode", "province", "pinyin"]]
    rows = ds.printed.merge(info, on="adcode", how="left")
    rows["city"] = [t("place_label", lang, name=c, pinyin=str(p).title()) if isinstance(p, str) else c
                    for c, p in zip(rows["city"], rows["pinyin"])]  # English: Hangzhou 杭州
    # a row's note is shown in the UI language: the quality note about that city, if any
    text = "text_zh" if lang == "zh" else "text_en"
    notes = ds.notes.dropna(subset=["adcode"]).groupby("adcode")[text].first() if len(ds.notes) else {}
    flagged = rows["note"].fillna("").ne("")
    rows = pd.DataFrame({
        "adcode": rows["adcode"].astype("Int64"), "rank": rows["rank"].astype("Int64"), "city": rows["city"],
        "province": rows["province"], "score": rows["score"],
        "tier_name": rows["tier"].map(_tier_names(ds, lang)).astype(object),
        "note": [notes.get(a, n) if f else "" for a, n, f in zip(rows["adcode"], rows["note"], flagged)],
        "gap": False,
    })
    if gaps:
        printed = set(rows["rank"].dropna().astype(int))
        missing = [r for r in range(1, int(rows["rank"].max()) + 1) if r not in printed]
        filler = pd.DataFrame({"adcode": pd.array([pd.NA] * len(missing), dtype="Int64"),
                               "rank": pd.array(missing, dtype="Int64"), "city": "—", "province": "—",
                               "score": float("nan"), "tier_name": "—",
                               "note": [t("rank_gap_note", lang, rank=r) for r in missing], "gap": True})
        rows = pd.concat([rows, filler], ignore_index=True).sort_values("rank", kind="stable",
                                                                         ignore_index=True)
    return rows


def ranking_display(rows: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """``ranking_rows`` with the interface's column names (no adcode, no gap flag)."""
    return pd.DataFrame({
        t("col_rank", lang): rows["rank"], t("col_city", lang): rows["city"],
        t("col_province", lang): rows["province"], t("col_score", lang): rows["score"],
        t("col_tier", lang): rows["tier_name"], t("col_note", lang): rows["note"],
    })


def ranking(ds: Dataset, lang: Lang = "zh") -> pd.DataFrame:
    """Every printed row, in rank order, with province and tier (the table the export offers)."""
    return ranking_display(ranking_rows(ds, lang), lang)


def tiers(ds: Dataset, lang: Lang = "zh") -> pd.DataFrame:
    """Tier counts on each basis of ``analysis.national`` — map units, printed rows, reported —
    and the means of the printed rows beside the reported ones (one decimal)."""
    figs = national.figures(ds)
    s = ds.tiers
    ranges = [
        f"≥{lo:g}" if pd.isna(hi) else (f"<{hi:g}" if lo <= 0 else f"{lo:g}–{hi:g}")
        for lo, hi in zip(s["lower"], s["upper"])
    ]
    ids = list(s["tier"])
    out = pd.DataFrame({
        t("col_tier", lang): s["name_zh" if lang == "zh" else "name_en"],
        t("col_range", lang): ranges,
        t("col_count_units", lang): [figs[national.UNITS].tiers[i] for i in ids],
        t("col_count", lang): [figs[national.PRINTED].tiers[i] for i in ids],
    })
    printed_means = [figs[national.PRINTED].tier_means[i] for i in ids]
    out[t("col_mean", lang)] = pd.Series(printed_means, dtype=float).round(1)
    if national.REPORTED in figs:
        reported = figs[national.REPORTED]
        out.insert(4, t("col_count_reported", lang), [reported.tiers[i] for i in ids])
        out[t("col_mean_reported", lang)] = [reported.tier_means[i] for i in ids]
    return out


def quality_notes(ds: Dataset, lang: Lang = "zh") -> list[tuple[str, str]]:
    """(text, page label) for every contradiction the source contains."""
    text = "text_zh" if lang == "zh" else "text_en"
    return [
        (row[text], t("page", lang, page=str(row["page"]).replace("|", ", ")))
        for _, row in ds.notes.iterrows()
    ]


def coverage(ds: Dataset, units: int) -> dict:
    """Counts behind the 'evaluated / printed / unscored' sentence."""
    scored = ds.scores["adcode"].nunique()
    return {
        "evaluated": ds.meta.get("evaluated_cities", scored),
        "printed": len(ds.printed),
        "units": units,
        "unscored": units - scored,
    }


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def markdown(frame: pd.DataFrame) -> str:
    """A small table as Markdown, numbers to one decimal, every cell's text escaped. Beside the
    map this replaces ``st.dataframe``, whose data grid would add Streamlit's DataFrame and Arrow
    scripts to what the browser loads and runs before the first screen is complete."""
    def cell(value) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return "—"
        text = f"{value:.1f}" if isinstance(value, float) else str(value)
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def said(rows: list[dict], labels: dict[str, str]) -> pd.DataFrame:
    """Problems already put in words (one dict per problem, from ``wording``) as a table: each
    ``field → column label`` of ``labels`` a column, in that order."""
    return pd.DataFrame({label: [row[field] for row in rows] for field, label in labels.items()})
