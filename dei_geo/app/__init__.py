"""The Streamlit app: ``main.run`` lays out the page, one module per panel, ``state`` holds the caches.

The only package that imports Streamlit. Imports: every room below it (``maps``, ``analysis``,
``sources``, ``core``).
"""
