"""Tier transitions between two years as map categories: 升两级及以上 … 降两级及以上, 仅一年有数据,
无数据 (``analysis.change.tier_transitions``, kept by ``change.with_tier_transition``).

Purple is up and orange down (``theme.TRANSITION_COLORS``), never a tier colour; the legend lists
every category with its count and names the two years; a tooltip states the city's pair of tiers.
"""

from __future__ import annotations

import json

import pandas as pd

from dei_geo.analysis.change import TRANSITIONS
from dei_geo.core import columns, places
from dei_geo.core.i18n import Lang, t
from dei_geo.core.theme import TRANSITION_COLORS, UNSCORED_COLOR, WHITE
from dei_geo.maps import classify
from dei_geo.maps.markup import esc
from dei_geo.maps.web import LegendRow, PreparedMap, tip_head
from dei_geo.sources import boundaries
from dei_geo.sources.datasets import Dataset

LABEL = {"up2": "yr_tr_up2", "up1": "yr_tr_up1", "same": "yr_tr_same", "down1": "yr_tr_down1",
         "down2": "yr_tr_down2", "one_year": "yr_tr_one_year"}  # change.TRANSITIONS → catalogue key


def _geojson(gdf) -> dict:
    return json.loads(gdf.to_json(drop_id=True))


def _move(steps: float, lang: Lang) -> str:
    if steps > 0:
        return t("yr_tr_steps_up", lang, n=int(steps))
    return t("yr_tr_steps_down", lang, n=int(-steps)) if steps < 0 else t("yr_tr_same", lang)


def _tip(row, names: dict[str, str], start: str, end: str, lang: Lang) -> str:
    head = tip_head(row, lang)
    if not isinstance(row.transition, str):
        return f"{head}<br>{esc(t('di_no_data', lang))}"
    none = t("di_no_data", lang)
    pair = t("yr_tr_pair", lang, start=start, end=end, before=names.get(row.tier_base, none),
             after=names.get(row.tier_other, none))
    colon = t("colon", lang)
    before = "—" if pd.isna(row.value_base) else f"{row.value_base:.1f}"
    after = "—" if pd.isna(row.value_other) else f"{row.value_other:.1f}"
    scores = f"{t('metric_overall', lang)}{colon}{before} → {after}"
    said = t(LABEL["one_year"], lang) if row.transition == "one_year" else _move(row.tier_steps, lang)
    return "<br>".join([head, esc(pair), esc(said), esc(scores)])


def prepare_map(ds: Dataset, metric: str = "tier_year_change", lang: Lang = "zh",
                metric_label: str | None = None) -> PreparedMap:
    """The map of ``ds.meta["transitions"][metric]`` over the 370 city units: each unit's
    category (``change.TRANSITIONS``) or 无数据 (no score in either year)."""
    kept = ds.meta.get("transitions", {}).get(metric)
    if kept is None:
        raise ValueError(f"{ds.label}: no tier transitions {metric!r} to map (change.with_tier_transition)")
    frame, start, end = kept["frame"], str(kept["base"]), str(kept["other"])
    units = boundaries.layer("cities", "web")
    units = units.merge(places.load_places()[["adcode", "short_name", "pinyin"]], on="adcode", how="left")
    joined = boundaries.join_scores(units, frame.drop(columns="city"))
    names = dict(zip(ds.tiers["tier"], ds.tiers["name_zh" if lang == "zh" else "name_en"]))

    styles, tips = {}, []
    for row in joined.itertuples():
        fill = TRANSITION_COLORS[row.transition] if isinstance(row.transition, str) else UNSCORED_COLOR
        styles[int(row.adcode)] = {"fillColor": fill, "fillOpacity": 0.9, "color": WHITE, "weight": 0.4}
        tips.append(_tip(row, names, start, end, lang))
    features = joined[["adcode", "geometry"]].copy()
    features["tip"] = tips
    cities = _geojson(features)
    for feature in cities["features"]:
        feature["id"] = feature["properties"].pop("adcode")

    counts = joined["transition"].value_counts()
    legend = [LegendRow(TRANSITION_COLORS[code], t(LABEL[code], lang), int(counts.get(code, 0)))
              for code in TRANSITIONS]
    legend.append(LegendRow(UNSCORED_COLOR, t("di_no_data", lang), int(joined["transition"].isna().sum())))
    ranges = classify.by_tiers(pd.Series([], dtype=object), ds.tiers, lang).labels[::-1]  # 一线 first
    notes = (t("yr_tr_note", lang, start=start, end=end),
             t("yr_tr_basis", lang, tiers=t("list_sep", lang).join(ranges)))
    label = metric_label or columns.label(metric, lang)
    return PreparedMap(
        cities=cities, styles=styles, legend=legend,
        province_lines=_geojson(boundaries.layer("province_lines", "web")),
        maritime=_geojson(boundaries.maritime()),
        title=t("map_title", lang, label=ds.label, metric=label),
        source=ds.meta.get("source_note" if lang == "zh" else "source_note_en")
        or t("source_note", lang, source=ds.label),
        lang=lang, notes=notes,
    )
