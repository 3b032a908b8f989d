"""User text is data, never template source: Jinja payloads through every entry point.

folium/branca parse each element's rendered script as a Jinja template a second time, so text
put into a title, legend or tooltip would run on the server. Each payload must come out
literally, compute nothing (``DEI_SSTI`` is never set) and crash nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import json
import os
import re
from pathlib import Path

import folium
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo import cli
from dei_geo.maps import export, markup, print_map, selection, web

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
SIDE_EFFECT = "{{ lipsum.__globals__.os.environ.__setitem__('DEI_SSTI', 'ran') }}"
PAYLOADS = [
    "{{7*7}}",
    SIDE_EFFECT,
    "{{ lipsum.__globals__.os.getpid() }} {{ lipsum.__globals__.os.popen }}",
    "{% for x in [1,2,3] %}{{ x }}{% endfor %}",
    "{# hidden #}",
    "{{ config }}",
    "{{ ''.__class__ }}",
    "{{ x",
    "{% if",
    "<img src=x onerror=alert(1)>",
]
FILE_SAFE = [p for p in PAYLOADS if "/" not in p]  # a file name cannot hold "/"


@pytest.fixture(autouse=True)
def no_side_effect():
    os.environ.pop("DEI_SSTI", None)
    yield
    assert "DEI_SSTI" not in os.environ, "a Jinja expression from user text ran on the server"


def _control_text(page: str, css_class: str) -> str:
    """The visible text of a map control (title, legend) as the browser will show it."""
    found = re.search(r"L\.DomUtil\.create\('div', \"" + css_class + r"\"\);\s*div\.innerHTML = (\".*?\");",
                      page)
    assert found, f"no {css_class} control in the page"
    markup_html = json.loads(found.group(1))
    return html.unescape(re.sub(r"<[^>]+>", "\n", markup_html)).strip()


def _page_title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


def _csv(path: Path, city: str = "杭州", header: str = "总分") -> Path:
    path.write_text(f"城市,{header}\n{city},80.5\n北京,90.2\n上海,88.1\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cli_title_is_shown_literally(tmp_path, payload):
    out = tmp_path / "a.html"
    assert cli.main(["export", "--out", str(out), "--title", payload]) == 0
    page = out.read_text(encoding="utf-8")
    assert _control_text(page, "dei-title").splitlines()[0] == payload
    assert _page_title(page) == payload
    assert "49" not in _control_text(page, "dei-title")


@pytest.mark.parametrize("payload", FILE_SAFE)
def test_data_file_name_is_shown_literally(tmp_path, payload):
    data = _csv(tmp_path / f"{payload}.csv")
    out = tmp_path / "b.html"
    assert cli.main(["export", "--out", str(out), "--data", str(data),
                     "--layers", "cores,circles,rings", "--city", "杭州"]) == 0
    page = out.read_text(encoding="utf-8")
    assert f"（{payload}.csv）" in _control_text(page, "dei-title")
    assert f"{payload}.csv" in _page_title(page)


def _rows(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.mark.parametrize("payload", [SIDE_EFFECT, "{{ x", "{% for x in [1] %}"])
def test_column_header_and_city_cell_are_data(tmp_path, capsys, payload):
    """An unknown city is reported literally and an extra column named with a payload is
    ignored with a hint; a file whose rows are valid still maps."""
    cell = _rows(tmp_path / "cell.csv", [["城市", "总分"], [payload, 80.5], ["北京", 90.2]])
    assert cli.main(["validate", str(cell), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [i["value"] for i in report["issues"] if i["value"] == payload] == [payload]
    header = _rows(tmp_path / "header.csv", [["城市", "总分", payload], ["北京", 90.2, 1],
                                             ["上海", 88.1, 2]])
    assert cli.main(["validate", str(header)]) == 0
    assert payload in capsys.readouterr().out
    out = tmp_path / "c.html"
    assert cli.main(["export", "--out", str(out), "--data", str(header)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "（header.csv）" in _control_text(page, "dei-title")
    legend = _control_text(page, "dei-legend").splitlines()
    assert legend[legend.index("一线城市（≥85.0）") + 1] == "2 个"  # 北京 and 上海 are drawn


def test_metric_label_from_user_reaches_tooltips_escaped(ds):
    payload = "{{7*7}}<b>"
    prepared = web.prepare_map(ds, metric="economy", metric_label=payload)
    tips = [f["properties"]["tip"] for f in prepared.cities["features"]]
    assert any(html.unescape(re.sub(r"<(?!b>)[^>]+>", "", tip)).count(payload) for tip in tips)
    page = export.to_html(prepared)  # rendered twice by branca: would fail or print 49
    assert "&amp;#123;&amp;#123;7*7" not in page  # escaped once, not twice
    assert re.search(r"\\u0026#123;\\u0026#123;7\*7\\u0026#125;\\u0026#125;\\u0026lt;b\\u0026gt;", page)


def test_seal_refuses_an_unescaped_string_instead_of_evaluating_it(ds):
    prepared = web.prepare_map(ds)
    raw = folium.FeatureGroup(name=SIDE_EFFECT)  # a layer name that bypassed markup.esc
    with pytest.raises(markup.UnsafeMarkup, match="FeatureGroup.layer_name"):
        export.to_html(prepared, lambda: [raw])
    tip = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 1, "properties": {"tip": "{% if"},
         "geometry": {"type": "Point", "coordinates": [120, 30]}}]}
    with pytest.raises(markup.UnsafeMarkup, match="tip"):
        markup.seal(folium.GeoJson(tip))
    assert markup.seal(selection.highlight(prepared.cities, 330100))  # our own layers pass


def test_esc_and_js_string_leave_no_delimiter():
    for payload in PAYLOADS:
        for text in (markup.esc(payload), markup.js_string(payload)):
            assert not markup.JINJA_DELIMITER.search(text) and "<" not in text
        assert html.unescape(markup.esc(payload)) == payload
        assert json.loads(markup.js_string(payload)) == payload


@pytest.mark.parametrize("payload", [SIDE_EFFECT, "{{ x", "{% for x in [1] %}{{ x }}"])
def test_uploaded_file_name_on_the_app_map(payload):
    """Upload a valid file named with a payload and show it on the map: the app renders the
    map (branca's double render included) without evaluating or crashing."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    data = "城市,总分\n杭州,80.5\n北京,90.2\n上海,88.1\n".encode("gbk")
    at.switch_page("dei_geo/app/pages/data.py").run()
    at.file_uploader(key="di_file").set_value((f"{payload}.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    at.switch_page("dei_geo/app/pages/map.py").run()
    assert not at.exception, at.exception
    assert at.toggle(key="di_show_user").value is True  # after an upload the map shows it
    assert at.session_state["di_show_user"] is True  # the user's map was built and rendered


@pytest.mark.parametrize("payload", [SIDE_EFFECT, "{{ x", "{{7*7}}"])
def test_city_link_is_shown_literally(payload):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = payload
    at.run()
    assert not at.exception, at.exception
    warned = " ".join(w.value for w in at.warning)
    assert payload.replace("{{", "").strip()[:5] in warned.replace("\\", "")


def test_print_map_title_and_source_are_plain_text(ds):
    """Print maps never meet Jinja or TeX: the title drawn is the text given."""
    prepared = dataclasses.replace(web.prepare_map(ds), source=f"{PAYLOADS[0]}.csv")
    fig = print_map.figure(prepared, print_map.NATIONAL, SIDE_EFFECT)
    drawn = {text.get_gid(): text.get_text() for text in fig.texts}
    assert drawn["title"] == SIDE_EFFECT and drawn["source"].endswith(f"{PAYLOADS[0]}.csv")
    assert print_map.to_bytes(fig, "png", 50).startswith(b"\x89PNG")
