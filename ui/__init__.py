"""Streamlit faces of dei-geo: one module per panel; all logic lives in ``dei_geo``."""
