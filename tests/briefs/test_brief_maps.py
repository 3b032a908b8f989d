"""The brief's maps: the city outlined (and ringed on the national locator), nothing else changed."""

from matplotlib.collections import PathCollection

from dei_geo.briefs import maps

HUZHOU = 330500


def _gids(fig) -> list[str]:
    return sorted(a.get_gid() for a in fig.findobj() if str(a.get_gid()).startswith("highlight"))


def test_locator_outlines_and_rings_the_city(ds):
    fig = maps.locator(ds, HUZHOU, "湖州", "zh")
    assert _gids(fig) == ["highlight", "highlight", "highlight-ring", "highlight-ring"]
    assert "湖州在全国的位置" in [t.get_text() for t in fig.texts]


def test_province_map_outlines_the_city_only(ds):
    fig = maps.province(ds, HUZHOU, 330000, "zh")
    assert _gids(fig) == ["highlight", "highlight"]
    outline = next(a for a in fig.findobj(PathCollection) if a.get_gid() == "highlight")
    x0, y0 = outline.get_paths()[0].vertices.min(axis=0)
    x1, y1 = outline.get_paths()[0].vertices.max(axis=0)
    ax = fig.axes[0]
    assert ax.get_xlim()[0] < x0 < x1 < ax.get_xlim()[1] and ax.get_ylim()[0] < y0 < y1 < ax.get_ylim()[1]
    assert _gids(maps.province_overview(ds, 330000, "zh")) == []
