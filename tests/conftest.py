"""Fixtures shared by every test room."""

import pytest

from dei_geo.sources import datasets


@pytest.fixture(scope="module")
def ds() -> datasets.Dataset:
    """The bundled 2023 report (a fresh copy per test module: tests may not share mutations)."""
    return datasets.load_dei_2023()
