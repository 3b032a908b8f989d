"""A brief's facts said in zh/en: the ``Page`` that the PDF and the slides lay out alike."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from dei_geo.briefs.content import Facts
from dei_geo.core.i18n import t
from dei_geo.wording import spatial as spatial_words

LISA_PLAIN = {"HH": "brief_lisa_HH", "LL": "brief_lisa_LL", "HL": "brief_lisa_HL",
              "LH": "brief_lisa_LH", "ns": "brief_lisa_ns"}


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Page:
    """One city's brief in words; every field is plain text (a line, or rows of a table)."""

    adcode: int
    title: str  # 杭州（杭州市）
    subtitle: str  # province · adcode · what this is
    headline: tuple[tuple[str, str], ...]  # (label, value): score, rank, tier, gap, province rank
    status: str  # why there is no score (未参评 / both printed rows), or ""
    portrait: str  # the tier's 城市画像 words
    scores: Table  # overall and pillars vs the national and tier means
    scores_note: str
    places: tuple[str, ...]  # regions, nearest 一线 city, neighbours
    spillover: str
    peers: str
    flags: tuple[str, ...]
    source: str
    maps_note: str


def _strings(value):
    if isinstance(value, Table):
        value = (value.header, *value.rows)
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def text_of(page: Page) -> str:
    """Every text ``page`` shows, run together (to choose a font that has all its characters)."""
    return "".join(s for value in vars(page).values() for s in _strings(value))


def _one(x) -> str:
    return f"{x:.1f}"


def _headline(f: Facts, say) -> tuple[tuple[str, str], ...]:
    card = f.card
    dash = say("brief_none")
    if card["status"] == "scored":
        score, rank = _one(card["score"]), say("rank_of", rank=card["rank"], total=card["rank_total"])
    else:
        score = rank = say("unscored" if card["status"] == "unscored" else "conflict")
    tier = card["tier"]["name"] if card["tier"] else dash
    if card["next_tier_up"]:
        up = card["next_tier_up"]
        gap = say("brief_gap", gap=up["gap"], tier=up["name"], lower=up["lower"])
    elif card["tier"] and card["score"] is not None:
        gap = say("profile_top_tier")
    else:
        gap = dash
    in_province = (say("rank_of", rank=f.province_rank, total=f.province_n) if f.province_rank
                   else dash)
    return ((say("brief_score"), score), (say("brief_rank"), rank), (say("brief_tier"), tier),
            (say("brief_gap_label"), gap),
            (say("brief_province_rank", province=card["province"]), in_province))


def _status(f: Facts, say) -> str:
    card = f.card
    if card["status"] == "unscored":
        return say("brief_unscored", city=card["short_name"])
    if card["status"] == "conflict":
        rows = say("list_sep").join(say("brief_printed_row", rank=r["rank"], score=r["score"], page=r["page"])
                                    for r in card["printed_rows"])
        return say("brief_conflict", city=card["short_name"], n=len(card["printed_rows"]), rows=rows)
    return ""


def _scores(f: Facts, say) -> Table:
    card = f.card
    unpublished = say("brief_unpublished")
    reported = card["context"]["national_reported"]
    national = (say("list_sep").join(say("brief_value_page", value=_one(m["value"]), page=m["page"])
                                     for m in reported) if reported else unpublished)
    tier_mean = (say("brief_value_page", value=_one(f.tier_mean[0]), page=f.tier_mean[1]) if f.tier_mean
                 else unpublished)
    if card["status"] == "scored":
        own = _one(card["score"])
    elif card["status"] == "conflict":
        own = say("list_sep").join(_one(r["score"]) for r in card["printed_rows"])
    else:
        own = say("unscored")
    rows = [(say("brief_overall"), own, national, tier_mean)]
    for p in card["pillars"]:
        if p["published"]:
            mine = say("brief_pillar_score", score=p["score"], rank=p["rank"])
        else:
            mine = say("unscored") if card["status"] == "unscored" else unpublished
        mean = unpublished if p["national_mean"] is None else say("brief_value_page", value=_one(p["national_mean"]),
                                                                  page=p["page"])
        rows.append((p["name"], mine, mean, unpublished))
    header = (say("brief_col_item"), say("brief_col_city"), say("brief_col_national"),
              say("brief_col_tier", tier=card["tier"]["name"]) if card["tier"] else say("brief_col_no_tier"))
    return Table(header, tuple(rows))


def _places(f: Facts, say, lang: str) -> tuple[str, ...]:
    said = spatial_words.city_card(f.spatial, lang)
    lines = [say("profile_region_line", **r) for r in said["regions"]] or [say("profile_no_region")]
    near = f.card["nearest_top_tier"]
    if near:
        lines.append(say("brief_nearest", city=near["short_name"], km=f"{near['distance_km']:,.0f}"))
    nb = f.card["neighbours"]
    if nb["cities"]:
        names = say("list_sep").join(
            say("brief_unit", city=u["short_name"],
                score=_one(u["score"]) if u["score"] is not None else
                say("unscored" if u["status"] == "unscored" else "conflict"))
            for u in nb["cities"])
        mean = say("brief_none") if nb["mean"] is None else _one(nb["mean"])
        lines.append(say("brief_neighbours", names=names, mean=mean))
    return tuple(lines)


def _spillover(f: Facts, say) -> str:
    sp = f.spatial
    if "lisa" not in sp:
        return say("brief_lisa_none")
    text = say(LISA_PLAIN[sp["lisa"]], city=f.card["short_name"])
    text = say("brief_lisa_p", text=text, p=f"{sp['p_lisa']:.3f}", alpha=f"{sp['alpha']:g}")
    return text + (say("brief_lisa_island") if sp.get("island") else "")


def _peers(f: Facts, say) -> str:
    if not f.peers:
        return say("brief_peers_none")
    names = say("list_sep").join(say("brief_peer", city=p["short_name"], score=_one(p["score"]), rank=p["rank"])
                                 for p in f.peers)
    return say("brief_peers", tier=f.card["tier"]["name"], names=names)


def page(f: Facts, lang: str = "zh") -> Page:
    """The brief of ``f`` in ``lang``."""
    say = partial(t, lang=lang)
    card = f.card
    return Page(
        adcode=card["adcode"],
        title=say("paren", text=card["short_name"], note=card["name"]),
        subtitle=say("brief_subtitle", province=card["province"], adcode=card["adcode"]),
        headline=_headline(f, say),
        status=_status(f, say),
        portrait=say("brief_portrait", portrait=card["tier"]["portrait"]) if card["tier"] else "",
        scores=_scores(f, say),
        scores_note=say("brief_scores_note"),
        places=_places(f, say, lang),
        spillover=_spillover(f, say),
        peers=_peers(f, say),
        flags=tuple(say("brief_flag", text=fl["text"], page=fl["page"]) for fl in card["flags"]),
        source=card["source"],
        maps_note=say("brief_maps_note"),
    )
