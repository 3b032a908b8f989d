"""Sources: score tables and boundary layers, read, validated and shaped as one ``Dataset``.

The bundled 2023 report and a user's CSV/XLSX become the same table keyed by adcode
(``datasets``); ``loader``/``validate`` read and check user files row by row; ``template`` writes
the templates; ``boundaries`` reads ``geodata/``. Imports: ``dei_geo.core`` only.
"""
