"""Spatial regression in words: model names, table headers, the model-choice summary, the weights,
the sample and what to do about bad input; tables as Markdown and LaTeX (``analysis.models``)."""

from __future__ import annotations

import math

import pandas as pd

from dei_geo.analysis.models import Bivariate, Choice, CoreSpillover, ModelInputError, ModelResult
from dei_geo.core.i18n import t

MODEL_NAME = {"ols": "md_ols", "slx": "md_slx", "sar": "md_sar", "sem": "md_sem", "sdm": "md_sdm",
              "sdem": "md_sdem", "panel_lag": "md_panel_lag", "panel_error": "md_panel_error"}
MODEL_SHORT = {"ols": "OLS", "slx": "SLX", "sar": "SAR", "sem": "SEM", "sdm": "SDM", "sdem": "SDEM",
               "panel_lag": "FE-SAR", "panel_error": "FE-SEM"}  # the literature's abbreviations
STAT_LABEL = {"n": "md_stat_n", "k": "md_stat_k", "r2": "md_stat_r2", "adj_r2": "md_stat_adj_r2",
              "pseudo_r2": "md_stat_pseudo_r2", "logll": "md_stat_logll", "aic": "md_stat_aic",
              "schwarz": "md_stat_schwarz", "sigma2": "md_stat_sigma2"}
HEADER = {"term": "md_h_term", "coef": "md_h_coef", "se": "md_h_se", "z": "md_h_z", "p": "md_h_p",
          "stars": "md_h_stars", "variable": "md_h_variable", "effect": "md_h_effect",
          "estimate": "md_h_estimate", "ci_low": "md_h_ci_low", "ci_high": "md_h_ci_high",
          "test": "md_h_test", "statistic": "md_h_statistic", "df": "md_h_df", "reject": "md_h_reject",
          "model": "md_h_model", "logll": "md_stat_logll", "aic": "md_stat_aic", "schwarz": "md_stat_schwarz",
          "k": "md_stat_k", "distance_km": "md_h_distance_km", "I": "md_h_moran_i", "EI": "md_h_expected_i",
          "p_sim": "md_h_p_sim", "islands": "md_h_islands"}
EFFECT = {"direct": "md_effect_direct", "indirect": "md_effect_indirect", "total": "md_effect_total"}
TEST_LABEL = {"lm_lag": "md_t_lm_lag", "lm_error": "md_t_lm_error", "rlm_lag": "md_t_rlm_lag",
              "rlm_error": "md_t_rlm_error", "sarma": "md_t_sarma", "lr_sdm_sar": "md_t_lr_sdm_sar",
              "lr_sdm_sem": "md_t_lr_sdm_sem", "lr_sdm_slx": "md_t_lr_sdm_slx", "lr_sdem_sem": "md_t_lr_sdem_sem",
              "lr_sdem_slx": "md_t_lr_sdem_slx", "lr_sar_ols": "md_t_lr_sar_ols", "lr_sem_ols": "md_t_lr_sem_ols",
              "moran_residuals": "md_t_moran_residuals", "moran_residuals_z": "md_t_moran_residuals_z"}
REASON = {"lm_none": "md_r_lm_none", "lm_lag_only": "md_r_lm_lag_only", "lm_error_only": "md_r_lm_error_only",
          "lm_robust_lag": "md_r_lm_robust_lag", "lm_robust_error": "md_r_lm_robust_error",
          "lm_robust_both": "md_r_lm_robust_both", "lm_robust_none": "md_r_lm_robust_none",
          "lr_both_rejected": "md_r_lr_both_rejected", "lr_sar_holds": "md_r_lr_sar_holds",
          "lr_sem_holds": "md_r_lr_sem_holds", "lr_both_hold": "md_r_lr_both_hold", "sdm_general": "md_r_sdm_general"}
LM_FAVOURS = {"ols": "md_lm_ols", "sar": "md_lm_sar", "sem": "md_lm_sem", "both": "md_lm_both"}
PROBLEM = {"unknown_column": ("md_p_unknown_column", "md_f_unknown_column"),
           "not_numeric": ("md_p_not_numeric", "md_f_not_numeric"),
           "constant": ("md_p_constant", "md_f_constant"),
           "collinear": ("md_p_collinear", "md_f_collinear"),
           "too_few_obs": ("md_p_too_few_obs", "md_f_too_few_obs"),
           "bad_weights": ("md_p_bad_weights", "md_f_bad_weights"),
           "band_islands": ("md_p_band_islands", "md_f_band_islands"),
           "no_units": ("md_p_no_units", "md_f_no_units"),
           "no_covariates": ("md_p_no_covariates", "md_f_no_covariates"),
           "y_in_x": ("md_p_y_in_x", "md_f_y_in_x"),
           "unbalanced_panel": ("md_p_unbalanced_panel", "md_f_unbalanced_panel"),
           "one_year": ("md_p_one_year", "md_f_one_year"),
           "several_years": ("md_p_several_years", "md_f_several_years"),
           "few_units": ("md_p_few_units", "md_f_few_units")}
DROP = {"missing": "md_d_missing", "no_geometry": "md_d_no_geometry", "unbalanced": "md_d_unbalanced",
        "city_blank": "md_d_city_blank", "unknown_city": "md_d_unknown_city",
        "ambiguous_city": "md_d_ambiguous_city", "year_invalid": "md_d_year_invalid",
        "year_blank": "md_d_year_blank", "duplicate_city": "md_d_duplicate_city"}
WEIGHTS_KIND = {"queen": "md_w_queen", "knn": "md_w_knn", "band": "md_w_band", "given": "md_w_given"}
CORRECTION = {"none": "md_c_none", "fdr": "md_c_fdr", "bonferroni": "md_c_bonferroni"}
SHOWN_UNITS = 12  # units named in one message


def _name(unit) -> str:
    from dei_geo.core import places

    try:
        return f"{places.display_name(int(unit))} ({int(unit)})"
    except (ValueError, KeyError, TypeError):
        return str(unit)


def _units(units, lang: str) -> str:
    names = [_name(u) for u in units[:SHOWN_UNITS]]
    more = len(units) - len(names)
    text = t("list_sep", lang).join(names)
    return text + (t("md_and_more", lang, n=more) if more > 0 else "")


def model_name(model: str, lang: str = "zh") -> str:
    return t(MODEL_NAME[model], lang)


def term(name: str, lang: str = "zh") -> str:
    """const → 常数项 / Constant; W_x → W·x; rho → ρ (W·y); lambda → λ (W·u)."""
    if name == "const":
        return t("md_term_const", lang)
    if name == "rho":
        return t("md_term_rho", lang)
    if name == "lambda":
        return t("md_term_lambda", lang)
    if name == "ln_distance":
        return t("md_term_ln_distance", lang)
    if name == "core_score":
        return t("md_term_core_score", lang)
    if name.startswith("W_"):
        return t("md_term_wx", lang, name=term(name[2:], lang))
    return name


def problem(err: ModelInputError, lang: str = "zh") -> str:
    """What is wrong and what to do, naming the column or the units."""
    p = dict(err.params)
    sep = t("list_sep", lang)
    for key in ("available", "examples", "with_columns", "years"):
        if key in p:
            p[key] = sep.join(map(str, p[key])) or "—"
    for key in ("units",):
        if key in p:
            p[key] = _units(p[key], lang) or "—"
    if "model" in p:
        p["model"] = model_name(p["model"], lang) if p["model"] in MODEL_NAME else p["model"]
    why, fix = PROBLEM[err.code]
    return t(why, lang, **p) + t("md_arrow", lang) + t(fix, lang, **p)


def weights(w: dict, lang: str = "zh") -> str:
    """The weights used, in one sentence (``ModelWeights.to_dict()``)."""
    head = t(WEIGHTS_KIND[w["kind"]], lang, k=w["k"], band=w["band_km"], name=w["name"])
    text = head + t("md_w_counts", lang, n=w["units"], links=w["links"], lo=w["min_neighbours"],
                    hi=w["max_neighbours"], mean=w["mean_neighbours"])
    text += t("md_w_row" if w["row_standardised"] else "md_w_raw", lang)
    if w["islands_attached"]:
        pairs = [f"{_name(i['island'])}→{_name(i['neighbour'])} {i['distance_km']} km" for i in w["islands_attached"]]
        text += t("md_w_islands", lang, pairs=t("list_sep", lang).join(pairs))
    return text


def sample(s: dict, lang: str = "zh") -> list[str]:
    """The sample: n, the units of measurement, every dropped unit with its reason."""
    units = [f"{c} ({u})" for c, u in s.get("units", {}).items() if u and c in [s["y"], *s["x"]]]
    lines = [t("md_sample", lang, n=s["n"], y=s["y"], x=t("list_sep", lang).join(s["x"]))]
    if "years" in s:
        lines.append(t("md_sample_panel", lang, units=s["units_n"], years=t("list_sep", lang).join(
            map(str, s["years"]))))
    if units:
        lines.append(t("md_units", lang, units=t("list_sep", lang).join(units)))
    by_reason: dict[str, list] = {}
    for d in s["dropped"]:
        by_reason.setdefault(d["reason"], []).append(d["id"])
    for reason, ids in by_reason.items():
        lines.append(t(DROP[reason], lang, n=len(ids), units=_units(ids, lang)))
    if not s["dropped"]:
        lines.append(t("md_none_dropped", lang))
    return lines


def covariate_notes(cov: dict, lang: str = "zh") -> list[str]:
    """A covariate file's rows that were not used and its text columns (``Covariates.to_dict()``)."""
    lines = [t("md_cov_read", lang, file=cov["file"], rows=cov["rows"],
                columns=t("list_sep", lang).join(cov["columns"]) or "—")]
    for d in cov["dropped"]:
        lines.append(t(DROP[d["reason"]], lang, n=1, units=t("md_row_value", lang, row=d["row"], value=d["value"])))
    for col, info in cov["text_columns"].items():
        lines.append(t("md_cov_text", lang, column=col, row=info["row"], value=info["value"]))
    return lines


# --- tables ------------------------------------------------------------------------------------
def _num(v, digits: int = 4) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, (int,)) or (isinstance(v, float) and v.is_integer() and abs(v) >= 1000):
        return f"{int(v)}"
    return f"{v:.{digits}f}"


def _headers(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return df.rename(columns={c: t(HEADER[c], lang) for c in df.columns if c in HEADER})


def coefficients(r: ModelResult, lang: str = "zh") -> pd.DataFrame:
    """term, coef, se, z, p, stars with the headers in ``lang`` (numbers stay numbers)."""
    df = r.coefs.drop(columns="kind").assign(term=lambda d: d["term"].map(lambda n: term(n, lang)))
    return _headers(df, lang)


def impacts(r: ModelResult, lang: str = "zh") -> pd.DataFrame:
    df = r.impacts.assign(effect=lambda d: d["effect"].map(lambda e: t(EFFECT[e], lang)))
    return _headers(df, lang)


def stats(r: ModelResult, lang: str = "zh") -> pd.DataFrame:
    rows = [(t(STAT_LABEL[k], lang), v) for k, v in r.stats.items()
            if k in STAT_LABEL and v is not None and not (isinstance(v, float) and math.isnan(v))]
    rows += [(t(TEST_LABEL[k], lang), s) for k, (s, _, _) in r.diagnostics.items()]
    return pd.DataFrame(rows, columns=[t("md_h_statistic_name", lang), t("md_h_value", lang)])


def tests(c: Choice, lang: str = "zh") -> pd.DataFrame:
    df = c.tests.assign(test=lambda d: d["test"].map(lambda k: t(TEST_LABEL[k], lang)),
                        reject=lambda d: d["reject"].map(lambda b: t("md_yes" if b else "md_no", lang)))
    return _headers(df, lang)


def side_by_side(results: list[ModelResult], lang: str = "zh") -> pd.DataFrame:
    """The table papers print: one column per model, each coefficient with its stars and its
    standard error in brackets below; n, R² / pseudo-R², log-likelihood and AIC at the foot."""
    terms: list[str] = []
    for r in results:
        terms += [x for x in r.coefs["term"] if x not in terms]
    order = [x for x in terms if x not in ("rho", "lambda")] + [x for x in ("rho", "lambda") if x in terms]
    cols = {MODEL_SHORT[r.model]: r for r in results}
    rows = []
    for name in order:
        coef_row, se_row = [term(name, lang)], [""]
        for r in cols.values():
            c = r.coefs.set_index("term")
            if name in c.index:
                coef_row.append(f"{c.at[name, 'coef']:.4f}{c.at[name, 'stars']}")
                se_row.append(f"({c.at[name, 'se']:.4f})")
            else:
                coef_row += [""]
                se_row += [""]
        rows += [coef_row, se_row]
    for key in ("n", "r2", "pseudo_r2", "logll", "aic"):
        vals = [r.stats.get(key) for r in cols.values()]
        if all(v is None or (isinstance(v, float) and math.isnan(v)) for v in vals):
            continue
        rows.append([t(STAT_LABEL[key], lang), *(_num(v, 0 if key == "n" else 4) for v in vals)])
    return pd.DataFrame(rows, columns=[t("md_h_term", lang), *cols])


def notes(results: list[ModelResult], lang: str = "zh") -> list[str]:
    """Lines under a table: stars, the weights, the sample."""
    r = results[0]
    return [t("md_stars_note", lang), t("md_weights_used", lang, weights=weights(r.weights, lang)),
            *sample(r.sample, lang)]


def _md_cell(v) -> str:
    text = _num(v) if isinstance(v, float) else str(v)
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(df: pd.DataFrame, title: str | None = None, foot: list[str] | None = None) -> str:
    """A GitHub/Pandoc pipe table (numbers with 4 decimals), a bold title and notes below."""
    out = [f"**{_md_cell(title)}**", ""] if title else []
    out.append("| " + " | ".join(_md_cell(c) for c in df.columns) + " |")
    out.append("|" + "|".join([":---"] + ["---:"] * (len(df.columns) - 1)) + "|")
    out += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    out += [""] + [_md_cell(f) for f in foot or []]
    return "\n".join(out).rstrip() + "\n"


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_escape(text) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in str(text))


def _tex_cell(v) -> str:
    text = _num(v) if isinstance(v, float) else str(v)
    stars = len(text) - len(text.rstrip("*"))
    body = latex_escape(text[: len(text) - stars] if stars else text)
    return body + (f"$^{{{'*' * stars}}}$" if stars else "")


def to_latex(df: pd.DataFrame, title: str | None = None, foot: list[str] | None = None) -> str:
    """A booktabs ``table`` (needs ``\\usepackage{booktabs}``; Chinese text needs ctex/xeCJK)."""
    cols = "l" + "r" * (len(df.columns) - 1)
    out = ["\\begin{table}[htbp]", "\\centering"]
    if title:
        out.append(f"\\caption{{{latex_escape(title)}}}")
    out += [f"\\begin{{tabular}}{{{cols}}}", "\\toprule",
            " & ".join(latex_escape(c) for c in df.columns) + " \\\\", "\\midrule"]
    out += [" & ".join(_tex_cell(v) for v in row) + " \\\\" for row in df.itertuples(index=False)]
    out += ["\\bottomrule", "\\end{tabular}"]
    if foot:
        out += ["\\par\\footnotesize " + " \\\\ ".join(latex_escape(f) for f in foot)]
    out.append("\\end{table}")
    return "\n".join(out) + "\n"


# --- the model choice and the local statistics ---------------------------------------------------
def _p(p: float) -> str:
    return f"{p:.3f}" if p >= 0.001 else f"{p:.1e}"


def choice(c: Choice, lang: str = "zh") -> list[str]:
    """Which model the tests favour and why, in plain words (one sentence per step)."""
    lines = []
    for code, params in c.reasons:
        fmt = {k: _p(v) if k.startswith("p_") else v for k, v in params.items()}
        if "lm" in fmt:
            fmt["lm"] = t(LM_FAVOURS[fmt["lm"]], lang)
        lines.append(t(REASON[code], lang, alpha=c.alpha, **fmt))
    lines.append(t("md_choice", lang, model=model_name(c.favoured, lang)))
    return lines


def bivariate(b: Bivariate, lang: str = "zh") -> list[str]:
    counts = b.to_dict()["counts"]
    return [t("md_bv_global", lang, x=b.x, y=b.y, I=b.I, p=_p(b.p_sim), perm=b.permutations),
            t("md_bv_local", lang, hh=counts["HH"], ll=counts["LL"], hl=counts["HL"], lh=counts["LH"],
              correction=t(CORRECTION[b.correction], lang), cutoff=f"{b.cutoff:.4g}", alpha=b.alpha)]


def core_effect(cs: CoreSpillover, lang: str = "zh") -> list[str]:
    """The distance effect around the cores in words: points per doubling of distance, with its
    95% interval, per model (OLS and SEM), and the cores used."""
    import math as m

    lines = [t("md_core_cores", lang, cores=t("list_sep", lang).join(
        f"{c.city} ({'—' if not m.isfinite(c.score) else f'{c.score:.1f}'})" for c in cs.cores.itertuples()),
        n=len(cs.frame))]
    for r in cs.effect[cs.effect["term"] == "ln_distance"].itertuples():
        k = m.log(2)
        lines.append(t("md_core_distance", lang, model=MODEL_SHORT[r.model], b=r.coef * k, lo=r.ci_low * k,
                       hi=r.ci_high * k, p=_p(r.p)))
    return lines


def cutoff(info: dict, lang: str = "zh") -> str:
    """The cut-off used by a corrected LISA/Gi* map (legend line)."""
    return t("md_cutoff", lang, correction=t(CORRECTION[info["correction"]], lang), alpha=info["alpha"],
             lisa=f"{info['lisa']:.4g}", gi=f"{info['gi']:.4g}")
