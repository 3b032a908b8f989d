"""The core: what every room may use, importing nothing of dei-geo's above it.

Paths to the bundled sources, the place crosswalk and name resolution, the column vocabulary,
the report's tiers, the palettes (``theme``), the string catalogues (``i18n``) and the
formula-safe CSV/XLSX writers (``tabular``). Imports: the standard library and third parties only.
"""
