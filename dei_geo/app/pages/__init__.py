"""The app's pages, one script each, run by ``st.navigation`` (``main.PAGES``); never imported.

Each page reads the view the sidebar chose (``state.view()``) and hands it to its panel.
"""
