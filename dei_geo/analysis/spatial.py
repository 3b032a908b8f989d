"""Spillover statistics: spatial weights, Moran's I, LISA, Getis-Ord Gi*, rings and distance decay.

As in esda, results are objects whose attributes are the numbers. Notes on esda 2.8 (giddy 2.3 needs esda < 2.9):

* ``Moran`` takes no seed (NumPy's global RNG): it runs inside ``seeded``, which restores the
  global state afterwards; ``Moran_Local``/``G_Local`` get ``seed=``.
* The local statistics take no ``alternative``; their default p-value picks the tail after seeing
  the data ("directed"). Local p-values here are recomputed two-sided from the kept permutations,
  as ``esda.significance.calculate_significance(alternative="two-sided")`` defines them
  (vectorised: esda loops over units); with 999 permutations the smallest is 0.003.
* A unit without neighbours gets lag 0 and a "directed" p of 0.001: islands are attached to their
  nearest unit, and a unit that was an island is never classed significant (``island`` column).
"""

from __future__ import annotations

import json
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from dei_geo.analysis import defaults, regions
from dei_geo.core import paths
from dei_geo.sources import boundaries, datasets
from dei_geo.sources.datasets import Dataset

if TYPE_CHECKING:  # esda/libpysal take ~1.5 s to import: only where the statistics are computed
    from libpysal.graph import Graph

PERMUTATIONS, ALPHA, SEED, KNN_K = defaults.PERMUTATIONS, defaults.ALPHA, defaults.SEED, defaults.KNN_K
RINGS_KM = ((0, 50), (50, 100), (100, 200), (200, 300))
LISA_CLASSES = ("HH", "LL", "HL", "LH", "ns")
GI_CLASSES = ("hot", "cold", "ns")
WEIGHT_KINDS = defaults.WEIGHT_KINDS
MIN_UNITS = 30
MIN_PERMUTATIONS = 99  # p-values in steps of 0.01 at least
METRICS = {"overall": "score"}
_QUADRANT = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's quadrant codes


class TooFewUnits(ValueError):
    """Too few scored units for the spillover statistics (Moran's I, LISA, Gi*).

    ``n`` units were given, ``need`` are needed (``wording.spatial.too_few`` says so in words).
    """

    def __init__(self, n: int, need: int = MIN_UNITS):
        super().__init__(f"{n} units are too few for spatial statistics (need {need})")
        self.n, self.need = n, need


def too_few(ds: Dataset, metric: str = "overall") -> TooFewUnits | None:
    """Why the spillover statistics of ``ds`` cannot be computed (too few scored cities), or None."""
    n = int(ds.scores[column(ds, metric)].notna().sum())
    return TooFewUnits(n) if n < MIN_UNITS else None


@contextmanager
def seeded(seed: int):
    """Seed NumPy's global RNG for the block and restore its previous state afterwards."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


# --- weights -----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Weights:
    """Binary spatial weights over units; ``attached`` lists islands linked to their nearest unit."""

    graph: Graph
    kind: str  # queen | knn
    k: int | None
    attached: pd.DataFrame  # island, neighbour, distance_km

    @property
    def ids(self) -> pd.Index:
        return pd.Index(self.graph.unique_ids)

    @property
    def links(self) -> int:
        """Directed neighbour pairs (spdep's "nonzero links"); Columbus queen: 236."""
        return int(self.graph.cardinalities.sum())

    def to_dict(self) -> dict:
        """What the weights are, for every result that uses them (JSON-safe)."""
        return {"kind": self.kind, "k": self.k, "units": int(self.graph.n), "links": self.links,
                "row_standardised": True,
                "islands_attached": [
                    {"island": int(r.island), "neighbour": int(r.neighbour),
                     "distance_km": round(float(r.distance_km), 1)}
                    for r in self.attached.itertuples()]}


def unit_points(units: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """The points distances between ``units`` are measured from, projected (Albers conic; as
    given when ``units`` has no CRS): each unit's anchor (``boundaries.ANCHOR_COLUMNS``: its seat,
    else a point inside it) when the frame carries one, else its centroid (frames from elsewhere,
    such as PySAL's example data, whose published results use centroids)."""
    if {"anchor_lon", "anchor_lat"} <= set(units.columns):
        pts = gpd.GeoSeries(gpd.points_from_xy(units["anchor_lon"], units["anchor_lat"]),
                            index=units.index, crs=units.crs)
        return pts if units.crs is None else pts.to_crs(regions.ALBERS)
    projected = units.geometry if units.crs is None else units.geometry.to_crs(regions.ALBERS)
    return projected.centroid


def build_weights(units: gpd.GeoDataFrame, kind: str = WEIGHT_KINDS[0], k: int = KNN_K) -> Weights:
    """Weights over ``units`` (indexed by id; without a CRS they are taken as already planar).

    ``queen``: units sharing an edge or a vertex; each island is then linked, both ways, to the
    unit whose territory is nearest (Albers conic, km). ``knn``: the ``k`` nearest ``unit_points``
    (seats for the bundled units, Albers), not symmetric. Columbus with queen: 49 units, 236 links, no island.
    """
    from libpysal.graph import Graph

    if units.index.has_duplicates:
        raise ValueError("units must have unique ids in their index")
    projected = units.geometry if units.crs is None else units.geometry.to_crs(regions.ALBERS)
    if kind == "knn":
        if not 0 < k < len(units):
            raise ValueError(f"k must be between 1 and {len(units) - 1}, got {k}")
        graph = Graph.build_knn(unit_points(units), k=k)
        return Weights(graph, "knn", k, pd.DataFrame(columns=["island", "neighbour", "distance_km"]))
    if kind not in WEIGHT_KINDS:
        raise ValueError(f"unknown weights {kind!r}; choose {' or '.join(WEIGHT_KINDS)}")
    graph = Graph.build_contiguity(units.geometry, rook=False)
    islands = list(graph.isolates)
    rows = []
    for island in islands:
        others = projected.drop(island)
        dist = others.distance(projected[island]) / 1000
        rows.append({"island": island, "neighbour": dist.idxmin(), "distance_km": dist.min()})
    attached = pd.DataFrame(rows, columns=["island", "neighbour", "distance_km"])
    if len(attached):
        adj = graph.adjacency.reset_index()
        adj = adj[adj["weight"] > 0]
        extra = pd.DataFrame({"focal": [*attached["island"], *attached["neighbour"]],
                              "neighbor": [*attached["neighbour"], *attached["island"]],
                              "weight": 1.0})
        edges = pd.concat([adj, extra]).drop_duplicates(["focal", "neighbor"])
        order = {u: i for i, u in enumerate(units.index)}
        edges = edges.sort_values(["focal", "neighbor"], key=lambda s: s.map(order))
        graph = Graph.from_arrays(*(edges[c].to_numpy() for c in ("focal", "neighbor", "weight")))
    return Weights(graph, "queen", None, attached)


# --- Moran's I, LISA, Gi* ----------------------------------------------------------------------
def two_sided(stat: np.ndarray, sims: np.ndarray) -> np.ndarray:
    """Two-sided permutation p-values of ``stat`` (n) against ``sims`` (n × permutations).

    esda's definition: with q the share of simulations ≤ the statistic, count the simulations
    outside the (min(q, 1−q), max(q, 1−q)) percentiles, p = (count + 1) / (permutations + 1),
    capped at 1. A statistic beyond all 999 simulations gets p = 3/1000.
    """
    ordered = np.sort(sims, axis=1)
    rows, m = np.arange(len(ordered)), ordered.shape[1]
    pct = (sims <= stat[:, None]).mean(axis=1)
    low_q = np.minimum(pct, 1 - pct)

    def quantile(q):  # NumPy's default ("linear") percentile, row by row
        pos = q * (m - 1)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, m - 1)
        return ordered[rows, lo] + (pos - lo) * (ordered[rows, hi] - ordered[rows, lo])

    low, high = quantile(low_q), quantile(1 - low_q)
    outside = (ordered <= low[:, None]).sum(axis=1) + (ordered >= high[:, None]).sum(axis=1)
    return np.minimum((outside + 1) / (m + 1), 1.0)


class Spillover:
    """Global Moran's I, local Moran (LISA) and Getis-Ord Gi* of ``y`` over ``w``.

    Parameters: ``y`` indexed like ``w.ids``; ``permutations``; ``alpha`` (local significance,
    p ≤ alpha); ``seed``. Moran and LISA use row-standardised weights; Gi* binary weights with
    the unit itself included.

    Attributes: ``I``, ``EI``, ``z_sim``, ``p_sim`` (pseudo p, one-sided in the observed direction,
    as esda/GeoDa); ``local`` (per unit: value, z, lag, Is, p_lisa, lisa, Gs, Zs, p_gi, gi,
    island); ``lisa_counts``, ``gi_counts``; ``w``, ``permutations``, ``alpha``, ``seed``.

    Columbus CRIME, queen, 999 permutations, seed 20230531: I = 0.500 (E[I] = −0.021),
    p_sim = 0.001; at α = 0.05 LISA finds 10 HH and 4 LL, Gi* 10 hot and 4 cold spots.
    """

    def __init__(self, y: pd.Series, w: Weights, permutations: int = PERMUTATIONS,
                 alpha: float = ALPHA, seed: int = SEED):
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
        if permutations < MIN_PERMUTATIONS:  # esda gives no pseudo p-value without permutations
            raise ValueError(f"permutations must be at least {MIN_PERMUTATIONS}, got {permutations}")
        y = pd.Series(y).reindex(w.ids)
        if y.isna().any():
            raise ValueError("every unit in the weights needs a value (drop unscored units first)")
        if len(y) < MIN_UNITS:
            raise TooFewUnits(len(y))
        self.w, self.permutations, self.alpha, self.seed = w, permutations, alpha, seed
        values = y.to_numpy(float)
        from esda import G_Local, Moran, Moran_Local

        with seeded(seed), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "The alternative hypothesis", DeprecationWarning)
            mi = Moran(values, w.graph, transformation="r", permutations=permutations)
            lm = Moran_Local(values, w.graph, transformation="r", permutations=permutations,
                             seed=seed, n_jobs=1)
            gi = G_Local(values, w.graph, transform="B", star=True, permutations=permutations,
                         seed=seed, n_jobs=1)
        self.I, self.EI, self.z_sim, self.p_sim = float(mi.I), float(mi.EI), float(mi.z_sim), float(mi.p_sim)
        island = y.index.isin(w.attached["island"])
        p_lisa, p_gi = two_sided(lm.Is, lm.rlisas), two_sided(gi.Gs, gi.rGs)
        sig_lisa = (p_lisa <= alpha) & ~island
        sig_gi = (p_gi <= alpha) & ~island
        lisa = np.where(sig_lisa, [_QUADRANT[q] for q in lm.q], "ns")
        gi_cls = np.where(sig_gi, np.where(gi.Zs > 0, "hot", "cold"), "ns")
        self.local = pd.DataFrame({
            "value": values, "z": lm.z, "lag": w.graph.transform("r").lag(lm.z), "Is": lm.Is,
            "p_lisa": p_lisa, "lisa": lisa, "Gs": gi.Gs, "Zs": gi.Zs, "p_gi": p_gi, "gi": gi_cls,
            "island": island,
        }, index=y.index)
        self.lisa_counts = self.local["lisa"].value_counts().reindex(LISA_CLASSES, fill_value=0)
        self.gi_counts = self.local["gi"].value_counts().reindex(GI_CLASSES, fill_value=0)
        # multiple-testing correction (``models.corrected`` sets others): p ≤ cut-off is significant
        self.correction, self.cutoffs = "none", {"lisa": float(alpha), "gi": float(alpha)}

    def to_dict(self) -> dict:
        """The global result, class counts and the weights used (for JSON)."""
        return {
            "moran_I": round(self.I, 4), "expected_I": round(self.EI, 4),
            "z_sim": round(self.z_sim, 3), "p_sim": self.p_sim,
            "permutations": self.permutations, "seed": self.seed, "alpha": self.alpha,
            "weights": self.w.to_dict(),
            "correction": self.correction, "cutoffs": dict(self.cutoffs),
            "lisa_counts": {k: int(v) for k, v in self.lisa_counts.items()},
            "gi_counts": {k: int(v) for k, v in self.gi_counts.items()},
        }


def column(ds: Dataset, metric: str = "overall") -> str:
    """The ``ds.scores`` column behind a metric name ("overall" → "score")."""
    name = METRICS.get(metric, metric)
    if name not in ds.scores.columns or name in ("adcode", "city", "rank", "tier", "status", "note"):
        raise ValueError(f"unknown metric {metric!r}; choose overall or a numeric score column")
    return name


def scored_units(ds: Dataset, metric: str = "overall") -> gpd.GeoDataFrame:
    """Units with a value for ``metric`` (web LOD polygons), indexed by adcode, column ``value``."""
    units = boundaries.units("cities", "web").reset_index()
    values = ds.scores[["adcode", column(ds, metric)]].rename(columns={column(ds, metric): "value"})
    out = units.merge(values.dropna(), on="adcode").set_index("adcode")
    return out


def dei_spillover(ds: Dataset, metric: str = "overall", weights: str = WEIGHT_KINDS[0], k: int = KNN_K,
                  permutations: int = PERMUTATIONS, alpha: float = ALPHA, seed: int = SEED) -> Spillover:
    """``Spillover`` of a dataset's metric over its scored cities (unscored dropped first)."""
    units = scored_units(ds, metric)
    return Spillover(units["value"], build_weights(units, weights, k), permutations, alpha, seed)


# --- rings and distance decay around core cities -----------------------------------------------
def _ring_label(lo: float, hi: float) -> str:
    return f"{lo:g}–{hi:g} km"


def around(ds: Dataset, adcode: int, metric: str = "overall", max_km: float = RINGS_KM[-1][1]) -> pd.DataFrame:
    """Scored units other than the core within ``max_km``: adcode → distance_km, value."""
    d = regions.distances_km(*regions.centre_of(adcode), limit_km=max_km)
    values = ds.scores.set_index("adcode")[column(ds, metric)].dropna()
    df = pd.DataFrame({"distance_km": d}).join(values.rename("value"), how="inner")
    return df[(df.index != adcode) & (df["distance_km"] <= max_km)].sort_values("distance_km")


def _rings(df: pd.DataFrame, national: float, rings) -> pd.DataFrame:
    edges = [rings[0][0]] + [hi for _, hi in rings]
    labels = [_ring_label(lo, hi) for lo, hi in rings]
    ring = pd.cut(df["distance_km"], edges, labels=labels, include_lowest=True)
    g = df.groupby(ring, observed=False)["value"].agg(n="size", mean="mean")
    g.index.name = "ring"
    g["diff_national"] = g["mean"] - national
    g["lo"], g["hi"] = [lo for lo, _ in rings], [hi for _, hi in rings]
    return g.reset_index()


def _decay(df: pd.DataFrame, national: float, max_km: float) -> dict:
    df = df[(df["distance_km"] > 0) & (df["distance_km"] <= max_km)]
    out = {"n": len(df), "max_km": max_km, "national_mean": national}
    if len(df) < 4:
        keys = ["intercept", "slope", "ci_low", "ci_high", "per_doubling", "r2", "fade_km"]
        return {**out, **dict.fromkeys(keys, np.nan), "significant": False}
    from scipy import stats

    fit = stats.linregress(np.log(df["distance_km"].to_numpy()), df["value"].to_numpy())
    half = stats.t.ppf(0.975, len(df) - 2) * fit.stderr
    significant = bool(fit.slope + half < 0 or fit.slope - half > 0)  # the 95% interval excludes 0
    fade = np.nan
    if significant and fit.slope < 0:
        d = np.exp((national - fit.intercept) / fit.slope)
        fade = d if df["distance_km"].min() <= d <= max_km else np.nan
    return {**out, "intercept": fit.intercept, "slope": fit.slope, "ci_low": fit.slope - half,
            "ci_high": fit.slope + half, "per_doubling": fit.slope * np.log(2),
            "r2": fit.rvalue ** 2, "fade_km": fade, "significant": significant}


def ring_means(ds: Dataset, adcode: int, metric: str = "overall", rings=RINGS_KM) -> pd.DataFrame:
    """Per ring around a core city: n scored units, mean, and mean − national mean.

    Rings are [0, 50], (50, 100], (100, 200], (200, 300] km by default, so "within 100 km" is the
    union of the first two. Around 上海 (93.6) in 2023: 0–50 km 苏州 alone (83.1, 27.7 above the
    national 55.4); 200–300 km nine cities, mean 62.1.
    """
    national = ds.scores[column(ds, metric)].mean()
    return _rings(around(ds, adcode, metric, rings[-1][1]), national, rings)


def decay(ds: Dataset, adcode: int, metric: str = "overall", max_km: float = RINGS_KM[-1][1]) -> dict:
    """OLS fit of value = a + b·ln(distance km) over scored units within ``max_km`` (core excluded).

    ``slope`` b with its 95% interval (``ci_low``, ``ci_high``), ``per_doubling`` = b·ln 2 (points
    per doubling of distance), ``r2``, ``n``; ``significant``: the interval excludes 0; ``fade_km``:
    where the fitted line meets the national mean, if the decay is significant and the point is
    inside the fitted range (else NaN: no fade distance is claimed for a slope that may be 0).
    深圳 2023: b = −11.1 (−16.2 to −5.9), 20 cities, fade at 135 km.
    """
    national = ds.scores[column(ds, metric)].mean()
    return _decay(around(ds, adcode, metric, max_km), national, max_km)


def cores_table(ds: Dataset, metric: str = "overall", rings=RINGS_KM) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For every scored core city: (ring means, long) and (score, decay fit and the first ring
    whose mean is at or below the national mean, one row per core)."""
    scores = ds.scores.set_index("adcode")[column(ds, metric)]
    national = scores.mean()
    ring_rows, rows = [], []
    for c in regions.centres().itertuples():
        if pd.isna(scores.get(c.adcode)):
            continue
        df = around(ds, c.adcode, metric, rings[-1][1])
        rm = _rings(df, national, rings)
        ring_rows.append(rm.assign(adcode=c.adcode, city=c.city))
        faded = rm.loc[(rm["n"] > 0) & (rm["diff_national"] <= 0), "ring"]
        rows.append({"adcode": c.adcode, "city": c.city, "score": scores[c.adcode],
                     "fade_ring": faded.iloc[0] if len(faded) else None,
                     **_decay(df, national, rings[-1][1])})
    if not rows:  # no core city has a score (a small user dataset): empty tables, same columns
        ring_cols = ["ring", "n", "mean", "diff_national", "lo", "hi", "adcode", "city"]
        cols = ["adcode", "city", "score", "fade_ring", *_decay(pd.DataFrame(
            {"distance_km": [], "value": []}), national, rings[-1][1])]
        return pd.DataFrame(columns=ring_cols), pd.DataFrame(columns=cols)
    return pd.concat(ring_rows, ignore_index=True), pd.DataFrame(rows)


def report(ds: Dataset, metric: str = "overall", weights: str = WEIGHT_KINDS[0], k: int = KNN_K,
           permutations: int = PERMUTATIONS, alpha: float = ALPHA, seed: int = SEED,
           sp: Spillover | None = None) -> dict:
    """What ``dei-geo spillover`` prints: Moran's I with the weights used, LISA/Gi* counts, and
    per core city its ring means and decay slope (JSON-safe). ``sp``: the statistics already
    computed with these settings (e.g. with a multiple-testing correction)."""
    sp = sp or dei_spillover(ds, metric, weights, k, permutations, alpha, seed)
    rings, cores = cores_table(ds, metric)
    plain = regions._plain
    per_core = []
    for row in cores.to_dict("records"):
        rm = rings[rings["adcode"] == row["adcode"]]
        per_core.append({**{k: plain(v, k) for k, v in row.items()},
                         "rings": [{"ring": r.ring, "n": int(r.n), "mean": plain(r.mean, "mean"),
                                    "diff_national": plain(r.diff_national, "diff_national")}
                                   for r in rm.itertuples()]})
    return {"metric": metric, **sp.to_dict(), "cores": per_core}


# --- the bundled data's local classes, computed once and stored ------------------------------
STORED = paths.DATA / "derived" / "dei_2023_spillover.json"


def local_facts(sp: Spillover) -> dict:
    """Per unit its LISA / Gi* class and p-values, with α and the weights (JSON-safe)."""
    local = {str(int(a)): {"lisa": r.lisa, "p_lisa": float(r.p_lisa), "gi": r.gi, "p_gi": float(r.p_gi),
                           "island": bool(r.island)} for a, r in sp.local.iterrows()}
    return {"alpha": sp.alpha, "weights": sp.w.to_dict(), "local": local}


def store(ds: Dataset, path: Path = STORED) -> Path:
    """Compute ``dei_spillover(ds)`` with the default settings and write its local facts to
    ``path`` with the dataset's fingerprint (``dei-geo data spillover``)."""
    settings = {"metric": defaults.OVERALL, "weights": WEIGHT_KINDS[0], "permutations": PERMUTATIONS,
                "alpha": ALPHA, "seed": SEED}
    facts = {"fingerprint": datasets.fingerprint(ds), "settings": settings,
             **local_facts(dei_spillover(ds))}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(facts, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")
    return path


def stored(ds: Dataset, path: Path = STORED) -> dict | None:
    """The stored local facts, if they were computed from exactly these scores; else None."""
    if not path.exists():
        return None
    facts = json.loads(path.read_text(encoding="utf-8"))
    return facts if facts["fingerprint"] == datasets.fingerprint(ds) else None


def city_card(ds: Dataset, adcode: int, sp: Spillover | None = None) -> dict:
    """For a city's card: the regions it counts in (id, kind, names, membership code) and its
    LISA / Gi* class codes with p-values and the weights used (queen, α = 0.05 by default).

    Without ``sp`` the stored facts of the bundled data are used when ``ds`` is that data
    (no esda import, no permutations), otherwise ``dei_spillover(ds)`` is computed.
    2023: 咸阳 counts in 西安都市圈 (membership "partial"), LISA "ns" (p = 0.591); 海口 is an island.
    """
    adcode = int(adcode)
    facts = local_facts(sp) if sp else (stored(ds) or local_facts(dei_spillover(ds)))
    found = regions.regions_of(adcode, regions.clusters() + regions.circles())
    out = {"regions": []}
    for r in found:
        membership = r.counted.set_index("adcode").at[adcode, "membership"]
        out["regions"].append({"id": r.id, "kind": r.kind, "name": r.name, "name_en": r.name_en,
                               "membership": membership})
    if str(adcode) in facts["local"]:
        out.update(**facts["local"][str(adcode)], alpha=facts["alpha"], weights=facts["weights"])
        if sp is not None and sp.correction != "none":  # the cut-offs its classes were taken at
            out.update(correction=sp.correction, cutoffs=dict(sp.cutoffs))
    return out
