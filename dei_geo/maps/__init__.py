"""Maps: the presentation of a ``Dataset`` as web maps, overlays, HTML files and print maps.

``classify`` (class breaks and colours), ``web`` (the folium choropleth), ``overlays`` (region,
LISA and Gi* layers), ``selection`` (the selected city), ``markup`` (the one HTML/Jinja escaper),
``assets`` + ``export`` (self-contained offline HTML), ``print_map`` (PNG/SVG). Imports:
``dei_geo.analysis``, ``dei_geo.sources``, ``dei_geo.core``; never Streamlit.
"""
