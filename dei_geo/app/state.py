"""What every page needs: the language, the datasets, the view chosen, and cached expensive calls."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dei_geo.analysis import models, spatial
from dei_geo.core.i18n import Lang
from dei_geo.core.theme import Scheme
from dei_geo.maps import overlays, web
from dei_geo.sources import datasets
from dei_geo.sources.datasets import Dataset


@dataclass(frozen=True)
class Ctx:
    """The state a panel renders from (read-only for panels)."""

    lang: Lang
    ds: Dataset
    scheme: Scheme
    k: int
    metric: str = "score"
    spatial: tuple = (spatial.WEIGHT_KINDS[0], spatial.KNN_K, spatial.ALPHA, models.CORRECTIONS[0])
    # weights, k, α, multiple-testing correction


SPATIAL_KEYS = ("sp_weights", "sp_k", "sp_alpha", "sp_correction")  # the regions page's widgets


@dataclass(frozen=True)
class View:
    """What the sidebar chose, for the page being shown (``main.run`` sets it every run)."""

    report: Ctx          # the report's own data (city card, ranking, comparison, regions)
    shown: Ctx           # the data on the map: an upload when it is shown, else the report
    layers: tuple[str, ...] = ()  # switchable region layers turned on
    user: Dataset | None = None   # the scored upload, shown or not


VIEW_KEY = "_view"


def set_view(view: View) -> None:
    st.session_state[VIEW_KEY] = view


def view() -> View:
    """The view ``main.run`` chose for this run."""
    return st.session_state[VIEW_KEY]


def spatial_settings() -> tuple[str, int, float, str]:
    """The spatial weights, k, α and multiple-testing correction chosen on the regions tab
    (defaults until it is touched): the same settings drive its statistics, the map's LISA / Gi*
    layers and the city card."""
    kind = st.session_state.get(SPATIAL_KEYS[0], spatial.WEIGHT_KINDS[0])
    k = int(st.session_state.get(SPATIAL_KEYS[1], spatial.KNN_K)) if kind == "knn" else spatial.KNN_K
    correction = st.session_state.get(SPATIAL_KEYS[3], models.CORRECTIONS[0])
    return kind, k, float(st.session_state.get(SPATIAL_KEYS[2], spatial.ALPHA)), correction


@st.cache_resource
def bundled() -> Dataset:
    """The bundled DEI 2023 dataset (loaded once per server; never modified)."""
    return datasets.load_dei_2023()


@st.cache_resource(show_spinner=False, max_entries=64)
def prepared(scheme: Scheme, k: int, lang: Lang, metric: str = "score") -> web.PreparedMap:
    """The report's map, shared by every session (read-only: never copied per session)."""
    return web.prepare_map(bundled(), metric=metric, scheme=scheme, k=k, lang=lang)


def dataset_key(ds: Dataset) -> tuple:
    """A cache key for a dataset: its label and a hash of its scores."""
    return ds.label, datasets.fingerprint(ds)


@st.cache_data(show_spinner=False, max_entries=8)
def layer_data(key: tuple, _ds: Dataset, lang: Lang, settings: tuple = Ctx.spatial) -> list:
    """Plain data of the switchable region layers (cores, circles, clusters, rings, LISA, Gi*),
    LISA / Gi* with the spatial ``settings`` (weights, k, α, correction) of the regions tab."""
    try:
        spill = _spillover(key, _ds, settings)
    except spatial.TooFewUnits:
        spill = None  # overlays.prepare says why on the layers
    return overlays.prepare(_ds, lang, spill=spill, weights=settings[0], k=settings[1],
                            alpha=settings[2], correction=settings[3])


@st.cache_data(show_spinner=False, max_entries=4)
def spatial_card(key: tuple, _ds: Dataset, adcode: int, settings: tuple = Ctx.spatial) -> dict:
    """The city's regions and its LISA / Gi* class codes with the spatial ``settings`` (with the
    default settings, the bundled data's stored classes: no permutations on a first click)."""
    if settings == Ctx.spatial:
        return spatial.city_card(_ds, adcode)
    return spatial.city_card(_ds, adcode, _spillover(key, _ds, settings))


def _spillover(key: tuple, _ds: Dataset, settings: tuple = Ctx.spatial) -> spatial.Spillover:
    """The statistics with the ``settings``' correction (cheap: the permutations are cached)."""
    weights, k, alpha, correction = settings
    return models.corrected(_uncorrected(key, _ds, weights, k, alpha), correction)


@st.cache_resource(show_spinner=False, max_entries=4)
def _uncorrected(key: tuple, _ds: Dataset, weights: str, k: int, alpha: float) -> spatial.Spillover:
    return spatial.dei_spillover(_ds, weights=weights, k=k, alpha=alpha)
