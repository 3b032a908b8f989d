"""A page with only the data panel (for tests/test_app_data.py): what it returns, mapped."""

import streamlit as st

from dei_geo.app import data_panel, state
from dei_geo.core import columns

lang = st.sidebar.radio("lang", ["zh", "en"], key="lang")
ds = data_panel.render(state.Ctx(lang=lang, ds=state.bundled(), scheme="tiers", k=5))
if ds is not None:
    metrics = columns.available(ds.scores, lang)
    st.session_state["returned"] = {"label": ds.label, "cities": len(ds.scores), "metrics": list(metrics),
                                    "scores": ds.scores.set_index("city")["score"].round(3).to_dict()}
    metric = st.selectbox("metric", list(metrics), key="metric")
    pm = data_panel.prepared(ds, metric, scheme="tiers", k=3, lang=lang)
    st.caption(pm.title)
    st.session_state["legend"] = {row.label: row.count for row in pm.legend}
else:
    st.session_state["returned"] = None
