"""Spatial regression (PySAL ``spreg``): weights chosen and stated, OLS with spatial diagnostics,
SLX, SAR, SEM, SDM, SDEM, panel fixed effects, impacts with inference and the model choice.

Facts only: numbers, codes and stable column names (``wording.models`` says them). The
estimators are spreg's; this module prepares the sample (nothing silently dropped: every dropped
unit is listed with a reason code), builds the weights once, names the terms, and adds what spreg
leaves out:

* **Impacts with inference** (LeSage & Pace 2009). SAR/SDM: direct = mean diag of
  S(ρ)(Iβₖ + Wθₖ), total = mean row sum, indirect = total − direct, with S(ρ) = (I − ρW)⁻¹,
  computed exactly from the eigenvalues of W; their standard errors, z, p and 95% intervals come
  from ``draws`` parameter vectors drawn from the estimate's asymptotic normal distribution (as R's
  ``spatialreg::impacts``). spreg's own SDM summary counts all of Wθ as indirect; here the
  feedback through WX is counted in the direct effect, as LeSage & Pace define it (the total is the
  same). SLX/SDEM: direct = β, indirect = θ, total = β + θ, with standard errors from the
  covariance matrix (exact, linear).
* **LR tests** between nested models and the model choice (Elhorst 2010): the LM tests on OLS,
  then SDM against SAR (θ = 0) and against SEM (θ = −ρβ, the common factor).

Columbus HOVAL ~ INC + CRIME over queen weights (49 units, 236 links): LM-error 3.0971
(p 0.0784), LM-lag 0.9816, robust LM-error 3.2092, robust LM-lag 1.0936 (spreg's documented
numbers). Baltimore PRICE (baltim_q.gal): ML_Lag ρ = 0.425885, logL = −832.937174.
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from dei_geo.analysis import defaults, regions, spatial

if TYPE_CHECKING:
    from libpysal.graph import Graph

MODELS = ("ols", "slx", "sar", "sem", "sdm", "sdem")  # cross-section models
PANEL_MODELS = ("panel_lag", "panel_error")  # spreg Panel_FE_Lag / Panel_FE_Error
WEIGHT_KINDS = ("queen", "knn", "band")  # knn:K, band:Dkm (inverse distance within D km)
CORRECTIONS = defaults.CORRECTIONS
EFFECTS = ("direct", "indirect", "total")
ALPHA = 0.05  # tests and the model choice
DRAWS = 1000  # impact simulations
SEED = defaults.SEED
STAT_ROWS = ("n", "k", "r2", "adj_r2", "pseudo_r2", "logll", "aic", "schwarz", "sigma2")
CORRELOGRAM_KM = (100, 200, 300, 400, 500, 700, 1000)


class ModelInputError(ValueError):
    """Input the models cannot use. ``code`` names the problem (``wording.models.problem`` says
    what it is and what to do); ``params`` hold the column, the units, the numbers."""

    CODES = ("unknown_column", "not_numeric", "constant", "collinear", "too_few_obs", "bad_weights",
             "band_islands", "no_units", "no_covariates", "y_in_x", "unbalanced_panel", "one_year",
             "several_years", "few_units")

    def __init__(self, code: str, **params):
        assert code in self.CODES, code
        self.code, self.params = code, params
        super().__init__(f"{code}: " + ", ".join(f"{k}={v}" for k, v in params.items()))


# --- weights -------------------------------------------------------------------------------------
def parse_weights(spec: str) -> tuple[str, float | None]:
    """``queen`` → ("queen", None); ``knn:6`` → ("knn", 6); ``band:150km`` → ("band", 150.0)."""
    text = str(spec).strip().lower().replace(" ", "")
    found = re.fullmatch(r"(queen|knn|band)(?::(\d+(?:\.\d+)?)(km)?)?", text)
    if not found:
        raise ModelInputError("bad_weights", spec=spec)
    kind, number, km = found.groups()
    if kind == "queen":
        if number:
            raise ModelInputError("bad_weights", spec=spec)
        return kind, None
    if kind == "knn":
        if km or (number and "." in number):
            raise ModelInputError("bad_weights", spec=spec)
        return kind, float(number) if number else float(defaults.KNN_K)
    if not number or float(number) <= 0:
        raise ModelInputError("bad_weights", spec=spec)
    return kind, float(number)


@dataclass(frozen=True, eq=False)
class ModelWeights:
    """Weights for the models, built once and reused: ``graph`` holds the raw weights (1 for
    queen/knn neighbours, 1/km within the band), ``row_standardised`` says whether the models use
    them row-standardised. ``attached``: queen islands linked to their nearest unit."""

    graph: Graph
    kind: str  # queen | knn | band | given
    k: int | None = None
    band_km: float | None = None
    row_standardised: bool = True
    attached: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["island", "neighbour", "distance_km"]))
    name: str | None = None  # given weights: where they come from (e.g. baltim_q.gal)

    @property
    def ids(self) -> pd.Index:
        return pd.Index(self.graph.unique_ids)

    @property
    def n(self) -> int:
        return int(self.graph.n)

    @property
    def links(self) -> int:
        return int(self.graph.cardinalities.sum())

    @cached_property
    def W(self):  # noqa: N802 - libpysal's W, as spreg wants it
        g = self.graph.transform("r") if self.row_standardised else self.graph
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return g.to_W()

    @cached_property
    def dense(self) -> np.ndarray:
        """The weights as used (n × n, ordered as ``ids``)."""
        return self.W.full()[0]

    @cached_property
    def eigen(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(λ, a, b): eigenvalues of W and a = Vᵀ1, b = V⁻¹1 (1ᵀS1 = Σ aᵢbᵢ/(1 − ρλᵢ))."""
        lam, vec = np.linalg.eig(self.dense)
        ones = np.ones(self.n)
        return lam, vec.T @ ones, np.linalg.solve(vec, ones)

    def spec(self) -> str:
        """The weights as the CLI names them: queen, knn:6, band:150km."""
        if self.kind == "knn":
            return f"knn:{self.k}"
        if self.kind == "band":
            return f"band:{self.band_km:g}km"
        return self.kind

    def to_dict(self) -> dict:
        """What the weights are, printed with every result (JSON-safe)."""
        card = self.graph.cardinalities
        return {"kind": self.kind, "spec": self.spec(), "k": self.k, "band_km": self.band_km,
                "name": self.name, "row_standardised": self.row_standardised, "units": self.n,
                "links": self.links, "min_neighbours": int(card.min()), "max_neighbours": int(card.max()),
                "mean_neighbours": round(float(card.mean()), 2),
                "islands_attached": [{"island": _plain_id(r.island), "neighbour": _plain_id(r.neighbour),
                                      "distance_km": round(float(r.distance_km), 1)}
                                     for r in self.attached.itertuples()]}


def _plain_id(v):
    return int(v) if isinstance(v, (int, np.integer)) else str(v)


def build_weights(units: gpd.GeoDataFrame, spec: str = "queen", row_standardised: bool = True) -> ModelWeights:
    """Weights over ``units`` (indexed by id; without a CRS taken as planar in metres).

    ``queen`` and ``knn:K`` are ``spatial.build_weights`` (islands attached to their nearest unit);
    ``band:D`` links units whose ``spatial.unit_points`` (seats for the bundled units) are within
    D km, weighted 1/distance (km). A unit with no other within D km is an error naming it and the
    smallest band that links every unit (``band_islands``).
    """
    from libpysal.graph import Graph

    kind, number = parse_weights(spec)
    if len(units) < 3:
        raise ModelInputError("few_units", n=len(units))
    if kind in ("queen", "knn"):
        k = int(number) if kind == "knn" else defaults.KNN_K
        if kind == "knn" and not 0 < k < len(units):
            raise ModelInputError("bad_weights", spec=spec)
        w = spatial.build_weights(units, kind, k)
        return ModelWeights(w.graph, kind, w.k, None, row_standardised, w.attached)
    pts = spatial.unit_points(units)
    xy = np.column_stack([pts.x, pts.y]) / 1000  # km
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1)
    lonely = units.index[nearest > number]
    if len(lonely):
        raise ModelInputError("band_islands", band_km=number, units=[_plain_id(u) for u in lonely],
                              need_km=float(np.ceil(nearest.max())))
    focal, neighbour = np.nonzero(d <= number)
    ids = units.index.to_numpy()
    graph = Graph.from_arrays(ids[focal], ids[neighbour], 1.0 / d[focal, neighbour])
    return ModelWeights(graph, "band", None, number, row_standardised)


def given_weights(w, name: str, row_standardised: bool = True) -> ModelWeights:
    """Weights read elsewhere (a libpysal ``W`` or ``Graph``, e.g. spreg's example GAL files)."""
    from libpysal.graph import Graph

    graph = w if isinstance(w, Graph) else Graph.from_W(w)
    return ModelWeights(graph, "given", row_standardised=row_standardised, name=name)


# --- the sample ----------------------------------------------------------------------------------
@dataclass
class Sample:
    """The observations a model uses: ``data`` indexed by unit id (y first, then ``x``), the
    ``dropped`` units (id, reason: missing | no_geometry, columns) and the columns' ``units``."""

    y: str
    x: list[str]
    data: pd.DataFrame
    dropped: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)  # column → unit of measurement ("" unknown)

    @property
    def n(self) -> int:
        return len(self.data)

    def to_dict(self) -> dict:
        return {"y": self.y, "x": list(self.x), "n": self.n, "units": dict(self.units),
                "dropped": [{"id": _plain_id(r.id), "reason": r.reason, "columns": list(r.columns)}
                            for r in self.dropped.itertuples()]}


def sample(frame: pd.DataFrame, y: str, x: list[str], keep: pd.Index | None = None,
           units: dict[str, str] | None = None) -> Sample:
    """Check and select the observations of ``y`` on ``x`` from ``frame`` (indexed by unit id).

    Unknown, non-numeric, constant and collinear columns are errors naming them; units missing a
    value (or, with ``keep``, outside it: no boundary) are dropped and listed.
    """
    x = _check_columns(frame, y, x)
    data = frame[[y, *x]].astype(float)
    dropped = []
    if keep is not None:
        for i in data.index.difference(keep, sort=False):
            dropped.append({"id": i, "reason": "no_geometry", "columns": []})
        data = data[data.index.isin(keep)]
    missing = data.isna()
    for i in data.index[missing.any(axis=1)]:
        dropped.append({"id": i, "reason": "missing", "columns": list(data.columns[missing.loc[i]])})
    data = data[~missing.any(axis=1)]
    if data.empty:
        raise ModelInputError("no_units")
    for c in [y, *x]:
        if data[c].nunique() < 2:
            raise ModelInputError("constant", column=c, value=float(data[c].iloc[0]))
    _collinear(data, x)
    return Sample(y, x, data, pd.DataFrame(dropped, columns=["id", "reason", "columns"]), dict(units or {}))


def _check_columns(frame: pd.DataFrame, y: str, x: list[str]) -> list[str]:
    """``x`` without repeats; unknown and non-numeric columns are errors naming them."""
    x = list(dict.fromkeys(x))
    if not x:
        raise ModelInputError("no_covariates")
    if y in x:
        raise ModelInputError("y_in_x", column=y)
    for c in [y, *x]:
        if c not in frame.columns:
            raise ModelInputError("unknown_column", column=c, available=[str(a) for a in frame.columns])
    for c in [y, *x]:
        col = frame[c]
        if not (pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)):
            bad = [str(v) for v in col.dropna().astype(str).unique()[:3]]
            numeric = pd.to_numeric(col, errors="coerce")
            rows = [_plain_id(i) for i in col.index[numeric.isna() & col.notna()][:5]]
            raise ModelInputError("not_numeric", column=c, examples=bad, units=rows)
    return x


def _collinear(data: pd.DataFrame, x: list[str]) -> None:
    """The first covariate that is (nearly) a linear combination of the constant and the ones
    before it: ModelInputError naming it and those it depends on."""
    cols = [np.ones(len(data))]
    names: list[str] = []
    for c in x:
        v = data[c].to_numpy(float)
        v = (v - v.mean()) / v.std()
        basis = np.column_stack(cols)
        coef, *_ = np.linalg.lstsq(basis, v, rcond=None)
        resid = v - basis @ coef
        if resid @ resid < 1e-8 * len(v):
            scale = np.column_stack(cols[1:]).std(axis=0) if names else np.array([])
            used = [n for n, b, s in zip(names, coef[1:], scale) if abs(b) * max(s, 1e-12) > 1e-6]
            raise ModelInputError("collinear", column=c, with_columns=used or names)
        cols.append(v)
        names.append(c)


def n_params(model: str, p: int) -> int:
    """Coefficients a model estimates with ``p`` covariates (constant, β, θ, ρ or λ)."""
    wx = p if model in ("slx", "sdm", "sdem") else 0
    spatial_par = 1 if model in ("sar", "sem", "sdm", "sdem") else 0
    return 1 + p + wx + spatial_par


# --- results -------------------------------------------------------------------------------------
def stars(p: float) -> str:
    """*** p < 0.01, ** p < 0.05, * p < 0.1 (the convention in economics journals)."""
    if p is None or not np.isfinite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


@dataclass
class ModelResult:
    """One fitted model. ``coefs``: term, kind (const | x | wx | rho | lambda), coef, se, z, p,
    stars (z is spreg's t for OLS/SLX); ``stats``: n, k, r2, adj_r2, pseudo_r2, logll, aic,
    schwarz, sigma2 (NaN where the model has none); ``diagnostics``: name → (statistic, df, p);
    ``impacts``: variable, effect, estimate, se, z, p, ci_low, ci_high; ``residuals`` by unit."""

    model: str
    y: str
    x: list[str]
    coefs: pd.DataFrame
    stats: dict
    diagnostics: dict
    impacts: pd.DataFrame
    residuals: pd.Series
    weights: dict
    sample: dict
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        def clean(v):
            return None if v is None or (isinstance(v, float) and not np.isfinite(v)) else v
        return {"model": self.model, "y": self.y, "x": self.x,
                "coefficients": [{k: clean(v) for k, v in r.items()} for r in _records(self.coefs)],
                "stats": {k: clean(v) for k, v in self.stats.items()},
                "diagnostics": {k: {"statistic": clean(s), "df": d, "p": clean(p)}
                                for k, (s, d, p) in self.diagnostics.items()},
                "impacts": [{k: clean(v) for k, v in r.items()} for r in _records(self.impacts)],
                "weights": self.weights, "sample": self.sample, "warnings": self.warnings}


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
            for r in df.to_dict("records")]


def _coef_table(names, kinds, betas, se, zp) -> pd.DataFrame:
    df = pd.DataFrame({"term": names, "kind": kinds, "coef": np.ravel(betas).astype(float),
                       "se": np.ravel(se).astype(float), "z": [float(a) for a, _ in zp],
                       "p": [float(b) for _, b in zp]})
    df["stars"] = df["p"].map(stars)
    return df


def _terms(model: str, x: list[str]) -> tuple[list[str], list[str]]:
    names, kinds = ["const", *x], ["const", *["x"] * len(x)]
    if model in ("slx", "sdm", "sdem"):
        names += [f"W_{c}" for c in x]
        kinds += ["wx"] * len(x)
    if model in ("sar", "sdm"):
        names.append("rho")
        kinds.append("rho")
    if model in ("sem", "sdem"):
        names.append("lambda")
        kinds.append("lambda")
    return names, kinds


def _stats(reg, n: int, k: int, **kw) -> dict:
    out = dict.fromkeys(STAT_ROWS, np.nan)
    out.update(n=n, k=k, logll=float(reg.logll), aic=float(reg.aic), schwarz=float(reg.schwarz),
               sigma2=float(np.ravel(reg.sig2)[0]))
    out.update({key: float(v) for key, v in kw.items()})
    return out


def fit(s: Sample, w: ModelWeights, model: str = "ols", draws: int = DRAWS, seed: int = SEED) -> ModelResult:
    """Fit ``model`` (one of ``MODELS``) of ``s`` over ``w`` (whose ids must be the sample's units,
    in any order) with spreg; impacts for SLX, SAR, SDM and SDEM."""
    import spreg

    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    data = _aligned(s, w)
    k = n_params(model, len(s.x))
    if len(data) <= k:
        raise ModelInputError("too_few_obs", n=len(data), k=k, model=model)
    y = data[[s.y]].to_numpy(float)
    x = data[s.x].to_numpy(float)
    names, kinds = _terms(model, s.x)
    common = {"name_y": s.y, "name_x": list(s.x)}
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as log, _quiet():
        warnings.simplefilter("always")
        if model in ("ols", "slx"):
            slx = 1 if model == "slx" else 0
            reg = spreg.OLS(y, x, w.W, slx_lags=slx, spat_diag=model == "ols", moran=model == "ols",
                            nonspat_diag=True, **common)
            coefs = _coef_table(names, kinds, reg.betas, reg.std_err, reg.t_stat)
            stats = _stats(reg, reg.n, reg.k, r2=reg.r2, adj_r2=reg.ar2)
        elif model in ("sar", "sdm"):
            reg = spreg.ML_Lag(y, x, w.W, slx_lags=1 if model == "sdm" else 0, spat_impacts=None,
                               spat_diag=False, **common)
            coefs = _coef_table(names, kinds, reg.betas, reg.std_err, reg.z_stat)
            stats = _stats(reg, reg.n, len(names), pseudo_r2=reg.pr2)
        else:
            reg = spreg.ML_Error(y, x, w.W, slx_lags=1 if model == "sdem" else 0, spat_diag=False, **common)
            coefs = _coef_table(names, kinds, reg.betas, reg.std_err, reg.z_stat)
            stats = _stats(reg, reg.n, len(names), pseudo_r2=reg.pr2)
    caught += [str(m.message) for m in log if not issubclass(m.category, (DeprecationWarning, FutureWarning))]
    caught += [str(reg.warning)] if getattr(reg, "warning", None) else []
    diagnostics = _diagnostics(reg) if model == "ols" else {}
    impacts = _impacts(model, reg, s.x, w, draws, seed)
    resid = pd.Series(np.ravel(reg.u), index=data.index, name="residual")
    return ModelResult(model, s.y, list(s.x), coefs, stats, diagnostics, impacts, resid, w.to_dict(),
                       s.to_dict(), caught)


def _quiet():
    """spreg prints the class name of some fits to stdout (output.py): keep stdout clean (JSON)."""
    return contextlib.redirect_stdout(io.StringIO())


def _aligned(s: Sample, w: ModelWeights) -> pd.DataFrame:
    ids = w.ids
    if set(ids) != set(s.data.index) or len(ids) != len(s.data):
        raise ValueError("the weights must be built over exactly the sample's units (build_weights "
                         "on sample.data.index)")
    return s.data.loc[ids]


def _diagnostics(reg) -> dict:
    """OLS: Moran's I of the residuals (I, z, p) and the LM tests (statistic, df, p)."""
    out = {"moran_residuals": (float(reg.moran_res[0]), None, float(reg.moran_res[2])),
           "moran_residuals_z": (float(reg.moran_res[1]), None, float(reg.moran_res[2]))}
    for name, attr, df in (("lm_lag", "lm_lag", 1), ("lm_error", "lm_error", 1), ("rlm_lag", "rlm_lag", 1),
                           ("rlm_error", "rlm_error", 1), ("sarma", "lm_sarma", 2)):
        stat, p = getattr(reg, attr)
        out[name] = (float(stat), df, float(p))
    return out


# --- impacts -------------------------------------------------------------------------------------
def multipliers(w: ModelWeights, rho: np.ndarray) -> dict[str, np.ndarray]:
    """For each ρ: mean diag of S and of SW (direct), mean row sum of S and SW (total)."""
    lam, a, b = w.eigen
    rho = np.atleast_1d(np.asarray(rho, float))[:, None]
    inv = 1.0 / (1.0 - rho * lam[None, :])
    n = w.n
    return {"d": np.real(inv.mean(axis=1)), "dw": np.real((inv * lam).mean(axis=1)),
            "t": np.real((inv * a * b).sum(axis=1)) / n, "tw": np.real((inv * a * b * lam).sum(axis=1)) / n}


def _lag_impacts(beta, theta, m) -> dict[str, np.ndarray]:
    direct = m["d"][:, None] * beta + m["dw"][:, None] * theta
    total = m["t"][:, None] * beta + m["tw"][:, None] * theta
    return {"direct": direct, "indirect": total - direct, "total": total}


def _impacts(model: str, reg, x: list[str], w: ModelWeights, draws: int, seed: int) -> pd.DataFrame:
    from scipy import stats

    p = len(x)
    cols = ["variable", "effect", "estimate", "se", "z", "p", "ci_low", "ci_high"]
    rows = []
    betas, vm = np.ravel(reg.betas).astype(float), np.asarray(reg.vm, float)
    if model in ("slx", "sdem"):  # linear: direct β, indirect θ, total β + θ
        for j, name in enumerate(x):
            for effect, coef in (("direct", [(1 + j, 1.0)]), ("indirect", [(1 + p + j, 1.0)]),
                                 ("total", [(1 + j, 1.0), (1 + p + j, 1.0)])):
                g = np.zeros(len(betas))
                for i, v in coef:
                    g[i] = v
                est, se = float(g @ betas), float(np.sqrt(g @ vm[: len(betas), : len(betas)] @ g))
                z = est / se
                rows.append([name, effect, est, se, z, 2 * stats.norm.sf(abs(z)),
                             est - 1.959964 * se, est + 1.959964 * se])
        return pd.DataFrame(rows, columns=cols)
    if model not in ("sar", "sdm"):
        return pd.DataFrame(columns=cols)
    k = len(betas)
    point = _lag_impacts(betas[1: 1 + p][None, :],
                         betas[1 + p: 1 + 2 * p][None, :] if model == "sdm" else np.zeros((1, p)),
                         multipliers(w, betas[-1]))
    rng = np.random.default_rng(seed)
    sims = rng.multivariate_normal(betas, vm[:k, :k], size=draws, method="eigh")
    sims = sims[np.abs(sims[:, -1]) < 1]  # ρ outside (−1, 1): no stable process
    sim = _lag_impacts(sims[:, 1: 1 + p], sims[:, 1 + p: 1 + 2 * p] if model == "sdm" else np.zeros((len(sims), p)),
                       multipliers(w, sims[:, -1]))
    for j, name in enumerate(x):
        for effect in EFFECTS:
            est = float(point[effect][0, j])
            d = sim[effect][:, j]
            se = float(d.std(ddof=1))
            z = est / se if se > 0 else np.nan
            rows.append([name, effect, est, se, z, 2 * stats.norm.sf(abs(z)),
                         float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))])
    return pd.DataFrame(rows, columns=cols)


LOCAL_IMPACT_MODELS = ("slx", "sar", "sdm", "sdem")  # models whose effects differ between units


def local_impacts(result: ModelResult, w: ModelWeights, variable: str) -> pd.DataFrame:
    """Per unit, the effect on it of raising ``variable`` by one everywhere: ``direct`` (its own
    value's effect, feedback included), ``indirect`` (its neighbours' values', the spillover) and
    ``total``, indexed by unit. SAR/SDM: the rows of S(ρ)(Iβ + Wθ), S(ρ) = (I − ρW)⁻¹ (their
    means are the average impacts); SLX/SDEM: β and θ × the row sum of W."""
    if result.model not in LOCAL_IMPACT_MODELS:
        raise ValueError(f"{result.model} has no unit-by-unit spillover; choose {', '.join(LOCAL_IMPACT_MODELS)}")
    coef = result.coefs.set_index(["term", "kind"])["coef"]
    beta = float(coef[(variable, "x")])
    theta = float(coef.get((f"W_{variable}", "wx"), 0.0))
    dense = w.dense
    if result.model in ("sar", "sdm"):
        rho = float(result.coefs.loc[result.coefs["kind"] == "rho", "coef"].iloc[0])
        m = np.linalg.solve(np.eye(w.n) - rho * dense, beta * np.eye(w.n) + theta * dense)
        direct, total = np.diag(m), m.sum(axis=1)
    else:
        direct, total = np.full(w.n, beta), beta + theta * dense.sum(axis=1)
    return pd.DataFrame({"direct": direct, "indirect": total - direct, "total": total}, index=w.ids)


# --- the model choice ----------------------------------------------------------------------------
@dataclass
class Choice:
    """All six models and the choice: ``favoured`` (a model code), ``lm_favours`` (ols | sar |
    sem | both), ``tests`` (name, statistic, df, p, reject), ``reasons`` [(code, params)], ``aic``
    ranking (model, aic) — ``wording.models.choice`` says it in zh/en."""

    results: dict[str, ModelResult]
    favoured: str
    lm_favours: str
    tests: pd.DataFrame
    reasons: list[tuple[str, dict]]
    alpha: float

    def to_dict(self) -> dict:
        return {"favoured": self.favoured, "lm_favours": self.lm_favours, "alpha": self.alpha,
                "tests": _records(self.tests), "reasons": [{"code": c, **p} for c, p in self.reasons]}


def lr_test(general: ModelResult, restricted: ModelResult, df: int) -> tuple[float, int, float]:
    """Likelihood ratio 2(logL_general − logL_restricted) ~ χ²(df): (statistic, df, p)."""
    from scipy import stats

    lr = max(2 * (general.stats["logll"] - restricted.stats["logll"]), 0.0)
    return float(lr), df, float(stats.chi2.sf(lr, df))


def choose(s: Sample, w: ModelWeights, alpha: float = ALPHA, draws: int = DRAWS, seed: int = SEED) -> Choice:
    """Fit every model and choose (Elhorst 2010): the LM tests on OLS say whether a lag or an error
    process is in the residuals (the robust forms break a tie); LR tests of the SDM against SAR
    (θ = 0) and SEM (common factor θ = −ρβ) say whether it simplifies."""
    res = {m: fit(s, w, m, draws, seed) for m in MODELS}
    d = res["ols"].diagnostics
    p = len(s.x)
    rows = [(name, d[name][0], d[name][1], d[name][2]) for name in ("lm_lag", "lm_error", "rlm_lag", "rlm_error",
                                                                    "sarma")]
    rows += [("lr_sdm_sar", *lr_test(res["sdm"], res["sar"], p)), ("lr_sdm_sem", *lr_test(res["sdm"], res["sem"], p)),
             ("lr_sdm_slx", *lr_test(res["sdm"], res["slx"], 1)), ("lr_sdem_sem", *lr_test(res["sdem"], res["sem"], p)),
             ("lr_sdem_slx", *lr_test(res["sdem"], res["slx"], 1)), ("lr_sar_ols", *lr_test(res["sar"], res["ols"], 1)),
             ("lr_sem_ols", *lr_test(res["sem"], res["ols"], 1))]
    tests = pd.DataFrame(rows, columns=["test", "statistic", "df", "p"])
    tests["reject"] = tests["p"] < alpha
    rej = dict(zip(tests["test"], tests["reject"]))
    pv = dict(zip(tests["test"], tests["p"]))
    reasons: list[tuple[str, dict]] = []
    if not rej["lm_lag"] and not rej["lm_error"]:
        lm = "ols"
        reasons.append(("lm_none", {"p_lag": pv["lm_lag"], "p_error": pv["lm_error"]}))
    elif rej["lm_lag"] != rej["lm_error"]:
        lm = "sar" if rej["lm_lag"] else "sem"
        reasons.append(("lm_lag_only" if lm == "sar" else "lm_error_only",
                        {"p_lag": pv["lm_lag"], "p_error": pv["lm_error"]}))
    else:
        params = {"p_rlag": pv["rlm_lag"], "p_rerror": pv["rlm_error"]}
        if rej["rlm_lag"] != rej["rlm_error"]:
            lm = "sar" if rej["rlm_lag"] else "sem"
            reasons.append(("lm_robust_lag" if lm == "sar" else "lm_robust_error", params))
        else:
            lm = "both"
            reasons.append(("lm_robust_both" if rej["rlm_lag"] else "lm_robust_none", params))
    sar_ok, sem_ok = not rej["lr_sdm_sar"], not rej["lr_sdm_sem"]
    lr_params = {"p_sar": pv["lr_sdm_sar"], "p_sem": pv["lr_sdm_sem"]}
    if not sar_ok and not sem_ok:
        favoured = "sdm"
        reasons.append(("lr_both_rejected", lr_params))
    elif sar_ok and not sem_ok:
        favoured = "sar"
        reasons.append(("lr_sar_holds", lr_params))
    elif sem_ok and not sar_ok:
        favoured = "sem"
        reasons.append(("lr_sem_holds", lr_params))
    else:
        favoured = lm if lm in ("ols", "sar", "sem") else "sdm"
        reasons.append(("lr_both_hold", {**lr_params, "lm": lm}))
    if favoured == "sdm" and lm in ("sar", "sem"):
        reasons.append(("sdm_general", {"lm": lm}))
    return Choice(res, favoured, lm, tests, reasons, alpha)


def aic_table(results: dict[str, ModelResult]) -> pd.DataFrame:
    """model, logll, aic, schwarz, k; sorted by AIC."""
    rows = [(m, r.stats["logll"], r.stats["aic"], r.stats["schwarz"], r.stats["k"]) for m, r in results.items()]
    return pd.DataFrame(rows, columns=["model", "logll", "aic", "schwarz", "k"]).sort_values("aic",
                                                                                             ignore_index=True)


# --- panels (several years) ----------------------------------------------------------------------
def panel_sample(frame: pd.DataFrame, y: str, x: list[str], id_col: str = "adcode", year_col: str = "year",
                 keep: pd.Index | None = None) -> tuple[Sample, list]:
    """A balanced panel: units with every year and no missing value (the others are dropped and
    listed, reason ``unbalanced``). Returns (a Sample over units with ``data`` indexed by
    (id, year), the years)."""
    years = sorted(frame[year_col].dropna().unique())
    if len(years) < 2:
        raise ModelInputError("one_year", years=[int(v) for v in years])
    flat = frame.set_index([id_col, year_col])
    if flat.index.has_duplicates:
        dup = flat.index[flat.index.duplicated()][0]
        raise ModelInputError("unbalanced_panel", unit=_plain_id(dup[0]), year=int(dup[1]))
    x = _check_columns(flat, y, x)
    data = flat[[y, *x]].astype(float)
    dropped = []
    ids = data.index.get_level_values(0).unique()
    if keep is not None:
        for i in ids.difference(keep, sort=False):
            dropped.append({"id": i, "reason": "no_geometry", "columns": []})
        ids = ids[ids.isin(keep)]
    full = pd.MultiIndex.from_product([ids, years])
    data = data.reindex(full)
    bad = data.isna().any(axis=1).groupby(level=0).any()
    for i in bad.index[bad]:
        dropped.append({"id": i, "reason": "unbalanced", "columns": list(data.columns[data.loc[i].isna().any()])})
    data = data[~data.index.get_level_values(0).isin(bad.index[bad])]
    if data.empty:
        raise ModelInputError("no_units")
    for c in [y, *x]:
        if data[c].nunique() < 2:
            raise ModelInputError("constant", column=c, value=float(data[c].iloc[0]))
    return Sample(y, list(x), data, pd.DataFrame(dropped, columns=["id", "reason", "columns"])), years


def fit_panel(s: Sample, w: ModelWeights, model: str = "panel_lag") -> ModelResult:
    """spreg ``Panel_FE_Lag`` / ``Panel_FE_Error`` (unit fixed effects) of a ``panel_sample``
    over ``w`` (built over its units). No constant (absorbed by the fixed effects)."""
    import spreg

    if model not in PANEL_MODELS:
        raise ValueError(f"unknown panel model {model!r}; choose one of {', '.join(PANEL_MODELS)}")
    ids = w.ids
    years = sorted(s.data.index.get_level_values(1).unique())
    if set(ids) != set(s.data.index.get_level_values(0)):
        raise ValueError("the weights must be built over the panel's units")
    order = pd.MultiIndex.from_tuples([(i, t) for t in years for i in ids])  # year-major, as spreg reads
    data = s.data.loc[order]
    k = len(s.x) + 1
    if len(ids) * len(years) <= k + len(ids):
        raise ModelInputError("too_few_obs", n=len(ids) * len(years), k=k + len(ids), model=model)
    y, x = data[[s.y]].to_numpy(float), data[s.x].to_numpy(float)
    with warnings.catch_warnings(record=True) as log, _quiet():
        warnings.simplefilter("always")
        cls = spreg.Panel_FE_Lag if model == "panel_lag" else spreg.Panel_FE_Error
        reg = cls(y, x, w.W, name_y=s.y, name_x=list(s.x))
    par = "rho" if model == "panel_lag" else "lambda"
    names, kinds = [*s.x, par], [*["x"] * len(s.x), par]
    coefs = _coef_table(names, kinds, reg.betas, reg.std_err, reg.z_stat)
    stats = _stats(reg, len(ids) * len(years), len(names), pseudo_r2=getattr(reg, "pr2", np.nan))
    caught = [str(m.message) for m in log if not issubclass(m.category, (DeprecationWarning, FutureWarning))
              and "panel is in long format" not in str(m.message)]
    resid = pd.Series(np.ravel(reg.u), index=order, name="residual")
    out = ModelResult(model, s.y, list(s.x), coefs, stats, {}, pd.DataFrame(
        columns=["variable", "effect", "estimate", "se", "z", "p", "ci_low", "ci_high"]), resid, w.to_dict(),
        {**s.to_dict(), "years": [int(t) for t in years], "units_n": len(ids)}, caught)
    if model == "panel_lag":
        out.impacts = _impacts("sar", _PanelAsLag(reg, len(s.x)), s.x, w, DRAWS, SEED)
    return out


class _PanelAsLag:
    """A panel lag fit shaped like ML_Lag for ``_impacts`` (a zero constant in front)."""

    def __init__(self, reg, p: int):
        b = np.ravel(reg.betas).astype(float)
        self.betas = np.concatenate([[0.0], b])
        vm = np.zeros((len(b) + 1, len(b) + 1))
        vm[1:, 1:] = np.asarray(reg.vm, float)[: len(b), : len(b)]
        vm[0, 0] = 1e-12
        self.vm = vm


# --- local statistics ----------------------------------------------------------------------------
def cutoff(p: np.ndarray, alpha: float = defaults.ALPHA, correction: str = "none") -> float:
    """The p-value at or below which a local statistic counts as significant: α, α/m (Bonferroni)
    or the Benjamini–Hochberg false-discovery-rate cut-off (``esda.fdr``; 0 when none passes)."""
    p = np.asarray(p, float)
    if correction == "none":
        return float(alpha)
    if correction == "bonferroni":
        return float(alpha / len(p))
    if correction == "fdr":
        from esda import fdr

        return float(fdr(p, alpha))
    raise ValueError(f"unknown correction {correction!r}; choose one of {', '.join(CORRECTIONS)}")


def corrected_classes(sp: spatial.Spillover, correction: str = "none") -> tuple[pd.DataFrame, dict]:
    """LISA and Gi* classes of a ``Spillover`` with a multiple-testing correction: per unit
    lisa, gi (codes as in ``spatial``), and the cut-offs used {lisa, gi, correction, alpha}.
    Islands stay never significant."""
    local = sp.local
    c_lisa, c_gi = cutoff(local["p_lisa"], sp.alpha, correction), cutoff(local["p_gi"], sp.alpha, correction)
    quad = np.where(local["z"] > 0, np.where(local["lag"] > 0, "HH", "HL"), np.where(local["lag"] > 0, "LH", "LL"))
    sig_l = (local["p_lisa"] <= c_lisa) & ~local["island"]
    sig_g = (local["p_gi"] <= c_gi) & ~local["island"]
    out = pd.DataFrame({"lisa": np.where(sig_l, quad, "ns"),
                        "gi": np.where(sig_g, np.where(local["Zs"] > 0, "hot", "cold"), "ns"),
                        "p_lisa": local["p_lisa"], "p_gi": local["p_gi"]}, index=local.index)
    return out, {"lisa": c_lisa, "gi": c_gi, "correction": correction, "alpha": sp.alpha}


def corrected(sp: spatial.Spillover, correction: str = "none") -> spatial.Spillover:
    """A copy of ``sp`` whose LISA / Gi* classes and counts use ``correction``; its
    ``correction`` and ``cutoffs`` ({lisa, gi}: the p at or below which a unit counts) say so.
    ``"none"`` gives ``sp`` itself (its classes already use p ≤ α)."""
    if correction == "none":
        return sp
    classes, info = corrected_classes(sp, correction)
    out = copy.copy(sp)
    out.local = sp.local.assign(lisa=classes["lisa"], gi=classes["gi"])
    out.lisa_counts = out.local["lisa"].value_counts().reindex(spatial.LISA_CLASSES, fill_value=0)
    out.gi_counts = out.local["gi"].value_counts().reindex(spatial.GI_CLASSES, fill_value=0)
    out.correction, out.cutoffs = correction, {"lisa": info["lisa"], "gi": info["gi"]}
    return out


@dataclass
class Bivariate:
    """Bivariate Moran's I of x with the spatial lag of y (``esda.Moran_BV``) and the bivariate
    LISA per unit (``esda.Moran_Local_BV``): Is, p (two-sided permutation), cls (HH, LL, HL, LH,
    ns: x high/low, neighbours' y high/low), with the correction and cut-off used."""

    x: str
    y: str
    I: float  # noqa: E741 - Moran's I
    z_sim: float
    p_sim: float
    permutations: int
    local: pd.DataFrame
    cutoff: float
    correction: str
    alpha: float
    weights: dict

    def to_dict(self) -> dict:
        counts = self.local["cls"].value_counts().reindex(spatial.LISA_CLASSES, fill_value=0)
        return {"x": self.x, "y": self.y, "moran_I": self.I, "z_sim": self.z_sim, "p_sim": self.p_sim,
                "permutations": self.permutations, "correction": self.correction, "alpha": self.alpha,
                "cutoff": self.cutoff, "counts": {k: int(v) for k, v in counts.items()},
                "weights": self.weights}


def bivariate(x: pd.Series, y: pd.Series, w: ModelWeights, permutations: int = defaults.PERMUTATIONS,
              alpha: float = defaults.ALPHA, correction: str = "none", seed: int = SEED) -> Bivariate:
    """Bivariate Moran and LISA of ``x`` (a score) against the neighbours' ``y`` (a covariate or
    another pillar), both indexed like ``w.ids``; row-standardised as esda does."""
    from esda import Moran_BV, Moran_Local_BV

    xv = pd.Series(x).reindex(w.ids).to_numpy(float)
    yv = pd.Series(y).reindex(w.ids).to_numpy(float)
    if np.isnan(xv).any() or np.isnan(yv).any():
        raise ModelInputError("no_units")
    with spatial.seeded(seed), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = w.graph.transform("r")
        mbv = Moran_BV(xv, yv, g.to_W(), permutations=permutations)
        loc = Moran_Local_BV(xv, yv, g.to_W(), permutations=permutations, seed=seed, n_jobs=1)
    p = spatial.two_sided(loc.Is, loc.rlisas)
    cut = cutoff(p, alpha, correction)
    island = w.ids.isin(w.attached["island"])
    quad = np.array([{1: "HH", 2: "LH", 3: "LL", 4: "HL"}[q] for q in loc.q])
    cls = np.where((p <= cut) & ~island, quad, "ns")
    local = pd.DataFrame({"x": xv, "y": yv, "Is": loc.Is, "p": p, "cls": cls, "island": island}, index=w.ids)
    return Bivariate(str(getattr(x, "name", "x")), str(getattr(y, "name", "y")), float(mbv.I),
                     float(mbv.z_sim), float(mbv.p_sim), permutations, local, cut, correction, alpha, w.to_dict())


def correlogram(units: gpd.GeoDataFrame, values: pd.Series, bands_km=CORRELOGRAM_KM,
                permutations: int = 99, seed: int = SEED) -> pd.DataFrame:
    """Moran's I of ``values`` over distance bands 0–d km (``esda.correlogram``, binary weights
    of ``spatial.unit_points`` within d km, row-standardised as esda's Moran does): distance_km, I, EI, z, p
    (normal approximation), p_sim, islands (units with no neighbour within d)."""
    from esda import correlogram as esda_correlogram

    pts = spatial.unit_points(units)
    v = pd.Series(values).reindex(units.index).astype(float)
    with spatial.seeded(seed), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = esda_correlogram(pts.reset_index(drop=True), v.reset_index(drop=True),
                             support=[b * 1000 for b in bands_km], n_jobs=1,
                             stat_kwargs={"permutations": permutations})
    xy = np.column_stack([pts.x, pts.y]) / 1000
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1)
    return pd.DataFrame({"distance_km": list(bands_km), "I": c["I"].to_numpy(float), "EI": c["EI"].to_numpy(float),
                         "z": c["z_norm"].to_numpy(float), "p": c["p_norm"].to_numpy(float),
                         "p_sim": c["p_sim"].to_numpy(float),
                         "islands": [int((nearest > b).sum()) for b in bands_km]})


# --- core-city spillover -------------------------------------------------------------------------
def core_cities(which: str = "four") -> pd.DataFrame:
    """The core cities: ``four`` (the centres of the report's four core clusters) or ``all``
    (every centre in data/regions/centres.csv): adcode, city, lon, lat."""
    from dei_geo.core import paths

    centres = regions.centres()
    if which == "all":
        return centres[["adcode", "city", "lon", "lat"]]
    cores = pd.read_csv(paths.DEI_2023 / "cores.csv")["cluster"]
    cc = pd.read_csv(paths.DATA / "regions" / "cluster_centres.csv")
    adcodes = cc[cc["cluster"].isin(set(cores))]["adcode"].astype(int)
    return centres[centres["adcode"].isin(set(adcodes))][["adcode", "city", "lon", "lat"]].reset_index(drop=True)


def core_frame(scores: pd.Series, cores: pd.DataFrame) -> pd.DataFrame:
    """Per non-core unit with a score: nearest core (adcode), distance_km to its centre,
    ln_distance, core_score (that core's score). Cores without a score are not used."""
    scored = cores[cores["adcode"].isin(scores.dropna().index)]
    if scored.empty:
        raise ModelInputError("no_units")
    dist = pd.DataFrame({int(c.adcode): regions.distances_km(c.lon, c.lat, lod="web") for c in scored.itertuples()})
    dist = dist.reindex(scores.dropna().index).drop(index=list(scored["adcode"]), errors="ignore")
    nearest = dist.idxmin(axis=1)
    d = dist.min(axis=1)
    return pd.DataFrame({"core": nearest.astype(int), "distance_km": d, "ln_distance": np.log(d.clip(lower=1.0)),
                         "core_score": scores.reindex(nearest.to_numpy()).to_numpy(float)}, index=dist.index)


@dataclass
class CoreSpillover:
    """Score of non-core units on ln(distance to the nearest core), the core's score and any
    covariates: OLS (with its spatial diagnostics) and SEM (errors allowed to be spatially
    correlated); ``effect`` rows: model, term, coef, se, ci_low, ci_high (95%), p; ``frame``
    per unit; ``per_doubling``: the ln-distance coefficient × ln 2 (points per doubling)."""

    results: dict[str, ModelResult]
    effect: pd.DataFrame
    frame: pd.DataFrame
    cores: pd.DataFrame

    def to_dict(self) -> dict:
        return {"effect": _records(self.effect), "cores": _records(self.cores),
                "models": {k: v.to_dict() for k, v in self.results.items()}}


def core_spillover(scores: pd.Series, units: gpd.GeoDataFrame, covariates: pd.DataFrame | None = None,
                   weights: str = "queen", cores: str = "four", row_standardised: bool = True) -> CoreSpillover:
    """"Radiation from the cores" as an estimate with an interval (see ``CoreSpillover``).

    ``scores`` and ``covariates`` are indexed by adcode, ``units`` the boundaries (for weights).
    The core's own score enters only when the cores' scores differ.
    """
    from scipy import stats as st

    core_table = core_cities(cores)
    frame = core_frame(scores, core_table)
    frame["score"] = scores.reindex(frame.index)
    x = ["ln_distance"] + (["core_score"] if frame["core_score"].nunique() > 1 else [])
    if covariates is not None and len(covariates.columns):
        frame = frame.join(covariates, how="left")
        x += [c for c in covariates.columns if c not in x]
    s = sample(frame, "score", x, keep=units.index)
    w = build_weights(units.loc[s.data.index], weights, row_standardised)
    res = {m: fit(s, w, m) for m in ("ols", "sem")}
    rows = []
    for m, r in res.items():
        q = st.t.ppf(0.975, r.stats["n"] - r.stats["k"]) if m == "ols" else st.norm.ppf(0.975)
        for c in r.coefs[r.coefs["kind"] == "x"].itertuples():
            rows.append({"model": m, "term": c.term, "coef": c.coef, "se": c.se, "ci_low": c.coef - q * c.se,
                         "ci_high": c.coef + q * c.se, "p": c.p, "stars": c.stars})
    effect = pd.DataFrame(rows)
    frame = frame.assign(core_city=frame["core"].map(dict(zip(core_table["adcode"], core_table["city"]))))
    return CoreSpillover(res, effect, frame, core_table.assign(score=scores.reindex(core_table["adcode"]).to_numpy()))


# --- DEI data -----------------------------------------------------------------------------------
def dei_units(ids) -> gpd.GeoDataFrame:
    """Boundaries (web level of detail) of the given adcodes, indexed by adcode, in that order."""
    from dei_geo.sources import boundaries

    units = boundaries.units("cities", "web")
    return units.loc[units.index.intersection(pd.Index(ids), sort=False)]


def dei_fit(frame: pd.DataFrame, y: str, x: list[str], model: str = "ols", weights: str = "queen",
            row_standardised: bool = True, units: dict[str, str] | None = None) -> tuple[ModelResult, ModelWeights]:
    """``fit`` over city units: ``frame`` indexed by adcode; weights built over the sample."""
    geo = dei_units(frame.index)
    s = sample(frame, y, x, keep=geo.index, units=units)
    w = build_weights(geo.loc[s.data.index], weights, row_standardised)
    return fit(s, w, model), w
