"""County and province print maps (issue 13): 浙江's 90 counties labelled on A4 without overlap,
the national county and province maps, page sizes, the county legend's score bands."""

import io
import itertools
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dei_geo.core import counties
from dei_geo.maps import print_map as pm
from dei_geo.maps import unit_print, web


def _zhejiang_values() -> pd.Series:
    table = counties.load_counties()
    zj = table[table["province_adcode"] == 330000].sort_values("adcode")
    values = pd.Series(np.linspace(40, 95, len(zj)).round(1), index=zj["adcode"].to_numpy())
    return values.drop(330106)  # 西湖区 without a value: 无数据


@pytest.fixture(scope="module")
def zhejiang():
    prep = unit_print.prepare(_zhejiang_values(), "counties", "浙江区县得分", "数据：测试", "无数据")
    return pm.figure(prep, pm.province_view("浙江", "counties"), page="a4-portrait")


def _labels(figure):
    return [t for t in figure.findobj(matplotlib.text.Text) if str(t.get_gid()).startswith("label-")]


def _legend_labels(figure):
    legend = next(c for c in figure.findobj(matplotlib.legend.Legend) if c.get_gid() == "legend")
    return [t.get_text() for t in legend.get_texts()]


def test_zhejiang_a4_has_every_county_labelled_in_a_cjk_font(zhejiang):
    labels = _labels(zhejiang)
    assert len(labels) == 90
    assert {t.get_gid() for t in labels} == {f"label-{a}" for a in
                                             counties.load_counties().query("province_adcode == 330000")["adcode"]}
    names = {t.get_text() for t in labels}
    assert {"西湖", "上城", "余杭", "义乌", "嵊泗", "龙港"} <= names  # suffix dropped where unique
    for text in labels:
        props = text.get_fontproperties()
        assert props.get_size_in_points() >= 5
        assert props.get_family()[0] == pm.cjk_family()  # the CJK font, not DejaVu
    assert pm.cjk_family() in {"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN",
                               "Noto Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei",
                               "PingFang SC"}


def test_zhejiang_labels_do_not_overlap_and_stay_in_the_frame(zhejiang):
    renderer = zhejiang.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in _labels(zhejiang)]
    frame = next(ax for ax in zhejiang.axes if ax.get_label() == "map").get_window_extent(renderer)
    overlapping = [(a, b) for a, b in itertools.combinations(range(len(boxes)), 2)
                   if boxes[a].overlaps(boxes[b])]
    assert overlapping == []
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    # the crowded urban districts of 杭州 needed leader lines; most labels sit at their seat
    leaders = [line for line in zhejiang.findobj(matplotlib.lines.Line2D) if line.get_gid() == "leader"]
    assert 0 < len(leaders) // 2 < 30


def test_zhejiang_a4_png_is_the_page_at_the_dpi(zhejiang):
    image = Image.open(io.BytesIO(pm.to_bytes(zhejiang, "png", 150)))
    w, h = image.size  # A4 at 150 dpi: 1240.2 × 1753.9 px (matplotlib rounds down)
    assert abs(w - 210 / 25.4 * 150) < 1 and abs(h - 297 / 25.4 * 150) < 1
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # PNG stores pixels per metre


def test_zhejiang_svg_holds_the_90_labels_and_bands_not_city_tiers(zhejiang):
    svg = pm.to_bytes(zhejiang, "svg").decode()
    assert len(set(re.findall(r'id="label-(\d{6})"', svg))) == 90
    labels = _legend_labels(zhejiang)
    assert labels[0].startswith("≥85.0") and "无数据  1 个" in labels  # 西湖区 has no value
    assert not any("城市" in lab for lab in labels)  # no 一线城市 / 新一线城市 for counties
    counts = [int(lab.rsplit("  ", 1)[1].split()[0]) for lab in labels[:-1]]
    assert sum(counts) == 90
    assert "浙江省（90 个县级单元）" in [t.get_text() for t in zhejiang.texts]


def test_names_ambiguous_in_a_province_keep_their_suffix():
    names = pm.label_names(pm.province_view("新疆", "counties"))
    assert names[653201] == "和田市" and names[653221] == "和田县"
    jiangsu = pm.label_names(pm.province_view("江苏", "counties"))
    assert jiangsu[320106] == jiangsu[320302] == "鼓楼区" and jiangsu[320102] == "玄武"


def test_labels_are_deterministic():
    prep = unit_print.prepare(_zhejiang_values(), "counties", "t", "s", "无数据")
    view = pm.province_view("浙江", "counties")
    assert pm.render(prep, view, "svg", page="a4-landscape") == pm.render(prep, view, "svg", page="a4-landscape")


def test_national_county_map_renders_every_unit_without_labels():
    prep = unit_print.prepare(None, "counties", "全国区县", "数据：无", "无数据")
    figure = pm.figure(prep, pm.national_view("counties"))
    main = next(ax for ax in figure.axes if ax.get_label() == "map")
    inset = next(ax for ax in figure.axes if ax.get_label() == "inset")
    units = next(c for c in main.collections if c.get_gid() == "units")
    assert len(units.get_paths()) == 2873  # 2,875 less 西沙区 and 南沙区, drawn in the inset
    assert len(next(c for c in inset.collections if c.get_gid() == "units").get_paths()) >= 2
    assert _labels(figure) == []
    assert "无数据  2875 个" in _legend_labels(figure)
    png = Image.open(io.BytesIO(pm.to_bytes(figure, "png", 100)))
    assert png.size == (1000, round(figure.get_figheight() * 100))
    assert pm.to_bytes(figure, "svg").startswith(b"<?xml")


def test_province_level_print_map():
    values = pd.Series({330000: 65.1, 110000: 93.6})
    prep = unit_print.prepare(values, "provinces", "省级", "数据", "无数据", lang="en")
    figure = pm.figure(prep, pm.national_view("provinces"), page="16:9")
    main = next(ax for ax in figure.axes if ax.get_label() == "map")
    assert len(next(c for c in main.collections if c.get_gid() == "units").get_paths()) == 34
    assert "无数据  32" in _legend_labels(figure)
    assert tuple(figure.get_size_inches()) == pytest.approx(pm.PAGES["16:9"])
    assert pm.to_bytes(figure, "pdf").startswith(b"%PDF")


@pytest.mark.parametrize("page", list(pm.PAGES))
def test_city_print_maps_take_a_page_size(ds, page):
    prepared = web.prepare_map(ds, lang="zh")
    for view in (pm.NATIONAL, pm.province_view("浙江")):
        figure = pm.figure(prepared, view, page=page)
        assert tuple(figure.get_size_inches()) == pytest.approx(pm.PAGES[page])
        w, h = pm.PAGES[page]
        png = Image.open(io.BytesIO(pm.to_bytes(figure, "png", 72)))
        assert abs(png.size[0] - w * 72) < 1 and abs(png.size[1] - h * 72) < 1
        renderer = figure.canvas.get_renderer()
        source = next(t for t in figure.texts if t.get_gid() == "source").get_window_extent(renderer)
        legend = next(c for c in figure.findobj(matplotlib.legend.Legend) if c.get_gid() == "legend")
        for box in [ax.get_window_extent(renderer) for ax in figure.axes] + [legend.get_window_extent(renderer)]:
            assert 0 <= box.x0 and box.x1 <= w * figure.dpi + 0.5 and box.y1 <= h * figure.dpi + 0.5
            assert box.y0 >= source.y1  # frames, scale bar and legend clear the source line


def test_default_page_is_unchanged(ds):
    figure = pm.figure(web.prepare_map(ds, lang="zh"))
    assert figure.get_figwidth() == pm.WIDTH


def test_unknown_page_is_refused(ds):
    with pytest.raises(ValueError, match="a4-portrait"):
        pm.figure(web.prepare_map(ds, lang="zh"), page="letter")
