"""yzlogi: the progress dashboard of the Yuzhong modern-logistics three-year plan.

The entry point is a router: page config, the shared sidebar, st.navigation over
pages/. Every page is a thin file that reads widgets, calls yzlogi and renders.
"""

import streamlit as st

from ui import context, layout, meeting, shell
from ui.nav import page_name, pages_for

plan = shell.plan()
st.set_page_config(
    page_title=f"{plan.short_title} · 进度看板",
    # An emoji becomes an inline image; a :material/…: icon would be fetched
    # from fonts.gstatic.com, which an intranet cannot reach.
    page_icon="🚚",
    layout="wide",
)

navigation = st.navigation(
    [
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=spec.default)
        for spec in pages_for(plan)
    ]
)
st.sidebar.caption(f"{plan.short_title}（{plan.period}）进度看板")
context.sidebar()
layout.style()
meeting.mode_switch()
meeting.controls(page_name(navigation.url_path))
navigation.run()
