"""The restyle script carries another prepared map's styles, tooltips, legend and title as data."""

from __future__ import annotations

import dataclasses
import html
import json

import pytest

from dei_geo.maps import restyle, web
from dei_geo.sources import datasets


@pytest.fixture(scope="module")
def report():
    return datasets.load_dei_2023()


def _data(script: str) -> dict:
    """The JSON object the script assigns to ``d``."""
    start = script.index("var d = ") + len("var d = ")
    return json.loads(script[start:script.index(", g = window.deiCities")])


def test_every_unit_gets_its_style_and_tooltip(report):
    pm = web.prepare_map(report, metric="economy")
    data = _data(restyle.script(pm))
    assert {int(a): data["styles"][i] for a, i in data["style"].items()} == pm.styles
    assert {int(a): tip for a, tip in data["tips"].items()} == {
        f["id"]: f["properties"]["tip"] for f in pm.cities["features"]}
    assert data["legend"] == web.legend_html(pm) and data["title"] == web.title_html(pm)
    assert len(data["styles"]) < 20  # distinct styles, not one per unit


def test_switching_metric_changes_the_payload(report):
    score, economy = (_data(restyle.script(web.prepare_map(report, metric=m))) for m in ("score", "economy"))
    assert score["style"] != economy["style"] and score["title"] != economy["title"]


def test_user_text_stays_escaped_data(report):
    hostile = "</script><img src=x onerror=alert(1)>{{7*7}}"
    pm = web.prepare_map(dataclasses.replace(report, label=hostile))
    script = restyle.script(pm)
    assert "<" not in script  # JSON escapes it: nothing can close the frame's script
    assert "{{" not in script
    title = _data(script)["title"]
    assert "<img" not in title and html.unescape(title).startswith(hostile)
