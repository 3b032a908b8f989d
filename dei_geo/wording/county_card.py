"""A county card (``analysis.county_card``) said in zh/en: the lines of ``dei-geo profile 西湖区
--province 浙江``, for the app's county card."""

from __future__ import annotations

from dei_geo.core import places
from dei_geo.core.i18n import Lang, t

SEAT_NAME = {"seat_cpca": "lv_seat_cpca", "prefecture_seat": "lv_seat_prefecture",
             "inside_point": "lv_seat_inside"}  # card["seat"]["source"] → catalogue key


def head(card: dict, lang: Lang) -> str:
    return t("lv_card_head", lang, name=card["name"], prefecture=card["prefecture"]["name"],
             province=card["province"]["name"], kind=card["kind"], adcode=card["adcode"])


def values(card: dict, metric: str, lang: Lang) -> list[str]:
    """The value and the ranks within the province and the prefecture (a card with a table)."""
    if card["value"] is None:
        return [t("lv_card_no_value", lang, metric=metric)]
    lines = [t("lv_card_value", lang, metric=metric, value=card["value"])]
    for key, parent in (("in_province", "province"), ("in_prefecture", "prefecture")):
        lines.append(t("lv_card_rank", lang, within=card[parent]["name"], **card[key]))
    return lines


def facts(card: dict, lang: Lang) -> list[str]:
    """Former names, seat, neighbours and the nearest 一线 city."""
    lines = []
    if card["former_names"] or card["former_adcodes"]:
        lines.append(t("lv_card_former", lang, names=t("list_sep", lang).join(
            [*card["former_names"], *map(str, card["former_adcodes"])])))
    seat = card["seat"]
    lines.append(t("lv_card_seat", lang, lon=seat["lon"], lat=seat["lat"],
                   source=t(SEAT_NAME[seat["source"]], lang)))
    lines.append(t("lv_card_neighbours", lang, n=len(card["neighbours"]),
                   names=t("list_sep", lang).join(n["name"] for n in card["neighbours"])))
    near = card["nearest_top_tier"]
    if near:
        lines.append(t("lv_card_nearest", lang, city=places.display_name(near["adcode"]), km=near["distance_km"]))
    return lines
