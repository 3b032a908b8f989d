"""Every colour of dei-geo's maps and charts, and the few codes that decide how a map looks.

One definition each: the web map (``maps.web``), its overlays (``maps.overlays``, ``maps.selection``),
the print map (``maps.print_map``) and the app's charts import from here, so the same thing is the
same colour everywhere (a LISA class on the map and in the Moran scatterplot, say). Colours are
lowercase ``#rrggbb``. Imports: the standard library only (cheap enough for the CLI's parser).
"""

from __future__ import annotations

from typing import Literal

# --- how values become classes ------------------------------------------------------------
Scheme = Literal["tiers", "quantiles", "natural_breaks"]
SCHEMES: tuple[Scheme, ...] = ("tiers", "quantiles", "natural_breaks")  # classification schemes
DEFAULT_SCHEME: Scheme = "tiers"  # the report's own tiers (一线 … 四线)
DEFAULT_K = 5  # classes for quantiles / natural breaks: the report's tier count

# --- choropleth fills -----------------------------------------------------------------------
# ColorBrewer YlGnBu by number of classes, light (low) to dark (high); 5 classes is the report's
# tier count. The keys are the class counts a map may have.
SEQUENTIAL: dict[int, list[str]] = {
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
    7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
}
CLASS_COUNTS = tuple(sorted(SEQUENTIAL))  # the k a quantile / natural-breaks map may have
# Differences (score change, rank change) are classed around 0 (``classify.diverging``): ColorBrewer
# BrBG, brown = down, neutral = no change, blue-green = up; keyed by classes per side (3 classes
# each side + the middle = 7 colours). Neither end can be read as a tier colour of SEQUENTIAL.
DIVERGING: dict[int, list[str]] = {
    1: ["#d8b365", "#f5f5f5", "#5ab4ac"],
    2: ["#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571"],
    3: ["#8c510a", "#d8b365", "#f6e8c3", "#f5f5f5", "#c7eae5", "#5ab4ac", "#01665e"],
}
# Tier transitions between two years (``maps.transition``): purple = up, orange = down (PuOr-like),
# the neutral of DIVERGING for no move, mid grey for a city scored in one of the two years only.
# No colour can be read as a tier colour of SEQUENTIAL (``tests/core/test_theme.py``).
TRANSITION_COLORS = {"up2": "#762a83", "up1": "#af8dc3", "same": "#f5f5f5", "down1": "#f1a340",
                     "down2": "#b35806", "one_year": "#969696"}  # analysis.change.TRANSITIONS
UNSCORED_COLOR = "#d9d9d9"  # fill of a unit the report did not evaluate (未参评)
MISSING_COLOR = "#ffffff"  # fill of a listed unit with no value for this metric (未公布)
MISSING_LINE = "#969696"  # outline of such a unit
CONFLICT_COLOR = "#c51b7d"  # dashed outline (and legend swatch) of a unit printed twice (亳州)
WHITE = "#ffffff"  # unit edges, paper, halos, hollow markers and fills of outlined-only units
HIGHLIGHT_COLOR = "#000000"  # outline of the unit under the mouse on the web map
HIGHLIGHT_ROW = "#fff3cd"  # the selected city's row in the ranking
LINE_COLOR = "#555555"  # province lines and the maritime line on the web map
SWATCH_EDGE = "#999999"  # border of the web legend's swatches
MUTED_INK = "#666666"  # unit counts in the web legend

# --- overlays (``maps.overlays``) -------------------------------------------------------------
LAYER_KEYS = ("cores", "circles", "clusters", "rings", "lisa", "gi")  # switchable overlay layers
CORE_COLORS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3")  # the four cores' outlines, in order
CLUSTER_COLOR = "#ff7f00"  # outlines of the other city clusters
CIRCLE_COLOR = "#1b7837"  # members of a metro circle
LOW_CONFIDENCE_COLOR = "#8c8c8c"  # members of a metro circle whose membership is uncertain
WARNING_COLOR = "#b35806"  # warning text in tooltips (a low-confidence circle)
RING_COLOR = "#555555"  # distance rings around core cities
RADIUS_COLOR = "#d95f02"  # the distance rule's radius and the core-city points
ISLAND_EDGE = "#666666"  # dashed outline of an island unit in the LISA / Gi* layers
# LISA classes and Gi* spots: red and purple families, so that no class can be read as one of the
# tier colours (SEQUENTIAL is yellow-green-blue; ``tests/core/test_theme.py`` keeps them apart)
LISA_COLORS = {"HH": "#b2182b", "LL": "#6a3d9a", "HL": "#f4a582", "LH": "#cab2d6"}
GI_COLORS = {"hot": "#b2182b", "cold": "#6a3d9a"}  # Gi* hot and cold spots
NS_COLOR = "#bbbbbb"  # not significant (LISA, Gi*): on the map and in the Moran scatterplot

# --- the selected city (``maps.selection``) -----------------------------------------------------
HALO_COLOR = WHITE  # wide line under the selection outline
OUTLINE_COLOR = "#e6550d"  # outline of the selected city

# --- print maps (``maps.print_map``) ------------------------------------------------------------
PRINT_DPI = 300  # PNG resolution unless asked otherwise
CONTEXT_COLOR = "#f4f4f4"  # units drawn around a province/region view
EDGE_COLOR = WHITE  # edges between units
RIM_COLOR = "#9a9a9a"  # 三沙's islets in the inset; edges of legend swatches
PROVINCE_COLOR = "#5a5a5a"  # province lines
COAST_COLOR = "#3c3c3c"  # the national outline
MARITIME_COLOR = "#3c3c3c"  # the South China Sea maritime line
INK = "#222222"  # text (web legend and title too), frames, the scale bar
LEGEND_FRAME = "#bdbdbd"  # the legend's frame
SUBTITLE_INK = "#444444"  # the line naming a province/region view
CREDIT_INK = "#555555"  # credits: the source line under a web map's title, a print map's footer

# --- the app's charts -------------------------------------------------------------------------
BAR_COLOR = "#2c7fb8"  # bars and points of scores (a city, rings, decay)
PILLAR_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")  # the five pillars' lines (Dark2)
CHART_CONTEXT = "#bdbdbd"  # province and national means beside a city
MEAN_COLOR = "#d95f02"  # dashed rule at the national mean
FIT_COLOR = "#333333"  # fitted lines (Moran slope, distance decay)
AXIS_COLOR = "#999999"  # zero lines of the Moran scatterplot
