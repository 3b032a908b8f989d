"""The dei-geo command line."""

import subprocess
import sys

from dei_geo import cli
from dei_geo.maps import export


def test_export_writes_an_offline_html(tmp_path, capsys):
    out = tmp_path / "map.html"
    assert cli.main(["export", "--out", str(out), "--scheme", "quantiles", "--lang", "en"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Not evaluated" in text and "cdn.jsdelivr" not in text


def test_export_rejects_an_unsupported_format(tmp_path, capsys):
    assert cli.main(["export", "--out", str(tmp_path / "map.gif")]) == 2  # .pdf is a print map since issue 13
    assert "only .html" in capsys.readouterr().err


def test_console_script_usage_error_exits_2():
    done = subprocess.run([sys.executable, "-m", "dei_geo.cli", "export"], capture_output=True, text=True)
    assert done.returncode == 2 and "--out" in done.stderr


def test_export_html_with_region_layers_and_a_selected_city(tmp_path, capsys):
    out = tmp_path / "layers.html"
    assert cli.main(["export", "--out", str(out), "--layers", "cores,circles", "--city", "杭州"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "L.control.layers(" in text  # the layers can be switched in the file
    assert not export.EXTERNAL.search(text)  # still no remote <script>/<link>
    again = tmp_path / "again.html"
    cli.main(["export", "--out", str(again), "--layers", "cores,circles", "--city", "杭州"])
    assert again.read_bytes() == out.read_bytes()
    assert cli.main(["export", "--out", str(tmp_path / "x.html"), "--layers", "cores,moon"]) == 1
    assert "unknown layer(s) moon" in capsys.readouterr().err


def test_profile_json_carries_regions_and_lisa_class(capsys):
    import json

    assert cli.main(["profile", "hangzhou", "--format", "json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["adcode"] == 330100 and card["rank"] == 2
    assert [r["name"] for r in card["spatial"]["regions"]] == ["长三角城市群"]
    assert card["spatial"]["lisa"] in {"高-高", "低-低", "高-低", "低-高", "不显著"}


def test_html_only_options_are_refused_for_print_maps(tmp_path, capsys):
    assert cli.main(["export", "--out", str(tmp_path / "m.png"), "--layers", "cores"]) == 2
    assert "apply to .html" in capsys.readouterr().err
    assert not (tmp_path / "m.png").exists()


# --- dei-geo model (issue 14) ------------------------------------------------------------------
def _covariates(tmp_path, ds):
    import numpy as np
    import pandas as pd

    s = ds.scores.dropna(subset=["score"])
    rng = np.random.default_rng(1)
    path = tmp_path / "cov.csv"
    pd.DataFrame({"城市": s["city"], "gdp_pc(万元)": (s["score"] * 0.2 + rng.normal(0, 3, len(s))).round(3),
                  "pop": rng.normal(500, 100, len(s)).round(1), "flag": 1}).to_csv(path, index=False)
    return path


def test_model_on_bundled_scores_with_a_covariate_file(tmp_path, capsys, ds):
    import json

    cov = _covariates(tmp_path, ds)
    out = tmp_path / "models.xlsx"
    assert cli.main(["model", "--y", "总分", "--x", "gdp_pc,pop", "--covariates", str(cov), "--model", "sdm",
                     "--weights", "knn:6", "--format", "json", "--out", str(out)]) == 0
    rep = json.loads(capsys.readouterr().out)
    r = rep["results"][0]
    assert r["model"] == "sdm" and r["weights"]["spec"] == "knn:6" and r["weights"]["row_standardised"]
    assert [c["term"] for c in r["coefficients"]] == ["const", "gdp_pc", "pop", "W_gdp_pc", "W_pop", "rho"]
    assert {i["effect"] for i in r["impacts"]} == {"direct", "indirect", "total"}
    assert r["sample"]["units"]["gdp_pc"] == "万元"
    assert [d["id"] for d in r["sample"]["dropped"]] == [341600]  # 亳州: two printed scores, no overall
    assert out.stat().st_size > 0


def test_model_latex_and_bad_input(tmp_path, capsys, ds):
    cov = _covariates(tmp_path, ds)
    assert cli.main(["model", "--y", "score", "--x", "gdp_pc", "--covariates", str(cov), "--format", "latex",
                     "--lang", "en"]) == 0
    assert r"\begin{tabular}" in capsys.readouterr().out
    assert cli.main(["model", "--y", "score", "--x", "gdp_pc,flag", "--covariates", str(cov), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "“flag”" in err and "constant" in err
    assert cli.main(["model", "--y", "score", "--x", "gdp_pc", "--covariates", str(cov), "--weights", "band:20km",
                     "--lang", "en"]) == 1
    assert "no neighbour" in capsys.readouterr().err


def test_export_echoes_file_names_with_control_characters_escaped(tmp_path, capsys):
    out = tmp_path / "e\x1b[31m.html"
    assert cli.main(["export", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "\x1b" not in said and r"e\x1b[31m.html" in said
    assert cli.main(["export", "--out", str(tmp_path / "\x1b]0;PWNED\x07.txt")]) == 2
    said = capsys.readouterr().err
    assert "\x1b" not in said and "\x07" not in said and r"\x1b]0;PWNED\x07.txt" in said


def test_model_reports_a_missing_or_folder_covariate_file_in_the_users_language(tmp_path, capsys):
    assert cli.main(["model", str(tmp_path / "none.csv"), "--y", "总分", "--x", "gdp"]) == 1
    assert "找不到文件 none.csv" in capsys.readouterr().err
    assert cli.main(["model", "--y", "总分", "--x", "gdp", "--covariates", str(tmp_path), "--lang", "en"]) == 1
    assert "is a folder, not a file" in capsys.readouterr().err
