"""User text shown literally in a real browser: a Jinja/HTML payload as the title of an export."""

from __future__ import annotations

from dei_geo import cli

PAYLOAD = "{{7*7}} {% for x in [1,2] %}{{ x }}{% endfor %} {# c #} <img src=x onerror=alert(1)>"


def test_exported_title_is_the_literal_text(tmp_path, offline_page, map_frame, wait_for_polygons):
    out = tmp_path / "hostile.html"
    assert cli.main(["export", "--out", str(out), "--title", PAYLOAD]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    wait_for_polygons(frame, at_least=370)
    title = frame.locator(".dei-title")
    assert title.inner_text().splitlines()[0] == PAYLOAD
    assert title.locator("img").count() == 0  # markup in the text stays text
    assert offline_page.title() == PAYLOAD
    assert offline_page.blocked_requests == [] and offline_page.js_errors == []
