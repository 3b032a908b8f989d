"""Page: two to five cities side by side."""

from dei_geo.app import compare, state

compare.render(state.view().report)
