"""Page: templates, upload and validation of the user's own data, index weights."""

from dei_geo.app import data_panel, state

data_panel.render(state.view().report)
