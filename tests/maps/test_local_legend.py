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


# --- multiple-testing corrections: the classes and the cut-off used reach the legend ----------
@pytest.fixture(scope="module")
def queen(ds):
    return spatial.dei_spillover(ds, permutations=999)


def _with_small_p(sp, n: int = 30):
    """``sp`` with the LISA p-values of its ``n`` largest |z| non-island units made tiny (and
    spread), so that FDR lets some through at a cut-off other than α and α/m."""
    import copy

    out = copy.copy(sp)
    local = sp.local.copy()
    top = local[~local["island"]]["z"].abs().sort_values(ascending=False).index[:n]
    local.loc[top, "p_lisa"] = [0.00002 * (i + 1) for i in range(n)]
    out.local = local
    return out


def test_fdr_classes_and_cutoff_reach_the_lisa_legend(ds, queen):
    from dei_geo.analysis import models

    raw = _with_small_p(queen)
    sp = models.corrected(raw, "fdr")
    cut = models.cutoff(raw.local["p_lisa"], raw.alpha, "fdr")
    assert cut not in (raw.alpha, raw.alpha / len(raw.local)) and sp.cutoffs["lisa"] == cut
    layers = {layer.key: layer for layer in overlays.prepare(ds, "en", spill=sp)}
    legend = layers["lisa"].legend
    assert f"Significant: FDR, p ≤ {cut:.4g}" in legend  # the cut-off actually used
    assert "α = 0.05, FDR" in layers["lisa"].name and "α = 0.05, FDR" in legend
    significant = int((raw.local["p_lisa"] <= cut).sum())
    shown = sum(int(n) for n in sp.lisa_counts.drop("ns"))
    assert shown == significant > 0
    ns = int(sp.lisa_counts["ns"])
    assert ns != int((raw.local["lisa"] == "ns").sum()) and f"<span class='n'>{ns}</span>" in legend
    fills = {s["fillColor"] for s in layers["lisa"].styles.values()}
    assert len(fills) > 1  # some cities coloured by their corrected class


def test_bonferroni_and_none_state_their_cutoffs(ds, queen):
    from dei_geo.analysis import models

    bonf = {layer.key: layer for layer in overlays.prepare(ds, "zh", spill=models.corrected(queen, "bonferroni"))}
    cut = 0.05 / len(queen.local)
    for key in ("lisa", "gi"):
        assert f"显著：Bonferroni，p ≤ {cut:.4g}" in bonf[key].legend
        assert "不显著" in bonf[key].legend and "Bonferroni" in bonf[key].name
    assert "<span class='n'>254 个</span>" in bonf["lisa"].legend  # at 999 permutations none passes α/m
    assert "999 次置换能给出的最小 p 为 0.001，低于截断值" in bonf["lisa"].legend  # and the legend says why
    plain = {layer.key: layer for layer in overlays.prepare(ds, "zh", spill=queen)}
    assert "显著：不校正，p ≤ 0.05" in plain["gi"].legend and "Bonferroni" not in plain["gi"].name
    assert "置换能给出" not in plain["gi"].legend


def test_prepare_applies_the_correction_itself(ds):
    layers = {layer.key: layer for layer in overlays.prepare(ds, "en", correction="bonferroni")}
    assert "Bonferroni, p ≤ 0.0001969" in layers["gi"].legend
