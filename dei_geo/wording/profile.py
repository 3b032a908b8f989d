"""The city card in words: the text of ``dei-geo profile``, score labels and region lines."""

from __future__ import annotations

from functools import partial

from dei_geo.analysis.profile import DISTANCE_METHOD, NEIGHBOUR_METHOD, CityCard
from dei_geo.core.i18n import t
from dei_geo.wording import national as national_words
from dei_geo.wording import spatial as spatial_words

METHODS = {NEIGHBOUR_METHOD: "profile_neighbour_method", DISTANCE_METHOD: "profile_distance_method"}


def method(code: str, lang: str = "zh") -> str:
    """How a neighbour set or a distance was computed, in words."""
    return t(METHODS[code], lang)


def _fmt(x) -> str:
    return "—" if x is None else f"{x:.1f}"


def score_label(unit: dict, lang: str = "zh") -> str:
    """A unit's score (one decimal), or why it has none (未参评 / 数据冲突)."""
    if unit["score"] is not None:
        return f"{unit['score']:.1f}"
    return t("unscored" if unit["status"] == "unscored" else "conflict", lang)


def to_text(card: CityCard, lang: str = "zh") -> str:
    """The card as plain text lines, for people (``dei-geo profile --format text``)."""
    say = partial(t, lang=lang)
    lines = [f"{say('paren', text=card['short_name'], note=card['name'])} · {card['province']} · "
             f"{card['adcode']}"]
    if card["status"] == "unscored":
        lines.append(say("unscored"))
    elif card["status"] == "conflict":
        rows = "; ".join(say("profile_printed_row", rank=r["rank"], score=r["score"])
                         for r in card["printed_rows"])
        lines.append(f"{say('conflict')}: {rows}")
    else:
        lines.append(f"{say('tip_score')}: {card['score']:.1f}    {say('tip_rank')}: "
                     + say("rank_of", rank=card["rank"], total=card["rank_total"]))
    if card["tier"]:
        tier = card["tier"]
        lines.append(f"{say('tip_tier')}: {tier['name']} · {tier['portrait']}")
    if card["next_tier_up"]:
        up = card["next_tier_up"]
        lines.append(say("profile_gap_up", gap=up["gap"], tier=up["name"], lower=up["lower"]))
    elif card["tier"] and card["score"] is not None:
        lines.append(say("profile_top_tier"))
    pct = card["percentile"]
    if pct["national"] is not None:
        lines.append(f"{say('profile_pct_national')}: {pct['national']:.1f}    "
                     f"{say('profile_pct_province')}: "
                     + (_fmt(pct["province"]) if pct["province_n"] else say("profile_pct_alone")))
    ctx = card["context"]
    if ctx.get("national_mean") is not None:
        stated = [(m["value"], m["page"]) for m in ctx.get("national_reported", [])]
        lines.append(national_words.said(ctx["national_mean"], ctx["national_scored"],
                                         ctx["national_basis"], stated, lang))
    lines.append(f"{say('profile_pillars')}:")
    for p in card["pillars"]:
        got = (say("profile_pillar_score", score=p["score"], rank=p["rank"]) if p["published"]
               else say("profile_not_published"))
        mean = f"{say('profile_national_mean')} {p['national_mean']:.1f}"
        lines.append(f"  {p['name']}: {got}  ({mean})")
    nb = card["neighbours"]
    names = ", ".join(f"{u['short_name']} {score_label(u, lang)}" for u in nb["cities"])
    names = names or say("profile_none")
    lines.append(f"{say('profile_neighbours')}: {names}")
    lines.append(f"{say('profile_neighbour_mean')}{say('colon')}"
                 + say("paren", text=_fmt(nb["mean"]), note=method(nb["method"], lang)))
    near = card["nearest_top_tier"]
    if near:
        km = f"{near['distance_km']:,.0f}"
        nearest = say("profile_nearest_text", city=near["short_name"], km=km)
        lines.append(say("paren", text=nearest, note=method(near["method"], lang)))
    for flag in card["flags"]:
        lines.append(f"⚠ {flag['text']} ({say('page', page=flag['page'])})")
    return "\n".join(lines)


def region_lines(spatial_card: dict, lang: str = "zh") -> list[str]:
    """The regions a city counts in and its LISA / Gi* class (from ``spatial.city_card``), as lines."""
    said = spatial_words.city_card(spatial_card, lang)
    lines = [t("profile_region_line", lang, **r) for r in said["regions"]]
    if not lines:
        lines = [t("profile_no_region", lang)]
    if "lisa" in said:
        lines.append(t("profile_lisa_line", lang, **said))
    return lines
