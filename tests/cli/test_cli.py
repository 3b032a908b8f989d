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
    assert cli.main(["export", "--out", str(tmp_path / "map.pdf")]) == 2
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
