"""The dynamics in words (wording.dynamics): the reading follows the numbers, in both languages."""

import numpy as np
import pandas as pd

from dei_geo.analysis import dynamics
from dei_geo.wording import dynamics as words


def _report(beta_sign: float, seed: int = 2):
    rng = np.random.default_rng(seed)
    n = 120
    y0 = rng.uniform(30, 90, n)
    g = 0.02 + beta_sign * 0.01 * (np.log(y0) - np.log(55)) + rng.normal(0, 0.001, n)
    years = {2020 + i: np.clip(np.exp(np.log(y0) + g * i), 0, 100) for i in range(4)}
    values = pd.DataFrame(years, index=range(n))
    parts = {"cores": pd.Series(np.where(np.arange(n) < 40, "a", "other"), index=values.index)}
    return dynamics.report(values, None, "tiers", parts=parts, permutations=0)


def test_beta_reading_says_convergence_or_divergence_by_the_sign_and_p():
    conv, div = _report(-1.0), _report(+1.0)
    assert conv["beta"]["absolute"]["beta"] < 0 < div["beta"]["absolute"]["beta"]
    assert "grew faster" in words.beta(conv["beta"]["absolute"], "en")
    assert "cities starting lower" in words.beta(conv["beta"]["absolute"], "en")
    assert "cities starting higher" in words.beta(div["beta"]["absolute"], "en")
    assert "初始得分越低" in words.beta(conv["beta"]["absolute"], "zh")
    flat = dict(conv["beta"]["absolute"], beta=0.001, p=0.4)
    assert "not significant" in words.beta(flat, "en") and "不显著" in words.beta(flat, "zh")


def test_sigma_reading_follows_the_coefficient_of_variation():
    conv, div = _report(-1.0), _report(+1.0)
    assert words.sigma(conv["sigma"], "en").startswith("σ-convergence")
    assert words.sigma(div["sigma"], "en").startswith("No σ-convergence")


def test_every_reading_exists_in_both_languages_and_states_the_sample():
    rep = _report(-1.0)
    zh, en = words.readings(rep, "zh"), words.readings(rep, "en")
    assert zh.keys() == en.keys() >= {"transitions", "rank_mobility", "sigma", "beta_absolute", "beta_fe_cores",
                                      "theil_cores", "spatial_markov"}
    assert all(zh[k] != en[k] for k in zh)
    assert "120" in en["transitions"] and "giddy.markov.Markov" in en["transitions"]
    assert "inequality.theil.TheilD" in en["theil_cores"] and "No spatial weights" in en["spatial_markov"]
    lines = words.lines(rep, "总分", "zh")
    assert lines[0].startswith("总分的动态，2020–2023 年") and len(lines) == len(zh) + 1


def test_skipped_results_say_why():
    assert "30" in words.spatial_markov({"skipped": "too_few_units", "n_units": 12}, "en")
    assert "12" in words.lisa_markov({"skipped": "too_few_units", "n_units": 12}, "zh")
