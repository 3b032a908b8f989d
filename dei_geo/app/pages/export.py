"""Page: every download in one place (map as HTML, PNG, SVG; the tables)."""

from dei_geo.app import export_panel, state

export_panel.page(state.view())
