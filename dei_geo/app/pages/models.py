"""Page: spatial regression."""

from dei_geo.app import models_panel, state

models_panel.render(state.view().shown)
