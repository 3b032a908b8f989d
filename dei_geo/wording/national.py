"""The national figures (``analysis.national``) said with their basis, beside the report's own."""

from __future__ import annotations

from dei_geo.analysis.national import PRINTED, REPORTED, UNITS, Figures
from dei_geo.core.i18n import t

BASIS = {UNITS: "nat_basis_units", PRINTED: "nat_basis_printed", REPORTED: "nat_basis_reported"}


def basis(code: str, lang: str = "zh") -> str:
    """The name of a basis: 地图单元 / 印刷行 / 报告所述."""
    return t(BASIS[code], lang)


def _one(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def stated_means(figs: Figures, lang: str = "zh") -> str:
    """The reported mean(s) with their pages: 55.2（p.14）/ 55.3（p.8）."""
    return _pages(figs.means, lang) if figs.means else _one(figs.mean)


def _pages(means, lang: str) -> str:
    return " / ".join(t("nat_mean_page", lang, value=_one(v), page=p) if p else _one(v)
                      for v, p in means)


def mean(figs: dict[str, Figures], lang: str = "zh", on: str = UNITS) -> str:
    """The national mean on basis ``on`` with its n, and the report's figure where it differs:
    全国均分 55.4（地图单元，n = 254；报告 55.2（p.14）/ 55.3（p.8））."""
    got, reported = figs[on], figs.get(REPORTED)
    stated = reported.means if reported is not None and on != REPORTED else ()
    return said(got.mean, got.n, on, stated, lang)


def said(value: float | None, n: int, on: str, stated=(), lang: str = "zh") -> str:
    """``mean`` from its parts (a city card's ``context``): value, n, basis, stated (value, page)."""
    beside = t("nat_mean_reported", lang, means=_pages(stated, lang)) if stated else ""
    return t("nat_mean", lang, mean=_one(value), basis=basis(on, lang), n=n, reported=beside)


def summary(figs: dict[str, Figures], lang: str = "zh") -> str:
    """Every basis in one sentence: n and mean on each, the conflicts the units leave out."""
    units = figs[UNITS]
    parts = [t("nat_units", lang, n=units.n, mean=_one(units.mean))
             + (t("nat_units_conflicts", lang, n=units.conflicts) if units.conflicts else "")]
    printed = figs[PRINTED]
    parts.append(t("nat_printed", lang, n=printed.n, mean=_one(printed.mean)))
    if REPORTED in figs:
        parts.append(t("nat_reported", lang, n=figs[REPORTED].n,
                       means=stated_means(figs[REPORTED], lang)))
    return t("nat_summary", lang, parts=t("clause_sep", lang).join(parts))
