"""The multi-year HTML map in a real browser, network cut off: the slider restyles the map."""

from __future__ import annotations

import pandas as pd

from dei_geo import cli
from dei_geo.core import places


def test_year_slider_switches_colours_legend_and_tooltips(tmp_path, offline_page, map_frame, wait_for_polygons):
    pl = places.load_places()
    rows = []
    for year, score in ((2021, 30.0), (2022, 90.0)):  # every city 四线 in 2021, 一线 in 2022
        rows += [{"城市": n, "年份": year, "总分": score + (0.1 if n == "杭州" else 0)} for n in pl["short_name"]]
    data = tmp_path / "two.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    out = tmp_path / "years.html"
    assert cli.main(["dynamics", str(data), "--weights", "none", "--map", str(out)]) == 0
    offline_page.goto(out.as_uri(), wait_until="load")
    frame = map_frame(offline_page)
    assert wait_for_polygons(frame, at_least=370) == 370
    fills = """() => new Set([...document.querySelectorAll('path.leaflet-interactive')]
                     .map(p => p.getAttribute('fill'))).size"""
    legend = frame.locator(".dei-legend").first
    assert "2022" in frame.locator(".dei-years").inner_text()
    last = legend.inner_text()
    frame.locator(".dei-years input").fill("0")
    assert "2021" in frame.locator(".dei-years").inner_text()
    assert legend.inner_text() != last
    assert frame.evaluate(fills) >= 1
    tip_2021 = frame.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        let tip = null;
        map.eachLayer(l => { if (l.feature && l.feature.id === 330100) tip = l.feature.properties.tip; });
        return tip; }""")
    assert "30.1" in tip_2021
    assert offline_page.blocked_requests == [] and offline_page.js_errors == []
