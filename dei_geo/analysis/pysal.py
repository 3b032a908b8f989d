"""PySAL's permutation engines load without numba's JIT.

numba is installed only because giddy needs quantecon, which needs numba. When numba can be
imported, ``esda.crand`` and ``libpysal.common`` compile their permutation loops with it: on the
2-core machine (2026-12-02, cProfile of the first ``spatial.dei_spillover`` with numba active)
16–25 s of JIT compilation in every new process — every CLI call, fresh app server and test
subprocess — for work their NumPy path does in about a second, and a different random
stream, so the same seed gives other p-values than on a machine without numba. ``install()``
puts a finder first on ``sys.meta_path`` that runs those two modules as if numba were absent
(their own fallback); every other module, quantecon included, still gets numba.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys

NUMBA_FREE = frozenset({"libpysal.common", "esda.crand"})  # modules that pick numba up when importable
_ABSENT = object()


class _WithoutNumba(importlib.abc.Loader):
    """Runs a module's code with ``import numba`` failing, then puts numba back."""

    def __init__(self, inner: importlib.abc.Loader):
        self.inner = inner

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module) -> None:
        saved = sys.modules.get("numba", _ABSENT)
        sys.modules["numba"] = None  # `from numba import …` raises ImportError
        try:
            self.inner.exec_module(module)
        finally:
            if saved is _ABSENT:
                del sys.modules["numba"]
            else:
                sys.modules["numba"] = saved


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in NUMBA_FREE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _WithoutNumba(spec.loader)
        return spec


def install() -> None:
    """Idempotent; must run before libpysal or esda is first imported (``dei_geo.analysis`` does)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def numba_free() -> bool:
    """True when the loaded esda and libpysal took their NumPy path (their ``jit`` is a stand-in)."""
    import esda.crand
    import libpysal.common

    return not libpysal.common.HAS_JIT and not hasattr(esda.crand.njit, "py_func")
