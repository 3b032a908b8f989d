"""``dei-geo export --level county|province --out x.png|x.svg|x.pdf [--province 浙江] [--page …]``."""

import re

import pypdf
import pytest
from PIL import Image

from dei_geo import cli
from dei_geo.cli import levels
from dei_geo.maps import print_map


def _write(tmp_path, text, name="scores.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_zhejiang_county_svg_from_a_file(tmp_path, capsys):
    data = _write(tmp_path, "区县,省份,总分\n西湖区,浙江,88\n余杭区,浙江,70\n龙港市,浙江,41\n")
    out = tmp_path / "zj.svg"
    assert cli.main(["export", "--level", "county", "--province", "浙江", "--data", data,
                     "--out", str(out), "--page", "a4-portrait"]) == 0
    assert "已写入" in capsys.readouterr().out
    svg = out.read_text(encoding="utf-8")
    assert len(set(re.findall(r'id="label-(\d{6})"', svg))) == 90
    width, height = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    assert (width / 72, height / 72) == pytest.approx(print_map.PAGES["a4-portrait"], abs=0.01)


def test_national_county_png_and_province_pdf(tmp_path):
    png = tmp_path / "counties.png"
    assert cli.main(["export", "--level", "county", "--out", str(png), "--dpi", "60",
                     "--page", "a4-landscape"]) == 0
    w, h = Image.open(png).size
    assert abs(w - 297 / 25.4 * 60) < 1 and abs(h - 210 / 25.4 * 60) < 1
    pdf = tmp_path / "provinces.pdf"
    assert cli.main(["export", "--level", "province", "--out", str(pdf), "--page", "16:9"]) == 0
    page = pypdf.PdfReader(pdf).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((13.333 * 72, 7.5 * 72))
    text = page.extract_text()  # the CJK font is embedded: the words are text, not only shapes
    assert "图例" in text and "≥85.0  2 个" in text and "各省城市得分均值" in text  # 2023: 北京, 上海


def test_city_print_map_takes_a_page(tmp_path):
    out = tmp_path / "city.png"
    assert cli.main(["export", "--out", str(out), "--page", "16:9", "--dpi", "50"]) == 0
    w, h = Image.open(out).size
    assert abs(w - 13.333 * 50) < 1 and abs(h - 7.5 * 50) < 1


def test_bad_province_and_misused_options_exit_2(tmp_path, capsys):
    out = str(tmp_path / "x.png")
    assert cli.main(["export", "--level", "county", "--province", "火星", "--out", out]) == 2
    err = capsys.readouterr().err
    assert "“火星”不是已知的省级单位" in err and "330000" in err
    assert cli.main(["export", "--level", "province", "--province", "浙江", "--out", out]) == 2
    assert "--province 只用于县级地图" in capsys.readouterr().err
    assert cli.main(["export", "--level", "county", "--out", str(tmp_path / "x.html"), "--page", "16:9"]) == 2
    assert cli.main(["export", "--level", "county", "--out", str(tmp_path / "x.gif")]) == 2
    assert cli.main(["export", "--out", str(tmp_path / "x.html"), "--page", "16:9"]) == 2
    assert not list(tmp_path.iterdir())  # nothing written


def test_cli_pages_are_the_print_maps():
    assert levels.PAGES == tuple(print_map.PAGES)
