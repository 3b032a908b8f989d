"""A brief as an A4 PDF (fpdf2): text in Noto Sans CJK SC, embedded as a subset and searchable;
the scores as a table; the two maps as vectors: matplotlib's own PDF of each figure, drawn as a
form XObject in its box (pypdf; its content stream is copied, not parsed: fpdf2's SVG import
took about 1.3 s a map). The same page gives the same bytes: a fixed creation date, ids derived
from the content.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import NamedTuple

from fpdf import FPDF
from fpdf.fonts import FontFace
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
)

from dei_geo.briefs import fonts
from dei_geo.briefs.words import Page, Table
from dei_geo.core.i18n import t
from dei_geo.core.theme import INK, SUBTITLE_INK, WARNING_COLOR

FONT = "cjk"
MARGIN = 12.0  # mm
WIDTH = 210.0 - 2 * MARGIN
MAP_H = 92.0  # height of the map row, mm
GAP = 4.0
MM = 72 / 25.4  # points per mm
LANG_TAG = {"zh": "zh-CN", "en": "en"}
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # not the time of writing: same input, same bytes


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def new_document(lang: str, title: str, text: str) -> FPDF:
    """An empty A4 document with the CJK font loaded for ``text`` (all the document will say;
    ``fonts.FontMissing`` if the font is absent)."""
    doc = FPDF(format="A4", unit="mm")
    doc.set_creation_date(FIXED_DATE)
    doc.set_margins(MARGIN, MARGIN, MARGIN)
    doc.set_auto_page_break(True, margin=MARGIN)
    for style in ("", "B"):
        face = fonts.for_text(style, text)
        doc.add_font(FONT, style, str(face.path), collection_font_number=face.index)
    doc.set_title(title)
    doc.set_creator("dei-geo")
    doc.set_lang(LANG_TAG.get(lang, "zh-CN"))
    doc.set_text_color(*_rgb(INK))
    return doc


def _heading(doc: FPDF, text: str) -> None:
    doc.ln(1.5)
    doc.set_font(FONT, "B", 10.5)
    doc.multi_cell(WIDTH, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _lines(doc: FPDF, lines, size: float = 8.8) -> None:
    doc.set_font(FONT, "", size)
    for line in lines:
        doc.multi_cell(WIDTH, size * 0.48, line, align="L", new_x="LMARGIN", new_y="NEXT")


def _table(doc: FPDF, table: Table, widths: tuple[float, ...], size: float = 8.8) -> None:
    doc.set_font(FONT, "", size)
    heading = FontFace(emphasis="BOLD", fill_color=(238, 238, 238))
    with doc.table(col_widths=widths, width=WIDTH, line_height=size * 0.5, text_align="LEFT",
                   headings_style=heading, padding=1.0) as grid:
        for cells in (table.header, *table.rows):
            row = grid.row()
            for cell in cells:
                row.cell(cell)


class Placement(NamedTuple):
    """A map PDF (one page, from matplotlib) to draw on ``page`` in the box x, y, w, h (mm from
    the top left, as fpdf2 measures)."""

    page: int
    box: tuple[float, float, float, float]
    map_pdf: bytes


def _fit(size_in: tuple[float, float], x: float, y: float, w: float, h: float) -> tuple[float, ...]:
    """The largest box of the figure's aspect inside (x, y, w, h), centred at the top."""
    fw, fh = size_in
    scale = min(w / fw, h / fh)
    return x + (w - fw * scale) / 2, y, fw * scale, fh * scale


def _maps(doc: FPDF, locator: tuple[bytes, tuple[float, float]],
          province: tuple[bytes, tuple[float, float]]) -> list[Placement]:
    """Keep the map row free and say where each map goes."""
    top = doc.get_y() + 1
    half = (WIDTH - GAP) / 2
    boxes = (_fit(locator[1], MARGIN, top, half, MAP_H),
             _fit(province[1], MARGIN + half + GAP, top, half, MAP_H))
    doc.set_y(top + max(b[3] for b in boxes) + 1)
    return [Placement(doc.page - 1, box, data) for box, (data, _) in zip(boxes, (locator, province))]


def add_page(doc: FPDF, page: Page, locator: tuple[bytes, tuple[float, float]],
             province: tuple[bytes, tuple[float, float]], lang: str) -> list[Placement]:
    """Lay ``page`` out on a new A4 page of ``doc``; the maps (PDF bytes, figure size in inches)
    are placed by ``to_bytes``."""
    doc.add_page()
    doc.set_font(FONT, "B", 18)
    doc.cell(WIDTH, 9, page.title, new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, "", 9.5)
    doc.set_text_color(*_rgb(SUBTITLE_INK))
    doc.cell(WIDTH, 5, page.subtitle, new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(*_rgb(INK))
    doc.ln(1.5)
    labels, values = zip(*page.headline)
    _table(doc, Table(labels, (values,)), (1, 1, 1, 1.5, 1), size=9.5)
    if page.status:
        doc.set_text_color(*_rgb(WARNING_COLOR))
        _lines(doc, [page.status], 9.5)
        doc.set_text_color(*_rgb(INK))
    if page.portrait:
        _lines(doc, [page.portrait], 9.5)
    placed = _maps(doc, locator, province)
    _heading(doc, t("brief_section_scores", lang))
    _table(doc, page.scores, (1.3, 1.3, 1.6, 1.2))
    doc.set_text_color(*_rgb(SUBTITLE_INK))
    _lines(doc, [page.scores_note], 7.5)
    doc.set_text_color(*_rgb(INK))
    _heading(doc, t("brief_section_places", lang))
    _lines(doc, [*page.places, page.spillover])
    _heading(doc, t("brief_section_peers", lang))
    _lines(doc, [page.peers])
    if page.flags:
        _heading(doc, t("brief_section_flags", lang))
        _lines(doc, page.flags)
    doc.ln(2)
    doc.set_text_color(*_rgb(SUBTITLE_INK))
    _lines(doc, [page.source, page.maps_note], 7.5)
    doc.set_text_color(*_rgb(INK))
    return placed


def _form(writer: PdfWriter, map_pdf: bytes) -> tuple[IndirectObject, float, float]:
    """The first page of ``map_pdf`` as a form XObject of ``writer`` (its content stream kept as
    compressed, nothing parsed), with the page's width and height in points."""
    src = PdfReader(io.BytesIO(map_pdf)).pages[0]
    content = src["/Contents"].get_object()
    if isinstance(content, ArrayObject):  # matplotlib writes one stream
        raise ValueError("a map PDF must have one content stream")
    form = content.clone(writer)
    box = src.mediabox
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (box.left, box.bottom,
                                                                             box.right, box.top)]),
                 NameObject("/Resources"): src["/Resources"].clone(writer)})
    return writer._add_object(form), float(box.width), float(box.height)


def to_bytes(doc: FPDF, placements: list[Placement]) -> bytes:
    """``doc`` as PDF bytes, with each map drawn as vectors (a form XObject) in its box."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(doc.output()))))
    for i, place in enumerate(placements):
        page = writer.pages[place.page]
        form, width_pt, height_pt = _form(writer, place.map_pdf)
        x, y, w, h = (v * MM for v in place.box)
        top = float(page.mediabox.height)
        name = NameObject(f"/DeiMap{i}")
        resources = page["/Resources"]
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[name] = form
        draw = DecodedStreamObject()
        draw.set_data(f"q {w / width_pt:.6f} 0 0 {h / height_pt:.6f} {x:.4f} {top - y - h:.4f} cm "
                      f"{name} Do Q\n".encode())
        contents = page.raw_get("/Contents")
        streams = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([*streams, writer._add_object(draw)])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
