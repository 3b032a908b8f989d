"""Page: the report's ranking, filtered by province, tier and region."""

from dei_geo.app import overview, state

overview.ranking_page(state.view().report)
