"""Briefs and maps as 16:9 slides (python-pptx): maps as pictures, scores as native tables and
text that stay editable in PowerPoint and WPS. ``stable`` makes the file's bytes a function of
its content (fixed dates in the core properties and in the zip entries).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dei_geo.briefs.words import Page, Table
from dei_geo.core.theme import INK, SUBTITLE_INK, WARNING_COLOR

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
BLANK = 6  # the default template's blank layout
EAST_ASIAN = "Microsoft YaHei"  # present with PowerPoint and WPS; others substitute a CJK font
FIXED_DATE = dt.datetime(2000, 1, 1)  # core properties and zip entries: same input, same bytes
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = RGBColor(0xEE, 0xEE, 0xEE)


def new_deck(title: str):
    """An empty 16:9 presentation titled ``title``."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    props = deck.core_properties
    props.title, props.author, props.last_modified_by = title, "dei-geo", "dei-geo"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    return deck


def blank(deck):
    return deck.slides.add_slide(deck.slide_layouts[BLANK])


def _style(run, size: float, bold: bool = False, color: str = INK) -> None:
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = RGBColor.from_string(color.lstrip("#"))
    rpr = run._r.get_or_add_rPr()  # the CJK typeface: <a:ea> after the fill, as the schema orders
    if rpr.find(qn("a:ea")) is None:
        etree.SubElement(rpr, qn("a:ea")).set("typeface", EAST_ASIAN)


def text(slide, box: tuple[float, float, float, float], lines: Sequence[tuple[str, float, bool, str]]):
    """A text box at ``box`` (left, top, width, height in inches), one paragraph per
    (text, size pt, bold, colour)."""
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    frame = shape.text_frame
    frame.word_wrap = True
    for i, (line, size, bold, color) in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        _style(run, size, bold, color)
    return shape


def table(slide, grid: Table, box: tuple[float, float, float, float], widths: Sequence[float],
          size: float = 10.0):
    """``grid`` as a native table (header row bold on grey) at ``box``; ``widths`` are shares;
    rows share the box's height, at most 0.3 inch each."""
    rows, cols = len(grid.rows) + 1, len(grid.header)
    row_h = min(0.3, box[3] / rows)
    shape = slide.shapes.add_table(rows, cols, *(Inches(v) for v in box))
    tbl = shape.table
    tbl.first_row = True
    total = sum(widths)
    for j, share in enumerate(widths):
        tbl.columns[j].width = Emu(int(Inches(box[2]) * share / total))
    for i, cells in enumerate((grid.header, *grid.rows)):
        tbl.rows[i].height = Inches(row_h)
        for j, value in enumerate(cells):
            cell = tbl.cell(i, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = HEADER_FILL if i == 0 else RGBColor(0xFF, 0xFF, 0xFF)
            cell.margin_top = cell.margin_bottom = Inches(0.02)
            cell.margin_left = cell.margin_right = Inches(0.05)
            para = cell.text_frame.paragraphs[0]
            run = para.add_run()
            run.text = value
            _style(run, size, bold=i == 0)
    return shape


def picture(slide, png: bytes, box: tuple[float, float, float, float], name: str = ""):
    """``png`` fitted into ``box`` (inches), aspect kept, centred."""
    with Image.open(io.BytesIO(png)) as im:
        w_px, h_px = im.size
    left, top, width, height = box
    scale = min(width / w_px, height / h_px)
    w, h = w_px * scale, h_px * scale
    shape = slide.shapes.add_picture(io.BytesIO(png), Inches(left + (width - w) / 2),
                                     Inches(top + (height - h) / 2), Inches(w), Inches(h))
    if name:
        shape.name = name
    return shape


def notes(slide, text_: str) -> None:
    slide.notes_slide.notes_text_frame.text = text_


def dpi_for(fig_width_in: float, box_width_in: float, per_inch: int = 220) -> int:
    """The PNG resolution that gives a picture ``per_inch`` pixels per inch of its box."""
    return max(72, min(400, round(per_inch * box_width_in / fig_width_in)))


# --- a city's slide -----------------------------------------------------------------------
LOCATOR_BOX = (9.95, 0.1, 3.0, 2.25)
PROVINCE_BOX = (0.4, 2.45, 5.9, 4.5)
SCORES_BOX = (6.5, 2.45, 6.43, 2.3)  # six rows of about 0.37 inch as PowerPoint and WPS draw them


def city_slide(deck, page: Page, locator_png: bytes, province_png: bytes) -> None:
    """One slide with everything a brief says (the A4 page's content, laid out in 16:9)."""
    slide = blank(deck)
    text(slide, (0.4, 0.2, 9.4, 1.0), [(page.title, 26, True, INK), (page.subtitle, 12, False, SUBTITLE_INK)])
    labels, values = zip(*page.headline)
    table(slide, Table(labels, (values,)), (0.4, 1.3, 9.4, 0.6), (1, 1, 1, 1.6, 1.1), size=11)
    picture(slide, locator_png, LOCATOR_BOX, "locator")
    picture(slide, province_png, PROVINCE_BOX, "province")
    table(slide, page.scores, SCORES_BOX, (1.2, 1.1, 2.1, 1.3), size=9.5)
    body = [(page.status, 10, True, WARNING_COLOR)] if page.status else []
    body += [(page.portrait, 10, False, INK)] if page.portrait else []
    body += [(line, 9, False, INK) for line in (*page.places, page.spillover, page.peers, *page.flags)]
    text(slide, (6.5, 4.85, 6.43, 2.1), body)
    text(slide, (0.4, 7.0, 12.5, 0.4), [(page.source, 8, False, SUBTITLE_INK)])
    notes(slide, "\n".join([page.scores_note, page.maps_note, page.source]))


def stable(data: bytes) -> bytes:
    """``data`` (a zip) rewritten with every entry dated ``ZIP_DATE``, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def to_bytes(deck) -> bytes:
    buf = io.BytesIO()
    deck.save(buf)
    return stable(buf.getvalue())
