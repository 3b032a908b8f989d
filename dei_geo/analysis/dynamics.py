"""Dynamics of the index over years: classes, transitions, mobility, convergence, inequality.

Input is a matrix of one metric: one row per unit (adcode index), one column per year (ascending),
NaN where a unit has no value that year (``sources.panel.Panel.wide``). Each function returns
numbers and codes with the method, the weights and the sample size stated; words are in
``dei_geo.wording.dynamics``. The statistics are PySAL's: ``giddy`` (Markov chains, spatial and
LISA Markov, Kendall's τ and its spatial/regional forms, steady states) and ``inequality``
(Theil, its between/within split, Gini); β-convergence is an OLS of ``spreg``; kernel densities
are ``scipy.stats.gaussian_kde``.

Samples: transitions count every unit present in both years of each consecutive pair; spatial and
LISA Markov need every year, so they use the units present in all years (the balanced panel) with
weights built over those units; σ-convergence, Theil and densities take each year's units;
β-convergence and rank mobility the units present in the first and the last year.

Classes: ``tiers`` are the report's tiers, left-closed (85.0 is 一线), in ascending order (四线
first); ``quantiles`` are pooled quantiles of all years (fixed breaks, as giddy's ``fixed=True``),
right-closed as mapclassify makes them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from dei_geo.core import places
from dei_geo.core.tiers import load_tiers

SCHEMES = ("tiers", "quantiles")
LISA_QUADRANTS = ("HH", "LH", "LL", "HL")  # giddy's LISA_Markov classes 1-4
MIN_UNITS = 30  # below this, spatial statistics are skipped (as in analysis.spatial)
DENSITY_POINTS = 128
MIN_TAU = 3  # units in both years for Kendall's τ
REGIONAL_TAU_MAX = 1000  # above: the same regional τ from Tau_Local without giddy's n × n block weights


@dataclass(frozen=True)
class Classes:
    """Class breaks: ``labels`` low → high; ``cutoffs`` the k−1 inner breaks; ``closed`` says on
    which side a break belongs to the class above (``left``: a value equal to a break is in the
    higher class) or below (``right``)."""

    scheme: str
    labels: tuple[str, ...]
    cutoffs: tuple[float, ...]
    closed: str

    def ids(self, values) -> np.ndarray:
        """Class index (0 = lowest) of each value; −1 for NaN."""
        v = np.asarray(values, dtype=float)
        side = "right" if self.closed == "left" else "left"
        out = np.searchsorted(np.asarray(self.cutoffs), v, side=side)
        return np.where(np.isnan(v), -1, out)

    @property
    def giddy_cutoffs(self) -> list[float]:
        """The breaks as giddy's ``cutoffs`` (mapclassify ``UserDefined``: a value equal to a break
        is in the lower class): a left-closed break moves to the float just below it."""
        if self.closed == "right":
            return list(self.cutoffs)
        return [float(np.nextafter(c, -np.inf)) for c in self.cutoffs]

    def to_dict(self) -> dict:
        return {"scheme": self.scheme, "labels": list(self.labels), "cutoffs": list(self.cutoffs),
                "closed": self.closed}


def classes(values: pd.DataFrame, scheme: str = "tiers", k: int = 5, tiers: pd.DataFrame | None = None) -> Classes:
    """The classes of ``scheme``: the report's tiers, or ``k`` pooled quantiles of every value."""
    if scheme == "tiers":
        t = (load_tiers() if tiers is None else tiers).sort_values("lower")
        return Classes("tiers", tuple(t["tier"]), tuple(float(x) for x in t["lower"].iloc[1:]), "left")
    if scheme != "quantiles":
        raise ValueError(f"unknown classes {scheme!r}; choose {' or '.join(SCHEMES)}")
    import mapclassify

    pooled = values.to_numpy(dtype=float).ravel()
    bins = mapclassify.Quantiles(pooled[~np.isnan(pooled)], k=k).bins
    return Classes("quantiles", tuple(f"q{i + 1}" for i in range(len(bins))),
                   tuple(float(b) for b in bins[:-1]), "right")


def _years(values: pd.DataFrame) -> list[int]:
    return [int(y) for y in values.columns]


def balanced(values: pd.DataFrame) -> pd.DataFrame:
    """The units with a value in every year."""
    return values[values.notna().all(axis=1)]


def _steady(p: np.ndarray) -> list[list[float]]:
    """giddy's steady states: one distribution for a chain with one recurrent class, one per
    recurrent class of a reducible chain (a class no unit ever leaves, e.g.)."""
    from giddy.ergodic import steady_state

    s = np.asarray(steady_state(p, fill_empty_classes=True), dtype=float)
    return np.atleast_2d(s).round(12).tolist()


def transitions(values: pd.DataFrame, cls: Classes) -> dict:
    """Class transitions between consecutive years (giddy ``Markov`` on each pair's common units,
    counts summed): ``counts`` and ``probabilities`` (rows: class in the first year; a row with no
    unit is all 0), ``steady_states`` (a list: one distribution, several for a reducible chain),
    ``pairs`` (year, next year, units), ``n_transitions``, ``n_up``/``n_down``/``n_stay``."""
    from giddy.markov import Markov

    k = len(cls.labels)
    ids = cls.ids(values.to_numpy(dtype=float))
    counts = np.zeros((k, k))
    pairs = []
    years = _years(values)
    for a in range(len(years) - 1):
        both = (ids[:, a] >= 0) & (ids[:, a + 1] >= 0)
        pairs.append({"from": years[a], "to": years[a + 1], "units": int(both.sum())})
        if both.any():
            counts += Markov(ids[both][:, [a, a + 1]], classes=np.arange(k), summary=False).transitions
    rows = counts.sum(axis=1, keepdims=True)
    p = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    up = float(np.triu(counts, 1).sum())
    down = float(np.tril(counts, -1).sum())
    return {"method": "giddy.markov.Markov", "classes": cls.to_dict(), "counts": counts.astype(int).tolist(),
            "probabilities": p.round(12).tolist(), "steady_states": _steady(p) if counts.any() else [],
            "pairs": pairs, "n_transitions": int(counts.sum()), "n_up": int(up), "n_down": int(down),
            "n_stay": int(np.trace(counts)), "units": int((ids >= 0).any(axis=1).sum())}


_W_CACHE: dict = {}  # (id of the weights given, units) → the W built: the parts of one report share it


def _w(weights, units: pd.Index):
    """A row-standardised libpysal ``W`` over ``units`` (ids 0…n−1 in the weights' order; the
    adcodes in ``W.units``) from a ``Weights``, a ``Graph`` or a callable building one for the
    units."""
    key = (id(weights), tuple(units))
    if key not in _W_CACHE:
        _W_CACHE.clear()
        _W_CACHE[key] = (weights, _make_w(weights, units))  # the weights kept: their id stays theirs
    return _W_CACHE[key][1]


def _make_w(weights, units: pd.Index):
    w = weights(units) if callable(weights) else weights
    graph = getattr(w, "graph", w)
    W = graph.to_W() if hasattr(graph, "to_W") else graph
    if sorted(W.id_order) != sorted(units):
        raise ValueError("the weights do not cover the same units as the panel")
    from libpysal.weights import W as PysalW

    pos = {u: i for i, u in enumerate(W.id_order)}  # giddy's SpatialTau indexes arrays by id
    plain = PysalW({pos[u]: [pos[v] for v in W.neighbors[u]] for u in W.id_order},
                   {pos[u]: list(W.weights[u]) for u in W.id_order}, id_order=list(range(len(pos))),
                   silence_warnings=True)
    plain.transform = "r"
    plain.units = list(W.id_order)
    return plain, (w.to_dict() if hasattr(w, "to_dict") else {"kind": "given", "units": int(W.n)})


def _ordered(values: pd.DataFrame, W) -> np.ndarray:
    return values.loc[W.units].to_numpy(dtype=float)


def spatial_markov(values: pd.DataFrame, weights, cls: Classes) -> dict:
    """giddy ``Spatial_Markov`` on the balanced panel: transitions conditioned on the class of the
    neighbours' average (the spatial lag; tiers: classed by the tier breaks; quantiles: by pooled
    quantiles of the lags, as giddy's ``fixed=True``), one matrix per lag class (row: lag class),
    and the homogeneity tests (Bickenbach–Bode Q and LR, their p-values and degrees of freedom)."""
    from giddy.markov import Spatial_Markov

    b = balanced(values)
    if len(b) < MIN_UNITS or b.shape[1] < 2:
        return {"skipped": "too_few_units" if len(b) < MIN_UNITS else "one_year", "n_units": len(b)}
    W, wdict = _w(weights, b.index)
    y = _ordered(b, W)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if cls.scheme == "quantiles":  # pooled quantiles of the values, and of the lags
            k = len(cls.labels)
            sm = Spatial_Markov(y, W, fixed=True, k=k, m=k)
        else:
            sm = Spatial_Markov(y, W, fixed=True, cutoffs=cls.giddy_cutoffs, lag_cutoffs=cls.giddy_cutoffs)
        ht = sm.ht
    lag = cls.cutoffs if cls.scheme != "quantiles" else tuple(float(c) for c in sm.lag_cutoffs)
    return {"method": "giddy.markov.Spatial_Markov", "classes": cls.to_dict(), "lag_cutoffs": list(lag),
            "weights": wdict,
            "n_units": int(y.shape[0]), "n_years": int(y.shape[1]),
            "counts": sm.T.astype(int).tolist(), "probabilities": np.nan_to_num(sm.P).round(12).tolist(),
            "Q": _num(ht.Q), "Q_p": _num(ht.Q_p_value), "LR": _num(ht.LR), "LR_p": _num(ht.LR_p_value),
            "dof": int(ht.dof)}


def _num(x) -> float | None:
    x = float(x)
    return None if not np.isfinite(x) else x


def lisa_markov(values: pd.DataFrame, weights) -> dict:
    """giddy ``LISA_Markov`` on the balanced panel: transitions between Moran scatterplot quadrants
    (HH, LH, LL, HL, significance not required), steady states and the χ² test that a unit's and
    its neighbours' moves are independent."""
    from giddy.markov import LISA_Markov

    b = balanced(values)
    if len(b) < MIN_UNITS or b.shape[1] < 2:
        return {"skipped": "too_few_units" if len(b) < MIN_UNITS else "one_year", "n_units": len(b)}
    W, wdict = _w(weights, b.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lm = LISA_Markov(_ordered(b, W), W)
    chi2, p, dof = lm.chi_2
    k = len(LISA_QUADRANTS)
    counts = np.zeros((k, k))
    counts[np.ix_(lm.classes - 1, lm.classes - 1)] = lm.transitions
    rows = counts.sum(axis=1, keepdims=True)
    prob = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    return {"method": "giddy.markov.LISA_Markov", "quadrants": list(LISA_QUADRANTS), "weights": wdict,
            "n_units": len(b), "n_years": int(b.shape[1]), "counts": counts.astype(int).tolist(),
            "probabilities": prob.round(12).tolist(), "steady_states": _steady(prob),
            "chi2": float(chi2), "chi2_p": float(p), "dof": int(dof)}


def rank_mobility(values: pd.DataFrame, weights=None, partitions: dict[str, pd.Series] | None = None,
                  permutations: int = 99, seed: int = 12345) -> dict:
    """Kendall's τ between each pair of consecutive years and between the first and the last
    (giddy ``Tau``, on the units present in both); for first → last also the spatial τ over
    neighbouring pairs (``SpatialTau``, permutation p) and the regional decomposition (``Tau_Regional``:
    τ within each region on the diagonal, between regions off it) for each partition."""
    from giddy.rank import SpatialTau, Tau, Tau_Regional

    years = _years(values)
    out = {"method": "giddy.rank", "pairs": []}
    if len(years) < 2:
        return {**out, "skipped": "one_year"}
    for a, b in [*zip(years, years[1:]), *([(years[0], years[-1])] if len(years) > 2 else [])]:
        both = values[[a, b]].dropna()
        if len(both) < MIN_TAU:
            out["pairs"].append({"from": a, "to": b, "n": len(both), "tau": None, "p": None})
            continue
        tau = Tau(both[a].to_numpy(), both[b].to_numpy())
        out["pairs"].append({"from": a, "to": b, "n": len(both), "tau": _num(tau.tau), "p": _num(tau.tau_p)})
    first_last = values[[years[0], years[-1]]].dropna()
    if weights is not None and len(first_last) >= MIN_UNITS:
        W, wdict = _w(weights, first_last.index)
        x, y = (first_last.loc[W.units, c].to_numpy() for c in (years[0], years[-1]))
        state = np.random.get_state()
        np.random.seed(seed)
        try:
            st = SpatialTau(x, y, W, permutations=permutations)
        finally:
            np.random.set_state(state)
        out["spatial"] = {"method": "giddy.rank.SpatialTau", "from": years[0], "to": years[-1],
                          "n": len(first_last), "weights": wdict, "tau": _num(st.tau),
                          "tau_spatial": _num(st.tau_spatial), "pairs": int(st.pairs_spatial),
                          "permutations": permutations, "seed": seed,
                          "p_sim": _num(st.tau_spatial_psim) if permutations else None}
    out["regional"] = {}
    signs: dict[tuple, np.ndarray] = {}  # Tau_Local's S of the units the partitions cover, by those units
    for name, part in (partitions or {}).items():
        sub = first_last[first_last.index.isin(part.index)]
        regime = part.loc[sub.index].to_numpy()
        if len(sub) < 2 or len(np.unique(regime)) < 2:
            continue
        x, y = sub[years[0]].to_numpy(), sub[years[-1]].to_numpy()
        if len(sub) <= REGIONAL_TAU_MAX:
            with warnings.catch_warnings():  # block weights: "not fully connected", by design
                warnings.simplefilter("ignore")
                tau_reg, method = Tau_Regional(x, y, regime).tau_reg, "giddy.rank.Tau_Regional"
        else:
            key = tuple(sub.index)
            if key not in signs:
                from giddy.rank import Tau_Local

                signs.clear()
                signs[key] = Tau_Local(x, y).S
            tau_reg = regional_tau(x, y, regime, signs[key])
            method = "giddy.rank.Tau_Local + Tau_Regional's sums"
        labels = sorted(np.unique(regime).tolist())
        out["regional"][name] = {"method": method, "from": years[0], "to": years[-1], "n": len(sub),
                                 "regions": labels, "tau": np.asarray(tau_reg, dtype=float).round(12).tolist(),
                                 "within": {str(r): _num(tau_reg[i, i]) for i, r in enumerate(labels)}}
    return out


def regional_tau(x, y, regime, S: np.ndarray | None = None) -> np.ndarray:
    """giddy's ``Tau_Regional.tau_reg`` without its n × n block weights: the concordance signs of
    every pair (``Tau_Local.S``) summed per pair of regions (P S Pᵀ), over the number of pairs
    (n_g n_h between regions, n_g (n_g − 1) within one). Used above ``REGIONAL_TAU_MAX`` units,
    where giddy builds dense n × n matrices in Python; regions sorted as ``np.unique`` sorts them.
    ``S``: ``Tau_Local(x, y).S`` when the caller has it (one per pair of years, for every partition)."""
    from giddy.rank import Tau_Local

    S = Tau_Local(np.asarray(x), np.asarray(y)).S if S is None else S
    labels, codes = np.unique(np.asarray(regime), return_inverse=True)
    P = np.zeros((len(labels), len(codes)))
    P[codes, np.arange(len(codes))] = 1.0
    sizes = P.sum(axis=1)
    pairs = np.outer(sizes, sizes) - np.diag(sizes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (P @ S @ P.T) / pairs


def sigma(values: pd.DataFrame) -> pd.DataFrame:
    """σ-convergence: per year n, mean, sd (ddof 1), CV = sd / mean, Gini (``inequality.gini``) and
    Theil's T (``inequality.theil``) of the units with a value that year."""
    from inequality.gini import Gini
    from inequality.theil import Theil

    rows = []
    for year in values.columns:
        v = values[year].dropna().to_numpy(dtype=float)
        sd = float(v.std(ddof=1)) if len(v) > 1 else float("nan")
        rows.append({"year": int(year), "n": len(v), "mean": float(v.mean()) if len(v) else float("nan"),
                     "sd": sd, "cv": sd / float(v.mean()) if len(v) > 1 else float("nan"),
                     "gini": float(Gini(v).g) if len(v) > 1 else float("nan"),
                     "theil": float(np.asarray(Theil(v).T).ravel()[0]) if len(v) > 1 else float("nan")})
    return pd.DataFrame(rows)


def beta(values: pd.DataFrame, groups: pd.Series | None = None) -> dict:
    """β-convergence: the mean yearly log growth from the first to the last year, (ln y_T − ln y_0)/T,
    regressed on ln y_0 (``spreg``'s OLS, classical standard errors), over the units present in both
    years with a positive value. With ``groups`` (adcode → region), one fixed effect per region
    (the first region is the reference). β < 0 is convergence; its speed λ = −ln(1 + βT)/T and
    half-life ln 2 / λ."""
    from spreg.diagnostics import t_stat as t_stat_of
    from spreg.ols import BaseOLS

    years = _years(values)
    if len(years) < 2:
        return {"skipped": "one_year"}
    span = years[-1] - years[0]
    both = values[[years[0], years[-1]]].dropna()
    both = both[(both > 0).all(axis=1)]
    if groups is not None:
        both = both[both.index.isin(groups.index)]
    y0 = np.log(both[years[0]].to_numpy())
    g = (np.log(both[years[-1]].to_numpy()) - y0) / span
    x = y0.reshape(-1, 1)
    fe = []
    if groups is not None:
        labels = groups.loc[both.index].astype(str)
        fe = sorted(labels.unique())
        dummies = np.column_stack([(labels == r).to_numpy(float) for r in fe[1:]]) if len(fe) > 1 else None
        if dummies is not None:
            x = np.column_stack([x, dummies])
    if len(g) <= x.shape[1] + 1:
        return {"skipped": "too_few_units", "n": len(g)}
    ols = BaseOLS(g.reshape(-1, 1), np.column_stack([np.ones(len(g)), x]))  # spreg.OLS without its printout
    se_all = np.sqrt(np.diag(ols.vm))
    b, se = float(ols.betas[1, 0]), float(se_all[1])
    ols.std_err = se_all
    t_stat, p = t_stat_of(ols)[1]
    r2 = 1 - float(ols.utu) / float(((g - g.mean()) ** 2).sum())
    speed = -np.log(1 + b * span) / span if 1 + b * span > 0 else float("nan")
    return {"method": "spreg.ols.BaseOLS", "kind": "conditional_fe" if groups is not None else "absolute",
            "from": years[0], "to": years[-1], "n": len(g), "beta": b, "se": se, "t": float(t_stat),
            "p": float(p), "intercept": float(ols.betas[0, 0]), "r2": r2,
            "fixed_effects": len(fe), "speed": _num(speed),
            "half_life": _num(np.log(2) / speed) if b < 0 and np.isfinite(speed) and speed > 0 else None}


def theil_split(values: pd.DataFrame, partition: pd.Series) -> pd.DataFrame:
    """Theil's T split into between- and within-region parts (``inequality.theil.TheilD``) per
    year, over the units with a value that year; a unit outside every region of ``partition``
    (adcode → region; NaN/"" allowed) counts in one group of its own kind ("other")."""
    from inequality.theil import TheilD

    labels = partition.reindex(values.index).fillna("other").replace("", "other").astype(str)
    rows = []
    for year in values.columns:
        present = values[year].notna().to_numpy()
        y = values[year].to_numpy(dtype=float)[present]
        if len(y) < 2:
            continue
        d = TheilD(y, labels.to_numpy()[present])
        total, between = float(np.ravel(d.T)[0]), float(np.ravel(d.bg)[0])
        rows.append({"year": int(year), "n": int(present.sum()), "groups": int(labels[present].nunique()),
                     "total": total, "between": between, "within": total - between,
                     "between_share": between / total if total > 0 else float("nan")})
    return pd.DataFrame(rows)


def densities(values: pd.DataFrame, points: int = DENSITY_POINTS) -> dict:
    """Gaussian kernel density of each year's values (``scipy.stats.gaussian_kde``, Scott's rule),
    on one grid spanning every year: ``grid``, and per year the density, bandwidth and n."""
    from scipy.stats import gaussian_kde

    pooled = values.to_numpy(dtype=float).ravel()
    pooled = pooled[~np.isnan(pooled)]
    if len(pooled) < 2:
        return {"skipped": "too_few_units"}
    pad = 0.1 * (pooled.max() - pooled.min() or 1.0)
    grid = np.linspace(pooled.min() - pad, pooled.max() + pad, points)
    years = {}
    for year in values.columns:
        v = values[year].dropna().to_numpy(dtype=float)
        if len(v) < 2 or np.ptp(v) == 0:
            continue
        h = float(np.sqrt(gaussian_kde(v).covariance[0, 0]))  # Scott's bandwidth, as scipy sets it
        z = (grid[:, None] - v[None, :]) / h  # the same sum scipy's evaluate makes, in one array
        density = np.exp(-0.5 * z * z).sum(axis=1) / (len(v) * h * np.sqrt(2 * np.pi))
        years[str(int(year))] = {"n": len(v), "bandwidth": h, "density": density.round(10).tolist()}
    return {"method": "scipy.stats.gaussian_kde (Scott)", "grid": grid.round(6).tolist(), "years": years}


def risers(table: pd.DataFrame, start: int, end: int, metrics: list[str], n: int = 10) -> pd.DataFrame:
    """The ``n`` largest rank gains from ``start`` to ``end`` per metric, ranks among the cities with
    a value in both years (1 = highest, ties share the best rank): metric, adcode, city, value_start,
    value_end, rank_start, rank_end, rank_change (positive = moved up), n_common. Ties in the gain
    are broken by the end rank."""
    out = []
    for metric in metrics:
        a = table.loc[table["year"] == start].set_index("adcode")[metric]
        b = table.loc[table["year"] == end].set_index("adcode")[metric]
        both = pd.concat({"value_start": a, "value_end": b}, axis=1).dropna()
        if both.empty:
            continue
        both["rank_start"] = both["value_start"].rank(ascending=False, method="min").astype(int)
        both["rank_end"] = both["value_end"].rank(ascending=False, method="min").astype(int)
        both["rank_change"] = both["rank_start"] - both["rank_end"]
        both = both.sort_values(["rank_change", "rank_end"], ascending=[False, True]).head(n)
        both.insert(0, "metric", metric)
        both["n_common"] = int(len(pd.concat([a, b], axis=1).dropna()))
        out.append(both.reset_index())
    cols = ["metric", "adcode", "city", "value_start", "value_end", "rank_start", "rank_end", "rank_change",
            "n_common"]
    if not out:
        return pd.DataFrame(columns=cols)
    res = pd.concat(out, ignore_index=True)
    res["city"] = [places.display_name(x) for x in res["adcode"]]
    return res[cols]


def partitions(adcodes) -> dict[str, pd.Series]:
    """The region partitions of the Theil split and τ decomposition, adcode → region: ``provinces``;
    ``clusters`` (the ten clusters of the report, "other" outside them); ``cores`` (the four core
    clusters, "other" outside them)."""
    from dei_geo.analysis import regions

    index = pd.Index(adcodes, name="adcode")
    info = places.load_places().set_index("adcode")
    prov = pd.Series(info["province"].reindex(index).to_numpy(), index=index)
    clusters = pd.Series("other", index=index, dtype=object)
    cores = pd.Series("other", index=index, dtype=object)
    for region in regions.clusters():
        members = index.intersection(region.members["adcode"])
        clusters[members] = region.name
        if region.core:
            cores[members] = region.name
    return {"cores": cores, "clusters": clusters, "provinces": prov}


def city_weights(kind: str = "queen", k: int = 6) -> Callable:
    """A builder of spatial weights over the given units from ``geodata/`` (``analysis.spatial``:
    queen with islands attached, or knn)."""
    from dei_geo.analysis import spatial
    from dei_geo.sources import boundaries

    @lru_cache(maxsize=4)
    def build_for(units: tuple):
        layer = boundaries.layer("cities", "web").set_index("adcode")
        return spatial.build_weights(layer.loc[list(units)], kind, k)

    return lambda units: build_for(tuple(units))


def report(values: pd.DataFrame, weights=None, scheme: str = "tiers", k: int = 5,
           parts: dict[str, pd.Series] | None = None, permutations: int = 99, tiers: pd.DataFrame | None = None
           ) -> dict:
    """Every dynamic of one metric (see the functions above), JSON-ready. ``weights``: a
    ``Weights``/``Graph`` over the units or a builder (``city_weights()``); None skips the spatial
    parts. ``parts``: the partitions (``partitions``) for the Theil split, β with fixed effects and
    the τ decomposition."""
    values = values.sort_index(axis=1)
    cls = classes(values, scheme, k, tiers)
    parts = partitions(values.index) if parts is None else parts
    sig = sigma(values)
    out = {
        "years": _years(values), "n_units": int(values.notna().any(axis=1).sum()),
        "n_balanced": len(balanced(values)), "classes": cls.to_dict(),
        "transitions": transitions(values, cls),
        "sigma": {"method": "CV (sd ddof 1 / mean); inequality.gini.Gini; inequality.theil.Theil",
                  "years": sig.to_dict("records")},
        "beta": {"absolute": beta(values),
                 **{f"fe_{name}": beta(values, part) for name, part in parts.items()}},
        "theil": {name: {"method": "inequality.theil.TheilD", "years": theil_split(values, part).to_dict("records")}
                  for name, part in parts.items()},
        "densities": densities(values),
        "rank_mobility": rank_mobility(values, weights, parts, permutations),
    }
    if weights is not None:
        out["spatial_markov"] = spatial_markov(values, weights, cls)
        out["lisa_markov"] = lisa_markov(values, weights)
    return json_safe(out)


def json_safe(obj):
    """``obj`` with NaN/inf as None and numpy scalars as Python numbers (``json.dumps(allow_nan=False)``)."""
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    return obj
