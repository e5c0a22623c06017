"""yzlogi: the progress dashboard of the Yuzhong modern-logistics three-year plan.

The entry point is a router: page config, the shared sidebar, st.navigation over
pages/. Every page is a thin file that reads widgets, calls yzlogi and renders.
"""

import streamlit as st

from ui import context, meeting, shell
from ui.nav import PAGES, page_name

st.set_page_config(
    page_title="渝中区现代物流三年行动计划 · 进度看板",
    # An emoji becomes an inline image; a :material/…: icon would be fetched
    # from fonts.gstatic.com, which an intranet cannot reach.
    page_icon="🚚",
    layout="wide",
)

plan = shell.plan()

navigation = st.navigation(
    [
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=spec.default)
        for spec in PAGES
    ]
)
st.sidebar.caption(f"{plan.short_title}（{plan.first_year}—{plan.last_year}年）进度看板")
context.sidebar()
meeting.mode_switch()
meeting.controls(page_name(navigation.url_path))
navigation.run()
