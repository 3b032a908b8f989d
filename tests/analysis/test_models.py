"""Spatial regression through our wrappers: spreg's documented examples (Columbus, Baltimore from
libpysal's bundled example data), known ρ/β recovered from simulated SAR/SDM processes, impacts
against the dense-matrix definition, bivariate Moran against esda, and bad input named."""

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from libpysal import io as psio
from libpysal.examples import get_path
from shapely.geometry import box

from dei_geo.analysis import models

warnings.filterwarnings("ignore", category=FutureWarning)
BALTIMORE_X = ["NROOM", "NBATH", "PATIO", "FIREPL", "AC", "GAR", "AGE", "LOTSZ", "SQFT"]


@pytest.fixture(scope="module")
def columbus():
    return gpd.read_file(get_path("columbus.shp")).set_index("POLYID")


@pytest.fixture(scope="module")
def columbus_fit(columbus):
    s = models.sample(columbus, "HOVAL", ["INC", "CRIME"])
    w = models.build_weights(columbus[["geometry"]], "queen")
    return s, w


@pytest.fixture(scope="module")
def baltimore():
    df = gpd.read_file(get_path("baltim.shp"))
    df.index = [str(i) for i in range(1, len(df) + 1)]  # baltim_q.gal ids: "1".."211", file order
    w = models.given_weights(psio.open(get_path("baltim_q.gal")).read(), "baltim_q.gal")
    return models.sample(pd.DataFrame(df.drop(columns="geometry")), "PRICE", BALTIMORE_X), w


def test_columbus_lm_tests_match_spregs_documented_values(columbus_fit):
    """spreg.diagnostics_sp.LMtests docstring: HOVAL ~ INC + CRIME, columbus.gal (queen, 236 links)."""
    s, w = columbus_fit
    assert w.links == 236
    d = models.fit(s, w, "ols").diagnostics
    assert round(d["lm_error"][0], 4) == 3.0971 and round(d["lm_error"][2], 4) == 0.0784
    assert round(d["lm_lag"][0], 4) == 0.9816 and round(d["lm_lag"][2], 4) == 0.3218
    assert round(d["rlm_error"][0], 4) == 3.2092 and round(d["rlm_lag"][0], 4) == 1.0936
    assert round(d["sarma"][0], 4) == 4.1907 and d["sarma"][1] == 2


def test_columbus_ols_coefficients_match_spreg(columbus_fit):
    s, w = columbus_fit
    c = models.fit(s, w, "ols").coefs.set_index("term")["coef"]
    assert c.round(4).tolist() == [46.4282, 0.6290, -0.4849]  # spreg.OLS docstring: 46.428, 0.629, -0.485


def test_baltimore_ml_lag_matches_spregs_documented_values(baltimore):
    """spreg.ML_Lag docstring: PRICE on nine house characteristics, baltim_q.gal row-standardised."""
    s, w = baltimore
    r = models.fit(s, w, "sar")
    c = r.coefs.set_index("term")
    assert round(c.at["rho", "coef"], 6) == 0.425885
    assert c["coef"].round(4).tolist() == [4.3675, 0.7502, 5.6116, 7.0497, 7.7246, 6.1231, 4.6375, -0.1107,
                                           0.0679, 0.0794, 0.4259]
    assert c["se"].round(4).tolist() == [4.8859, 1.0593, 1.7491, 2.7095, 2.3811, 2.3388, 1.6936, 0.0508,
                                         0.0146, 0.1631, 0.057]
    assert round(r.stats["logll"], 6) == -832.937174 and round(r.stats["aic"], 6) == 1687.874348
    assert round(r.stats["pseudo_r2"], 6) == 0.727081 and r.stats["n"] == 211


def test_sar_impacts_equal_spregs_full_multipliers(baltimore):
    """Our SAR impacts = spreg's 'full' method (exact inverse) multipliers × β."""
    import spreg

    s, w = baltimore
    r = models.fit(s, w, "sar")
    ref = spreg.ML_Lag(s.data[["PRICE"]].to_numpy(), s.data[BALTIMORE_X].to_numpy(), w.W, spat_impacts="full")
    adi, aii, ati = ref.sp_multipliers["full"]
    beta = r.coefs.set_index("term")["coef"]
    imp = r.impacts.set_index(["variable", "effect"])["estimate"]
    for v in BALTIMORE_X:
        assert imp[(v, "direct")] == pytest.approx(adi * beta[v], rel=1e-8)
        assert imp[(v, "indirect")] == pytest.approx(aii * beta[v], rel=1e-8)
        assert imp[(v, "total")] == pytest.approx(ati * beta[v], rel=1e-8)


def test_sdm_impacts_follow_the_dense_matrix_definition(columbus_fit):
    """LeSage & Pace: direct = tr(S(Iβ + Wθ))/n, total = 1ᵀS(Iβ + Wθ)1/n; the total is spreg's too."""
    s, w = columbus_fit
    r = models.fit(s, w, "sdm")
    c = r.coefs.set_index("term")["coef"]
    S = np.linalg.inv(np.eye(w.n) - c["rho"] * w.dense)
    imp = r.impacts.set_index(["variable", "effect"])
    for v in ("INC", "CRIME"):
        m = S @ (np.eye(w.n) * c[v] + w.dense * c[f"W_{v}"])
        assert imp.at[(v, "direct"), "estimate"] == pytest.approx(np.trace(m) / w.n, rel=1e-9)
        assert imp.at[(v, "total"), "estimate"] == pytest.approx(m.sum() / w.n, rel=1e-9)
        assert imp.at[(v, "total"), "estimate"] == pytest.approx((c[v] + c[f"W_{v}"]) / (1 - c["rho"]), rel=1e-9)
        lo, hi, se = imp.at[(v, "direct"), "ci_low"], imp.at[(v, "direct"), "ci_high"], imp.at[(v, "direct"), "se"]
        assert lo < imp.at[(v, "direct"), "estimate"] < hi and se > 0


def test_knn_multipliers_match_a_dense_inverse(columbus):
    """Eigenvalues of an asymmetric (knn) W give the same traces as the inverse."""
    w = models.build_weights(columbus[["geometry"]], "knn:4")
    m = models.multipliers(w, np.array([0.3, -0.2]))
    for i, rho in enumerate((0.3, -0.2)):
        S = np.linalg.inv(np.eye(w.n) - rho * w.dense)
        assert m["d"][i] == pytest.approx(np.trace(S) / w.n, rel=1e-9)
        assert m["dw"][i] == pytest.approx(np.trace(S @ w.dense) / w.n, rel=1e-9)
        assert m["t"][i] == pytest.approx(S.sum() / w.n, rel=1e-9)


def test_slx_impacts_are_the_coefficients_and_their_sum(columbus_fit):
    s, w = columbus_fit
    r = models.fit(s, w, "slx")
    c = r.coefs.set_index("term")
    imp = r.impacts.set_index(["variable", "effect"])
    assert imp.at[("INC", "direct"), "estimate"] == pytest.approx(c.at["INC", "coef"])
    assert imp.at[("INC", "indirect"), "se"] == pytest.approx(c.at["W_INC", "se"])
    assert imp.at[("INC", "total"), "estimate"] == pytest.approx(c.at["INC", "coef"] + c.at["W_INC", "coef"])


# --- known processes ---------------------------------------------------------------------------
def _grid(side: int) -> gpd.GeoDataFrame:
    cells = [box(i * 1000, j * 1000, (i + 1) * 1000, (j + 1) * 1000) for j in range(side) for i in range(side)]
    return gpd.GeoDataFrame(geometry=cells, index=pd.RangeIndex(len(cells), name="id"))


def _simulate(w, x, beta, theta, rho, seed):
    rng = np.random.default_rng(seed)
    W = w.dense
    xb = 1.0 + x @ beta + (W @ x) @ theta
    return np.linalg.solve(np.eye(w.n) - rho * W, xb + rng.normal(0, 1, w.n))


@pytest.mark.parametrize("model, theta", [("sar", (0.0, 0.0)), ("sdm", (0.8, -0.6))])
def test_known_rho_beta_theta_recovered_within_their_standard_errors(model, theta):
    units = _grid(20)
    w = models.build_weights(units, "queen")
    rng = np.random.default_rng(7)
    x = rng.normal(size=(w.n, 2))
    beta, rho = np.array([1.5, -1.0]), 0.5
    y = _simulate(w, x, beta, np.array(theta), rho, seed=11)
    frame = pd.DataFrame({"y": y, "x1": x[:, 0], "x2": x[:, 1]}, index=w.ids)
    r = models.fit(models.sample(frame, "y", ["x1", "x2"]), w, model)
    c = r.coefs.set_index("term")
    truth = {"rho": rho, "x1": beta[0], "x2": beta[1]}
    if model == "sdm":
        truth.update({"W_x1": theta[0], "W_x2": theta[1]})
    for term, value in truth.items():
        assert abs(c.at[term, "coef"] - value) < 2.5 * c.at[term, "se"], term


def test_panel_fixed_effects_lag_recovers_rho():
    units = _grid(12)
    w = models.build_weights(units, "queen")
    rng = np.random.default_rng(3)
    rows = []
    alpha = rng.normal(0, 2, w.n)
    for year in (2021, 2022, 2023, 2024):
        x = rng.normal(size=w.n)
        y = np.linalg.solve(np.eye(w.n) - 0.4 * w.dense, alpha + 2.0 * x + rng.normal(0, 1, w.n))
        rows.append(pd.DataFrame({"adcode": w.ids, "year": year, "y": y, "x": x}))
    frame = pd.concat(rows, ignore_index=True)
    s, years = models.panel_sample(frame.sample(frac=1, random_state=1), "y", ["x"])
    assert years == [2021, 2022, 2023, 2024]
    r = models.fit_panel(s, w, "panel_lag")
    c = r.coefs.set_index("term")
    assert abs(c.at["rho", "coef"] - 0.4) < 2.5 * c.at["rho", "se"]
    assert abs(c.at["x", "coef"] - 2.0) < 2.5 * c.at["x", "se"]
    e = models.fit_panel(s, w, "panel_error")
    assert "lambda" in set(e.coefs["term"]) and r.stats["n"] == e.stats["n"] == 4 * w.n


def test_unbalanced_panel_units_are_dropped_and_listed():
    frame = pd.DataFrame({"adcode": [1, 1, 2, 2, 3], "year": [1, 2, 1, 2, 1], "y": [1.0, 2, 3, 4, 5],
                          "x": [0.5, 1, 2, 1, 3]})
    s, _ = models.panel_sample(frame, "y", ["x"])
    assert s.dropped.to_dict("records") == [{"id": 3, "reason": "unbalanced", "columns": ["y", "x"]}]


# --- the model choice --------------------------------------------------------------------------
def test_choice_on_columbus_follows_the_tests(columbus_fit):
    """No LM test is significant at 5% and neither SDM restriction is rejected: OLS."""
    c = models.choose(*columbus_fit)
    assert c.lm_favours == "ols" and c.favoured == "ols"
    assert [code for code, _ in c.reasons] == ["lm_none", "lr_both_hold"]
    lr = c.tests.set_index("test")
    assert lr.at["lr_sdm_sar", "df"] == 2 and lr.at["lr_sdm_slx", "df"] == 1


def test_choice_finds_a_simulated_sdm():
    units = _grid(20)
    w = models.build_weights(units, "queen")
    x = np.random.default_rng(5).normal(size=(w.n, 2))
    y = _simulate(w, x, np.array([1.0, -1.0]), np.array([1.2, 1.0]), 0.5, seed=2)
    frame = pd.DataFrame({"y": y, "x1": x[:, 0], "x2": x[:, 1]}, index=w.ids)
    c = models.choose(models.sample(frame, "y", ["x1", "x2"]), w, draws=200)
    assert c.favoured == "sdm"


# --- local statistics --------------------------------------------------------------------------
def test_bivariate_moran_equals_esda(columbus):
    from esda import Moran_BV

    from dei_geo.analysis import spatial

    w = models.build_weights(columbus[["geometry"]], "queen")
    b = models.bivariate(columbus["CRIME"], columbus["INC"], w, permutations=999, seed=1)
    with spatial.seeded(1):
        ref = Moran_BV(columbus["CRIME"].to_numpy(), columbus["INC"].to_numpy(), w.graph.transform("r").to_W(),
                       permutations=999)
    assert b.I == pytest.approx(ref.I, abs=1e-12) and b.p_sim == ref.p_sim
    assert b.I < 0  # high crime next to low income
    assert set(b.local["cls"]) <= {"HH", "LL", "HL", "LH", "ns"}


def test_corrections_cutoffs():
    from esda import fdr

    p = np.array([0.001, 0.004, 0.02, 0.03, 0.2, 0.5, 0.8, 0.9, 0.01, 0.04])
    assert models.cutoff(p, 0.05, "none") == 0.05
    assert models.cutoff(p, 0.05, "bonferroni") == pytest.approx(0.005)
    assert models.cutoff(p, 0.05, "fdr") == pytest.approx(fdr(p, 0.05))
    assert models.cutoff(p, 0.05, "bonferroni") <= models.cutoff(p, 0.05, "fdr") <= 0.05


def test_corrected_classes_never_add_significance(ds):
    from dei_geo.analysis import spatial

    sp = spatial.dei_spillover(ds, permutations=99)
    plain, info = models.corrected_classes(sp, "none")
    strict, sinfo = models.corrected_classes(sp, "bonferroni")
    assert (plain["lisa"] == sp.local["lisa"]).all()
    assert (strict["lisa"] != "ns").sum() <= (plain["lisa"] != "ns").sum()
    assert sinfo["lisa"] == pytest.approx(0.05 / len(sp.local))


def test_correlogram_by_distance(columbus):
    """Columbus has no CRS (coordinates in units of 1 "km" × 1000 here): bands of 1, 2, 3 units."""
    from esda import Moran
    from libpysal.graph import Graph

    cg = models.correlogram(columbus[["geometry"]], columbus["CRIME"], bands_km=(0.001, 0.002, 0.003))
    assert list(cg["distance_km"]) == [0.001, 0.002, 0.003]
    ref = Moran(columbus["CRIME"].to_numpy(), Graph.build_distance_band(columbus.centroid, 1.0), permutations=0)
    assert cg["I"].iloc[0] == pytest.approx(ref.I)
    assert cg["I"].iloc[0] > 0.3 and cg["I"].iloc[2] < 0  # association fades, then reverses, with distance


# --- bad input ----------------------------------------------------------------------------------
def _codes(frame, y, x):
    with pytest.raises(models.ModelInputError) as err:
        models.sample(frame, y, x)
    return err.value.code, err.value.params


def test_bad_input_is_named(columbus):
    df = columbus[["HOVAL", "INC", "CRIME"]].copy()
    assert _codes(df.assign(c=1.0), "HOVAL", ["INC", "c"])[0] == "constant"
    code, params = _codes(df.assign(two=2 * df["INC"] + 1), "HOVAL", ["INC", "CRIME", "two"])
    assert code == "collinear" and params["column"] == "two" and params["with_columns"] == ["INC"]
    code, params = _codes(df.assign(t=["a"] + ["1"] * (len(df) - 1)), "HOVAL", ["t"])
    assert code == "not_numeric" and params["column"] == "t"
    assert _codes(df, "HOVAL", ["GDP"])[0] == "unknown_column"
    assert _codes(df, "HOVAL", [])[0] == "no_covariates"
    assert _codes(df, "HOVAL", ["HOVAL"])[0] == "y_in_x"


def test_missing_values_drop_units_and_list_them(columbus):
    df = columbus[["HOVAL", "INC", "CRIME"]].copy()
    df.loc[[3, 7], "INC"] = np.nan
    s = models.sample(df, "HOVAL", ["INC", "CRIME"])
    assert s.n == 47 and s.dropped.to_dict("records") == [
        {"id": 3, "reason": "missing", "columns": ["INC"]}, {"id": 7, "reason": "missing", "columns": ["INC"]}]


def test_fewer_observations_than_parameters(columbus):
    few = columbus.iloc[:6]
    s = models.sample(few, "HOVAL", ["INC", "CRIME"])
    w = models.build_weights(few[["geometry"]], "knn:2")
    with pytest.raises(models.ModelInputError) as err:
        models.fit(s, w, "sdm")  # const, 2 β, 2 θ, ρ = 6 parameters, 6 observations
    assert err.value.code == "too_few_obs" and err.value.params == {"n": 6, "k": 6, "model": "sdm"}


def test_weights_specs_and_band_islands(columbus):
    assert models.parse_weights("band:150km") == ("band", 150.0)
    assert models.parse_weights("knn:6") == ("knn", 6.0)
    for bad in ("rook", "knn:1.5", "band", "band:-3km", "queen:3"):
        with pytest.raises(models.ModelInputError):
            models.parse_weights(bad)
    geo = columbus[["geometry"]].set_crs(None, allow_override=True)
    with pytest.raises(models.ModelInputError) as err:
        models.build_weights(geo, "band:0.0005km")  # coordinates in metres/1000: a tiny band
    assert err.value.code == "band_islands" and err.value.params["units"] and err.value.params["need_km"] > 0
    w = models.build_weights(geo, f"band:{err.value.params['need_km']:g}km")
    assert w.graph.cardinalities.min() >= 1 and w.to_dict()["spec"].startswith("band:")
    raw = models.build_weights(geo, f"band:{err.value.params['need_km']:g}km", row_standardised=False)
    assert not np.allclose(raw.dense.sum(axis=1), 1) and np.allclose(w.dense.sum(axis=1), 1)


# --- DEI data -----------------------------------------------------------------------------------
def test_core_spillover_on_the_bundled_scores(ds):
    scores = ds.scores.dropna(subset=["score"]).set_index("adcode")["score"]
    units = models.dei_units(scores.index)
    cs = models.core_spillover(scores, units)
    assert set(cs.cores["city"]) == {"北京", "上海", "广州", "深圳", "成都", "重庆"}  # the four core clusters' centres
    ols = cs.effect[(cs.effect["model"] == "ols") & (cs.effect["term"] == "ln_distance")].iloc[0]
    assert ols.ci_low < ols.coef < ols.ci_high
    assert ols.coef < 0  # farther from the cores, lower scores
    assert not set(cs.cores["adcode"]) & set(cs.frame.index)


def test_local_impacts_average_to_the_models_impacts():
    """Unit by unit, the effects of a lag model average exactly to its reported impacts."""
    import libpysal

    rng = np.random.default_rng(7)
    n = 49
    w = models.given_weights(libpysal.weights.lat2W(7, 7), "lattice")
    frame = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)}, index=w.ids)
    frame["y"] = 1 + 2 * frame["x1"] - frame["x2"] + rng.normal(scale=0.5, size=n)
    s = models.sample(frame, "y", ["x1", "x2"])
    for model in ("sar", "sdm", "slx"):
        result = models.fit(s, w, model, draws=50)
        local = models.local_impacts(result, w, "x1")
        reported = result.impacts[result.impacts["variable"] == "x1"].set_index("effect")["estimate"]
        for effect in ("direct", "indirect", "total"):
            assert local[effect].mean() == pytest.approx(reported[effect], rel=1e-6, abs=1e-9)
        if model != "slx":  # row-standardised W: SLX spills θ into every unit alike
            assert local["indirect"].std() > 0  # through S(ρ) the spillover differs between units
    with pytest.raises(ValueError, match="no unit-by-unit spillover"):
        models.local_impacts(models.fit(s, w, "ols"), w, "x1")
