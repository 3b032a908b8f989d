"""Analysis: numbers about a ``Dataset`` — index computation, change, profiles, regions, spatial statistics.

Functions return numbers, codes and stable column names, never sentences: the faces (``app``,
``cli``) say them in zh/en. Imports: ``dei_geo.sources`` and ``dei_geo.core``.
"""

from dei_geo.analysis import pysal as _pysal

_pysal.install()  # before any libpysal / esda import: their NumPy permutation path, not numba's JIT
