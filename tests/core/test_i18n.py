"""The string catalogues: both languages complete and alike, every key used, no key built at run time."""

import ast
import re
import string
import tomllib
import warnings
from pathlib import Path

import pytest

from dei_geo.core import i18n

PACKAGE = Path(i18n.__file__).resolve().parents[1]  # dei_geo/
ANALYSIS = PACKAGE / "analysis"  # being rewritten to return codes: exempt, reported (see below)
ROOT = PACKAGE.parent


def _areas(lang: str) -> dict[str, dict[str, str]]:
    """area file name → its keys and texts, read afresh (not the cached catalogue)."""
    directory = i18n.CATALOGUE / lang
    return {f.name: tomllib.loads(f.read_text(encoding="utf-8"))
            for f in directory.iterdir() if f.name.endswith(".toml")}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"), str(p))) for p in sorted(PACKAGE.rglob("*.py"))]


def _in_analysis(path: Path) -> bool:
    return ANALYSIS in path.parents


# --- the catalogue ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", i18n.LANGS)
def test_catalogue_loads_without_duplicate_keys(lang):
    texts = i18n.load(i18n.CATALOGUE / lang)  # read afresh: CatalogueError on a key in two files
    assert texts == i18n.catalogue(lang)
    assert len(texts) == sum(len(a) for a in _areas(lang).values())
    assert all(isinstance(v, str) for v in texts.values())


def test_duplicate_key_across_area_files_is_an_error(tmp_path):
    (tmp_path / "app.toml").write_text('title = "a"\nsame = "x"\n', encoding="utf-8")
    (tmp_path / "map.toml").write_text('same = "y"\n', encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match=r"'same'.*app\.toml.*map\.toml"):
        i18n.load(tmp_path)


def test_non_string_value_is_an_error(tmp_path):
    (tmp_path / "app.toml").write_text("count = 3\n", encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match="count"):
        i18n.load(tmp_path)


def test_every_key_exists_in_both_languages_in_the_same_area():
    zh, en = _areas("zh"), _areas("en")
    assert sorted(zh) == sorted(en), "the same area files in zh/ and en/"
    for area in zh:
        only_zh, only_en = sorted(set(zh[area]) - set(en[area])), sorted(set(en[area]) - set(zh[area]))
        assert not only_zh and not only_en, f"{area}: only in zh {only_zh}, only in en {only_en}"


def test_both_languages_have_the_same_placeholders():
    zh, en = i18n.catalogue("zh"), i18n.catalogue("en")
    differ = {k: (sorted(_fields(zh[k])), sorted(_fields(en[k]))) for k in zh.keys() & en.keys()
              if _fields(zh[k]) != _fields(en[k])}
    assert differ == {}


def test_t_formats_and_falls_back_to_the_default_language():
    assert i18n.t("rank_of", "en", rank=3, total=257) == "3 of 257"
    assert i18n.t("rank_of", "fr", rank=3, total=257) == i18n.t("rank_of", i18n.DEFAULT_LANG, rank=3, total=257)
    assert i18n.t("colon", "zh") == "：" and i18n.t("list_sep", "en") == ", "
    with pytest.raises(KeyError):
        i18n.t("no_such_key")


def test_catalogues_are_package_data():
    """pyproject ships every catalogue file (a wheel or sdist install, not only this checkout)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["dei_geo.core"]
    files = {p for p in (PACKAGE / "core" / "catalogue").rglob("*") if p.is_file()}
    shipped = {p for pat in patterns for p in (PACKAGE / "core").glob(pat)}  # setuptools' globs
    assert files and sorted(map(str, files - shipped)) == []


# --- the code ----------------------------------------------------------------------------------

def _runtime_key_patterns() -> list[re.Pattern]:
    """Keys that ``dei_geo/analysis`` still builds at run time (``t(f"lisa_{c}")``) as regexes."""
    out = []
    for path, tree in _sources():
        if not _in_analysis(path):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in node.values]
                if any(isinstance(v, ast.Constant) for v in node.values):
                    out.append(re.compile("".join(parts)))
    return out


def test_every_key_is_used_in_the_code():
    """Every key appears as a string literal in dei_geo/. Keys found only in dei_geo/analysis (being
    rewritten to return codes) are listed as a warning, not a failure."""
    outside, inside = set(), set()
    for path, tree in _sources():
        found = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        (inside if _in_analysis(path) else outside).update(found)
    keys = set(i18n.catalogue(i18n.DEFAULT_LANG))
    unused = keys - outside - inside
    built = {k for k in unused for p in _runtime_key_patterns() if p.fullmatch(k)}
    only_analysis = sorted((keys - outside) - (unused - built))
    if only_analysis:
        warnings.warn(f"{len(only_analysis)} catalogue keys used only from dei_geo/analysis: "
                      f"{', '.join(only_analysis)}", stacklevel=1)
    assert sorted(unused - built) == []


def _computed(node: ast.expr) -> bool:
    """A key built at run time: an f-string, ``+``/``%``, or ``.format``/``.join``/… on a string."""
    if isinstance(node, ast.IfExp):
        return _computed(node.body) or _computed(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_computed(v) for v in node.values)
    if isinstance(node, (ast.JoinedStr, ast.BinOp)):
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"format", "join", "replace", "removeprefix", "removesuffix",
                                   "lower", "upper", "strip"})


def test_no_key_is_built_at_run_time():
    """``t(key, …)`` outside dei_geo/analysis: the key is a literal, or a variable / lookup from an
    enumeration (``{"tiers": "scheme_tiers", …}``) — never an f-string or a concatenation."""
    bad = []
    for path, tree in _sources():
        if _in_analysis(path):
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            f = node.func
            if (isinstance(f, ast.Name) and f.id == "t") or (isinstance(f, ast.Attribute) and f.attr == "t"):
                if _computed(node.args[0]):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: t({ast.unparse(node.args[0])})")
    assert bad == []


# --- the enumerations that replace keys built at run time ------------------------------------

def test_enumerations_cover_their_codes_with_catalogue_keys():
    from dei_geo.analysis import index, regions
    from dei_geo.app import data_panel, main, regions_panel
    from dei_geo.core import columns, theme
    from dei_geo.maps import overlays, web
    from dei_geo.sources import template, validate

    keys = set(i18n.catalogue(i18n.DEFAULT_LANG))
    covers = {
        "SCHEME_LABEL": (main.SCHEME_LABEL, theme.SCHEMES),
        "LAYER_LABEL": (main.LAYER_LABEL, overlays.KEYS),
        "DERIVED_LABEL": (columns.DERIVED_LABEL, columns.DERIVED),
        "MISSING_LABEL": (web.MISSING_LABEL, ("missing", "unpublished")),
        "SEVERITY": (validate.SEVERITY, ("error", "warning", "info")),
        "TEMPLATE_LEVEL": (data_panel.TEMPLATE_LEVEL, template.LEVELS),
        "MISSING_RULE": (data_panel.MISSING_RULE, index.MISSING),
        "GAP_EFFECT": (data_panel.GAP_EFFECT, ("not_computed", "as_zero", "renormalised", "kept")),
        "CONFIDENCE": (overlays.CONFIDENCE, {r.confidence for r in regions.all_regions(100.0)} - {""}),
        "WEIGHTS_LABEL": (regions_panel.WEIGHTS_LABEL, ("queen", "knn")),
    }
    for name, (enum, codes) in covers.items():
        assert set(codes) <= set(enum), f"{name} misses {sorted(set(codes) - set(enum))}"
        assert set(enum.values()) <= keys, f"{name}: not in the catalogue {sorted(set(enum.values()) - keys)}"
    issue_keys = {k for pair in validate.ISSUE_TEXT.values() for k in pair}
    assert issue_keys <= keys
    assert set(regions_panel.STAT_LABEL.values()) <= keys
