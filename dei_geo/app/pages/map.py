"""Page: the map with the overview or the selected city's card (the default page)."""

from dei_geo.app import map_page

map_page.render()
