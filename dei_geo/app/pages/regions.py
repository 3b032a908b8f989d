"""Page: regions (four cores, twenty metro circles, clusters) and spatial spillover."""

from dei_geo.app import regions_panel, state

regions_panel.render(state.view().shown)
