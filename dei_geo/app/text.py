"""Text from users (file names, links, search queries) made inert in Streamlit markdown."""

from __future__ import annotations

import re

_MD = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")  # markdown/HTML syntax; "." and "-" are harmless


def plain(text) -> str:
    """``text`` with every markdown/HTML special character escaped."""
    return _MD.sub(r"\\\1", str(text))


SCHEME_LABEL = {"tiers": "scheme_tiers", "quantiles": "scheme_quantiles",
                "natural_breaks": "scheme_natural_breaks"}  # classify.SCHEMES → catalogue key
LAYER_LABEL = {"cores": "layer_name_cores", "circles": "layer_name_circles",
               "clusters": "layer_name_clusters", "rings": "layer_name_rings",
               "lisa": "layer_name_lisa", "gi": "layer_name_gi"}  # overlays.KEYS → catalogue key
