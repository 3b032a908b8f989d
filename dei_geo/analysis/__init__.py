"""Analysis: numbers about a ``Dataset`` — index computation, change, profiles, regions, spatial statistics.

Functions return numbers, codes and stable column names, never sentences: the faces (``app``,
``cli``) say them in zh/en. Imports: ``dei_geo.sources`` and ``dei_geo.core``.
"""
