"""Print maps: size and dpi, the South China Sea inset, real CJK glyphs, font errors, views."""

import io
from types import SimpleNamespace

import matplotlib
import numpy as np
import pytest
import shapely
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image
from pyproj import Geod, Transformer

from dei_geo import cli
from dei_geo.maps import print_map as sm
from dei_geo.maps import web
from dei_geo.sources import datasets

LON_WOODY, LAT_WOODY = 112.33, 16.83  # 永兴岛, 西沙群岛


@pytest.fixture(scope="module")
def pm(ds):
    return web.prepare_map(ds, lang="zh")


@pytest.fixture(scope="module")
def fig(pm):
    return sm.figure(pm)


@pytest.fixture(scope="module")
def png(fig):
    return sm.to_bytes(fig, "png")


def _axes(figure, label):
    return next(ax for ax in figure.axes if ax.get_label() == label)


def _pixels(png_bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png_bytes)).convert("L"), dtype=float)


def _crop(image, figure, bbox):
    """The part of a PNG (rendered at ``dpi``) under a display-space bbox of ``figure``."""
    scale = image.shape[1] / (figure.get_figwidth() * figure.dpi)
    x0, x1 = int(bbox.x0 * scale), int(np.ceil(bbox.x1 * scale))
    h = image.shape[0]
    y0, y1 = h - int(np.ceil(bbox.y1 * scale)), h - int(bbox.y0 * scale)
    return image[y0:y1, x0:x1]


def _ink(region) -> float:
    return float((region < 128).mean())


def _scale_bar(figure) -> tuple[float, float]:
    """(km written at the bar's end, metres of map the bar spans)."""
    main, bar_axes = _axes(figure, "map"), _axes(figure, "scalebar-axes")
    bar = next(p for p in bar_axes.patches if p.get_gid() == "scalebar")
    km = float(bar_axes.texts[2].get_text())  # labels: 0, D/2, D, unit

    def width_px(ax, dx):
        return ax.transData.transform((dx, 0))[0] - ax.transData.transform((0, 0))[0]

    return km, width_px(bar_axes, bar.get_width()) / width_px(main, 1.0)


def _ground_metres(crs, lon, lat, metres) -> float:
    """Geodesic length of a map segment starting at (lon, lat), ``metres`` long eastwards."""
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    to_geo = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    (lon1, lon2), (lat1, lat2) = to_geo.transform([x, x + metres], [y, y])
    return Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2]


def test_png_is_300_dpi_and_sized_from_the_figure(fig, png):
    image = Image.open(io.BytesIO(png))
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    w, h = fig.get_size_inches()
    assert image.size == (round(w * 300), round(h * 300))
    assert image.size[0] == 3000


def test_dpi_option_scales_the_image(pm):
    image = Image.open(io.BytesIO(sm.render(pm, dpi=100)))
    assert image.size[0] == 1000 and image.info["dpi"] == pytest.approx((100, 100), abs=0.01)
    with pytest.raises(ValueError, match="50–600"):
        sm.render(pm, dpi=5000)


def test_inset_framed_lower_right_with_its_label(fig, png):
    main, inset = _axes(fig, "map"), _axes(fig, "inset")
    a, b = main.get_position(), inset.get_position()
    assert b.x1 == pytest.approx(a.x1) and b.y0 == pytest.approx(a.y0)  # lower right corner
    assert 0.15 < b.height / a.height < 0.5 and b.width < 0.3 * a.width
    assert all(s.get_visible() and s.get_linewidth() > 0 for s in inset.spines.values())
    label = next(t for t in inset.texts if t.get_gid() == "inset-label")
    assert label.get_text() == "南海诸岛"
    image = _pixels(png)
    renderer = fig.canvas.get_renderer()
    box = label.get_window_extent(renderer)
    assert box.x0 > inset.get_window_extent(renderer).x0
    assert _ink(_crop(image, fig, box)) > 0.05  # the label is drawn, not blank


def test_south_china_sea_islands_only_in_the_inset(fig):
    to_map = Transformer.from_crs("EPSG:4326", sm.NATIONAL_CRS, always_xy=True)
    x, y = to_map.transform(LON_WOODY, LAT_WOODY)
    main, inset = _axes(fig, "map"), _axes(fig, "inset")
    assert y < main.get_ylim()[0]  # the main frame stops north of 西沙
    (x0, x1), (y0, y1) = inset.get_xlim(), inset.get_ylim()
    assert x0 < x < x1 and y0 < y < y1
    # 三沙 (with its outlying reefs) is one of the inset's units and none of the main map's
    layers = sm._layers(sm.NATIONAL_CRS, "print", "cities", sm.NATIONAL_TOLERANCE_M["cities"])
    sansha = layers.cities.query("adcode == @sm.SANSHA").geometry.iloc[0]
    size = shapely.get_num_coordinates(sansha)
    assert size in [len(p.vertices) for p in inset.collections[0].get_paths()]
    assert size not in [len(p.vertices) for p in main.collections[0].get_paths()]


def test_taiwan_and_hainan_are_in_the_main_map(fig, pm):
    fills = _axes(fig, "map").collections[0]
    faces = {tuple(np.round(c[:3], 3)) for c in fills.get_facecolors()}
    assert len(fills.get_paths()) == 369  # all 370 units but 三沙 (Taiwan, Hainan's 18, HK, Macao)
    unscored = tuple(np.round(matplotlib.colors.to_rgb(pm.styles[710000]["fillColor"]), 3))
    assert unscored in faces


def test_legend_has_the_web_maps_classes_colours_and_counts(fig, pm):
    legend = next(c for c in _axes(fig, "map").get_children() if c.get_gid() == "legend")
    labels = [t.get_text() for t in legend.get_texts()]
    assert [lab.split("  ")[0] for lab in labels] == [row.label for row in pm.legend]
    assert labels[-2] == "未参评  115 个" and labels[-1] == "数据冲突（报告重复印刷）  1 个"
    faces = [matplotlib.colors.to_hex(h.get_facecolor()) for h in legend.legend_handles]
    assert faces[:-1] == [row.color for row in pm.legend[:-1]]
    conflict = legend.legend_handles[-1]
    assert matplotlib.colors.to_hex(conflict.get_edgecolor()) == web.CONFLICT_COLOR


def test_title_and_source_note(fig, png):
    texts = {t.get_gid(): t for t in fig.texts}
    assert texts["title"].get_text() == "DEI 2023 城市数字化发展指数：总分"
    assert texts["source"].get_text() == "数据来源：新华三集团《城市数字化发展指数(2023)》"
    image, box = _pixels(png), texts["title"].get_window_extent(fig.canvas.get_renderer())
    blank = _crop(image, fig, box.translated(box.width + 20, 0))  # the empty band beside it
    assert _ink(_crop(image, fig, box)) > 0.08 and _ink(blank) == 0.0


def test_scale_bar_matches_the_map_scale(fig):
    km, metres = _scale_bar(fig)
    assert metres == pytest.approx(km * 1000, rel=1e-6)  # the bar is D km at the map's scale
    # on the standard parallel (25°N) map metres are ground metres
    assert _ground_metres(sm.NATIONAL_CRS, 110, 25, metres) == pytest.approx(km * 1000, rel=0.005)


def test_cjk_glyphs_really_render():
    family = sm.cjk_family()

    def draw(text, fam):
        f = Figure(figsize=(0.6, 0.6), dpi=100)
        f.text(0.5, 0.5, text, ha="center", va="center",
               fontproperties=FontProperties(family=fam, size=30))
        return _pixels(sm.to_bytes(f, dpi=100))

    blank, nan, bei = draw("", family), draw("南", family), draw("北", family)
    assert _ink(blank) == 0 and _ink(nan) > 0.02 and _ink(bei) > 0.02
    assert np.abs(nan - bei).mean() > 5  # two different glyphs, not two tofu boxes
    with pytest.warns(UserWarning, match="missing from font"):  # the control: a Latin-only font
        tofu_nan, tofu_bei = draw("南", "DejaVu Sans"), draw("北", "DejaVu Sans")
    assert np.array_equal(tofu_nan, tofu_bei)


def test_missing_cjk_font_raises_the_documented_error(pm, monkeypatch):
    with pytest.raises(sm.CJKFontMissing, match="apt-get install fonts-noto-cjk"):
        sm.cjk_family(SimpleNamespace(ttflist=[]))
    monkeypatch.setattr(sm, "CJK_FAMILIES", ("No Such Font CJK",))
    with pytest.raises(sm.CJKFontMissing, match="fonts-noto-cjk"):
        sm.render(pm)


def test_text_no_font_can_draw_is_refused(pm):
    with pytest.raises(ValueError, match="no installed font can draw"):
        sm.figure(pm, title="DEI \U000f0000")


def test_bytes_are_deterministic_and_svg_keeps_text_as_paths(pm):
    shanghai = sm.province_view("上海")
    assert sm.render(pm, shanghai, dpi=60) == sm.render(pm, shanghai, dpi=60)
    svg = sm.render(pm, shanghai, "svg")
    assert svg == sm.render(pm, shanghai, "svg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert "<!-- 上海市（1 个地级单元） -->".encode() in svg  # drawn as glyph paths, text in a comment
    assert b"<dc:date>" not in svg


def test_rendering_leaves_matplotlib_global_state_alone(pm):
    import matplotlib.pyplot as plt  # already imported by mapclassify; no figure may be left in it

    before = dict(matplotlib.rcParams)
    sm.render(pm, sm.province_view("上海"), "svg")
    assert dict(matplotlib.rcParams) == before and plt.get_fignums() == []


def test_province_view_zhejiang(pm):
    view = sm.province_view("浙江")
    assert view == sm.province_view("浙江省") == sm.province_view(330000)
    assert len(view.adcodes) == 11
    figure = sm.figure(pm, view)
    assert "inset" not in [ax.get_label() for ax in figure.axes]
    main = _axes(figure, "map")
    assert {"杭州", "宁波", "舟山", "温州"} <= {t.get_text() for t in main.texts}
    legend = next(c for c in figure.get_children() if c.get_gid() == "legend")
    labels = [t.get_text() for t in legend.get_texts()]
    assert "一线城市（≥85.0）  1 个" in labels  # 杭州
    assert not any(lab.startswith("数据冲突") for lab in labels)  # 亳州 is not in 浙江
    assert labels[-1] == "范围外地区"
    assert "浙江省（11 个地级单元）" in [t.get_text() for t in figure.texts]
    assert "标准纬线 27.7°N" in " ".join(t.get_text() for t in figure.texts)  # fitted to 浙江


def test_province_view_scale_bar_holds_in_its_fitted_projection(pm):
    view = sm.province_view("浙江")
    km, metres = _scale_bar(sm.figure(pm, view))
    ground = _ground_metres(sm.view_crs(view), 120.5, 29.2, metres)  # mid-浙江
    assert ground == pytest.approx(km * 1000, rel=0.005)


def test_region_view_yangtze_delta(ds, pm):
    view = sm.cluster_view(ds.clusters, "长三角")
    assert view.name == "长三角城市群" and len(view.adcodes) == 41
    figure = sm.figure(pm, view)
    legend = next(c for c in figure.get_children() if c.get_gid() == "legend")
    labels = [t.get_text() for t in legend.get_texts()]
    assert "数据冲突（报告重复印刷）  1 个" in labels  # 亳州 is a member
    counts = [int(lab.rsplit("  ", 1)[1].split()[0]) for lab in labels if "  " in lab]
    assert sum(counts[:-1]) == 41  # classes + 未参评 cover the 41 members; 亳州 is in its class
    names = {t.get_text() for t in _axes(figure, "map").texts}
    assert {"上海", "合肥", "亳州", "温州"} <= names and "北京" not in names


def test_hainan_view_gets_the_inset(pm):
    figure = sm.figure(pm, sm.province_view("海南"))
    inset = _axes(figure, "inset")
    assert any(t.get_text() == "南海诸岛" for t in inset.texts)
    assert "三沙" not in {t.get_text() for t in _axes(figure, "map").texts}


def test_unknown_views_name_the_choices(ds):
    with pytest.raises(ValueError, match="浙江省"):
        sm.province_view("火星")
    with pytest.raises(ValueError, match="长三角城市群"):
        sm.cluster_view(ds.clusters, "珠三角")


def test_english_map(ds):
    figure = sm.figure(web.prepare_map(ds, lang="en", scheme="natural_breaks", k=7))
    texts = [t.get_text() for t in figure.findobj(matplotlib.text.Text)]
    assert "South China Sea Islands" in texts and "km" in texts
    assert "Source: New H3C Group (新华三集团), City Digital Development Index (2023)" in texts


def test_cli_print_maps(tmp_path, capsys):
    png = tmp_path / "zj.png"
    assert cli.main(["export", "--out", str(png), "--province", "浙江", "--dpi", "100",
                     "--title", "浙江省数字化发展"]) == 0
    assert Image.open(png).info["dpi"] == pytest.approx((100, 100), abs=0.01)
    svg = tmp_path / "csj.svg"
    assert cli.main(["export", "--out", str(svg), "--region", "长三角", "--lang", "en"]) == 0
    assert "长三角城市群 (41 prefecture-level units)".encode() in svg.read_bytes()
    assert cli.main(["export", "--out", str(tmp_path / "x.png"), "--province", "火星"]) == 1
    assert "unknown province" in capsys.readouterr().err
    assert cli.main(["export", "--out", str(tmp_path / "x.html"), "--province", "浙江"]) == 2
    assert cli.main(["export", "--out", str(tmp_path / "x.gif")]) == 2  # .pdf is a print map since issue 13


def test_cli_html_takes_a_title(tmp_path):
    out = tmp_path / "m.html"
    assert cli.main(["export", "--out", str(out), "--title", "长三角数字化 <2023>"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<title>长三角数字化 &lt;2023&gt;</title>" in text and "<2023>" not in text


def test_dollar_signs_in_titles_and_sources_are_text_not_tex(tmp_path):
    import dataclasses

    from dei_geo.maps import print_map, web

    pm = web.prepare_map(datasets.load_dei_2023())
    pm = dataclasses.replace(pm, source="预算$\\x$.csv")
    png = print_map.render(pm, print_map.NATIONAL, "png", dpi=60, title="成本 $\\frac{a$")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
