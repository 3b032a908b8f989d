"""Wording: the facts that ``analysis`` returns, said in zh/en for the faces (app, CLI) and the maps.

One module per analysis module it speaks for; every catalogue key it uses is written out
literally (codes map to keys through enumerations, never through keys built at run time).
Imports: ``dei_geo.analysis`` (for its constants and types), ``dei_geo.sources``, ``dei_geo.core``.
"""
