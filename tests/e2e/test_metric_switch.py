"""A metric switch in the real app (headless Chromium, network cut) recolours the mounted map.

The map is not mounted again: the Leaflet object survives, and every polygon, tooltip, the legend
and the title show the new metric exactly as ``maps.web.prepare_map`` prepares it.
"""

from __future__ import annotations

from dei_geo.maps import web
from dei_geo.sources import datasets

DRAWN = """() => {  // adcode → [fill drawn, tooltip text] of every city polygon
    const out = {};
    window.deiCities.eachLayer(l => { out[l.feature.id] = [l._path.getAttribute("fill"), l.feature.properties.tip]; });
    return out;
}"""


def _pick_metric(page, label: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text="地图指标").first.click()
    page.get_by_role("option", name=label, exact=True).click()


def _expected(metric: str) -> web.PreparedMap:
    return web.prepare_map(datasets.load_dei_2023(), metric=metric)


def test_metric_switch_recolours_the_mounted_map(app_url, offline_page, map_frame, wait_for_polygons):
    page = offline_page
    page.goto(app_url)
    frame = map_frame(page, timeout=60_000)
    assert wait_for_polygons(frame, at_least=370, timeout=30_000) == 370
    frame.evaluate("() => { window.map.__probe = 'first mount'; }")
    before = frame.evaluate(DRAWN)
    score = _expected("score")
    assert {int(k): v[0] for k, v in before.items()} == {a: s["fillColor"] for a, s in score.styles.items()}

    _pick_metric(page, "数字经济")
    frame.wait_for_function("() => document.querySelector('.dei-title').textContent.includes('数字经济')",
                            timeout=30_000)
    economy = _expected("economy")
    after = frame.evaluate(DRAWN)
    tips = {f["id"]: f["properties"]["tip"] for f in economy.cities["features"]}
    assert {int(k): v[0] for k, v in after.items()} == {a: s["fillColor"] for a, s in economy.styles.items()}
    assert {int(k): v[1] for k, v in after.items()} == tips
    assert after != before
    legend = frame.locator(".dei-legend").inner_text()
    assert all(row.label in legend for row in economy.legend)
    assert frame.evaluate("() => window.map.__probe") == "first mount"  # not mounted again

    # hovering a city highlights it; leaving it restores the new metric's colours, not the old ones
    hangzhou = frame.evaluate("""() => { let f = null;
        window.deiCities.eachLayer(l => { if (l.feature.id === 330100) f = l; });
        f.fire("mouseover"); f.fire("mouseout"); return f._path.getAttribute("fill"); }""")
    assert hangzhou == economy.styles[330100]["fillColor"]
    assert page.blocked_requests == [] and page.js_errors == []
