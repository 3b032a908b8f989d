"""LISA / Gi* layers: their own legend in place of the choropleth's, one fill overlay at a time,
and the weights and α chosen in the regions view, stated on the map."""

import folium
import pytest

from dei_geo.analysis import spatial
from dei_geo.maps import export, overlays, web


@pytest.fixture(scope="module")
def knn_layers(ds):
    sp = spatial.dei_spillover(ds, weights="knn", k=5, alpha=0.1, permutations=99)
    return {layer.key: layer for layer in overlays.prepare(ds, "zh", spill=sp)}


def test_layers_say_which_weights_and_alpha(knn_layers):
    for key in ("lisa", "gi"):
        assert "5 近邻，α = 0.1" in knn_layers[key].name
        assert "5 近邻，α = 0.1" in knn_layers[key].legend
    assert "Queen 邻接，α = 0.05" in overlays.settings({"kind": "queen", "k": None}, 0.05, "zh")


def test_local_legend_lists_the_classes_with_counts(knn_layers):
    legend = knn_layers["lisa"].legend
    for word in ("高-高", "低-低", "不显著"):
        assert word in legend
    assert legend.count("<i style='background:") == 5  # HH, LL, HL, LH, not significant


def test_only_one_fill_overlay_starts_visible_and_each_carries_the_legend_swap(ds, knn_layers):
    groups = overlays.build([knn_layers["lisa"], knn_layers["gi"], knn_layers["cores"]],
                            show=("lisa", "gi", "cores"))
    assert [g.show for g in groups] == [False, True, True]  # the last fill overlay asked for
    html = export.to_html(web.prepare_map(ds), lambda: overlays.build(
        [knn_layers["lisa"], knn_layers["gi"]], show=("lisa",)))
    assert html.count("dei-local-legend") == 4  # created and excluded, in each of two layers
    assert "map.removeLayer(fills[i])" in html and 'style.display = show ? "" : "none"' in html


def test_layer_legend_is_escaped(ds, knn_layers):
    layer = knn_layers["lisa"]
    evil = overlays.Layer(**{**layer.__dict__, "legend": "{{7*7}}<img src=x>"})
    m = web.build_map(web.prepare_map(ds))
    overlays.add_to(m, overlays.build([evil], show=("lisa",)))
    html = m.get_root().render()
    assert "<img src=x>" not in html and "49" not in html.split("dei-local-legend")[1][:400]
    assert isinstance(m, folium.Map)
