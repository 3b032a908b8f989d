"""The dynamics of the index in words (zh/en): each result of ``analysis.dynamics.report`` read in
plain language, with its method, weights and sample size stated."""

from __future__ import annotations

from dei_geo.core.i18n import t
from dei_geo.core.tiers import labels as tier_labels

ALPHA = 0.05
PARTITION = {"cores": "dyn_part_cores", "clusters": "dyn_part_clusters", "provinces": "dyn_part_provinces"}
SKIPPED = {"too_few_units": "dyn_skip_too_few", "one_year": "dyn_skip_one_year"}
WEIGHTS = {"queen": "dyn_w_queen", "knn": "dyn_w_knn", "given": "dyn_w_given"}


def class_names(classes: dict, lang: str = "zh") -> list[str]:
    """The classes low → high: tier names (四线城市 …) or Q1 … Qk."""
    if classes["scheme"] == "tiers":
        names = tier_labels(lang)
        return [names[c] for c in classes["labels"]]
    return [t("dyn_quantile", lang, i=i + 1) for i in range(len(classes["labels"]))]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _p(p) -> str:
    """A p-value with its relation: "= 0.035", "< 0.001"."""
    return "= —" if p is None else ("< 0.001" if p < 0.001 else f"= {p:.3f}")


def weights(w: dict, lang: str = "zh") -> str:
    """The weights a result used: kind, units, links, islands attached."""
    kind = t(WEIGHTS.get(w.get("kind"), "dyn_w_given"), lang, k=w.get("k"))
    return t("dyn_weights", lang, kind=kind, units=w.get("units", "—"), links=w.get("links", "—"),
             islands=len(w.get("islands_attached", [])))


def skipped(result: dict, lang: str = "zh") -> str | None:
    code = result.get("skipped")
    return None if code is None else t(SKIPPED[code], lang, n=result.get("n_units", result.get("n", 0)))


def transitions(tr: dict, lang: str = "zh") -> str:
    if not tr["n_transitions"]:
        return t("dyn_tr_none", lang)
    names = class_names(tr["classes"], lang)
    states = tr["steady_states"]
    top = t("dyn_tr_steady", lang, top=names[-1], share=_pct(states[0][-1]), bottom=names[0],
            bottom_share=_pct(states[0][0])) if len(states) == 1 else t("dyn_tr_reducible", lang, n=len(states))
    n = tr["n_transitions"]
    return t("dyn_tr_reading", lang, n=n, units=tr["units"], pairs=len(tr["pairs"]),
             stay=_pct(tr["n_stay"] / n), up=tr["n_up"], down=tr["n_down"], steady=top)


def spatial_markov(sm: dict, lang: str = "zh") -> str:
    said = skipped(sm, lang)
    if said:
        return said
    key = "dyn_sm_differs" if sm["Q_p"] is not None and sm["Q_p"] < ALPHA else "dyn_sm_same"
    return t(key, lang, Q=f"{sm['Q']:.2f}", Q_p=_p(sm["Q_p"]), LR=f"{sm['LR']:.2f}", LR_p=_p(sm["LR_p"]),
             dof=sm["dof"], n=sm["n_units"], years=sm["n_years"], weights=weights(sm["weights"], lang))


def lisa_markov(lm: dict, lang: str = "zh") -> str:
    said = skipped(lm, lang)
    if said:
        return said
    counts = lm["counts"]
    total = sum(map(sum, counts))
    stay = sum(counts[i][i] for i in range(len(counts))) / total if total else 0.0
    key = "dyn_lm_dependent" if lm["chi2_p"] < ALPHA else "dyn_lm_independent"
    return t(key, lang, stay=_pct(stay), chi2=f"{lm['chi2']:.1f}", p=_p(lm["chi2_p"]), dof=lm["dof"],
             n=lm["n_units"], weights=weights(lm["weights"], lang))


def rank_mobility(rm: dict, lang: str = "zh") -> str:
    said = skipped(rm, lang)
    if said:
        return said
    last = rm["pairs"][-1]
    if last["tau"] is None:
        return t("dyn_skip_too_few", lang, n=last["n"])
    parts = [t("dyn_tau", lang, start=last["from"], end=last["to"], tau=f"{last['tau']:.3f}",
               p=_p(last["p"]), n=last["n"])]
    sp = rm.get("spatial")
    if sp:
        parts.append(t("dyn_tau_spatial", lang, tau=f"{sp['tau_spatial']:.3f}", p=_p(sp["p_sim"]),
                       pairs=sp["pairs"], permutations=sp["permutations"]))
    return t("sentence_join", lang).join(parts)


def sigma(sig: dict, lang: str = "zh") -> str:
    years = [y for y in sig["years"] if y["cv"] is not None]  # a year with one city has no spread
    if len(years) < 2:
        return t("dyn_skip_too_few", lang, n=min((y["n"] for y in sig["years"]), default=0))
    a, b = years[0], years[-1]
    key = "dyn_sigma_down" if b["cv"] < a["cv"] else "dyn_sigma_up"
    return t(key, lang, start=a["year"], end=b["year"], cv0=f"{a['cv']:.3f}", cv1=f"{b['cv']:.3f}",
             g0=f"{a['gini']:.3f}", g1=f"{b['gini']:.3f}", n0=a["n"], n1=b["n"])


def beta(b: dict, lang: str = "zh", partition: str | None = None) -> str:
    said = skipped(b, lang)
    if said:
        return said
    fe = t("dyn_beta_fe", lang, part=t(PARTITION[partition], lang), k=b["fixed_effects"]) if partition \
        else t("dyn_beta_absolute", lang)
    common = {"fe": fe, "beta": f"{b['beta']:.4f}", "se": f"{b['se']:.4f}", "p": _p(b["p"]), "n": b["n"],
              "start": b["from"], "end": b["to"]}
    if b["beta"] < 0 and b["p"] < ALPHA:
        half = "—" if b["half_life"] is None else f"{b['half_life']:.1f}"
        return t("dyn_beta_converge", lang, speed=_pct(b["speed"] or 0.0), half=half, **common)
    if b["beta"] > 0 and b["p"] < ALPHA:
        return t("dyn_beta_diverge", lang, **common)
    return t("dyn_beta_none", lang, **common)


def theil(name: str, th: dict, lang: str = "zh") -> str:
    years = th["years"]
    if not years:
        return t("dyn_skip_one_year", lang, n=0)
    a, b = years[0], years[-1]
    return t("dyn_theil", lang, part=t(PARTITION[name], lang), start=a["year"], end=b["year"],
             share0=_pct(a["between_share"]), share1=_pct(b["between_share"]), total0=f"{a['total']:.4f}",
             total1=f"{b['total']:.4f}", groups=b["groups"], n=b["n"])


def readings(report: dict, lang: str = "zh") -> dict[str, str]:
    """One plain-language reading per result of ``dynamics.report``."""
    out = {"transitions": transitions(report["transitions"], lang),
           "rank_mobility": rank_mobility(report["rank_mobility"], lang),
           "sigma": sigma(report["sigma"], lang),
           "beta_absolute": beta(report["beta"]["absolute"], lang)}
    for key, result in report["beta"].items():
        if key.startswith("fe_"):
            out[f"beta_{key}"] = beta(result, lang, key.removeprefix("fe_"))
    for name, th in report["theil"].items():
        out[f"theil_{name}"] = theil(name, th, lang)
    if "spatial_markov" in report:
        out["spatial_markov"] = spatial_markov(report["spatial_markov"], lang)
        out["lisa_markov"] = lisa_markov(report["lisa_markov"], lang)
    else:
        out["spatial_markov"] = t("dyn_no_weights", lang)
    return out


def lines(report: dict, metric_label: str, lang: str = "zh") -> list[str]:
    """The text of ``dei-geo dynamics``: a heading, then one titled reading per result."""
    said = readings(report, lang)
    head = t("dyn_heading", lang, metric=metric_label, start=report["years"][0], end=report["years"][-1],
             years=len(report["years"]), units=report["n_units"], balanced=report["n_balanced"],
             classes=t("list_sep", lang).join(class_names(report["classes"], lang)))
    titles = {"transitions": t("dyn_t_transitions", lang), "spatial_markov": t("dyn_t_spatial_markov", lang),
              "lisa_markov": t("dyn_t_lisa_markov", lang), "rank_mobility": t("dyn_t_rank", lang),
              "sigma": t("dyn_t_sigma", lang), "beta_absolute": t("dyn_t_beta", lang)}
    out = [head]
    for key, text in said.items():
        title = titles.get(key) or (t("dyn_t_beta", lang) if key.startswith("beta") else t("dyn_t_theil", lang))
        out.append(f"[{title}] {text}")
    return out


def riser_rows(risers, metric_label, lang: str = "zh") -> list[str]:
    """The risers table in lines: city, ranks and the gain, per metric."""
    out = []
    for metric, g in risers.groupby("metric", sort=False):
        first = g.iloc[0]
        out.append(t("dyn_risers_head", lang, metric=metric_label(metric), n=int(first["n_common"])))
        for r in g.itertuples():
            out.append(t("dyn_riser", lang, city=r.city, rank0=r.rank_start, rank1=r.rank_end,
                         gain=f"{r.rank_change:+d}"))
    return out
