"""Text from users (file names, links, search queries) made inert in Streamlit markdown."""

from __future__ import annotations

import re

_MD = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")  # markdown/HTML syntax; "." and "-" are harmless


def plain(text) -> str:
    """``text`` with every markdown/HTML special character escaped."""
    return _MD.sub(r"\\\1", str(text))
