"""Dynamics over years (analysis.dynamics): giddy's and inequality's documented examples through our
wrappers, hand-counted tier transitions, the Theil identity, β recovered on a synthetic panel."""

import libpysal
import numpy as np
import pandas as pd
import pytest
from scipy.stats import gaussian_kde

from dei_geo.analysis import dynamics


def _usjoin():
    f = libpysal.io.open(libpysal.examples.get_path("usjoin.csv"))
    pci = np.array([f.by_col[str(y)] for y in range(1929, 2010)]).T
    w = libpysal.io.open(libpysal.examples.get_path("states48.gal")).read()
    return pci, w


def _frame(array, ids, years):
    return pd.DataFrame(array, index=pd.Index(ids), columns=list(years))


def _mexico():
    f = libpysal.io.open(libpysal.examples.get_path("mexico.csv"))
    y = np.array([f.by_col[f"pcgdp{d}"] for d in range(1940, 2010, 10)]).T
    return f, _frame(y, range(len(y)), range(1940, 2010, 10))


# --- giddy's and inequality's documented examples ------------------------------------------
def test_markov_on_pooled_quintiles_reproduces_giddys_relative_income_example():
    pci, _ = _usjoin()
    rpci = _frame(pci / pci.mean(axis=0), range(48), range(1929, 2010))
    cls = dynamics.classes(rpci, "quantiles", k=5)
    out = dynamics.transitions(rpci, cls)
    assert out["counts"] == [[707, 58, 7, 1, 0], [50, 629, 80, 1, 1], [4, 79, 610, 73, 2],
                             [0, 7, 72, 650, 37], [0, 0, 0, 48, 724]]
    np.testing.assert_allclose(out["steady_states"][0],
                               [0.17957376, 0.21631443, 0.21499942, 0.21134662, 0.17776576], atol=1e-8)
    assert out["n_transitions"] == 48 * 80


def test_spatial_markov_reproduces_giddys_documented_example():
    pci, w = _usjoin()
    rpci = _frame(pci / pci.mean(axis=0), w.id_order, range(1929, 2010))
    out = dynamics.spatial_markov(rpci, w, dynamics.classes(rpci, "quantiles", k=5))
    np.testing.assert_allclose(out["classes"]["cutoffs"], [0.83999133, 0.94707545, 1.03242697, 1.14911154],
                               atol=1e-8)
    np.testing.assert_allclose(out["lag_cutoffs"], [0.88973386, 0.95891917, 1.01469758, 1.1183566], atol=1e-8)
    np.testing.assert_allclose(out["probabilities"][0][0], [0.96341463, 0.0304878, 0.00609756, 0, 0], atol=1e-8)
    np.testing.assert_allclose(out["probabilities"][4][4], [0, 0, 0, 0.02352941, 0.97647059], atol=1e-8)
    assert f"{out['LR']:.3f}" == "170.659" and f"{out['Q']:.3f}" == "200.624"
    assert out["dof"] == 60 and out["n_units"] == 48 and out["n_years"] == 81
    assert out["weights"]["units"] == 48


def test_lisa_markov_reproduces_giddys_documented_example():
    pci, w = _usjoin()
    out = dynamics.lisa_markov(_frame(pci, w.id_order, range(1929, 2010)), w)
    assert out["counts"] == [[1087, 44, 4, 34], [41, 470, 36, 1], [5, 34, 1422, 39], [30, 1, 40, 552]]
    np.testing.assert_allclose(out["steady_states"][0], [0.28561505, 0.14190226, 0.40493672, 0.16754598], atol=1e-8)
    assert f"{out['chi2']:8.3f}" == "1058.208" and out["dof"] == 9
    assert out["quadrants"] == ["HH", "LH", "LL", "HL"]


def test_kendall_tau_reproduces_giddys_documented_example():
    v = _frame(np.array([[12, 1], [2, 4], [1, 7], [12, 1], [2, 0]], dtype=float), range(5), (2021, 2022))
    pair = dynamics.rank_mobility(v)["pairs"][0]
    assert (f"{pair['tau']:.5f}", f"{pair['p']:.5f}", pair["n"]) == ("-0.47140", "0.24821", 5)


def test_regional_tau_reproduces_giddys_documented_example():
    f, v = _mexico()
    regime = pd.Series(np.array(f.by_col["esquivel99"]), index=v.index)
    out = dynamics.rank_mobility(v, partitions={"esquivel99": regime})["regional"]["esquivel99"]
    expected = [[1., 0.25, 0.5, 0.6, 0.83333333, 0.6, 1.],
                [0.25, 0.33333333, 0.5, 0.3, 0.91666667, 0.4, 0.75],
                [0.5, 0.5, 0.6, 0.4, 0.38888889, 0.53333333, 0.83333333],
                [0.6, 0.3, 0.4, 0.2, 0.4, 0.28, 0.8],
                [0.83333333, 0.91666667, 0.38888889, 0.4, 0.6, 0.73333333, 1.],
                [0.6, 0.4, 0.53333333, 0.28, 0.73333333, 0.8, 0.8],
                [1., 0.75, 0.83333333, 0.8, 1., 0.8, 0.33333333]]
    np.testing.assert_allclose(out["tau"], expected, atol=1e-8)
    assert (out["from"], out["to"], out["n"]) == (1940, 2000, 32)


def test_theil_split_reproduces_inequalitys_documented_example():
    f, v = _mexico()
    out = dynamics.theil_split(v, pd.Series(np.array(f.by_col("hanson98")), index=v.index))
    np.testing.assert_allclose(out["between"], [0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257,
                                                0.02963731, 0.03635872], atol=1e-8)
    np.testing.assert_allclose(out["within"], [0.17435454, 0.12405598, 0.0521202, 0.04263506, 0.06354856,
                                               0.07547525, 0.0702496], atol=1e-8)
    np.testing.assert_allclose(dynamics.sigma(v)["theil"], [0.20894344, 0.15222451, 0.10472941, 0.10194725,
                                                            0.09560113, 0.10511256, 0.10660832], atol=1e-8)


# --- known answers on small panels ---------------------------------------------------------
def test_tier_transitions_counted_by_hand():
    # tiers ascending: t5 <40, t4 40-50, t3 50-65, t2 65-85, t1 >=85 (85.0 is t1)
    v = _frame(np.array([[39.9, 40.0, 41.0],     # t5 → t4 → t4
                         [84.99, 85.0, 86.0],    # t2 → t1 → t1
                         [70.0, 64.9, np.nan],   # t2 → t3, then absent
                         [np.nan, 55.0, 66.0],   # absent, then t3 → t2
                         [90.0, 80.0, 90.0]]),   # t1 → t2 → t1
               range(5), (2021, 2022, 2023))
    out = dynamics.transitions(v, dynamics.classes(v, "tiers"))
    # classes in order t5, t4, t3, t2, t1: by hand, 2021→22: t5→t4, t2→t1, t2→t3, t1→t2;
    # 2022→23: t4→t4, t1→t1, t3→t2, t2→t1
    expected = np.zeros((5, 5), dtype=int)
    for a, b in [(0, 1), (3, 4), (3, 2), (4, 3), (1, 1), (4, 4), (2, 3), (3, 4)]:
        expected[a, b] += 1
    assert out["counts"] == expected.tolist()
    assert [p["units"] for p in out["pairs"]] == [4, 4]
    assert (out["n_transitions"], out["n_up"], out["n_down"], out["n_stay"]) == (8, 4, 2, 2)
    assert out["probabilities"][3] == pytest.approx([0.0, 0.0, 1 / 3, 0.0, 2 / 3])  # t2: → t3 once, → t1 twice
    assert out["probabilities"][0] == [0.0, 1.0, 0.0, 0.0, 0.0]
    # reducible: t4 is never left (absorbing); t3, t2, t1 form the other recurrent class, whose
    # stationary shares solve π3 = π2/3, π1 = 4π2/3 → (1/8, 3/8, 1/2)
    np.testing.assert_allclose(out["steady_states"], [[0, 1, 0, 0, 0], [0, 0, 1 / 8, 3 / 8, 1 / 2]], atol=1e-9)


def test_between_plus_within_is_the_total_and_within_is_the_weighted_group_theils():
    rng = np.random.default_rng(3)
    v = _frame(rng.uniform(20, 95, (60, 4)), range(60), range(2020, 2024))
    v.iloc[:6, 0] = np.nan
    groups = pd.Series(np.repeat(["a", "b", "c"], 20), index=v.index)
    out = dynamics.theil_split(v, groups)
    for row, year in zip(out.itertuples(), v.columns):
        y = v[year].dropna()
        share = y / y.sum()
        total = float((share * np.log(len(y) * share)).sum())
        within = 0.0
        for _, g in y.groupby(groups.loc[y.index]):
            s = g / g.sum()
            within += g.sum() / y.sum() * float((s * np.log(len(g) * s)).sum())
        assert row.total == pytest.approx(total, abs=1e-12)
        assert row.within == pytest.approx(within, abs=1e-12)
        assert row.between + row.within == pytest.approx(row.total, abs=1e-15)
        assert row.n == len(y)
    assert out["n"].tolist() == [54, 60, 60, 60]


def _convergent_panel(beta_true, n=370, seed=7, noise=0.004, effects=None):
    rng = np.random.default_rng(seed)
    y0 = rng.uniform(25, 95, n)
    span = 9
    effect = np.zeros(n) if effects is None else effects
    g = 0.1 + beta_true * np.log(y0) + effect + rng.normal(0, noise, n)
    cols = {2014: y0, 2023: np.exp(np.log(y0) + g * span)}
    return pd.DataFrame(cols), g


def test_beta_convergence_recovers_a_known_coefficient_within_its_standard_error():
    v, _ = _convergent_panel(-0.02)
    out = dynamics.beta(v)
    assert out["kind"] == "absolute" and out["n"] == 370
    assert abs(out["beta"] - -0.02) <= 2 * out["se"]  # a 95 % band
    # the standard error is the OLS one: σ / sqrt(Σ (x − x̄)²)
    x = np.log(v[2014])
    assert out["se"] == pytest.approx(0.004 / np.sqrt(((x - x.mean()) ** 2).sum()), rel=0.15)
    assert out["speed"] > 0 and out["half_life"] == pytest.approx(np.log(2) / out["speed"])


def test_beta_with_region_fixed_effects_removes_the_regional_bias():
    rng = np.random.default_rng(11)
    n = 300
    region = np.repeat(["east", "mid", "west"], n // 3)
    base = {"east": 70, "mid": 50, "west": 35}
    y0 = np.array([base[r] for r in region]) + rng.normal(0, 5, n)
    effect = np.array([{"east": 0.0, "mid": 0.02, "west": 0.04}[r] for r in region])
    g = 0.05 - 0.01 * np.log(y0) + effect + rng.normal(0, 0.002, n)
    v = pd.DataFrame({2014: y0, 2023: np.exp(np.log(y0) + 9 * g)})
    groups = pd.Series(region, index=v.index)
    fe, plain = dynamics.beta(v, groups), dynamics.beta(v)
    assert fe["kind"] == "conditional_fe" and fe["fixed_effects"] == 3
    assert abs(fe["beta"] - -0.01) <= 2 * fe["se"]
    assert abs(plain["beta"] - -0.01) > 10 * plain["se"]  # without them the regions' catch-up biases β


def test_sigma_convergence_figures():
    v = _frame(np.array([[10.0, 20.0], [20.0, 20.0], [30.0, 20.0]]), range(3), (2021, 2022))
    out = dynamics.sigma(v)
    assert out["cv"].tolist() == pytest.approx([10 / 20, 0.0])
    # Gini of 10, 20, 30: Σ|xi − xj| / (2 n² mean) = 80 / (2·9·20)
    assert out["gini"].tolist() == pytest.approx([80 / 360, 0.0])


def test_densities_are_scipys_gaussian_kde():
    rng = np.random.default_rng(1)
    v = _frame(rng.normal(55, 12, (200, 3)), range(200), (2021, 2022, 2023))
    out = dynamics.densities(v)
    grid = np.array(out["grid"])
    for year in v.columns:
        np.testing.assert_allclose(out["years"][str(year)]["density"], gaussian_kde(v[year])(grid), atol=1e-9)
    assert out["years"]["2021"]["n"] == 200


def test_risers_rank_among_cities_in_both_years():
    table = pd.DataFrame({
        "adcode": [330100, 510100, 320500, 420600, 330100, 510100, 320500, 110100],
        "year": [2021] * 4 + [2022] * 4,
        "score": [90, 80, 70, 60, 85, 88, 95, 99],
    })
    out = dynamics.risers(table, 2021, 2022, ["score"], n=2)
    # common: 杭州 (1→3), 成都 (2→2), 苏州 (3→1); 襄阳 and 北京 are in one year only
    assert out["city"].tolist() == ["苏州", "成都"]
    assert out["rank_change"].tolist() == [2, 0]
    assert out["n_common"].unique().tolist() == [3]


def test_spatial_parts_are_skipped_with_a_reason_below_the_minimum():
    v = _frame(np.arange(20.0).reshape(10, 2), range(10), (2021, 2022))
    assert dynamics.spatial_markov(v, None, dynamics.classes(v))["skipped"] == "too_few_units"
    assert dynamics.lisa_markov(v, None)["skipped"] == "too_few_units"


def test_regional_tau_for_large_panels_equals_giddys_tau_regional():
    from giddy.rank import Tau_Regional

    rng = np.random.default_rng(9)
    x, y = rng.normal(size=400), rng.normal(size=400)
    regime = rng.choice(["a", "b", "c", "d", "solo"], 400, p=[0.3, 0.3, 0.2, 0.1975, 0.0025])
    expected = Tau_Regional(x, y, regime).tau_reg
    np.testing.assert_allclose(dynamics.regional_tau(x, y, regime), expected, atol=1e-12, equal_nan=True)
