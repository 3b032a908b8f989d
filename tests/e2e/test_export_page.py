"""The export page's print maps come in the page size chosen (headless Chromium, network cut)."""

from __future__ import annotations

import io
import re
from pathlib import Path


def _choose_page(page, option: str) -> None:
    """Pick the page size and wait for the run it starts to end (a click during a run is dropped)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=re.compile("^纸张"))
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(1500)  # the run starts
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _download(page, label: str) -> bytes:
    with page.expect_download(timeout=120_000) as got:
        page.get_by_role("button", name=label).click()
    return Path(got.value.path()).read_bytes()


def test_print_maps_on_a4_landscape_and_a_slide(app_url, offline_page):
    import pypdfium2
    from PIL import Image
    from playwright.sync_api import expect

    page = offline_page
    page.goto(app_url + "/?city=330100")
    page.get_by_role("link", name="导出", exact=True).click()
    expect(page.get_by_text("纸张", exact=True)).to_be_visible(timeout=60_000)
    _choose_page(page, "A4 横向")

    pdf = pypdfium2.PdfDocument(io.BytesIO(_download(page, "下载矢量地图（PDF）")))
    width, height = pdf[0].get_size()  # points
    assert (round(width), round(height)) == (842, 595)  # A4 landscape: 297 × 210 mm
    text = pdf[0].get_textpage().get_text_range()
    assert "DEI 2023" in text  # the title, as text

    _choose_page(page, "16:9 幻灯片")
    png = Image.open(io.BytesIO(_download(page, "下载印刷地图（PNG，300 dpi）")))
    assert abs(png.size[0] - 4000) <= 1 and abs(png.size[1] - 2250) <= 1  # 13.333 × 7.5 in at 300 dpi
    assert page.blocked_requests == [] and page.js_errors == []
