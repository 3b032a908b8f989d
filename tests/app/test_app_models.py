"""The full app (AppTest), models page: a fitted model's residuals mapped over the city units,
classed around 0 with the diverging palette, offline HTML to download."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dei_geo.core.theme import DIVERGING
from dei_geo.maps import web
from dei_geo.sources import datasets

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def _covariates() -> bytes:
    """A covariate for every scored city: the score plus deterministic noise (so residuals vary)."""
    scores = datasets.load_dei_2023().scores.dropna(subset=["score", "adcode"])
    noise = np.random.default_rng(7).normal(0, 5, len(scores))
    rows = [f"{int(a)},{s * 1000 + n * 1000:.1f}" for a, s, n in zip(scores["adcode"], scores["score"], noise)]
    return ("城市代码,人均GDP\n" + "\n".join(rows) + "\n").encode()


@pytest.fixture
def recorded(monkeypatch):
    """Every PreparedMap the app builds a map from, and the bytes of its downloads, by key."""
    import streamlit

    got = {"maps": [], "downloads": {}}
    build_map, download = web.build_map, streamlit.download_button

    def record_map(pm, *a, **kw):
        got["maps"].append(pm)
        return build_map(pm, *a, **kw)

    def record_download(label, data, *a, **kw):
        got["downloads"][kw.get("key")] = data() if callable(data) else data
        return download(label, data, *a, **kw)

    monkeypatch.setattr(web, "build_map", record_map)
    monkeypatch.setattr(streamlit, "download_button", record_download)
    return got


def test_model_tab_maps_the_residuals_around_zero(recorded):
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.switch_page("dei_geo/app/pages/models.py").run()
    at.file_uploader(key="md_upload").set_value(("cov.csv", _covariates(), "text/csv")).run()
    assert not at.exception, at.exception
    at.multiselect(key="md_x").set_value(["人均GDP"]).run()
    at.multiselect(key="md_models").set_value(["ols"]).run()
    recorded["maps"].clear()
    at.button(key="md_run").click().run()
    assert not at.exception, at.exception

    captions = " ".join(c.value for c in at.caption)
    assert "残差地图" in captions  # the caption under the table says what the map shows
    residual = [pm for pm in recorded["maps"] if "残差" in pm.title]
    assert residual, [pm.title for pm in recorded["maps"]]  # shown (and built again for the download)
    pm = residual[0]
    assert pm.title.endswith("OLS 残差（总分）") and "254 个城市" in pm.source
    assert "以 0 为中心" in " ".join(pm.notes)  # classed around 0
    palette = {c for colors in DIVERGING.values() for c in colors}
    classes = [row for row in pm.legend if row.color in palette]
    assert len(classes) >= 3 and any(row.label == "0.0" for row in classes)  # the middle class
    assert any(row.label.startswith("−") for row in classes) and any(row.label.startswith("+") for row in classes)
    assert sum(row.count for row in classes) >= 200  # the sample's cities, others drawn as no data
    tips = " ".join(f["properties"]["tip"] for f in pm.cities["features"])
    assert "残差" in tips

    html = recorded["downloads"]["md_residual_download"].decode("utf-8")
    assert "残差" in html and "<script src=\"http" not in html  # offline, self-contained


def test_a_lag_model_maps_each_citys_spillover(recorded):
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.switch_page("dei_geo/app/pages/models.py").run()
    at.file_uploader(key="md_upload").set_value(("cov.csv", _covariates(), "text/csv")).run()
    at.multiselect(key="md_x").set_value(["人均GDP"]).run()
    at.multiselect(key="md_models").set_value(["sar"]).run()
    recorded["maps"].clear()
    at.button(key="md_run").click().run()
    assert not at.exception, at.exception
    assert "人均GDP 的逐城市间接（溢出）效应" in " ".join(c.value for c in at.caption)
    spill = [pm for pm in recorded["maps"] if "间接（溢出）效应" in pm.title]
    assert spill and "人均GDP" in spill[0].title
    colors = {row.color for row in spill[0].legend}
    palette = {c for side in DIVERGING.values() for c in side}
    assert len((colors & palette) - {"#f5f5f5"}) >= 2  # classed around 0, not lumped into "0"
