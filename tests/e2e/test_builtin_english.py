"""The Chinese app shows none of Streamlit's built-in English hints (headless Chromium, offline).

Nor its "Select N matches" entry in a filtered multiselect, which adds every match at once.

Streamlit writes "Press Enter to apply" under a text box being typed in and "200MB per file"
in the file uploader, in English whatever the app's language; the app hides both and says the
same in its own words (placeholder, upload label).
"""

from __future__ import annotations


def test_no_builtin_english_in_chinese_mode(app_url, offline_page, map_frame):
    from playwright.sync_api import expect

    page = offline_page
    page.goto(app_url)
    map_frame(page, timeout=60_000)
    search = page.get_by_placeholder("杭州 / hangzhou / 330100，按回车查找")
    search.click()
    search.press_sequentially("杭", delay=50)  # typed, not yet applied
    page.wait_for_timeout(500)
    assert page.get_by_text("Press Enter", exact=False).filter(visible=True).count() == 0
    search.fill("")  # nothing to apply when the box loses focus (leaving it would search for 杭)

    page.get_by_role("link", name="我的数据", exact=True).click()
    expect(page.get_by_text("上传得分表（CSV 或 XLSX，单个文件不超过 200 MB）")).to_be_visible(timeout=30_000)
    assert page.get_by_text("per file", exact=False).filter(visible=True).count() == 0

    page.get_by_role("link", name="对比", exact=True).click()
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="选择 2–5 个城市").click(timeout=30_000)
    page.keyboard.type("suzhou", delay=30)
    expect(page.get_by_role("option", name="苏州 Suzhou（江苏省）")).to_be_visible(timeout=10_000)
    assert page.get_by_role("option").filter(has_text="Select").count() == 0  # no "Select N matches"
    assert page.get_by_role("option").filter(has_text="随州").count() == 0  # pinyin by substring, not fuzzy
    assert page.blocked_requests == [] and page.js_errors == []
