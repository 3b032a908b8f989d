"""What every panel needs: the language, the dataset shown, and cached expensive calls."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dei_geo import datasets, export, maps
from dei_geo.datasets import Dataset


@dataclass(frozen=True)
class Ctx:
    """The state a panel renders from (read-only for panels)."""

    lang: str
    ds: Dataset
    scheme: str
    k: int
    metric: str = "score"


@st.cache_resource
def bundled() -> Dataset:
    """The bundled DEI 2023 dataset (loaded once per server; never modified)."""
    return datasets.load_dei_2023()


@st.cache_data(show_spinner=False)
def prepared(scheme: str, k: int, lang: str, metric: str = "score") -> maps.PreparedMap:
    return maps.prepare_map(bundled(), metric=metric, scheme=scheme, k=k, lang=lang)


@st.cache_data(show_spinner=False)
def html_bytes(scheme: str, k: int, lang: str, metric: str = "score") -> bytes:
    return export.to_html(prepared(scheme, k, lang, metric)).encode("utf-8")
