"""LISA / Gi* in a real browser: their legend replaces the choropleth's while shown, and only one
fill overlay is on the map at a time (exported file, network cut off)."""

from __future__ import annotations

from dei_geo import cli


def _visible(frame, selector: str) -> list[str]:
    return frame.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel))
            .filter(el => el.offsetParent !== null).map(el => el.innerText)""", selector)


FILLS = """() => { const map = Object.values(window).find(v => v instanceof L.Map);
                   return map._deiFills.filter(g => map.hasLayer(g)).length; }"""


def _fills_on_map(frame, settle: int | None = None) -> int:
    if settle is not None:  # the other fill overlay leaves once the click has been handled
        frame.wait_for_function(f"() => ({FILLS})() === {settle}", timeout=5_000)
    return frame.evaluate(FILLS)


def test_lisa_legend_replaces_the_tier_legend(tmp_path, offline_page, map_frame, wait_for_polygons):
    out = tmp_path / "lisa.html"
    assert cli.main(["export", "--out", str(out), "--layers", "lisa,gi"]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    wait_for_polygons(frame, at_least=370)
    base = ".dei-legend:not(.dei-local-legend)"
    # Gi* (the last fill overlay asked for) is on: its legend, not the tiers'
    assert _fills_on_map(frame, settle=1) == 1 and _visible(frame, base) == []
    [legend] = _visible(frame, ".dei-local-legend")
    assert "Gi*" in legend and "Queen 邻接，α = 0.05" in legend and "一线城市" not in legend
    # switching LISA on takes Gi* off: one fill overlay, the LISA legend
    frame.locator(".leaflet-control-layers-overlays label", has_text="LISA").locator("input").click()
    assert _fills_on_map(frame, settle=1) == 1
    [legend] = _visible(frame, ".dei-local-legend")
    assert "LISA" in legend and "Gi*" not in legend
    gi_box = frame.locator(".leaflet-control-layers-overlays label", has_text="Gi*").locator("input")
    assert not gi_box.is_checked()  # the layer control follows
    # and off again: the tier legend is back
    frame.locator(".leaflet-control-layers-overlays label", has_text="LISA").locator("input").click()
    assert _visible(frame, ".dei-local-legend") == [] and _fills_on_map(frame) == 0
    assert "一线城市" in _visible(frame, base)[0]
    assert offline_page.blocked_requests == [] and offline_page.js_errors == []
