"""Codes shown in the app → the catalogue keys of their labels."""

SCHEME_LABEL = {"tiers": "scheme_tiers", "quantiles": "scheme_quantiles",
                "natural_breaks": "scheme_natural_breaks"}  # classify.SCHEMES → catalogue key
LAYER_LABEL = {"cores": "layer_name_cores", "circles": "layer_name_circles",
               "clusters": "layer_name_clusters", "rings": "layer_name_rings",
               "lisa": "layer_name_lisa", "gi": "layer_name_gi"}  # overlays.KEYS → catalogue key
