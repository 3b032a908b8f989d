"""The A4 PDF: searchable text (PDFium, Chrome's engine, extracts it), the CJK font embedded,
the maps as vectors, the same bytes for the same input, a clear error without the font."""

import io
import subprocess
import sys

import pypdf
import pypdfium2
import pytest

from dei_geo.briefs import fonts, render

HUZHOU, BOZHOU, ALI = 330500, 341600, 542500


def _text(data: bytes) -> str:
    doc = pypdfium2.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def test_text_has_city_score_rank_and_tier(built):
    pdf = built(HUZHOU)
    text = _text(pdf)
    for expected in ("湖州（湖州市）", "62.2", "80 / 257", "二线城市", "新兴者", "8 / 11", "未公布",
                     "55.2（p.14）", "数据来源：新华三集团"):
        assert expected in text, expected
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and [round(v) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4


def test_english_brief(built):
    text = _text(built(HUZHOU, lang="en"))
    assert "80 of 257" in text and "Tier 2" in text and "not published" in text


def test_cjk_font_is_embedded_as_a_subset_with_a_unicode_map(built):
    page = pypdf.PdfReader(io.BytesIO(built(HUZHOU))).pages[0]
    type0 = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert type0, "the page's own text has no font"
    for font in type0:
        assert font["/Subtype"] == "/Type0" and "/ToUnicode" in font
        cid = font["/DescendantFonts"][0].get_object()
        descriptor = cid["/FontDescriptor"].get_object()
        assert str(cid["/BaseFont"]).split("+")[1].startswith("NotoSansCJKSC")
        assert len(str(cid["/BaseFont"]).split("+")[0]) == 7  # "/XXXXXX": a subset
        program = descriptor["/FontFile3"].get_object()
        assert program["/Subtype"] == "/CIDFontType0C" and len(program.get_data()) > 1000


def test_cjk_glyphs_render(built):
    """Each character of the title is drawn with its own glyph: ink in its box, and 湖 ≠ 州 (a
    missing glyph would draw the same empty box for both)."""
    doc = pypdfium2.PdfDocument(built(HUZHOU))
    page, scale = doc[0], 4
    image = page.render(scale=scale).to_pil().convert("L")
    textpage = page.get_textpage()
    height = page.get_height()
    crops = []
    for i, char in enumerate("湖州"):
        assert textpage.get_text_range(i, 1) == char
        left, bottom, right, top = textpage.get_charbox(i)
        crop = image.crop((round(left * scale), round((height - top) * scale),
                           round(right * scale), round((height - bottom) * scale)))
        assert crop.getextrema()[0] < 80  # dark strokes
        crops.append(crop.resize((32, 32)).tobytes())
    doc.close()
    assert crops[0] != crops[1]


def test_maps_are_vectors_not_images(built):
    page = pypdf.PdfReader(io.BytesIO(built(HUZHOU))).pages[0]
    xobjects = {k: v.get_object() for k, v in page["/Resources"]["/XObject"].items()}
    forms = [x for x in xobjects.values() if x["/Subtype"] == "/Form"]
    assert len(forms) == 2 and not [x for x in xobjects.values() if x["/Subtype"] == "/Image"]
    for form in forms:
        ops = form.get_data()
        assert ops.count(b" re") + ops.count(b" l\n") > 1000  # polygons drawn as paths
    assert len(page.images) == 0  # none inside the forms either


def test_conflict_shows_both_rows(built):
    text = _text(built(BOZHOU))
    assert "第163名 47.4分" in text and "第203名 42.7分" in text and "数据冲突" in text


def test_unscored_unit(built):
    text = _text(built(ALI))
    assert "阿里未参评" in text


def test_same_input_same_bytes_across_processes(built):
    code = ("import sys, hashlib; from dei_geo.briefs import build; "
            "sys.stdout.write(hashlib.sha256(build('湖州', 'pdf')).hexdigest())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import hashlib

    assert other == hashlib.sha256(built(HUZHOU)).hexdigest()


def test_png_is_the_page_rendered(built):
    from PIL import Image

    with Image.open(io.BytesIO(built(HUZHOU, "png"))) as im:
        assert im.size == (1241, 1754)  # A4 (595.28 × 841.89 pt) at 150 dpi, rounded up
        assert len(im.convert("L").resize((62, 88)).getcolors(256)) > 20  # not a blank page


def test_missing_font_names_the_package(monkeypatch, ds):
    fonts.face.cache_clear()
    monkeypatch.setattr(fonts, "SEARCH", ())
    try:
        with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
            render.city(ds, HUZHOU, "pdf")
    finally:
        fonts.face.cache_clear()


def test_a_character_outside_the_cut_face_gets_the_whole_face(ds):
    from dataclasses import replace

    rare = "龘"  # in Noto Sans CJK SC, in no text of the catalogue or data/
    assert rare not in fonts.base_chars()
    assert fonts.for_text("", "湖州 62.2").path != fonts.face("").path  # the cut face, from the cache
    assert fonts.for_text("", f"湖州{rare}") == fonts.face("")
    drawn = render.draw(ds, HUZHOU)
    drawn.page = replace(drawn.page, title=f"{rare}州")
    assert f"{rare}州" in _text(drawn.pdf)
