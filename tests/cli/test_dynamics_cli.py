"""``dei-geo dynamics``, ``change --from/--to`` and ``export --data --year`` on synthetic panels."""

import json

import numpy as np
import pandas as pd
import pytest

from dei_geo import cli
from dei_geo.core import places


@pytest.fixture(scope="module")
def panel_files(tmp_path_factory):
    """A synthetic 4-year panel over every unit, long and wide; 2021 scores rise by a known rule."""
    folder = tmp_path_factory.mktemp("panel")
    rng = np.random.default_rng(5)
    pl = places.load_places()
    base = rng.uniform(30, 90, len(pl))
    rows = []
    for i, year in enumerate(range(2020, 2024)):
        score = np.clip(base + rng.normal(0, 2, len(pl)) + 1.0 * i, 0, 100).round(1)
        rows += [{"城市": n, "年份": year, "总分": s} for n, s in zip(pl["short_name"], score)]
    long = pd.DataFrame(rows)
    long.to_csv(folder / "long.csv", index=False)
    wide = long.pivot(index="城市", columns="年份", values="总分")
    wide.columns = [f"总分_{c}" for c in wide.columns]
    wide.reset_index().to_csv(folder / "wide.csv", index=False)
    return folder, long


def test_dynamics_json_states_method_weights_and_sample(panel_files, capsys):
    folder, long = panel_files
    assert cli.main(["dynamics", str(folder / "wide.csv"), "--format", "json", "--lang", "en",
                     "--permutations", "0"]) == 0
    out = json.loads(capsys.readouterr().out)
    d = out["dynamics"]
    assert d["years"] == [2020, 2021, 2022, 2023] and d["n_units"] == 370 and d["n_balanced"] == 370
    assert d["transitions"]["n_transitions"] == 370 * 3
    assert d["spatial_markov"]["method"] == "giddy.markov.Spatial_Markov"
    assert d["spatial_markov"]["weights"]["kind"] == "queen" and d["spatial_markov"]["n_units"] == 370
    assert d["lisa_markov"]["n_units"] == 370
    assert [r["year"] for r in d["sigma"]["years"]] == [2020, 2021, 2022, 2023]
    assert set(d["theil"]) == {"cores", "clusters", "provinces"}
    assert set(d["beta"]) == {"absolute", "fe_cores", "fe_clusters", "fe_provinces"}
    assert "Kendall" in out["readings"]["rank_mobility"]
    # risers default to the last two years, ranked among the cities in both
    risers = out["risers"]
    assert (risers["from"], risers["to"]) == (2022, 2023) and len(risers["rows"]) == 10
    a = long[long["年份"] == 2022].set_index("城市")["总分"].rank(ascending=False, method="min")
    b = long[long["年份"] == 2023].set_index("城市")["总分"].rank(ascending=False, method="min")
    top = risers["rows"][0]
    gain = (a - b).loc[top["city"]]
    assert top["rank_change"] == gain == (a - b).max()


def test_dynamics_text_in_both_languages_and_quantiles(panel_files, capsys):
    folder, _ = panel_files
    assert cli.main(["dynamics", str(folder / "long.csv"), "--classes", "quantiles", "--weights", "none"]) == 0
    zh = capsys.readouterr().out
    assert "第 1 分位组" in zh and "未提供空间权重" in zh and "β 收敛" in zh
    assert cli.main(["dynamics", str(folder / "long.csv"), "--weights", "none", "--lang", "en"]) == 0
    assert "Tier 1" in capsys.readouterr().out


def test_dynamics_errors_have_exit_codes(tmp_path, capsys):
    assert cli.main(["dynamics", str(tmp_path / "none.csv")]) == 2
    one = tmp_path / "one.csv"
    one.write_text("城市,年份,总分\n杭州,2022,92.9\n", encoding="utf-8")
    assert cli.main(["dynamics", str(one)]) == 1
    assert "2022" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("城市,年份,总分\n杭州,2021,x\n杭州,2022,92.9\n成都,2021,80\n成都,2022,81\n", encoding="utf-8")
    assert cli.main(["dynamics", str(bad), "--weights", "none"]) == 1  # a rejected row stops it
    err = capsys.readouterr().err
    assert "C2" in err and "x" in err
    assert cli.main(["dynamics", str(bad), "--weights", "none", "--keep-valid"]) == 0


def test_change_between_two_years_of_one_file(panel_files, capsys):
    folder, long = panel_files
    assert cli.main(["change", str(folder / "wide.csv"), "--from", "2021", "--to", "2022", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_common"] == 370 and out["base"].endswith("2021") and out["other"].endswith("2022")
    hz = next(c for c in out["cities"] if c["adcode"] == 330100)
    s = long.set_index(["城市", "年份"])["总分"]
    assert hz["score_base"] == s[("杭州", 2021)] and hz["score_other"] == s[("杭州", 2022)]
    assert cli.main(["change", str(folder / "wide.csv"), "--from", "2021", "--to", "2030"]) == 2


def test_export_one_year_of_a_wide_file(panel_files, tmp_path):
    folder, _ = panel_files
    out = tmp_path / "m.html"
    assert cli.main(["export", "--data", str(folder / "wide.csv"), "--year", "2022", "--out", str(out)]) == 0
    assert out.stat().st_size > 100_000
    assert cli.main(["export", "--data", str(folder / "wide.csv"), "--year", "2031", "--out", str(out)]) == 2
