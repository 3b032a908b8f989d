"""A brief from its facts to file bytes: one city (PDF, PPTX, PNG), a province's files and deck,
the maps deck.

A city's two maps are drawn once (``Drawn``) and turned into what each format embeds: a vector
PDF for the A4 page, PNGs sized to their boxes for the slides; a province batch draws each city
once for its file and its slide in the deck.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from matplotlib.figure import Figure

from dei_geo.briefs import content, maps, pdf, pptx, words
from dei_geo.core import columns, places, theme
from dei_geo.core.i18n import t
from dei_geo.sources.datasets import Dataset

FORMATS = ("pdf", "pptx", "png")
PNG_DPI = 150  # a PNG brief: the A4 page at 150 dpi (1241 × 1754 pixels)


@dataclass
class Drawn:
    """A city's brief in words and its two maps, drawn once, in each embedded form on demand."""

    page: words.Page
    locator: Figure
    province: Figure
    lang: str

    @cached_property
    def pdf(self) -> bytes:
        doc = pdf.new_document(self.lang, self.page.title, words.text_of(self.page))
        placed = pdf.add_page(doc, self.page, (maps.pdf(self.locator), tuple(self.locator.get_size_inches())),
                              (maps.pdf(self.province), tuple(self.province.get_size_inches())), self.lang)
        return pdf.to_bytes(doc, placed)

    @cached_property
    def slide_pictures(self) -> tuple[bytes, bytes]:
        return (maps.png(self.locator, pptx.dpi_for(self.locator.get_figwidth(), pptx.LOCATOR_BOX[2])),
                maps.png(self.province, pptx.dpi_for(self.province.get_figwidth(), pptx.PROVINCE_BOX[2])))

    def slide(self, deck) -> None:
        pptx.city_slide(deck, self.page, *self.slide_pictures)

    def file(self, fmt: str) -> bytes:
        """The brief as ``fmt`` (one of ``FORMATS``) bytes."""
        if fmt == "pdf":
            return self.pdf
        if fmt == "pptx":
            deck = pptx.new_deck(self.page.title)
            self.slide(deck)
            return pptx.to_bytes(deck)
        if fmt == "png":
            return _png(self.pdf)
        raise ValueError(f"unsupported brief format {fmt!r}; choose one of {', '.join(FORMATS)}")


def draw(ds: Dataset, adcode: int, lang: str = "zh") -> Drawn:
    """The brief of ``adcode``: its facts in words and its maps."""
    facts = content.gather(ds, adcode, lang)
    card = facts.card
    return Drawn(words.page(facts, lang), maps.locator(ds, card["adcode"], card["short_name"], lang),
                 maps.province(ds, card["adcode"], card["province_adcode"], lang), lang)


def _png(pdf_bytes: bytes) -> bytes:
    """The first page of a PDF as a PNG (rendered by PDFium)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf_bytes)
    try:
        image = doc[0].render(scale=PNG_DPI / 72).to_pil()
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, format="png", dpi=(PNG_DPI, PNG_DPI))
    return buf.getvalue()


def city(ds: Dataset, adcode: int, fmt: str = "pdf", lang: str = "zh") -> bytes:
    """The brief of ``adcode`` as ``fmt`` (one of ``FORMATS``) bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unsupported brief format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return draw(ds, adcode, lang).file(fmt)


def province_name(province: int) -> str:
    table = places.load_places()
    return table.loc[table["province_adcode"].eq(province), "province"].iat[0]


def province_table(ds: Dataset, province: int, lang: str) -> words.Table:
    """The province's units, best first: rank in the province, city, score, national rank, tier."""
    tier_names = ds.tiers.set_index("tier")["name_zh" if lang == "zh" else "name_en"]
    total = ds.meta.get("evaluated_cities", len(ds.scores))
    rows = []
    for adcode in content.province_units(province):
        rank, _ = content.province_rank(ds, adcode, province)
        row = ds.scores[ds.scores["adcode"].eq(adcode)]
        name = places.display_name(adcode)
        if row.empty:
            rows.append((rank, name, t("unscored", lang), "—", "—"))
            continue
        r = row.iloc[0]
        tier = tier_names.get(r["tier"], "—") if isinstance(r["tier"], str) else "—"
        if r["status"] == "ok":
            rows.append((rank, name, f"{r['score']:.1f}", t("rank_of", lang, rank=int(r["rank"]), total=total), tier))
        else:  # printed more than once: every printed score, no rank
            printed = ds.printed.loc[ds.printed["adcode"].eq(adcode), "score"]
            rows.append((rank, name, t("list_sep", lang).join(f"{s:.1f}" for s in printed), t("conflict", lang),
                         tier))
    rows.sort(key=lambda r: (r[0] is None, r[0] or 0))
    header = (t("brief_col_province_rank", lang), t("brief_col_city_name", lang), t("brief_score", lang),
              t("brief_rank", lang), t("brief_tier", lang))
    return words.Table(header, tuple(("—" if r[0] is None else str(r[0]), *r[1:]) for r in rows))


def _overview_slide(deck, ds: Dataset, province: int, lang: str) -> None:
    name = province_name(province)
    slide = pptx.blank(deck)
    pptx.text(slide, (0.4, 0.2, 12.5, 0.7), [(t("brief_deck_title", lang, province=name), 26, True, theme.INK)])
    overview = maps.province_overview(ds, province, lang)
    pptx.picture(slide, maps.png(overview, pptx.dpi_for(overview.get_figwidth(), 6.9)), (0.4, 1.0, 6.9, 6.0),
                 "province")
    rows = province_table(ds, province, lang)
    pptx.table(slide, rows, (7.5, 1.0, 5.43, min(5.9, 0.3 * (len(rows.rows) + 1))), (0.9, 1.2, 1.2, 1.1, 1.3),
               size=8 if len(rows.rows) > 14 else 10)
    source = ds.meta.get("source_note" if lang == "zh" else "source_note_en", ds.label)
    pptx.text(slide, (0.4, 7.0, 12.5, 0.4), [(source, 8, False, theme.SUBTITLE_INK)])


def province_files(ds: Dataset, province: int, fmt: str = "pdf", lang: str = "zh") -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of each unit's brief in ``fmt``, then of the province's deck (its map
    and table, then one slide per unit), each city's maps drawn once for both."""
    name = province_name(province)
    deck = pptx.new_deck(t("brief_deck_title", lang, province=name))
    _overview_slide(deck, ds, province, lang)
    for adcode in content.province_units(province):
        drawn = draw(ds, adcode, lang)
        yield f"{places.display_name(adcode)}.{fmt}", drawn.file(fmt)
        drawn.slide(deck)
    yield f"{name}.pptx", pptx.to_bytes(deck)


def province_deck(ds: Dataset, province: int, lang: str = "zh") -> bytes:
    """The province's deck alone."""
    deck = pptx.new_deck(t("brief_deck_title", lang, province=province_name(province)))
    _overview_slide(deck, ds, province, lang)
    for adcode in content.province_units(province):
        draw(ds, adcode, lang).slide(deck)
    return pptx.to_bytes(deck)


def maps_deck(ds: Dataset, lang: str = "zh", scheme: str = theme.DEFAULT_SCHEME, k: int = theme.DEFAULT_K) -> bytes:
    """The national map of the overall score and of each pillar, one per slide, each with its
    legend and source line (in the picture and in the slide's notes)."""
    deck = pptx.new_deck(ds.label)
    source = ds.meta.get("source_note" if lang == "zh" else "source_note_en", ds.label)
    for metric in [columns.SCORE, *ds.pillars.get("pillar", [])]:
        fig = maps.metric(ds, metric, lang, scheme, k)
        slide = pptx.blank(deck)
        pptx.picture(slide, maps.png(fig, pptx.dpi_for(fig.get_figwidth(), 12.5)), (0.4, 0.2, 12.53, 6.75), metric)
        pptx.text(slide, (0.4, 7.0, 12.5, 0.4), [(source, 8, False, theme.SUBTITLE_INK)])
        pptx.notes(slide, "\n".join([maps.prepared(ds, lang, metric, scheme, k).title, source,
                                     t("brief_deck_maps_note", lang)]))
    return pptx.to_bytes(deck)
