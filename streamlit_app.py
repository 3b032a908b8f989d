"""Start the dei-geo app: ``streamlit run streamlit_app.py`` (the app lives in ``dei_geo.app``)."""

from dei_geo.app.main import run

run()
