"""The analysis' settings and their defaults, importable without pandas (``dei-geo --help`` reads them)."""

from __future__ import annotations

MISSING_RULES = ("report", "zero", "renormalise")  # index: what a missing indicator does
WEIGHT_KINDS = ("queen", "knn")  # spatial weights
KNN_K = 6  # neighbours of the knn weights
PERMUTATIONS = 999  # Moran / LISA / Gi* permutations
ALPHA = 0.05  # local significance level
CORRECTIONS = ("none", "fdr", "bonferroni")  # multiple-testing correction of LISA / Gi*
SEED = 20230531  # the report's date: permutations are reproducible
RADIUS_KM = 100.0  # distance rule: units within this many km of a core city
OVERALL = "overall"  # the overall score, as spatial statistics name it
