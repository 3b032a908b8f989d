"""Selecting a city: reading st_folium's output, the outline, and the app's selection state."""

import copy
import json
from pathlib import Path

import folium
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.maps import assets, selection, web
from dei_geo.sources import datasets

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture(scope="module")
def prepared():
    return web.prepare_map(datasets.load_dei_2023())


def _clicked(feature_id, **props):
    feature = {"type": "Feature", "properties": {"tip": "<b>x</b>", **props},
               "geometry": {"type": "Polygon", "coordinates": []}}
    if feature_id is not None:
        feature["id"] = feature_id
    return {"last_active_drawing": feature}


@pytest.mark.parametrize("output, expected", [
    (_clicked(330100, clicks=1), 330100),
    (_clicked("330100"), 330100),
    (_clicked(None), None),              # a feature without id (e.g. a province line)
    (_clicked("abc"), None),
    (_clicked(True), None),
    ({"last_active_drawing": None}, None),  # nothing clicked yet
    ({}, None),
    (None, None),
])
def test_clicked_adcode(output, expected):
    assert selection.clicked_adcode(output) == expected


def test_clicked_adcode_ignores_unknown_units():
    assert selection.clicked_adcode(_clicked(330100), known={330100}) == 330100
    assert selection.clicked_adcode(_clicked(999999), known={330100}) is None


def _render(group: folium.FeatureGroup) -> str:
    m = folium.Map(tiles=None)
    group.add_to(m)
    return m.get_root().render()


def test_highlight_outlines_only_the_selected_city(prepared):
    group = selection.highlight(prepared.cities, 330100)
    layers = list(group._children.values())
    assert len(layers) == 2  # halo + outline
    source = next(f for f in prepared.cities["features"] if f["id"] == 330100)
    for layer in layers:
        assert [f["id"] for f in layer.data["features"]] == [330100]
        assert layer.data["features"][0]["geometry"] == source["geometry"]
        assert layer.options["interactive"] is False  # clicks reach the city underneath
    html = _render(group)
    assert '"interactive": false' in html and selection.OUTLINE["color"] in html


def test_highlight_carries_no_property_html(prepared):
    cities = copy.deepcopy(prepared.cities)
    for f in cities["features"]:
        if f["id"] == 330100:
            f["properties"]["tip"] = "<img src=x onerror=alert(1)>"
    html = _render(selection.highlight(cities, 330100))
    assert "onerror" not in html and "<img" not in html


def test_no_or_unknown_selection_gives_an_empty_group(prepared):
    assert not selection.highlight(prepared.cities, None)._children
    assert not selection.highlight(prepared.cities, 999999)._children


def _base_map_html(prepared) -> str:
    m = selection.count_clicks(assets.use_data_urls(web.build_map(prepared)))
    return m.get_root().render()


def test_base_map_is_identical_on_every_run(prepared):
    first, second = _base_map_html(prepared), _base_map_html(prepared)
    assert first == second  # the component key is a hash of it: no remount on reruns
    assert "{clicks: (props.clicks || 0) + 1}" in first


def test_count_clicks_needs_the_city_layer():
    with pytest.raises(ValueError, match="'cities' layer"):
        selection.count_clicks(folium.Map(tiles=None))


# --- the app: selection state, URL, remount ------------------------------------------------
def _map(at):
    (component,) = at.get("component_instance")
    return component.proto


def test_link_opens_on_the_city_and_any_name_works():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "hangzhou"
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "杭州\u3000杭州市"
    assert at.query_params["city"] == "330100"  # normalised to the adcode


def test_unknown_city_in_link_is_reported_and_dropped():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "atlantis"
    at.run()
    assert not at.exception
    # nothing selected; nothing is close to it, so no unrelated names are offered: "no match"
    assert "atlantis" in at.warning[0].value and not at.sidebar.warning
    assert "city" not in at.query_params
    assert at.subheader[0].value == "分级统计"  # the overview, no card


def test_selection_survives_language_and_classification_then_clears():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["city"] = "330100"
    at.run()
    at.sidebar.radio(key="w_lang").set_value("en").run()
    assert at.subheader[0].value == "Hangzhou · 杭州 (杭州市)"
    assert {m.label for m in at.metric} >= {"Score", "Rank"}
    at.sidebar.selectbox(key="w_scheme_en").set_value("quantiles").run()
    assert not at.exception and at.subheader[0].value == "Hangzhou · 杭州 (杭州市)"
    assert at.query_params["city"] == "330100"
    at.button(key="clear_city").click().run()  # on the card
    assert "city" not in at.query_params
    assert at.subheader[0].value == "Tiers"


def _first_point(prepared, adcode) -> str:
    feature = next(f for f in prepared.cities["features"] if f["id"] == adcode)
    ring = feature["geometry"]["coordinates"][0]
    return json.dumps(ring[0][0] if feature["geometry"]["type"] == "MultiPolygon" else ring[0])


def test_selecting_changes_the_outline_not_the_map(prepared):
    at = AppTest.from_file(APP, default_timeout=120).run()
    before = _map(at)
    assert "L.geoJson" not in json.loads(before.json_args)["feature_group"]  # nothing outlined
    at.sidebar.text_input(key="city_search").input("阿里").run()
    after = _map(at)
    assert after.id == before.id  # same component key: the map is not remounted
    args = json.loads(after.json_args)
    assert args["script"] == json.loads(before.json_args)["script"]
    assert args["returned_objects"] == ["last_active_drawing"]
    assert _first_point(prepared, 542500) in args["feature_group"]  # 阿里 outlined
    assert '"interactive": false' in args["feature_group"]
