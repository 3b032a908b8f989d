"""What every panel needs: the language, the dataset shown, and cached expensive calls."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dei_geo.analysis import spatial
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


@st.cache_resource
def bundled() -> Dataset:
    """The bundled DEI 2023 dataset (loaded once per server; never modified)."""
    return datasets.load_dei_2023()


@st.cache_data(show_spinner=False)
def prepared(scheme: Scheme, k: int, lang: Lang, metric: str = "score") -> web.PreparedMap:
    return web.prepare_map(bundled(), metric=metric, scheme=scheme, k=k, lang=lang)




def dataset_key(ds: Dataset) -> tuple:
    """A cache key for a dataset: its label and a hash of its scores."""
    return ds.label, datasets.fingerprint(ds)


@st.cache_data(show_spinner=False, max_entries=8)
def layer_data(key: tuple, _ds: Dataset, lang: Lang) -> list:
    """Plain data of the switchable region layers (cores, circles, clusters, rings, LISA, Gi*)."""
    return overlays.prepare(_ds, lang)


@st.cache_data(show_spinner=False, max_entries=4)
def spatial_card(key: tuple, _ds: Dataset, adcode: int) -> dict:
    """The city's regions and its LISA / Gi* class codes (queen weights, α = 0.05)."""
    return spatial.city_card(_ds, adcode, _spillover(key, _ds))


@st.cache_resource(show_spinner=False, max_entries=4)
def _spillover(key: tuple, _ds: Dataset) -> spatial.Spillover:
    return spatial.dei_spillover(_ds)
