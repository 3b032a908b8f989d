"""The app's flows in a real browser (headless Chromium, 1440×900, network cut off): the pages on
the first screen, click → card with the map following, ?city= with Back/Forward, the card's
"add to comparison" and brief, your data on the map, the LISA legend in the app."""

from __future__ import annotations

import io
from pathlib import Path

NAV = ("地图", "排名", "对比", "区域与溢出", "空间计量", "我的数据", "导出")
SIX = "城市,总分\n北京,93.0\n上海,91.0\n杭州,94.0\n拉萨,35.2\n成都,88.0\n西安,75.0\n"
CITY_POINT = """(adcode) => {
  let found = null;
  window.map.eachLayer(l => { if (l.feature && l.feature.id === adcode && l.getBounds
                                  && l.options.interactive !== false) found = l; });
  const c = window.map.latLngToContainerPoint(found.getBounds().getCenter());
  return [c.x, c.y];
}"""


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)


def _map(page, map_frame, wait_for_polygons):
    frame = map_frame(page, timeout=60_000)
    assert wait_for_polygons(frame, at_least=370, timeout=30_000) >= 370
    _idle(page)
    return frame


def _frame_titled(page, text: str, timeout_s: float = 30):
    """The map frame whose title contains ``text`` (a new map replaces the frame)."""
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if text in frame.locator(".dei-title").first.inner_text(timeout=200):
                    return frame
            except Exception:  # no map in this frame, or it is being replaced
                pass
        page.wait_for_timeout(100)
    raise AssertionError(f"no map titled {text!r}")


def _click(page, frame, adcode: int) -> None:
    frame.wait_for_function("() => !window.map._animatingZoom")
    x, y = frame.evaluate(CITY_POINT, adcode)
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_every_page_is_on_the_first_screen(app_url, page, map_frame, wait_for_polygons):
    from playwright.sync_api import expect

    page.goto(app_url)
    frame = _map(page, map_frame, wait_for_polygons)
    for name in NAV:
        link = page.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert link.bounding_box()["y"] < 100  # along the top, no scrolling
    box = frame.frame_element().bounding_box()
    assert box["y"] + box["height"] <= 900  # the whole map on a 1440×900 screen
    assert frame.locator(".dei-home a").count() == 1 and frame.locator(".leaflet-control-scale").count() == 1
    page.get_by_role("link", name="排名", exact=True).click()
    expect(page.get_by_role("heading", name="城市排名")).to_be_visible(timeout=30_000)
    assert page.url.endswith("/ranking")
    assert not page.js_errors and not page.blocked_requests


def test_click_opens_the_card_the_map_follows_and_back_forward_step_through(
        app_url, page, map_frame, wait_for_polygons):
    from playwright.sync_api import expect

    page.goto(app_url)
    frame = _map(page, map_frame, wait_for_polygons)
    national = frame.evaluate("() => window.map.getZoom()")
    _click(page, frame, 330100)
    expect(page.get_by_role("heading", name="杭州\u3000杭州市")).to_be_visible(timeout=30_000)
    assert page.url.endswith("?city=330100")
    frame.wait_for_function(f"() => window.map.getZoom() > {national} + 2 && !window.map._animatingZoom",
                            timeout=10_000)
    lat, lng = frame.evaluate("() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }")
    assert abs(lat - 29.9) < 1 and abs(lng - 119.5) < 1  # framed on 杭州, not a dot at national zoom
    _idle(page)
    page.go_back()
    expect(page.get_by_role("heading", name="杭州\u3000杭州市")).to_have_count(0, timeout=30_000)
    assert "city=" not in page.url
    frame.wait_for_function(f"() => window.map.getZoom() <= {national}", timeout=10_000)  # home again
    _idle(page)
    page.go_forward()
    expect(page.get_by_role("heading", name="杭州\u3000杭州市")).to_be_visible(timeout=30_000)
    assert page.url.endswith("?city=330100")
    assert not page.js_errors and not page.blocked_requests


def test_card_adds_to_the_comparison_and_gives_a_brief(app_url, page, map_frame, wait_for_polygons):
    import pypdfium2
    from playwright.sync_api import expect

    page.goto(app_url + "/?city=330100")
    _map(page, map_frame, wait_for_polygons)
    page.get_by_role("button", name="加入对比（已选 0/5）").click()
    expect(page.get_by_text("已在对比中（1/5）")).to_be_visible(timeout=30_000)
    _idle(page)
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="生成城市简报（PDF）").click()
    data = Path(got.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = pypdfium2.PdfDocument(io.BytesIO(data))[0].get_textpage().get_text_range()
    assert "杭州" in text and "92.9" in text
    page.get_by_role("link", name="对比", exact=True).click()
    expect(page.get_by_text("杭州 Hangzhou（浙江省）")).to_be_visible(timeout=30_000)  # picked from the card
    assert not page.js_errors and not page.blocked_requests


def test_an_upload_is_mapped_with_rank_change_among_the_common_cities(
        app_url, page, map_frame, wait_for_polygons, tmp_path):
    from playwright.sync_api import expect

    six = tmp_path / "six.csv"
    six.write_text(SIX, encoding="utf-8")
    page.goto(app_url + "/data")
    expect(page.get_by_role("heading", name="导入自有数据")).to_be_visible(timeout=30_000)
    page.locator('input[type="file"]').set_input_files(str(six))
    expect(page.get_by_text("导入 6 行")).to_be_visible(timeout=30_000)
    _idle(page)
    page.get_by_role("link", name="地图", exact=True).click()
    frame = _map(page, map_frame, wait_for_polygons)
    expect(frame.locator(".dei-title")).to_contain_text("自有数据（six.csv）", timeout=30_000)
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="地图指标").first
    box.click()
    page.get_by_role("option", name="排名变化（对比内置数据）", exact=True).click()
    frame = _frame_titled(page, "6 个共有城市之间的排名")
    expect(frame.locator(".dei-legend")).to_contain_text("以 0 为中心")
    expect(page.get_by_text("地图显示自有数据（关闭则回到报告数据）")).to_be_visible()  # the one switch back
    # opened at /data, Streamlit's frontend first probes /data/_stcore/… (404) before the root: its noise
    assert not [e for e in page.js_errors if "/_stcore/" not in e] and not page.blocked_requests


def test_lisa_layer_in_the_app_brings_its_own_legend(app_url, page, map_frame, wait_for_polygons):
    from playwright.sync_api import expect

    page.goto(app_url + "/?layers=lisa")
    frame = _map(page, map_frame, wait_for_polygons)
    legend = frame.locator(".dei-local-legend")
    expect(legend).to_contain_text("LISA", timeout=30_000)
    expect(legend).not_to_contain_text("一线城市")
    hidden = frame.evaluate("""() => Array.from(document.querySelectorAll('.dei-legend:not(.dei-local-legend)'))
                                .every(el => el.offsetParent === null)""")
    assert hidden  # the tier legend steps aside while LISA is shown
    assert not page.js_errors and not page.blocked_requests
