"""A multi-year upload in a real browser (headless Chromium, 1440×900, network cut off): the
selected city's trajectory on the map page's card fits its column without horizontal scrolling, and
the tier transitions between two years are drawn as categories with their own legend."""

from __future__ import annotations

from tests.e2e.test_app_flows import _click, _frame_titled, _idle, _map


def _panel_csv() -> str:
    """Three years of 总分 and two pillars for a dozen cities (杭州 moves up a tier in 2023: +8.0)."""
    cities = {"北京": 90, "上海": 88, "杭州": 62, "深圳": 86, "广州": 80, "成都": 70, "南京": 72, "武汉": 71,
              "西安": 66, "拉萨": 38, "重庆": 69, "苏州": 73}
    rows = ["城市,年份,总分,数字政府,数字经济"]
    for year, shift in ((2021, -4), (2022, -2), (2023, 0)):
        for i, (city, score) in enumerate(cities.items()):
            s = score + shift + (6 if city == "杭州" and year == 2023 else 0) + (i % 3) * 0.3
            rows.append(f"{city},{year},{s:.1f},{s - 3 + (i % 4):.1f},{s + 2 - (i % 5):.1f}")
    return "\n".join(rows) + "\n"


def test_the_card_shows_the_trajectory_and_the_tier_map_its_categories(
        app_url, page, map_frame, wait_for_polygons, tmp_path):
    from playwright.sync_api import expect

    src = tmp_path / "panel.csv"
    src.write_text(_panel_csv(), encoding="utf-8")
    page.goto(app_url + "/data")
    expect(page.get_by_role("heading", name="导入自有数据")).to_be_visible(timeout=30_000)
    page.locator('input[type="file"]').set_input_files(str(src))
    expect(page.get_by_text("多年数据：2021–2023（3 年）")).to_be_visible(timeout=60_000)
    _idle(page)
    toggle = page.locator('[data-testid="stCheckbox"]').filter(has_text="在地图上显示 2022 年到地图年份的变化")
    toggle.locator("label").first.click()
    expect(toggle.locator("input")).to_be_checked()
    page.wait_for_timeout(1_000)  # the rerun that adds the change metrics starts
    _idle(page)
    page.get_by_role("link", name="地图", exact=True).click()
    frame = _map(page, map_frame, wait_for_polygons)
    expect(frame.locator(".dei-title")).to_contain_text("自有数据（panel.csv） 2022→2023", timeout=30_000)
    _click(page, frame, 330100)
    expect(page.get_by_text("杭州的历年轨迹")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("最大的变化")).to_be_visible()
    expect(page.get_by_text("2022→2023 总分 +8.0，排名上升 1 位，二线城市 → 新一线城市")).to_be_visible()
    _idle(page)
    card = page.locator('[data-testid="stDataFrame"]').first
    card.scroll_into_view_if_needed()
    column = card.locator("xpath=ancestor::div[@data-testid='stColumn'][1]")
    grid, col = card.bounding_box(), column.bounding_box()
    assert grid["x"] >= col["x"] - 1 and grid["x"] + grid["width"] <= col["x"] + col["width"] + 1
    scroll = card.evaluate("""el => { const s = el.querySelector('.dvn-scroller');
                               return s ? s.scrollWidth - s.clientWidth : 0; }""")
    assert scroll <= 1  # no horizontal scrolling inside the table either
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    _idle(page)  # a click while the card's fragment still runs is dropped
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="地图指标").first
    box.click()
    box.locator("input").fill("分级变化")  # Streamlit's selectbox filters as one types
    page.get_by_role("option", name="分级变化（较起始年份）", exact=True).click()
    frame = _frame_titled(page, "分级变化（较起始年份）")
    legend = frame.locator(".dei-legend")
    for label in ("升两级及以上", "升一级", "不变", "降一级", "降两级及以上", "仅一年有数据", "2022 年 → 2023 年"):
        expect(legend).to_contain_text(label)
    # by hand: 杭州 60.6→68.6, 深圳 84.0→86.0 and 西安 64.6→66.6 move up one tier, the other 9 stay
    for row in ("升一级3 个", "不变9 个", "降一级0 个", "无数据358 个"):
        expect(legend).to_contain_text(row)
    swatches = legend.locator("i").evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert "rgb(175, 141, 195)" in swatches and "rgb(65, 182, 196)" not in swatches  # up one, no tier colour
    assert not [e for e in page.js_errors if "/_stcore/" not in e] and not page.blocked_requests
