"""Spatial regression in words: problems name the column, tables as Markdown/LaTeX, the choice."""

import geopandas as gpd
import pytest
from libpysal.examples import get_path

from dei_geo.analysis import models
from dei_geo.wording import models as words


@pytest.fixture(scope="module")
def results():
    df = gpd.read_file(get_path("columbus.shp")).set_index("POLYID")
    s = models.sample(df, "HOVAL", ["INC", "CRIME"])
    w = models.build_weights(df[["geometry"]], "queen")
    return models.choose(s, w, draws=200)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problem_names_the_column_and_what_to_do(lang):
    text = words.problem(models.ModelInputError("collinear", column="gdp2", with_columns=["gdp"]), lang)
    assert "gdp2" in text and "gdp" in text and "→" in text
    text = words.problem(models.ModelInputError("band_islands", band_km=50.0, units=[460200], need_km=180.0), lang)
    assert "460200" in text and "180" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_choice_summary_says_the_favoured_model(results, lang):
    lines = words.choice(results, lang)
    assert lines[-1] == words.t("md_choice", lang, model=words.model_name("ols", lang))
    assert "0.322" in lines[0] and "0.078" in lines[0]  # LM-lag and LM-error p-values


def test_side_by_side_markdown_and_latex(results):
    table = words.side_by_side(list(results.results.values()), "en")
    assert list(table.columns) == ["Variable", "OLS", "SLX", "SAR", "SEM", "SDM", "SDEM"]
    assert table.iloc[0, 1] == "46.4282***" and table.iloc[1, 1] == "(13.1918)"
    md = words.to_markdown(table, "T", words.notes(list(results.results.values()), "en"))
    assert "| Constant | 46.4282*** |" in md and "Queen contiguity" in md and "236 links" in md
    tex = words.to_latex(table, "T_1 & 50%")
    assert "46.4282$^{***}$" in tex and r"\caption{T\_1 \& 50\%}" in tex and r"\toprule" in tex
    assert "W·INC" in md and "ρ (W·y)" in md and "AIC" in md
