"""Helpers shared by the app's tests."""

from __future__ import annotations

import pandas as pd
import pytest


def _parse(text: str) -> pd.DataFrame:
    lines = [line.strip()[1:-1].split(" | ") for line in text.strip().splitlines()]
    header, rows = [c.strip() for c in lines[0]], [[c.strip() for c in r] for r in lines[2:]]
    return pd.DataFrame(rows, columns=header)


@pytest.fixture
def markdown_tables():
    """The Markdown tables an AppTest shows (``app.tables.markdown``), as frames of cell text."""
    def tables(at) -> list[pd.DataFrame]:
        return [_parse(m.value) for m in at.markdown if m.value.startswith("| ")]
    return tables
