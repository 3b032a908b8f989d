"""The slides: 16:9, maps as pictures at full resolution, scores as native tables and text,
the same bytes for the same input; the province deck and the maps deck."""

import io
import zipfile

from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from dei_geo.briefs import pptx as slides
from dei_geo.briefs import render

HUZHOU, BOZHOU = 330500, 341600


def _deck(data: bytes):
    return Presentation(io.BytesIO(data))


def _tables(slide) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in shape.table.rows]
            for shape in slide.shapes if shape.has_table]


def _texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_city_slide_has_pictures_native_tables_and_numbers(built):
    deck = _deck(built(HUZHOU, "pptx"))
    assert (deck.slide_width, deck.slide_height) == (Emu(12191695), Emu(6858000))  # 13.333 × 7.5 in
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 1e-3
    (slide,) = deck.slides
    pictures = {s.name: s for s in slide.shapes if s.shape_type == 13}  # MSO_SHAPE_TYPE.PICTURE
    assert set(pictures) == {"locator", "province"}
    for pic in pictures.values():
        with Image.open(io.BytesIO(pic.image.blob)) as im:
            assert im.width / (pic.width / 914400) >= 200  # ≥ 200 pixels per inch as placed
    headline, scores = _tables(slide)
    assert headline[1][:3] == ["62.2", "80 / 257", "二线城市"] and headline[1][4] == "8 / 11"
    assert scores[0][0] == "指标" and scores[1][:2] == ["总分", "62.2"] and scores[1][3] == "57.0（p.14）"
    assert "湖州（湖州市）" in _texts(slide) and "新兴者" in _texts(slide)
    assert "数据来源" in slide.notes_slide.notes_text_frame.text


def test_conflict_slide_shows_both_rows(built):
    (slide,) = _deck(built(BOZHOU, "pptx")).slides
    assert "第163名 47.4分" in _texts(slide) and "第203名 42.7分" in _texts(slide)
    assert _tables(slide)[1][1][1] == "47.4、42.7"


def test_stable_bytes(built, ds):
    data = built(HUZHOU, "pptx")
    assert render.city(ds, HUZHOU, "pptx") == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {slides.ZIP_DATE}
    assert _deck(data).core_properties.modified == slides.FIXED_DATE


def test_province_deck_beijing(ds):
    files = dict(render.province_files(ds, 110000, "pdf"))
    assert list(files) == ["北京.pdf", "北京市.pptx"]
    deck = _deck(files["北京市.pptx"])
    overview, city = deck.slides
    (table,) = _tables(overview)
    assert table[1][:4] == ["1", "北京", "92.4", "3 / 257"]
    assert "北京（北京市）" in _texts(city)
    assert render.province_deck(ds, 110000) == files["北京市.pptx"]


def test_maps_deck_has_the_overall_and_the_five_pillar_maps(ds):
    deck = _deck(render.maps_deck(ds, "en"))
    assert len(deck.slides) == 6
    names = [next(s.name for s in slide.shapes if s.shape_type == 13) for slide in deck.slides]
    assert names == ["score", *ds.pillars["pillar"]]
    for slide in deck.slides:
        assert "Source:" in _texts(slide) and "Source:" in slide.notes_slide.notes_text_frame.text
        pic = next(s for s in slide.shapes if s.shape_type == 13)
        assert pic.width / deck.slide_width > 0.8 or pic.height / deck.slide_height > 0.85  # fills the slide
