"""The report's regions — four cores, ten clusters, twenty circles — and a distance rule beside them.

* ``cluster``: the ten city clusters of appendix 03 (p.53), four of them the cores of p.9;
* ``circle``: the twenty metro circles, members from the public plans in ``data/regions``
  (full, partial and "wider" members; only full + partial count);
* ``radius``: the units within R km of a core city (the transparent alternative).

Membership is many-to-many. Statistics weight every scored member city equally.

Distance of a unit from a core city: the shortest geodesic distance from the core's centre point
(``data/regions/centres.csv``) to the unit's territory (print LOD), 0 for the unit containing it.
It is measured in an azimuthal equidistant projection centred on that point, where distances from
the centre are true; an equal-area Albers conic is off by up to ~2% (6 km at 300 km) and only
pre-filters. "Within R km" means distance ≤ R.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from dei_geo.analysis import defaults
from dei_geo.analysis import national as _national
from dei_geo.core import paths, places
from dei_geo.sources import boundaries
from dei_geo.sources.datasets import Dataset

REGIONS = paths.DATA / "regions"
ALBERS = boundaries.ALBERS_CHINA
DEFAULT_R_KM = defaults.RADIUS_KM
COUNTED = ("full", "partial")  # "wider" members are listed, not counted
LOW_CONFIDENCE = frozenset({"low", "low-medium"})
SEED = defaults.SEED
FOUR_CORES = "four_cores"  # id of the row for the four core clusters together (core_claim)


@dataclass(frozen=True, eq=False)
class Region:
    """A named set of city-level units. ``members``: adcode, member, membership, counties."""

    id: str
    kind: str  # cluster | circle | radius
    name: str
    name_en: str
    members: pd.DataFrame
    centres: tuple[int, ...]
    core: bool = False  # one of the report's four core clusters
    confidence: str = ""
    source: str = ""
    note: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.name if lang == "zh" else self.name_en

    @property
    def counted(self) -> pd.DataFrame:
        """The members statistics are taken over (full and partial)."""
        return self.members[self.members["membership"].isin(COUNTED)]

    @property
    def low_confidence(self) -> bool:
        return self.confidence in LOW_CONFIDENCE


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REGIONS / name, keep_default_na=False, dtype={"year": str})


@lru_cache(maxsize=1)
def _names() -> dict[tuple[str, str], str]:
    n = _csv("regions.csv")
    return dict(zip(zip(n["kind"], n["region"]), n["name_en"]))


@lru_cache(maxsize=1)
def _centres() -> pd.DataFrame:
    return _csv("centres.csv")


def centres() -> pd.DataFrame:
    """Core cities' centre points: adcode, city, districts, lon, lat (GCJ-02, as the boundaries)."""
    return _centres().copy()


def clusters() -> list[Region]:
    """The ten clusters of appendix 03 in printed order; the four cores flagged. Members are as
    printed (confidence "printed"); the centres' sources and confidence are in ``note``."""
    rows = pd.read_csv(paths.DEI_2023 / "clusters.csv", keep_default_na=False)
    cores = set(pd.read_csv(paths.DEI_2023 / "cores.csv")["cluster"])
    cc = _csv("cluster_centres.csv")
    out = []
    for name, g in rows.groupby("cluster", sort=False):
        c = cc[cc["cluster"] == name]
        members = pd.DataFrame({"adcode": g["adcode"].astype(int), "member": g["member"],
                                "membership": "full", "counties": ""})
        out.append(Region(
            id=f"cluster:{name}", kind="cluster", name=name, name_en=_names()[("cluster", name)],
            members=members.reset_index(drop=True), centres=tuple(int(a) for a in c["adcode"]),
            core=name in cores, confidence="printed", source=f"附录03 p.{g['page'].iloc[0]}",
            note="centres: " + "; ".join(dict.fromkeys(c["source"]))
            + f" (confidence {_lowest(c['confidence'])})",
        ))
    return out


def circles() -> list[Region]:
    """The twenty metro circles in printed order (p.9) with the plans' members."""
    rows = _csv("metro_circle_members.csv")
    out = []
    for name, g in rows.groupby("circle", sort=False):
        first = g.iloc[0]
        out.append(Region(
            id=f"circle:{name}", kind="circle", name=name, name_en=_names()[("circle", name)],
            members=g[["adcode", "member", "membership", "counties"]].reset_index(drop=True),
            centres=(int(first["core_adcode"]),), confidence=first["confidence"],
            source=first["source"] + (f" ({first['year']})" if first["year"] else ""),
            note=first["note"],
        ))
    return out


def _lowest(levels) -> str:
    order = ["low", "low-medium", "medium", "medium-high", "high"]
    return min(levels, key=order.index) if len(levels) else ""


# --- distances and the distance rule ---------------------------------------------------------
@lru_cache(maxsize=2)
def _units(lod: str) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    units = boundaries.layer("cities", lod)[["adcode", "geometry"]].set_index("adcode")
    return units, units.geometry.to_crs(ALBERS)


def distances_km(lon: float, lat: float, limit_km: float | None = None, lod: str = "print") -> pd.Series:
    """Distance (km) from (lon, lat) to every city-level unit, indexed by adcode.

    With ``limit_km``, units certainly farther (Albers distance > 1.05 × limit + 5 km) get ``inf``
    and are not measured exactly. From 上海's centre (121.4624, 31.2512): 上海 0 km, 苏州 28.9 km,
    南京 213.9 km (print LOD). Results are cached per point (geometry only, not scores).
    """
    return _distances(float(lon), float(lat), limit_km, lod).copy()


@lru_cache(maxsize=128)
def _distances(lon: float, lat: float, limit_km: float | None, lod: str) -> pd.Series:
    units, albers = _units(lod)
    centre = gpd.GeoSeries([Point(lon, lat)], crs=4326)
    rough = albers.distance(centre.to_crs(ALBERS).iloc[0]) / 1000
    near = rough.index if limit_km is None else rough.index[rough <= 1.05 * limit_km + 5]
    aeqd = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"
    out = pd.Series(np.inf, index=units.index, name="distance_km")
    out[near] = units.geometry[near].to_crs(aeqd).distance(Point(0, 0)) / 1000
    return out


def centre_of(adcode: int) -> tuple[float, float]:
    """(lon, lat) of a core city's centre point; ValueError for any other unit."""
    c = _centres().set_index("adcode")
    if adcode not in c.index:
        raise ValueError(f"{places.display_name(adcode)} ({adcode}) is not a core city with a "
                         f"centre point; choose one of {', '.join(c['city'])}")
    return float(c.at[adcode, "lon"]), float(c.at[adcode, "lat"])


def within(adcode: int, r_km: float = DEFAULT_R_KM) -> pd.Series:
    """Distances (km) of the units within ``r_km`` of core city ``adcode``, nearest first."""
    if not r_km > 0:
        raise ValueError(f"radius must be positive, got {r_km}")
    d = distances_km(*centre_of(adcode), limit_km=r_km)
    return d[d <= r_km].sort_values()


def radius_regions(r_km: float = DEFAULT_R_KM) -> list[Region]:
    """One region per core city: the units within ``r_km`` km of its centre."""
    out = []
    pinyin = places.load_places().set_index("adcode")["pinyin"]
    for row in centres().itertuples():
        d = within(row.adcode, r_km)
        members = pd.DataFrame({"adcode": d.index.astype(int),
                                "member": [places.display_name(a) for a in d.index],
                                "membership": "full", "counties": [f"{x:.0f} km" for x in d]})
        en = pinyin[row.adcode].title()
        out.append(Region(
            id=f"radius:{row.adcode}:{r_km:g}", kind="radius", name=f"{row.city} {r_km:g} km",
            name_en=f"{en} {r_km:g} km", members=members, centres=(int(row.adcode),),
            confidence="rule", source=f"≤ {r_km:g} km", note=row.districts,
        ))
    return out


def all_regions(r_km: float | None = DEFAULT_R_KM) -> list[Region]:
    """Clusters, circles and (unless ``r_km`` is None) the distance-rule regions."""
    return clusters() + circles() + ([] if r_km is None else radius_regions(r_km))


def regions_of(adcode: int, regions: list[Region]) -> list[Region]:
    """The regions a unit counts in (for the city card)."""
    return [r for r in regions if int(adcode) in set(r.counted["adcode"])]


# --- statistics --------------------------------------------------------------------------------
def cv(x) -> float:
    """Coefficient of variation, population SD over mean: cv([1, 2, 3, 4]) = 0.447."""
    x = np.asarray(x, float)
    return float(x.std() / x.mean()) if len(x) > 1 else np.nan


def gini(x) -> float:
    """Gini coefficient, Σ|xi − xj| / (2 n² mean): gini([1, 2, 3, 4]) = 0.25."""
    x = np.sort(np.asarray(x, float))
    n = len(x)
    if n < 2:
        return np.nan
    return float(2 * np.sum(np.arange(1, n + 1) * x) / (n * x.sum()) - (n + 1) / n)


def theil(x) -> float:
    """Theil T index, mean of (x/μ)·ln(x/μ): theil([1, 2, 3, 4]) = 0.106."""
    x = np.asarray(x, float)
    if len(x) < 2:
        return np.nan
    s = x / x.mean()
    return float(np.mean(s * np.log(s)))


def _stats(values: pd.Series) -> dict:
    v = values.dropna()
    return {"scored": len(v), "mean": v.mean(), "median": v.median(), "min": v.min(),
            "max": v.max(), "cv": cv(v), "gini": gini(v), "theil": theil(v)}


def region_table(ds: Dataset, regions: list[Region]) -> pd.DataFrame:
    """One row per region and a first ``national`` row (all scored cities).

    Counts: ``members`` (counted), ``evaluated`` (in the dataset), ``scored`` (with a score; a city
    the source prints twice has none); ``partial``; tier counts ``t1``…``t5`` over scored members
    (a unit with conflicting scores is in no tier, as on the map). ``core_score`` is the mean of
    the scored centres, ``gap`` = core_score − mean of the other scored members, ``diff_national``
    = mean − national mean. The national row's n, mean and tier counts are
    ``analysis.national``'s ``units`` figures (basis ``units``).
    """
    scores = ds.scores.set_index("adcode")
    tier_ids = list(ds.tiers["tier"])
    units = _national.units(ds)
    stats = _stats(scores["score"])
    stats.update(scored=units.n, mean=units.mean)  # the one national figure (the same numbers)
    rows = [{"id": "national", "kind": "national", "region": None,  # named by the faces
             "region_en": None, "core": False, "members": units.listed,
             "evaluated": units.listed, "partial": 0, **stats, "centres": "", "core_cities": "",
             "core_score": np.nan, "periphery_mean": np.nan, "confidence": "", "source": "",
             **units.tiers}]
    national_mean = units.mean if units.mean is not None else np.nan
    for r in regions:
        m = r.counted
        ev = scores.reindex(m["adcode"]).dropna(subset=["status"])
        s = ev["score"]
        core_ids = [a for a in r.centres if a in s.dropna().index]
        core = s[core_ids].mean() if core_ids else np.nan
        rest = s.drop(core_ids).dropna()
        rows.append({
            "id": r.id, "kind": r.kind, "region": r.name, "region_en": r.name_en, "core": r.core,
            "members": len(m), "evaluated": len(ev), "partial": int((m["membership"] == "partial").sum()),
            **_stats(s), **ev.loc[ev["status"].eq("ok") & ev["score"].notna(), "tier"]
            .value_counts().reindex(tier_ids, fill_value=0).to_dict(),
            "centres": "、".join(places.display_name(a) for a in r.centres),
            "core_cities": "、".join(places.display_name(a) for a in core_ids),
            "core_score": core, "periphery_mean": rest.mean() if len(rest) else np.nan,
            "confidence": r.confidence, "source": r.source,
        })
    out = pd.DataFrame(rows)
    out["gap"] = out["core_score"] - out["periphery_mean"]
    out["diff_national"] = out["mean"] - national_mean
    return out


def core_claim(ds: Dataset, draws: int = 9999, seed: int = SEED) -> pd.DataFrame:
    """Check p.9's claim that the four cores score "far above" the national mean.

    Weighting: every scored member city counts once. The report does not say how its 综合加权 is
    weighted, and the bundled data hold no population or GDP to weight by. Per core, and for the
    four together (each city once): mean, difference to the national mean in points and in national
    standard deviations, share of members above the national mean, and ``p_random`` — the share of
    ``draws`` random sets of as many scored cities whose mean is at least as high (seeded).
    """
    s = ds.scores.set_index("adcode")["score"].dropna()
    mu, sd = s.mean(), s.std(ddof=0)
    rng = np.random.default_rng(seed)
    cores = [r for r in clusters() if r.core]
    groups = [(r.id, r.name, r.name_en, r.counted["adcode"]) for r in cores]
    union = pd.Index(pd.concat([g[3] for g in groups]).unique())
    groups.append((FOUR_CORES, None, None, union))  # the four together, named by the faces
    rows = []
    for rid, name, name_en, ids in groups:
        v = s.reindex(ids).dropna()
        if len(v) == 0:  # none of its members scored (a small user dataset)
            p = np.nan
        elif len(v) < len(s):
            picks = rng.random((draws, len(s))).argpartition(len(v), axis=1)[:, :len(v)]
            sims = s.to_numpy()[picks].mean(axis=1)
            p = (np.sum(sims >= v.mean()) + 1) / (draws + 1)
        else:  # every scored city is a member: every random set is the whole set
            p = 1.0
        rows.append({"id": rid, "region": name, "region_en": name_en, "scored": len(v), "mean": v.mean(),
                     "median": v.median(), "national_mean": mu, "diff": v.mean() - mu,
                     "diff_sd": (v.mean() - mu) / sd if sd > 0 else np.nan,
                     "share_above": float((v > mu).mean()) if len(v) else np.nan, "p_random": p})
    out = pd.DataFrame(rows)
    rest = s.drop(union, errors="ignore")
    out.attrs.update(rest_mean=rest.mean(), rest_n=len(rest), national_sd=sd, draws=draws, seed=seed)
    return out


def decay_of(region: Region, row, decays: dict | None):
    core = [a for a in region.centres if places.display_name(a) == row["core_cities"]]
    return (decays or {}).get(core[0]) if core else None


# fields holding scores (or differences of scores): one decimal, as everywhere scores are shown
SCORE_KEYS = frozenset({"mean", "median", "min", "max", "core_score", "periphery_mean", "gap",
                        "diff_national", "national_mean", "diff", "rest_mean", "score", "value"})


def _plain(value, key: str | None = None):
    """JSON-safe scalars: NaN → None, NumPy → Python; a score field (``SCORE_KEYS``) to one
    decimal, other numbers to four."""
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else round(float(value), 1 if key in SCORE_KEYS else 4)
    return value.item() if isinstance(value, np.generic) else value


def _plain_dict(row) -> dict | None:
    return None if row is None else {k: _plain(v, k) for k, v in dict(row).items()}


def report(ds: Dataset, r_km: float | None = DEFAULT_R_KM, decays: dict | None = None) -> dict:
    """What ``dei-geo regions`` prints: every region's statistics and members, the national
    figures and the check of the four cores' claim (JSON-safe). ``decays`` maps a core city's
    adcode to its ``spatial.decay`` fit, given as ``decay`` to single-core regions."""
    regs = all_regions(r_km)
    table = region_table(ds, regs)
    national = table.iloc[0]
    out = []
    for region, (_, row) in zip(regs, table.iloc[1:].iterrows()):
        out.append({
            **{k: _plain(v, k) for k, v in row.items()},
            "low_confidence": region.low_confidence, "note": region.note,
            "members_list": [{"adcode": int(m.adcode), "name": m.member, "membership": m.membership}
                             for m in region.members.itertuples()],
            "decay": _plain_dict(decay_of(region, row, decays)),
        })
    claim = core_claim(ds)
    return {
        "national": {k: _plain(v, k) for k, v in national.items()},
        "national_figures": {k: f.to_dict() for k, f in _national.figures(ds).items()},
        "radius_km": r_km, "regions": out,
        "core_claim": {"weighting": "equal weight per scored member city",
                       "rows": [{k: _plain(v, k) for k, v in r.items()} for r in claim.to_dict("records")],
                       **{k: _plain(v, k) for k, v in claim.attrs.items()}},
    }
