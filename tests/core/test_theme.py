"""One palette module: every colour defined once in ``dei_geo.core.theme`` and used from there."""

import re

import pandas as pd

from dei_geo.core import theme

HEX = re.compile(r"#[0-9a-f]{6}")


def _colours():
    for name, value in vars(theme).items():
        if not name.isupper():
            continue
        if isinstance(value, str) and value.startswith("#"):
            yield name, value
        elif isinstance(value, dict):
            for v in value.values():
                yield from ((name, c) for c in (v if isinstance(v, list) else [v]) if isinstance(c, str))
        elif isinstance(value, tuple) and name.endswith("COLORS"):
            yield from ((name, c) for c in value)


def test_colours_are_lowercase_hex():
    colours = list(_colours())
    assert len(colours) > 40
    assert [(n, c) for n, c in colours if not HEX.fullmatch(c)] == []


def test_palettes_have_one_colour_per_class():
    assert theme.CLASS_COUNTS == (3, 4, 5, 6, 7) and theme.DEFAULT_K in theme.CLASS_COUNTS
    assert all(len(theme.SEQUENTIAL[k]) == k for k in theme.CLASS_COUNTS)


def test_the_maps_use_the_theme():
    from dei_geo.maps import classify, overlays, print_map, selection, web

    assert classify.PALETTE is theme.SEQUENTIAL and classify.SCHEMES == theme.SCHEMES
    assert web.CONFLICT_COLOR == theme.CONFLICT_COLOR and web.LINE_COLOR == theme.LINE_COLOR
    assert overlays.LISA_COLORS is theme.LISA_COLORS and overlays.NS_COLOR == theme.NS_COLOR
    assert overlays.KEYS == theme.LAYER_KEYS
    assert selection.OUTLINE["color"] == theme.OUTLINE_COLOR
    assert print_map.DPI == theme.PRINT_DPI and print_map.INK == theme.INK


def test_lisa_classes_have_the_same_colours_on_the_map_and_in_the_scatterplot():
    from dei_geo.analysis import spatial
    from dei_geo.app import regions_panel

    classes = list(spatial.LISA_CLASSES)
    local = pd.DataFrame({"lisa": classes, "value": [80.0, 40.0, 70.0, 45.0, 55.0],
                          "p_lisa": [0.01, 0.02, 0.03, 0.04, 0.5],
                          "z": [1.5, -1.2, 1.0, -0.8, 0.1], "lag": [1.2, -1.0, -0.5, 0.6, 0.0]},
                         index=[310100, 620100, 330100, 320500, 110100])
    spec = regions_panel._scatter(local, 0.4, "zh").to_dict()
    ranges = [layer["encoding"]["color"]["scale"]["range"] for layer in spec["layer"]
              if "color" in layer.get("encoding", {})]
    assert ranges == [[{**theme.LISA_COLORS, "ns": theme.NS_COLOR}[c] for c in classes]]


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_lisa_and_gi_colours_cannot_be_read_as_tier_colours():
    """Every LISA / Gi* class is far (RGB distance > 60) from every choropleth class colour; the
    old LL blue #2c7bb6 was 4 away from 新一线's #2c7fb8."""
    tiers = {c for palette in theme.SEQUENTIAL.values() for c in palette}
    for colour in [*theme.LISA_COLORS.values(), *theme.GI_COLORS.values()]:
        nearest = min(sum((a - b) ** 2 for a, b in zip(_rgb(colour), _rgb(c))) ** 0.5 for c in tiers)
        assert nearest > 60, colour
